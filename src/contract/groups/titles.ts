/**
 * Titles (API.md §8.28): list only in the contract.
 */
import { BOTH_MODES } from "../enums";
import type { Operation } from "../types";

/** Title operations. */
export const TITLE_OPERATIONS: readonly Operation[] = [
  {
    id: "titles.list",
    group: "Titles",
    resource: "titles",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/titles",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_titles",
    title: "List titles",
    description: "Lists job titles: name, description, is_active. Use an id as a user's title_id.",
    successStatus: 200,
  },
];
