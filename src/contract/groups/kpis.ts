/**
 * KPI (API.md §8.16): sends goal definitions and values keyed by names and the
 * user's `client_id`. Bare body (no wrapper).
 */
import * as z from "zod/mini";
import { COMPANY_ONLY } from "../enums";
import { date, int, text } from "../fields";
import type { Operation } from "../types";

/** KPI operations. */
export const KPI_OPERATIONS: readonly Operation[] = [
  {
    id: "kpis.set_goal",
    group: "Kpi",
    resource: "kpis",
    kind: "action",
    method: "POST",
    path: "/api/public/v1/kpis/set_goal",
    body: {
      wrapper: null,
      fields: z.object({
        target_category_name: z.optional(text("Goal category name, e.g. Sales Goals")),
        target_name: z.optional(text("Goal name, e.g. Quarterly Sales")),
        department_name: z.optional(text("Department the goal belongs to, by name")),
        client_id: z.optional(text("Registration number (client_id) of the employee")),
        target_value: z.optional(int("Target value")),
        start_date: z.optional(date("First day of the goal period")),
        end_date: z.optional(date("Last day of the goal period; after start_date")),
      }),
    },
    modes: COMPANY_ONLY,
    toolName: "passgage_set_kpi_goal",
    title: "Set KPI goal",
    description:
      "Sets a KPI goal value for an employee, identified by registration number (client_id), with category, goal and department given by name, for a start_date..end_date period. Fields are sent bare.",
    successStatus: 200,
  },
];
