/**
 * User Rates (API.md §8.30): computed employee scores. Bare bodies (no
 * wrapper). The collection's User Rate "PATCH" request points at
 * `/target_goals/{id}` and is the target-goal PATCH (target-goals.ts); user
 * rates themselves are updated with PUT only.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { num, text } from "../fields";
import type { Operation } from "../types";

const USER_RATE_FIELDS = {
  fba_rate: z.optional(num("Rate value")),
  client_id: z.optional(text("Registration number (client_id) of the employee")),
};

/** User rate operations. */
export const USER_RATE_OPERATIONS: readonly Operation[] = [
  {
    id: "user_rates.list",
    group: "User Rate",
    resource: "user_rates",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/user_rates",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_user_rates",
    title: "List user rates",
    description:
      "Lists employee rates: scores computed from graduation, seniority, stability and goal performance, with the date the rate was set.",
    successStatus: 200,
  },
  {
    id: "user_rates.create",
    group: "User Rate",
    resource: "user_rates",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/user_rates",
    body: { wrapper: null, fields: z.object(USER_RATE_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_user_rate",
    title: "Create user rate",
    description: "Sets a rate (fba_rate) for the employee with the given registration number (client_id). Fields are sent bare.",
    successStatus: 201,
  },
  {
    id: "user_rates.update",
    group: "User Rate",
    resource: "user_rates",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/user_rates/{id}",
    body: { wrapper: null, fields: z.partial(z.object(USER_RATE_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_user_rate",
    title: "Update user rate",
    description: "Updates a user rate (PUT): fba_rate and/or client_id, sent bare.",
    successStatus: 200,
  },
  {
    id: "user_rates.delete",
    group: "User Rate",
    resource: "user_rates",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/user_rates/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_user_rate",
    title: "Delete user rate",
    description: "Deletes a user rate. Returns the deleted record.",
    successStatus: 200,
  },
];
