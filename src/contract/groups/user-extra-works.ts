/**
 * User Extra Works (API.md §8.34): read-only overtime records.
 */
import { BOTH_MODES, USER_EXTRA_WORK_STATUSES } from "../enums";
import { bool, date, filter, int, oneOf, text, timeOfDay, uuid } from "../fields";
import type { Operation } from "../types";

/** User extra work operations. */
export const USER_EXTRA_WORK_OPERATIONS: readonly Operation[] = [
  {
    id: "user_extra_works.list",
    group: "User Extra Works",
    resource: "user_extra_works",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/user_extra_works",
    paginated: true,
    filters: [
      filter("date_of_extra_work_gteq", date("Overtime day on or after")),
      filter("date_of_extra_work_lteq", date("Overtime day on or before")),
      filter("user_id_eq", uuid("Only this employee")),
      filter("status_eq", oneOf(USER_EXTRA_WORK_STATUSES, "Approval status")),
      filter("description_cont", text("Description contains")),
      filter("overtime_gt", int("Overtime above this many minutes")),
      filter("overtime_lt", int("Overtime below this many minutes")),
      filter("auto_generated_eq", bool("System-generated (true) or manual (false) records")),
      filter("start_time_gteq", timeOfDay("Planned start at or after")),
      filter("end_time_lteq", timeOfDay("Planned end at or before")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_user_extra_works",
    title: "List overtime records",
    description:
      "Lists overtime (extra work) records: day, planned and actual times, overtime minutes, status (pending, approved, rejected), auto_generated, user. Read-only.",
    successStatus: 200,
  },
  {
    id: "user_extra_works.get",
    group: "User Extra Works",
    resource: "user_extra_works",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/user_extra_works/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_user_extra_work",
    title: "Get overtime record",
    description: "Gets one overtime record; overtime is check-out minus check-in, in minutes. Read-only.",
    successStatus: 200,
  },
];
