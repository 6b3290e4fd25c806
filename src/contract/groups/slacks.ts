/**
 * Slacks (API.md §8.24): breaks inside a shift, nested under
 * `/shifts/{shift_id}`. Wrapper `slack`. A `time_range` slack uses
 * `starting_time`/`end_time`; a `time_duration` slack uses `duration`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY, SLACK_TYPES } from "../enums";
import { bool, nonNegativeInt, oneOf, text, timeOfDay } from "../fields";
import type { Operation } from "../types";

const SLACK_FIELDS = {
  title: text("Break name"),
  description: z.optional(text("Free-text description")),
  is_active: bool("Whether the break is active"),
  slack_type: oneOf(SLACK_TYPES, "time_range (clock window) or time_duration (minutes)"),
  starting_time: z.optional(timeOfDay("Break start; for time_range")),
  end_time: z.optional(timeOfDay("Break end; for time_range")),
  duration: z.optional(nonNegativeInt("Break length in minutes; for time_duration")),
};

/** Slack operations. */
export const SLACK_OPERATIONS: readonly Operation[] = [
  {
    id: "slacks.list",
    group: "Slacks",
    resource: "slacks",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/shifts/{shift_id}/slacks",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_shift_slacks",
    title: "List shift breaks",
    description: "Lists the breaks (slacks) of a shift: title, slack_type, starting_time/end_time or duration, is_active.",
    successStatus: 200,
  },
  {
    id: "slacks.get",
    group: "Slacks",
    resource: "slacks",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/shifts/{shift_id}/slacks/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_shift_slack",
    title: "Get shift break",
    description: "Gets one break (slack) of a shift.",
    successStatus: 200,
  },
  {
    id: "slacks.create",
    group: "Slacks",
    resource: "slacks",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/shifts/{shift_id}/slacks",
    body: { wrapper: "slack", fields: z.object(SLACK_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_shift_slack",
    title: "Create shift break",
    description:
      "Adds a break to a shift. title, is_active and slack_type are required; time_range needs starting_time and end_time (HH:MM), time_duration needs duration in minutes.",
    successStatus: 201,
  },
  {
    id: "slacks.update",
    group: "Slacks",
    resource: "slacks",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/shifts/{shift_id}/slacks/{id}",
    body: { wrapper: "slack", fields: z.partial(z.object(SLACK_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_shift_slack",
    title: "Update shift break",
    description:
      "Updates a break of a shift; send only the fields to change. Switching slack_type keeps the old duration unless you reset it.",
    successStatus: 200,
  },
  {
    id: "slacks.delete",
    group: "Slacks",
    resource: "slacks",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/shifts/{shift_id}/slacks/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_shift_slack",
    title: "Delete shift break",
    description: "Deletes a break of a shift. Returns the deleted record.",
    successStatus: 200,
  },
];
