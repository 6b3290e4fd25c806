/**
 * Leaves (API.md §8.17): leave requests. Create is JSON with wrapper `leave`;
 * update is PUT multipart/form-data with `leave[field]` keys plus optional
 * `files[]` parts, so its body is `encoding: "multipart"` over the same fields.
 * User JWTs may read and write leaves (limited to their own data).
 */
import * as z from "zod/mini";
import { BOTH_MODES, LEAVE_STATUSES, LEAVE_STATUS_CODES } from "../enums";
import { bool, date, dateTime, filter, flag, int, oneOf, text, uuid } from "../fields";
import type { Operation } from "../types";

const LEAVE_FIELDS = {
  leave_type_id: uuid("Leave type (see passgage_list_leave_types)"),
  user_id: uuid("Employee taking the leave"),
  title: z.optional(text("Short title")),
  description: z.optional(text("Reason or notes")),
  is_hourly_leave: flag("1 for an hourly leave (uses start/end_date_hourly), 0 for a daily leave (uses start/end_date_daily)"),
  start_date_daily: z.optional(dateTime("Start of a daily leave, inclusive; required when is_hourly_leave is 0")),
  end_date_daily: z.optional(dateTime("End of a daily leave, inclusive; required when is_hourly_leave is 0")),
  start_date_hourly: z.optional(dateTime("Start of an hourly leave; required when is_hourly_leave is 1")),
  end_date_hourly: z.optional(dateTime("End of an hourly leave; required when is_hourly_leave is 1")),
  is_signed: z.optional(flag("Whether the leave form is signed")),
  status: oneOf(LEAVE_STATUSES, "Leave status"),
};

/** Leave operations. */
export const LEAVE_OPERATIONS: readonly Operation[] = [
  {
    id: "leaves.list",
    group: "Leaves",
    resource: "leaves",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/leaves",
    paginated: true,
    sortable: true,
    filters: [
      filter("created_at_gteq", date("Created on or after")),
      filter("created_at_lteq", date("Created on or before")),
      filter("start_date_gteq", date("Starting on or after")),
      filter("end_date_lteq", date("Ending on or before")),
      filter("user_client_id_eq", text("Employee registration number (client_id) equals")),
      filter("user_client_id_cont", text("Employee registration number (client_id) contains")),
      filter("status_eq", oneOf(LEAVE_STATUSES, "Leave status (sent as its integer code)"), LEAVE_STATUS_CODES),
      filter("leave_type_id_eq", uuid("Leave type")),
      filter("days_off_count_eq", int("days_off_count equals (observed to count hours: 24 per calendar day)")),
      filter("is_hourly_leave_eq", bool("Hourly (true) or daily (false) leaves")),
      filter("leave_type_code_eq", text("Leave type code equals")),
      filter("leave_type_short_code_eq", text("Leave type short code equals")),
      filter("tracking_number_eq", text("Tracking number equals")),
      filter("user_first_name_cont", text("Employee first name contains")),
      filter("user_last_name_cont", text("Employee last name contains")),
      filter("leave_type_title_cont", text("Leave type title contains")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_leaves",
    title: "List leaves",
    description:
      'Lists leave requests with user, type, start/end dates (inclusive), days_off_count and status. Filter by dates, employee, status, leave type; sort with e.g. "created_at desc". A user token sees only its own leaves.',
    successStatus: 200,
  },
  {
    id: "leaves.get",
    group: "Leaves",
    resource: "leaves",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/leaves/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_leave",
    title: "Get leave",
    description: "Gets one leave with its full leave type, the employee's profile, working/holiday/total days, approvals and file URLs.",
    successStatus: 200,
  },
  {
    id: "leaves.create",
    group: "Leaves",
    resource: "leaves",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/leaves",
    body: { wrapper: "leave", fields: z.object(LEAVE_FIELDS) },
    modes: BOTH_MODES,
    toolName: "passgage_create_leave",
    title: "Create leave",
    description:
      "Creates a leave request. Dates are inclusive and end must not precede start; daily leaves use start/end_date_daily, hourly ones start/end_date_hourly. Checks balance, required documents and overlap with approved leaves.",
    successStatus: 201,
  },
  {
    id: "leaves.update",
    group: "Leaves",
    resource: "leaves",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/leaves/{id}",
    body: { wrapper: "leave", encoding: "multipart", fields: z.partial(z.object(LEAVE_FIELDS)) },
    modes: BOTH_MODES,
    toolName: "passgage_update_leave",
    title: "Update leave",
    description:
      "Updates a leave (PUT, multipart form with leave[...] fields and optional files[] attachments); send only the fields to change. Same date rules as create.",
    successStatus: 200,
  },
  {
    id: "leaves.delete",
    group: "Leaves",
    resource: "leaves",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/leaves/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_delete_leave",
    title: "Delete leave",
    description: "Deletes a leave and its approvals. Returns the deleted record.",
    successStatus: 200,
  },
];
