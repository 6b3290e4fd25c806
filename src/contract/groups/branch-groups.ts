/**
 * Branch Groups (API.md §8.7): named sets of branches. Wrapper `branch_group`.
 * A branch may be referenced by id (`branch_ids`) or by name/code.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, filter, text, uuidList } from "../fields";
import type { Operation } from "../types";

const BRANCH_GROUP_FIELDS = {
  title: z.optional(text("Group name")),
  description: z.optional(text("Free-text description")),
  is_active: z.optional(bool("Whether the group is active")),
  branch_name: z.optional(text("Name of a branch to put in the group (looked up by name)")),
  branch_code: z.optional(text("Code of a branch to put in the group (looked up by code)")),
  branch_ids: z.optional(uuidList("Ids of the branches in the group")),
};

/** Branch group operations. */
export const BRANCH_GROUP_OPERATIONS: readonly Operation[] = [
  {
    id: "branch_groups.list",
    group: "Branch Group",
    resource: "branch_groups",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/branch_groups",
    paginated: true,
    filters: [filter("client_id_eq", text("Integration code equals"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_branch_groups",
    title: "List branch groups",
    description: "Lists branch groups. Filter by client_id.",
    successStatus: 200,
  },
  {
    id: "branch_groups.get",
    group: "Branch Group",
    resource: "branch_groups",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/branch_groups/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_branch_group",
    title: "Get branch group",
    description: "Gets one branch group.",
    successStatus: 200,
  },
  {
    id: "branch_groups.create",
    group: "Branch Group",
    resource: "branch_groups",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/branch_groups",
    body: { wrapper: "branch_group", fields: z.object(BRANCH_GROUP_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_branch_group",
    title: "Create branch group",
    description: "Creates a branch group. Branches may be given by ids (branch_ids) or by branch_name / branch_code.",
    successStatus: 201,
  },
  {
    id: "branch_groups.update",
    group: "Branch Group",
    resource: "branch_groups",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/branch_groups/{id}",
    body: { wrapper: "branch_group", fields: z.partial(z.object(BRANCH_GROUP_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_branch_group",
    title: "Update branch group",
    description: "Updates a branch group; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "branch_groups.delete",
    group: "Branch Group",
    resource: "branch_groups",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/branch_groups/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_branch_group",
    title: "Delete branch group",
    description: "Deletes a branch group. Returns the deleted record.",
    successStatus: 200,
  },
];
