/**
 * User Shifts (API.md §8.31): shift assignments per user and day. Wrapper
 * `user_shift`. Create answers HTTP 200, not 201. User JWTs may read and write.
 */
import * as z from "zod/mini";
import { BOTH_MODES, USER_SHIFT_STATUSES, USER_SHIFT_STATUS_CODES } from "../enums";
import { date, filter, oneOf, text, uuid } from "../fields";
import type { Operation } from "../types";

const USER_SHIFT_FIELDS = {
  user_id: uuid("Employee"),
  shift_id: uuid("Shift to work"),
  date_of_shift: date("Day of the shift"),
  status: z.optional(oneOf(USER_SHIFT_STATUSES, "Assignment status")),
  description: z.optional(text("Notes")),
};

/** User shift operations. */
export const USER_SHIFT_OPERATIONS: readonly Operation[] = [
  {
    id: "user_shifts.list",
    group: "User Shift",
    resource: "user_shifts",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/user_shifts",
    paginated: true,
    sortable: true,
    filters: [
      filter("date_of_shift_gteq", date("Shift day on or after")),
      filter("date_of_shift_lteq", date("Shift day on or before")),
      filter("created_at_gteq", date("Created on or after")),
      filter("created_at_lteq", date("Created on or before")),
      filter("status_eq", oneOf(USER_SHIFT_STATUSES, "Assignment status (sent as its integer code)"), USER_SHIFT_STATUS_CODES),
      filter("shift_id_eq", uuid("Shift")),
      filter("user_first_name_cont", text("Employee first name contains")),
      filter("user_last_name_cont", text("Employee last name contains")),
      filter("user_client_id_eq", text("Employee registration number (client_id) equals")),
      filter("user_client_id_cont", text("Employee registration number (client_id) contains")),
      filter("shift_name_cont", text("Shift name contains")),
      filter("shift_code_eq", text("Shift code equals")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_user_shifts",
    title: "List user shifts",
    description:
      'Lists shift assignments (user, day, status, embedded shift). Filter by day range, status, shift or employee; sort with e.g. "date_of_shift desc". A user token sees only its own shifts.',
    successStatus: 200,
  },
  {
    id: "user_shifts.get",
    group: "User Shift",
    resource: "user_shifts",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/user_shifts/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_user_shift",
    title: "Get user shift",
    description: "Gets one shift assignment with its embedded shift.",
    successStatus: 200,
  },
  {
    id: "user_shifts.create",
    group: "User Shift",
    resource: "user_shifts",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/user_shifts",
    body: { wrapper: "user_shift", fields: z.object(USER_SHIFT_FIELDS) },
    modes: BOTH_MODES,
    toolName: "passgage_create_user_shift",
    title: "Create user shift",
    description:
      "Assigns a shift to a user on a day. Refused (422) before the hire date, over the weekly hour limit, on a day with leave or a holiday shift, or as a second shift that day when the company forbids it.",
    successStatus: 200,
  },
  {
    id: "user_shifts.update",
    group: "User Shift",
    resource: "user_shifts",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/user_shifts/{id}",
    body: { wrapper: "user_shift", fields: z.partial(z.object(USER_SHIFT_FIELDS)) },
    modes: BOTH_MODES,
    toolName: "passgage_update_user_shift",
    title: "Update user shift",
    description:
      "Updates a shift assignment (shift, day, status, description); send only the fields to change. Same rules as create, plus an edit-window limit.",
    successStatus: 200,
  },
  {
    id: "user_shifts.delete",
    group: "User Shift",
    resource: "user_shifts",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/user_shifts/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_delete_user_shift",
    title: "Delete user shift",
    description: "Deletes a shift assignment. Returns the deleted record.",
    successStatus: 200,
  },
];
