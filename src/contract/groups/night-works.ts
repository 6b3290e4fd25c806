/**
 * Night Works (API.md §8.21): night / extra-time windows of a shift. Wrapper
 * `night_work`; `work_type` accepts the name or its integer code.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY, NIGHT_WORK_TYPES, NIGHT_WORK_TYPE_CODES } from "../enums";
import { filter, text, timeOfDay, uuid } from "../fields";
import type { Operation } from "../types";

const NIGHT_WORK_FIELDS = {
  start_time: timeOfDay("Window start"),
  end_time: timeOfDay("Window end"),
  work_type: z
    .union([z.enum(NIGHT_WORK_TYPES), z.literal([NIGHT_WORK_TYPE_CODES.night_work, NIGHT_WORK_TYPE_CODES.extra_time])])
    .check(z.describe(`Window kind: ${NIGHT_WORK_TYPES.join(" or ")} (integer codes 0 and 1 are also accepted).`)),
  shift_id: uuid("Shift the window belongs to"),
};

/** Night work operations. */
export const NIGHT_WORK_OPERATIONS: readonly Operation[] = [
  {
    id: "night_works.list",
    group: "Night Works",
    resource: "night_works",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/night_works",
    paginated: true,
    filters: [filter("title_eq", text("Title equals (documented, although night works have no title)"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_night_works",
    title: "List night works",
    description: "Lists night-work / extra-time windows of shifts: shift_id, work_type, minutes (end − start).",
    successStatus: 200,
  },
  {
    id: "night_works.get",
    group: "Night Works",
    resource: "night_works",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/night_works/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_night_work",
    title: "Get night work",
    description: "Gets one night-work window.",
    successStatus: 200,
  },
  {
    id: "night_works.create",
    group: "Night Works",
    resource: "night_works",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/night_works",
    body: { wrapper: "night_work", fields: z.object(NIGHT_WORK_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_night_work",
    title: "Create night work",
    description:
      "Adds a night_work or extra_time window (HH:MM start and end) to a shift. All four fields are required; 422 if the shift is missing.",
    successStatus: 201,
  },
  {
    id: "night_works.update",
    group: "Night Works",
    resource: "night_works",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/night_works/{id}",
    body: { wrapper: "night_work", fields: z.partial(z.object(NIGHT_WORK_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_night_work",
    title: "Update night work",
    description: "Updates a night-work window; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "night_works.delete",
    group: "Night Works",
    resource: "night_works",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/night_works/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_night_work",
    title: "Delete night work",
    description: "Deletes a night-work window. Returns the deleted record.",
    successStatus: 200,
  },
];
