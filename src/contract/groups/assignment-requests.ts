/**
 * Assignment Requests (rotation) and rotation users (API.md §8.5). An approved
 * request becomes a temporary assignment (see temporary-assignments.ts).
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY, ROTATION_STATUSES, ROTATION_STATUS_CODES } from "../enums";
import { date, filter, oneOf, text, uuid } from "../fields";
import type { Operation } from "../types";

const REQUEST_FIELDS = {
  start_date: date("First day of the temporary assignment"),
  end_date: date("Last day; must be after start_date and within the company's rotation day limit"),
  description: z.optional(text("Reason or notes")),
  branch_id: uuid("Branch the employee is temporarily assigned to"),
  job_position_id: uuid("Job position held during the assignment"),
};

/** Assignment request and rotation user operations. */
export const ASSIGNMENT_REQUEST_OPERATIONS: readonly Operation[] = [
  {
    id: "assignment_requests.list",
    group: "Assignment Request",
    resource: "assignment_requests",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/assignment_requests",
    paginated: true,
    filters: [filter("user_id_eq", uuid("Only requests of this user"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_assignment_requests",
    title: "List assignment requests",
    description: "Lists rotation (temporary assignment) requests: dates, target branch and job position, description. Filter by user.",
    successStatus: 200,
  },
  {
    id: "assignment_requests.get",
    group: "Assignment Request",
    resource: "assignment_requests",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/assignment_requests/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_assignment_request",
    title: "Get assignment request",
    description: "Gets one rotation (temporary assignment) request.",
    successStatus: 200,
  },
  {
    id: "assignment_requests.create",
    group: "Assignment Request",
    resource: "assignment_requests",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/assignment_requests",
    body: {
      wrapper: "assignment_request",
      fields: z.object({ ...REQUEST_FIELDS, user_id: uuid("Employee to assign") }),
    },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_assignment_request",
    title: "Create assignment request",
    description:
      "Requests a temporary assignment of a user to another branch and job position. start_date, end_date, branch_id, job_position_id and user_id are required; end must be after start. Approval creates a temporary assignment.",
    successStatus: 201,
  },
  {
    id: "assignment_requests.update",
    group: "Assignment Request",
    resource: "assignment_requests",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/assignment_requests/{id}",
    body: { wrapper: "assignment_request", fields: z.partial(z.object(REQUEST_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_assignment_request",
    title: "Update assignment request",
    description:
      "Updates a rotation request (PUT): dates, description, branch, job position. Send only the fields to change; end must stay after start.",
    successStatus: 200,
  },
  {
    id: "assignment_requests.delete",
    group: "Assignment Request",
    resource: "assignment_requests",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/assignment_requests/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_assignment_request",
    title: "Delete assignment request",
    description: "Deletes a rotation request. Returns the deleted record.",
    successStatus: 200,
  },
  {
    id: "rotation_users.list",
    group: "Assignment Request",
    resource: "rotation_users",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/rotation_users",
    paginated: true,
    filters: [
      filter("status_eq", oneOf(ROTATION_STATUSES, "Rotation status (sent as its integer code)"), ROTATION_STATUS_CODES),
      filter("branch_id_eq", uuid("Temporary branch")),
      filter("user_id_eq", uuid("Rotated user")),
      filter("start_date_gteq", date("Starting on or after")),
      filter("end_date_lteq", date("Ending on or before")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_rotation_users",
    title: "List rotation users",
    description:
      "Lists users on rotation: user, temporary and original branch (ids and codes), start/end dates, status (pending, started, completed, cancelled).",
    successStatus: 200,
  },
];
