/**
 * Departments (API.md §8.10). Wrapper `department`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, text } from "../fields";
import type { Operation } from "../types";

const DEPARTMENT_FIELDS = {
  name: text("Department name, unique within the company"),
  client_id: z.optional(text("Your integration code for the department")),
  description: z.optional(text("Free-text description")),
  is_active: z.optional(bool("Whether the department is active")),
};

/** Department operations. */
export const DEPARTMENT_OPERATIONS: readonly Operation[] = [
  {
    id: "departments.list",
    group: "Departments",
    resource: "departments",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/departments",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_departments",
    title: "List departments",
    description: "Lists departments: name, description, is_active.",
    successStatus: 200,
  },
  {
    id: "departments.get",
    group: "Departments",
    resource: "departments",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/departments/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_department",
    title: "Get department",
    description: "Gets one department.",
    successStatus: 200,
  },
  {
    id: "departments.create",
    group: "Departments",
    resource: "departments",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/departments",
    body: { wrapper: "department", fields: z.object(DEPARTMENT_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_department",
    title: "Create department",
    description: "Creates a department. name is required and must be unique in the company (422 otherwise).",
    successStatus: 201,
  },
  {
    id: "departments.update",
    group: "Departments",
    resource: "departments",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/departments/{id}",
    body: { wrapper: "department", fields: z.partial(z.object(DEPARTMENT_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_department",
    title: "Update department",
    description: "Updates a department; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "departments.delete",
    group: "Departments",
    resource: "departments",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/departments/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_department",
    title: "Delete department",
    description: "Deletes a department. Refused while users are still attached. Returns the deleted record.",
    successStatus: 200,
  },
];
