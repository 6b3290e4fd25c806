/**
 * Target Goals (API.md §8.26): goal achievements per employee. Create is
 * wrapped in `target_goal`; PUT and PATCH send the same fields bare. The
 * update bodies also accept `target_value`, which the collection's User Rate
 * "PATCH" request (pointing at this path) sends.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { dateOrTimestamp, int, num, text } from "../fields";
import type { Operation } from "../types";

const TARGET_GOAL_FIELDS = {
  target_category_name: z.optional(text("Goal category name")),
  target_name: text("Goal name"),
  department_name: z.optional(text("Department, by name")),
  client_id: z.optional(text("Registration number (client_id) of the employee")),
  actual_goal: z.optional(num("Achieved value")),
  start_date: dateOrTimestamp("Start of the goal period"),
  end_date: dateOrTimestamp("End of the goal period; after start_date"),
};

const TARGET_GOAL_UPDATE_FIELDS = z.partial(
  z.object({ ...TARGET_GOAL_FIELDS, target_value: int("Target value (as in the KPI set-goal body)") }),
);

/** Target goal operations. */
export const TARGET_GOAL_OPERATIONS: readonly Operation[] = [
  {
    id: "target_goals.list",
    group: "TargetGoal",
    resource: "target_goals",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/target_goals",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_target_goals",
    title: "List target goals",
    description: "Lists employee goal achievements: category, goal, department, employee client_id, actual_goal, period.",
    successStatus: 200,
  },
  {
    id: "target_goals.create",
    group: "TargetGoal",
    resource: "target_goals",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/target_goals",
    body: { wrapper: "target_goal", fields: z.object(TARGET_GOAL_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_target_goal",
    title: "Create target goal",
    description:
      "Records a goal achievement (actual_goal) for an employee given by client_id, with category, goal and department by name. target_name, start_date and end_date are required; start must precede end.",
    successStatus: 201,
  },
  {
    id: "target_goals.replace",
    group: "TargetGoal",
    resource: "target_goals",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/target_goals/{id}",
    body: { wrapper: null, fields: TARGET_GOAL_UPDATE_FIELDS },
    modes: COMPANY_ONLY,
    toolName: "passgage_replace_target_goal",
    title: "Replace target goal",
    description: "Updates a target goal with PUT; fields are sent bare (no wrapper). Start must precede end.",
    successStatus: 200,
  },
  {
    id: "target_goals.update",
    group: "TargetGoal",
    resource: "target_goals",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/target_goals/{id}",
    body: { wrapper: null, fields: TARGET_GOAL_UPDATE_FIELDS },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_target_goal",
    title: "Update target goal",
    description: "Partially updates a target goal (PATCH); send only the fields to change, bare (no wrapper).",
    successStatus: 200,
  },
  {
    id: "target_goals.delete",
    group: "TargetGoal",
    resource: "target_goals",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/target_goals/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_target_goal",
    title: "Delete target goal",
    description: "Deletes a target goal. Returns the deleted record.",
    successStatus: 200,
  },
];
