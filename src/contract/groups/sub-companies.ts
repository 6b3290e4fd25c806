/**
 * Sub Companies (API.md §8.25). Wrapper `sub_company`.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, text } from "../fields";
import type { Operation } from "../types";

const SUB_COMPANY_FIELDS = {
  name: text("Sub-company name"),
  is_active: bool("Whether the sub-company is active"),
  email: z.optional(text("Contact e-mail")),
  tax_number: z.optional(text("Tax number")),
  tax_office: z.optional(text("Tax office")),
  website: z.optional(text("Website URL")),
  client_id: z.optional(text("Your integration code for the sub-company")),
  legal_name: z.optional(text("Legal name")),
  major_color: z.optional(text("Primary brand colour")),
  minor_color: z.optional(text("Secondary brand colour")),
};

/** Sub company operations. */
export const SUB_COMPANY_OPERATIONS: readonly Operation[] = [
  {
    id: "sub_companies.list",
    group: "Sub Companies",
    resource: "sub_companies",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/sub_companies",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_sub_companies",
    title: "List sub-companies",
    description: "Lists sub-companies: name, is_active.",
    successStatus: 200,
  },
  {
    id: "sub_companies.get",
    group: "Sub Companies",
    resource: "sub_companies",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/sub_companies/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_sub_company",
    title: "Get sub-company",
    description: "Gets one sub-company.",
    successStatus: 200,
  },
  {
    id: "sub_companies.create",
    group: "Sub Companies",
    resource: "sub_companies",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/sub_companies",
    body: { wrapper: "sub_company", fields: z.object(SUB_COMPANY_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_sub_company",
    title: "Create sub-company",
    description: "Creates a sub-company. name and is_active are required; tax, contact and colour fields are optional.",
    successStatus: 201,
  },
  {
    id: "sub_companies.update",
    group: "Sub Companies",
    resource: "sub_companies",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/sub_companies/{id}",
    body: { wrapper: "sub_company", fields: z.partial(z.object(SUB_COMPANY_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_sub_company",
    title: "Update sub-company",
    description: "Updates a sub-company; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "sub_companies.delete",
    group: "Sub Companies",
    resource: "sub_companies",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/sub_companies/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_sub_company",
    title: "Delete sub-company",
    description: "Deletes a sub-company. Returns the deleted record; 404 for an unknown id.",
    successStatus: 200,
  },
];
