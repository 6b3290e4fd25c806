/**
 * Shifts (API.md §8.23): shift definitions. Wrapper `shift`.
 * `extra_work_types` is a static sub-path, listed before `{id}` matching.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY, SHIFT_TYPES } from "../enums";
import { bool, hexColor, nonNegativeInt, oneOf, text, timeOfDay, uuid } from "../fields";
import type { Operation } from "../types";

const SHIFT_FIELDS = {
  name: text("Shift name, unique within the company"),
  shift_type: z.optional(oneOf(SHIFT_TYPES, "Shift type")),
  check_in_time: z.optional(timeOfDay("Planned start")),
  check_out_time: z.optional(timeOfDay("Planned end")),
  is_active: z.optional(bool("Whether the shift is active")),
  is_holiday: z.optional(bool("Whether this is a holiday (day-off) shift")),
  is_shop_opening: z.optional(bool("Whether the shift opens the shop")),
  is_shop_closing: z.optional(bool("Whether the shift closes the shop")),
  late_check_in: z.optional(nonNegativeInt("Tolerance for a late check-in, minutes")),
  late_check_out: z.optional(nonNegativeInt("Tolerance for a late check-out, minutes")),
  early_check_in: z.optional(nonNegativeInt("Tolerance for an early check-in, minutes")),
  early_check_out: z.optional(nonNegativeInt("Tolerance for an early check-out, minutes")),
  color_code: z.optional(hexColor("Display colour")),
  code: z.optional(text("Short code, e.g. 08:00-17:45")),
  extra_work_type_id: z.optional(z.nullable(uuid("Extra work type for overtime on this shift, or null"))),
  holiday_extra_work_type_id: z.optional(z.nullable(uuid("Extra work type for holiday overtime, or null"))),
};

/** Shift operations. */
export const SHIFT_OPERATIONS: readonly Operation[] = [
  {
    id: "shifts.list",
    group: "Shifts",
    resource: "shifts",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/shifts",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_shifts",
    title: "List shifts",
    description: "Lists shift definitions with their slacks (breaks) and night works.",
    successStatus: 200,
  },
  {
    id: "shifts.extra_work_types",
    group: "Shifts",
    resource: "shifts",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/shifts/extra_work_types",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_extra_work_types",
    title: "List extra work types",
    description:
      "Lists the company's extra work (overtime) types: id, name, multiplier, is_active. Use an id as a shift's extra_work_type_id.",
    successStatus: 200,
  },
  {
    id: "shifts.get",
    group: "Shifts",
    resource: "shifts",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/shifts/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_shift",
    title: "Get shift",
    description: "Gets one shift definition with its slacks and night works.",
    successStatus: 200,
  },
  {
    id: "shifts.create",
    group: "Shifts",
    resource: "shifts",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/shifts",
    body: { wrapper: "shift", fields: z.object(SHIFT_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_shift",
    title: "Create shift",
    description:
      "Creates a shift definition: name (required, unique), HH:MM check-in/out times, flags, tolerances in minutes, colour and code. 422 if the name is in use.",
    successStatus: 201,
  },
  {
    id: "shifts.update",
    group: "Shifts",
    resource: "shifts",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/shifts/{id}",
    body: { wrapper: "shift", fields: z.partial(z.object(SHIFT_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_shift",
    title: "Update shift",
    description: "Updates a shift definition; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "shifts.delete",
    group: "Shifts",
    resource: "shifts",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/shifts/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_shift",
    title: "Delete shift",
    description: "Deletes a shift definition. Returns the deleted record.",
    successStatus: 200,
  },
];
