/**
 * Working Days (API.md §8.32): weekly working calendars, one list of shift
 * ids per weekday (`week_day_1` presumably Monday). Wrapper `working_day`.
 * Delete answers a bare `{ message }`, without the usual envelope.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, filter, nullableBool, text, uuidList } from "../fields";
import type { Operation } from "../types";

const WORKING_DAY_FIELDS = {
  name: z.optional(text("Calendar name")),
  description: z.optional(text("Free-text description")),
  friday_double: z.optional(nullableBool("Friday counts double")),
  friday_double_if_single: z.optional(nullableBool("Friday counts double when it is the only working day")),
  week_day_1: z.optional(uuidList("Shift ids for weekday 1 (presumably Monday)")),
  week_day_2: z.optional(uuidList("Shift ids for weekday 2")),
  week_day_3: z.optional(uuidList("Shift ids for weekday 3")),
  week_day_4: z.optional(uuidList("Shift ids for weekday 4")),
  week_day_5: z.optional(uuidList("Shift ids for weekday 5")),
  week_day_6: z.optional(uuidList("Shift ids for weekday 6")),
  week_day_7: z.optional(uuidList("Shift ids for weekday 7 (presumably Sunday)")),
  is_active: z.optional(bool("Whether the calendar is active")),
};

/** Working day operations. */
export const WORKING_DAY_OPERATIONS: readonly Operation[] = [
  {
    id: "working_days.list",
    group: "Working Days",
    resource: "working_days",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/working_days",
    paginated: true,
    filters: [filter("client_id_eq", text("Integration code equals"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_working_days",
    title: "List working-day calendars",
    description:
      "Lists weekly working calendars: name, Friday rules, shift ids per weekday (week_day_1..7), is_active. Filter by client_id.",
    successStatus: 200,
  },
  {
    id: "working_days.get",
    group: "Working Days",
    resource: "working_days",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/working_days/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_working_day",
    title: "Get working-day calendar",
    description: "Gets one weekly working calendar.",
    successStatus: 200,
  },
  {
    id: "working_days.create",
    group: "Working Days",
    resource: "working_days",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/working_days",
    body: { wrapper: "working_day", fields: z.object(WORKING_DAY_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_working_day",
    title: "Create working-day calendar",
    description: "Creates a weekly working calendar: for each weekday week_day_1..7 a list of shift ids, plus Friday rules and is_active.",
    successStatus: 201,
  },
  {
    id: "working_days.update",
    group: "Working Days",
    resource: "working_days",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/working_days/{id}",
    body: { wrapper: "working_day", fields: z.partial(z.object(WORKING_DAY_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_working_day",
    title: "Update working-day calendar",
    description: "Updates a weekly working calendar; send only the fields to change (a weekday list replaces that day's shifts).",
    successStatus: 200,
  },
  {
    id: "working_days.delete",
    group: "Working Days",
    resource: "working_days",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/working_days/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_working_day",
    title: "Delete working-day calendar",
    description: "Deletes a weekly working calendar. Unlike other deletes, answers only a confirmation message, not the record.",
    successStatus: 200,
  },
];
