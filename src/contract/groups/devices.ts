/**
 * Devices (API.md §8.11): access / attendance readers. Wrapper `device`; no
 * show and no delete in the contract.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY, DEVICE_BRANDS, DEVICE_DIRECTIONS, DEVICE_TYPES } from "../enums";
import { filter, nonNegativeInt, num, oneOf, text, uuidList } from "../fields";
import type { Operation } from "../types";

const DEVICE_FIELDS = {
  name: text("Device name"),
  port: z.optional(nonNegativeInt("Port the device listens on; required except for passgage_qr and nfc_scanner devices")),
  external_ip: z.optional(text("External IP address; required except for passgage_qr and nfc_scanner devices")),
  latitude: z.optional(num("Latitude in decimal degrees")),
  longitude: z.optional(num("Longitude in decimal degrees")),
  serial_number: z.optional(text("Serial number")),
  qr_code_id: z.optional(text("Id encoded in the device's QR code; unique for passgage, passgage_qr and makim_qr brands")),
  direction: z.optional(oneOf(DEVICE_DIRECTIONS, "Passage direction the device records")),
  device_type: z.optional(oneOf(DEVICE_TYPES, "Kind of reader")),
  device_brand: z.optional(text(`Device brand, e.g. ${DEVICE_BRANDS.join(", ")}`)),
  range: z.optional(text('Effective range (string, e.g. "30")')),
  range_matter: z.optional(text('Whether the range is enforced (string, e.g. "1")')),
  door_trigger_ip: z.optional(text("Door trigger IP; only for qr_scanner devices")),
  door_trigger_port: z.optional(nonNegativeInt("Door trigger port; only for qr_scanner devices")),
  zone_ids: z.optional(uuidList("Access zones the device serves; unknown ids give 404")),
  client_id: z.optional(text("Your integration code for the device")),
};

/** Device operations. */
export const DEVICE_OPERATIONS: readonly Operation[] = [
  {
    id: "devices.list",
    group: "Devices",
    resource: "devices",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/devices",
    paginated: true,
    filters: [filter("client_id_eq", text("Integration code equals"))],
    modes: BOTH_MODES,
    toolName: "passgage_list_devices",
    title: "List devices",
    description:
      "Lists access/attendance devices (summary: name, description, client_id, coordinates, is_active, direction). Filter by client_id.",
    successStatus: 200,
  },
  {
    id: "devices.create",
    group: "Devices",
    resource: "devices",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/devices",
    body: { wrapper: "device", fields: z.object(DEVICE_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_device",
    title: "Create device",
    description:
      "Creates a device. name is required; port and external_ip are required except for passgage_qr/nfc_scanner devices; door_trigger_ip/port only for qr_scanner. zone_ids links zones.",
    successStatus: 201,
  },
  {
    id: "devices.update",
    group: "Devices",
    resource: "devices",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/devices/{id}",
    body: { wrapper: "device", fields: z.partial(z.object(DEVICE_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_device",
    title: "Update device",
    description: "Updates a device; send only the fields to change. 404 for an unknown device or an unknown zone id in zone_ids.",
    successStatus: 200,
  },
];
