/**
 * Leave Rules (API.md §8.19): named sets of leave types. Wrapper `leave_rule`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { text } from "../fields";
import type { Operation } from "../types";

const LEAVE_RULE_FIELDS = {
  title: z.optional(text("Rule name")),
  description: z.optional(text("Free-text description")),
};

/** Leave rule operations. */
export const LEAVE_RULE_OPERATIONS: readonly Operation[] = [
  {
    id: "leave_rules.list",
    group: "Leave Rules",
    resource: "leave_rules",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/leave_rules",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_leave_rules",
    title: "List leave rules",
    description: "Lists leave rules (title, description): groups of leave types assigned to users via leave_rule_id.",
    successStatus: 200,
  },
  {
    id: "leave_rules.get",
    group: "Leave Rules",
    resource: "leave_rules",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/leave_rules/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_leave_rule",
    title: "Get leave rule",
    description: "Gets one leave rule.",
    successStatus: 200,
  },
  {
    id: "leave_rules.create",
    group: "Leave Rules",
    resource: "leave_rules",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/leave_rules",
    body: { wrapper: "leave_rule", fields: z.object(LEAVE_RULE_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_leave_rule",
    title: "Create leave rule",
    description: "Creates a leave rule (title, description).",
    successStatus: 201,
  },
  {
    id: "leave_rules.update",
    group: "Leave Rules",
    resource: "leave_rules",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/leave_rules/{id}",
    body: { wrapper: "leave_rule", fields: z.partial(z.object(LEAVE_RULE_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_leave_rule",
    title: "Update leave rule",
    description: "Updates a leave rule; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "leave_rules.delete",
    group: "Leave Rules",
    resource: "leave_rules",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/leave_rules/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_leave_rule",
    title: "Delete leave rule",
    description: "Deletes a leave rule. Returns the deleted record.",
    successStatus: 200,
  },
];
