/**
 * Approval Flows (API.md §8.3): read-only templates that decide who approves
 * what, in which order. `by_type` is a static sub-path with a required
 * `flow_type` query parameter (not a Ransack filter).
 */
import * as z from "zod/mini";
import { APPROVAL_FLOW_TYPES, BOTH_MODES } from "../enums";
import { bool, date, filter, int, text } from "../fields";
import type { Operation } from "../types";

const FLOW_TYPE_HINT = `Known values: ${APPROVAL_FLOW_TYPES.join(", ")}; companies may define their own`;

/** Approval flow operations. */
export const APPROVAL_FLOW_OPERATIONS: readonly Operation[] = [
  {
    id: "approval_flows.list",
    group: "Approval Flows",
    resource: "approval_flows",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/approval_flows",
    paginated: true,
    filters: [
      filter("flow_type_eq", text(`Flow type. ${FLOW_TYPE_HINT}`)),
      filter("is_active_eq", bool("Only active (true) or inactive (false) flows")),
      filter("is_main_flow_eq", bool("Only main flows (true) or not (false)")),
      filter("use_hierarchy_eq", bool("Flows that route through the org hierarchy")),
      filter("hierarchy_level_eq", int("Hierarchy levels climbed (max 10)")),
      filter("title_cont", text("Title contains (case-insensitive)")),
      filter("created_at_gteq", date("Created on or after")),
      filter("updated_at_gteq", date("Updated on or after")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_approval_flows",
    title: "List approval flows",
    description:
      "Lists approval flow templates: flow_type, active/main flags, hierarchy use, scoping by department/branch/job position/person ids (empty = everyone) and ordered approvers. Read-only.",
    successStatus: 200,
  },
  {
    id: "approval_flows.get",
    group: "Approval Flows",
    resource: "approval_flows",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/approval_flows/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_approval_flow",
    title: "Get approval flow",
    description:
      "Gets one approval flow template with its scope ids and approval_flow_users (user, seq, is_require). Equal seq means parallel approvers. Read-only.",
    successStatus: 200,
  },
  {
    id: "approval_flows.by_type",
    group: "Approval Flows",
    resource: "approval_flows",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/approval_flows/by_type",
    query: z.object({ flow_type: text(`Flow type to list (required). ${FLOW_TYPE_HINT}`) }),
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_approval_flows_by_type",
    title: "List approval flows by type",
    description:
      "Lists the approval flows of one flow_type (e.g. leave_approval). Selection precedence is person → job position → department → branch → general → main flow. Read-only.",
    successStatus: 200,
  },
];
