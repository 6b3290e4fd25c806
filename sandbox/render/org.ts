/**
 * Renderers of organisation records as the API shows them, standalone and
 * embedded: branches, zones, devices, leave rules, named entities.
 */
import type { Ctx } from "../context";
import { pick } from "../records";
import type { Json, JsonObject, Rec } from "../types";

/** Branch keys before the nested lists (API.md §8.6). */
const BRANCH_KEYS = [
  "id",
  "title",
  "is_active",
  "description",
  "latitude",
  "longitude",
  "range",
  "range_matter",
  "created_at",
  "updated_at",
];

/** A branch; the list omits `client_id` (as the saved list example does). */
export function renderBranch(rec: Rec, withClientId: boolean): JsonObject {
  const out = pick(rec, BRANCH_KEYS);
  if (withClientId) out.client_id = rec.client_id ?? null;
  out.branch_planners = [];
  out.branch_shifts = [];
  out.branch_devices = [];
  return out;
}

/** A branch embedded in a user profile (no client_id, no nested lists). */
export function renderBranchEmbed(rec: Rec): JsonObject {
  return pick(rec, BRANCH_KEYS);
}

/** A zone as embedded in devices (API.md §8.4). */
export function renderZone(rec: Rec): JsonObject {
  return pick(rec, ["id", "name", "company_id", "is_active", "description", "build_id", "created_at", "updated_at"]);
}

/** A zone with its fuller embed keys (client_id, branch_id, erp_lock). */
export function renderZoneFull(rec: Rec): JsonObject {
  return {
    ...renderZone(rec),
    client_id: rec.client_id ?? null,
    branch_id: rec.branch_id ?? null,
    erp_lock: rec.erp_lock ?? false,
  };
}

const DEVICE_KEYS_BEFORE_ZONES = ["id", "latitude", "longitude", "qr_code_id", "direction"];
const DEVICE_KEYS_AFTER_ZONES = [
  "device_type",
  "name",
  "range",
  "range_matter",
  "created_at",
  "updated_at",
  "port",
  "external_ip",
  "device_usage",
  "description",
  "build_id",
  "relay",
  "device_brand",
  "proxy_type",
  "door_trigger_ip",
  "door_trigger_port",
  "delay_time",
  "client_id",
  "is_main_device",
  "is_dining_hall",
  "is_dormitory",
  "gym",
  "is_active",
];

/** Zones a device points at. */
function deviceZones(rec: Rec, ctx: Ctx, full: boolean): Json[] {
  const ids = Array.isArray(rec.zone_ids) ? rec.zone_ids : [];
  const out: Json[] = [];
  for (const id of ids) {
    const zone = typeof id === "string" ? ctx.store.getInCompany("zones", id, rec.company_id) : undefined;
    if (zone) out.push(full ? renderZoneFull(zone) : renderZone(zone));
  }
  return out;
}

/** A device as create/update return it (API.md §8.11). */
export function renderDevice(rec: Rec, ctx: Ctx): JsonObject {
  return {
    ...pick(rec, DEVICE_KEYS_BEFORE_ZONES),
    zones: deviceZones(rec, ctx, false),
    ...pick(rec, DEVICE_KEYS_AFTER_ZONES),
    device_schedules: [],
  };
}

/** A device embedded in a user profile (zones with their fuller keys, no schedules). */
export function renderDeviceEmbed(rec: Rec, ctx: Ctx): JsonObject {
  return {
    ...pick(rec, DEVICE_KEYS_BEFORE_ZONES),
    zones: deviceZones(rec, ctx, true),
    ...pick(rec, DEVICE_KEYS_AFTER_ZONES),
  };
}

/** A device list item (API.md §8.11 DeviceSummary). */
export function renderDeviceSummary(rec: Rec): JsonObject {
  return pick(rec, [
    "id",
    "name",
    "description",
    "client_id",
    "latitude",
    "longitude",
    "is_active",
    "created_at",
    "updated_at",
    "direction",
  ]);
}

/** A leave rule with timestamps (as embedded in leave types and profiles). */
export function renderLeaveRule(rec: Rec): JsonObject {
  return pick(rec, ["id", "title", "description", "company_id", "created_at", "updated_at"]);
}

/** A name-keyed entity (job position, title, organisation unit, ...). */
export function renderNamed(rec: Rec): JsonObject {
  return pick(rec, ["id", "name", "description", "is_active", "created_at", "updated_at"]);
}
