/**
 * Builds (buildings, API.md §8.8): list only in the contract.
 */
import { BOTH_MODES } from "../enums";
import type { Operation } from "../types";

/** Build operations. */
export const BUILD_OPERATIONS: readonly Operation[] = [
  {
    id: "builds.list",
    group: "Builds",
    resource: "builds",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/builds",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_builds",
    title: "List buildings",
    description: "Lists buildings (builds) that zones belong to: name, description, is_active.",
    successStatus: 200,
  },
];
