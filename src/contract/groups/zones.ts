/**
 * Access Zones (API.md §8.4), path `/zones`. Bodies are bare (no wrapper key),
 * update is PUT only, and there is no show endpoint.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, boundedText, text } from "../fields";
import type { Operation } from "../types";

const ZONE_FIELDS = {
  name: boundedText("Zone name (required on create)", 2, 100),
  description: z.optional(text("Free-text description")),
  is_active: z.optional(bool("Whether the zone is active")),
};

/** Access zone operations. */
export const ZONE_OPERATIONS: readonly Operation[] = [
  {
    id: "zones.list",
    group: "Access Zones",
    resource: "zones",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/zones",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_zones",
    title: "List access zones",
    description:
      "Lists access-control zones (physical or logical areas linked to devices and cards): name, description, is_active, build_id.",
    successStatus: 200,
  },
  {
    id: "zones.create",
    group: "Access Zones",
    resource: "zones",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/zones",
    body: { wrapper: null, fields: z.object(ZONE_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_zone",
    title: "Create access zone",
    description: "Creates an access zone. name is required (2-100 characters). Fields are sent bare, without a wrapper key.",
    successStatus: 201,
  },
  {
    id: "zones.update",
    group: "Access Zones",
    resource: "zones",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/zones/{id}",
    body: { wrapper: null, fields: z.partial(z.object(ZONE_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_zone",
    title: "Update access zone",
    description: "Updates an access zone (PUT); send only the fields to change. ERP-locked zones may refuse changes.",
    successStatus: 200,
  },
  {
    id: "zones.delete",
    group: "Access Zones",
    resource: "zones",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/zones/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_zone",
    title: "Delete access zone",
    description: "Deletes an access zone. Returns the deleted record.",
    successStatus: 200,
  },
];
