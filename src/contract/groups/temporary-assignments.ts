/**
 * Temporary Assignments (API.md §8.27): read-only results of approved
 * assignment requests.
 */
import { BOTH_MODES } from "../enums";
import { filter, uuid } from "../fields";
import type { Operation } from "../types";

/** Temporary assignment operations. */
export const TEMPORARY_ASSIGNMENT_OPERATIONS: readonly Operation[] = [
  {
    id: "temporary_assignments.list",
    group: "Temporary Assignment",
    resource: "temporary_assignments",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/temporary_assignments",
    paginated: true,
    filters: [filter("user_id_eq", uuid("Only assignments of this user"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_temporary_assignments",
    title: "List temporary assignments",
    description:
      "Lists temporary assignments: dates, temporary and original branch / job position, status (pending, started, completed, cancelled). Cancelling restores the original position. Read-only.",
    successStatus: 200,
  },
  {
    id: "temporary_assignments.get",
    group: "Temporary Assignment",
    resource: "temporary_assignments",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/temporary_assignments/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_temporary_assignment",
    title: "Get temporary assignment",
    description: "Gets one temporary assignment. Read-only.",
    successStatus: 200,
  },
];
