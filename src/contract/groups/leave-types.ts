/**
 * Leave Types (API.md §8.20): read-only in the contract.
 */
import { BOTH_MODES } from "../enums";
import { filter, text } from "../fields";
import type { Operation } from "../types";

/** Leave type operations. */
export const LEAVE_TYPE_OPERATIONS: readonly Operation[] = [
  {
    id: "leave_types.list",
    group: "Leave Type",
    resource: "leave_types",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/leave_types",
    paginated: true,
    filters: [filter("title_eq", text("Leave type title equals"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_leave_types",
    title: "List leave types",
    description:
      "Lists leave types: title, paid/free, period_type, limits, one_day_working_hour, document and hourly-request flags, leave rule, segmentation and extra-day rules. Use an id as leave_type_id.",
    successStatus: 200,
  },
];
