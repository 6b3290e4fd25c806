/**
 * Shift Settings (API.md §8.35): the company's singleton shift configuration.
 * Not paginated. A missing record answers status 404 with `success: true`.
 */
import { BOTH_MODES } from "../enums";
import type { Operation } from "../types";

/** Shift settings operations. */
export const SHIFT_SETTINGS_OPERATIONS: readonly Operation[] = [
  {
    id: "shift_settings.get",
    group: "Shift Settings",
    resource: "shift_settings",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/shift_settings",
    modes: BOTH_MODES,
    toolName: "passgage_get_shift_settings",
    title: "Get shift settings",
    description:
      "Gets the company's shift settings: day boundaries, equalisation and rounding rules, overtime approval, rotation_day_limitation, extra work types and timesheet rounds. A single object, not a list.",
    successStatus: 200,
  },
];
