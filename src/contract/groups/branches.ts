/**
 * Branches (API.md §8.6): company locations with coordinates. Wrapper `branch`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, filter, num, text } from "../fields";
import type { Operation } from "../types";

const BRANCH_FIELDS = {
  title: text("Branch name, unique within the company"),
  is_active: z.optional(bool("Whether the branch is active")),
  client_id: z.optional(text("Your integration code for the branch")),
  description: z.optional(text("Free-text description")),
  latitude: num("Latitude in decimal degrees"),
  longitude: num("Longitude in decimal degrees"),
};

/** Branch operations. */
export const BRANCH_OPERATIONS: readonly Operation[] = [
  {
    id: "branches.list",
    group: "Branches",
    resource: "branches",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/branches",
    paginated: true,
    filters: [filter("client_id_eq", text("Integration code equals"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_branches",
    title: "List branches",
    description:
      "Lists branches: title, is_active, description, latitude/longitude (as strings), range, planners, shifts and devices. Filter by client_id.",
    successStatus: 200,
  },
  {
    id: "branches.get",
    group: "Branches",
    resource: "branches",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/branches/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_branch",
    title: "Get branch",
    description: "Gets one branch with its coordinates, client_id, planners, shifts and devices.",
    successStatus: 200,
  },
  {
    id: "branches.create",
    group: "Branches",
    resource: "branches",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/branches",
    body: { wrapper: "branch", fields: z.object(BRANCH_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_branch",
    title: "Create branch",
    description:
      "Creates a branch. title (unique in the company), latitude and longitude are required. 422 if the title is empty or taken.",
    successStatus: 201,
  },
  {
    id: "branches.update",
    group: "Branches",
    resource: "branches",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/branches/{id}",
    body: { wrapper: "branch", fields: z.partial(z.object(BRANCH_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_branch",
    title: "Update branch",
    description: "Updates a branch; send only the fields to change. ERP-locked branches may refuse changes.",
    successStatus: 200,
  },
  {
    id: "branches.delete",
    group: "Branches",
    resource: "branches",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/branches/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_branch",
    title: "Delete branch",
    description: "Deletes a branch. Returns the deleted record.",
    successStatus: 200,
  },
];
