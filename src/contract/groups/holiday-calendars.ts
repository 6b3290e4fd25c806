/**
 * Holiday Calendars (API.md §8.14). Wrapper `holiday_calendar`. The holiday
 * days inside a calendar are not exposed.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, text } from "../fields";
import type { Operation } from "../types";

const HOLIDAY_CALENDAR_FIELDS = {
  title: z.optional(text("Calendar name")),
  description: z.optional(text("Free-text description")),
  is_active: z.optional(bool("Whether the calendar is active")),
};

/** Holiday calendar operations. */
export const HOLIDAY_CALENDAR_OPERATIONS: readonly Operation[] = [
  {
    id: "holiday_calendars.list",
    group: "Holiday Calendars",
    resource: "holiday_calendars",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/holiday_calendars",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_holiday_calendars",
    title: "List holiday calendars",
    description: "Lists holiday calendars (title, description, is_active). Users are linked to one via holiday_calendar_id.",
    successStatus: 200,
  },
  {
    id: "holiday_calendars.get",
    group: "Holiday Calendars",
    resource: "holiday_calendars",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/holiday_calendars/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_holiday_calendar",
    title: "Get holiday calendar",
    description: "Gets one holiday calendar.",
    successStatus: 200,
  },
  {
    id: "holiday_calendars.create",
    group: "Holiday Calendars",
    resource: "holiday_calendars",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/holiday_calendars",
    body: { wrapper: "holiday_calendar", fields: z.object(HOLIDAY_CALENDAR_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_holiday_calendar",
    title: "Create holiday calendar",
    description: "Creates a holiday calendar (title, description, is_active).",
    successStatus: 201,
  },
  {
    id: "holiday_calendars.update",
    group: "Holiday Calendars",
    resource: "holiday_calendars",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/holiday_calendars/{id}",
    body: { wrapper: "holiday_calendar", fields: z.partial(z.object(HOLIDAY_CALENDAR_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_holiday_calendar",
    title: "Update holiday calendar",
    description: "Updates a holiday calendar; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "holiday_calendars.delete",
    group: "Holiday Calendars",
    resource: "holiday_calendars",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/holiday_calendars/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_holiday_calendar",
    title: "Delete holiday calendar",
    description: "Deletes a holiday calendar. Returns the deleted record.",
    successStatus: 200,
  },
];
