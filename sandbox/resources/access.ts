/**
 * Access control: zones (bare bodies, §8.4), cards (§8.9), devices (list
 * summary vs full write shape, §8.11) and the read-only entrance log (§8.12).
 */
import type { Ctx } from "../context";
import { notFound } from "../envelope";
import { isBlank, strList } from "../json";
import { defined, errorsOf, invalid, newRecord, pick, refused, requireFilled, requireRef, requireUnique, touch, written } from "../records";
import { renderDevice, renderDeviceSummary, renderZoneFull } from "../render/org";
import { fullName } from "../render/users";
import type { ResourceDef, WriteOutcome } from "../resource";
import type { Json, JsonObject, Rec } from "../types";

/** Access zones. */
export const ZONES: ResourceDef = {
  table: "zones",
  renderList: (rec) => ({ ...renderZoneFull(rec), group_no: rec.group_no ?? null }),
  messages: { created: "Successfully created zone", updated: "Successfully updated zone", deleted: "Successfully deleted zone" },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.name, "name", "Bölge Adı"), requireUnique(ctx, "zones", "name", fields.name, "Bölge Adı"));
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("zones", ctx, defined(fields)));
  },
  update: (rec, fields, ctx) => {
    if (rec.erp_lock === true) {
      return invalid([{ field_name: "base", messages: ["ERP ile kilitli bölge değiştirilemez"] }]);
    }
    const errors = errorsOf(
      "name" in fields ? requireFilled(fields.name, "name", "Bölge Adı") : null,
      requireUnique(ctx, "zones", "name", fields.name, "Bölge Adı", rec.id),
    );
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
  afterDelete: (rec, ctx) => {
    for (const d of ctx.store.ofCompany("devices", ctx.companyId)) {
      const ids = strList(d.zone_ids);
      if (ids.includes(rec.id)) ctx.store.put("devices", { ...d, zone_ids: ids.filter((id) => id !== rec.id) });
    }
  },
};

const CARD_KEYS = [
  "id",
  "card_no",
  "cancellation_date",
  "activation_date",
  "status",
  "is_active",
  "title",
  "client_id",
  "company_id",
  "created_at",
  "updated_at",
];

/** Cards. */
export const CARDS: ResourceDef = {
  table: "cards",
  ownerColumn: "user_id",
  renderList: (rec) => pick(rec, CARD_KEYS),
  // The saved update example really says "zone" (API.md §9.7).
  messages: { created: "Card is successfully created", updated: "Successfully updated zone", deleted: "Card deleted successfully" },
  create: (fields, ctx) => {
    const errors = errorsOf(
      requireFilled(fields.card_no, "card_no", "Kart Numarası"),
      requireUnique(ctx, "cards", "card_no", fields.card_no, "Kart Numarası"),
      requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
      requireRef(ctx, "zones", fields.zone_id, "zone", "Bölge"),
    );
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("cards", ctx, { activation_date: ctx.now.slice(0, 10), ...defined(fields) }));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf(
      "card_no" in fields ? requireFilled(fields.card_no, "card_no", "Kart Numarası") : null,
      requireUnique(ctx, "cards", "card_no", fields.card_no, "Kart Numarası", rec.id),
      requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
      requireRef(ctx, "zones", fields.zone_id, "zone", "Bölge"),
    );
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
};

/** Device fields as stored: blank enums become null (as in the saved examples), unknown zones give 404. */
function deviceFields(fields: JsonObject, ctx: Ctx): { ok: true; value: JsonObject } | { ok: false; outcome: WriteOutcome } {
  const out = defined(fields);
  for (const key of ["direction", "device_type", "device_brand", "qr_code_id", "serial_number", "external_ip", "door_trigger_ip"]) {
    if (key in out && isBlank(out[key])) out[key] = null;
  }
  if ("zone_ids" in out) {
    const ids = strList(out.zone_ids);
    if (ids.some((id) => !ctx.store.getInCompany("zones", id, ctx.companyId))) {
      return { ok: false, outcome: refused(notFound()) };
    }
    out.zone_ids = ids;
  }
  return { ok: true, value: out };
}

/** Devices (no show and no delete in the contract). */
export const DEVICES: ResourceDef = {
  table: "devices",
  renderList: renderDeviceSummary,
  renderWrite: renderDevice,
  messages: { created: "Successfully created device", updated: "Successfully updated device" },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.name, "name", "Cihaz Adı"));
    if (errors.length > 0) return invalid(errors);
    const parsed = deviceFields(fields, ctx);
    if (!parsed.ok) return parsed.outcome;
    return written(newRecord("devices", ctx, parsed.value));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf("name" in fields ? requireFilled(fields.name, "name", "Cihaz Adı") : null);
    if (errors.length > 0) return invalid(errors);
    const parsed = deviceFields(fields, ctx);
    if (!parsed.ok) return parsed.outcome;
    return written(touch(rec, parsed.value, ctx));
  },
};

function idName(rec: Rec | undefined, nameColumn: string): Json {
  return { id: rec ? rec.id : null, name: rec ? (rec[nameColumn] ?? null) : null };
}

/** Entrances (read-only). */
export const ENTRANCES: ResourceDef = {
  table: "entrances",
  ownerColumn: "user_id",
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    const card = ctx.store.get("cards", typeof rec.card_id === "string" ? rec.card_id : null);
    const device = ctx.store.get("devices", typeof rec.device_id === "string" ? rec.device_id : null);
    return {
      ...pick(rec, ["id", "description", "device_type", "entrance_type", "status", "created_at", "updated_at"]),
      branch: idName(ctx.store.get("branches", typeof rec.branch_id === "string" ? rec.branch_id : null), "title"),
      card: { id: card ? card.id : null, card_no: card ? (card.card_no ?? null) : null },
      is_manual_recording: rec.is_manual_recording ?? null,
      user: user
        ? {
            client_id: user.client_id ?? null,
            full_name: fullName(user),
            email: user.email ?? null,
            gsm: user.gsm ?? null,
            citizenship_number: user.citizenship_number ?? null,
          }
        : null,
      zone: idName(ctx.store.get("zones", typeof rec.zone_id === "string" ? rec.zone_id : null), "name"),
      device: device
        ? { id: device.id, name: device.name ?? null, client_id: device.client_id ?? null }
        : { id: null, name: null, client_id: null },
    };
  },
};
