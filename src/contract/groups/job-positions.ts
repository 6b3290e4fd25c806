/**
 * Job Positions (API.md §8.15). Wrapper `job_position`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, text } from "../fields";
import type { Operation } from "../types";

const JOB_POSITION_FIELDS = {
  name: text("Position name, unique within the company"),
  client_id: z.optional(text("Your integration code for the position")),
  description: z.optional(text("Free-text description")),
  is_active: z.optional(bool("Whether the position is active (default true)")),
  include_in_rate: z.optional(bool("Whether holders are included in user rate scoring (default false)")),
};

/** Job position operations. */
export const JOB_POSITION_OPERATIONS: readonly Operation[] = [
  {
    id: "job_positions.list",
    group: "Job Positions",
    resource: "job_positions",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/job_positions",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_job_positions",
    title: "List job positions",
    description: "Lists job positions: name, description, is_active.",
    successStatus: 200,
  },
  {
    id: "job_positions.get",
    group: "Job Positions",
    resource: "job_positions",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/job_positions/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_job_position",
    title: "Get job position",
    description: "Gets one job position.",
    successStatus: 200,
  },
  {
    id: "job_positions.create",
    group: "Job Positions",
    resource: "job_positions",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/job_positions",
    body: { wrapper: "job_position", fields: z.object(JOB_POSITION_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_job_position",
    title: "Create job position",
    description: "Creates a job position. name is required and must be unique in the company (422 otherwise).",
    successStatus: 201,
  },
  {
    id: "job_positions.update",
    group: "Job Positions",
    resource: "job_positions",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/job_positions/{id}",
    body: { wrapper: "job_position", fields: z.partial(z.object(JOB_POSITION_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_job_position",
    title: "Update job position",
    description: "Updates a job position; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "job_positions.delete",
    group: "Job Positions",
    resource: "job_positions",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/job_positions/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_job_position",
    title: "Delete job position",
    description: "Deletes a job position. Refused while users still hold it. Returns the deleted record.",
    successStatus: 200,
  },
];
