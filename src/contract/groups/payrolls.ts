/**
 * Payrolls (API.md §8.33): read-only daily timesheet lines. Company key only.
 */
import { COMPANY_ONLY } from "../enums";
import { bool, date, filter, int, text, uuid } from "../fields";
import type { Operation } from "../types";

/** Payroll operations. */
export const PAYROLL_OPERATIONS: readonly Operation[] = [
  {
    id: "payrolls.list",
    group: "Payrolls",
    resource: "payrolls",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/payrolls",
    paginated: true,
    filters: [
      filter("date_of_work_gteq", date("Work day on or after")),
      filter("date_of_work_lteq", date("Work day on or before")),
      filter("user_id_eq", uuid("Only this employee")),
      filter("is_holiday_eq", bool("Holiday lines (true) or not (false)")),
      filter("is_weekend_eq", bool("Weekend lines (true) or not (false)")),
      filter("shift_name_cont", text("Shift name contains")),
      filter("overtime_gt", int("Overtime above this many minutes")),
      filter("actual_hours_gteq", int("Worked at least this many minutes")),
    ],
    modes: COMPANY_ONLY,
    toolName: "passgage_list_payrolls",
    title: "List payroll lines",
    description:
      "Lists daily timesheet lines: actual entrance/exit, actual and expected time, overtime and holiday overtime (all in minutes), holiday/weekend flags, shift, leave and user. Times are UTC. Company key only.",
    successStatus: 200,
  },
  {
    id: "payrolls.get",
    group: "Payrolls",
    resource: "payrolls",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/payrolls/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_get_payroll",
    title: "Get payroll line",
    description:
      "Gets one daily timesheet line with user, company, shift and leave. Minutes for durations; times in UTC. Company key only.",
    successStatus: 200,
  },
];
