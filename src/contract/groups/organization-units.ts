/**
 * Organization Units (API.md §8.22): read-only in the contract.
 */
import { BOTH_MODES } from "../enums";
import type { Operation } from "../types";

/** Organization unit operations. */
export const ORGANIZATION_UNIT_OPERATIONS: readonly Operation[] = [
  {
    id: "organization_units.list",
    group: "Organization Units",
    resource: "organization_units",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/organization_units",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_organization_units",
    title: "List organization units",
    description: "Lists organization units: name, description, is_active.",
    successStatus: 200,
  },
  {
    id: "organization_units.get",
    group: "Organization Units",
    resource: "organization_units",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/organization_units/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_organization_unit",
    title: "Get organization unit",
    description: "Gets one organization unit.",
    successStatus: 200,
  },
];
