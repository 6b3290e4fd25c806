/**
 * Users (API.md §8.29). Create needs an e-mail or a GSM (e-mails are unique
 * across the sandbox, since login is by e-mail; GSMs need 10+ digits);
 * organisation links are taken by id (must exist) or by name/code, and a
 * name that matches nothing creates the record (as the saved create example
 * suggests). `supervisor_parent_id` is stored as `parent_id`. Delete removes
 * the user's related data and answers the deleted user.
 */
import type { Ctx } from "../context";
import { type FieldError } from "../envelope";
import { isBlank, str, strList, text } from "../json";
import { hashPassword } from "../password";
import { asciiFold } from "../seed/names";
import { errorsOf, invalid, newRecord, requireRef, touch, written } from "../records";
import { renderUser, renderUserCreated, renderUserUpdated } from "../render/users";
import type { ResourceDef } from "../resource";
import type { JsonObject, Rec, TableName } from "../types";

/** Body keys that name related records by id. */
const ID_LINKS: readonly [string, TableName][] = [
  ["job_position_id", "job_positions"],
  ["department_id", "departments"],
  ["branch_id", "branches"],
  ["sub_company_id", "sub_companies"],
  ["organization_unit_id", "organization_units"],
  ["title_id", "titles"],
  ["user_group_id", "user_groups"],
  ["shift_id", "shifts"],
  ["working_day_id", "working_days"],
  ["holiday_calendar_id", "holiday_calendars"],
  ["leave_rule_id", "leave_rules"],
];

/** Body keys that name related records by name or code: key prefix, table, name column, stored id column. */
const NAME_LINKS: readonly [string, TableName, string, string][] = [
  ["branch", "branches", "title", "branch_id"],
  ["group", "user_groups", "name", "user_group_id"],
  ["department", "departments", "name", "department_id"],
  ["job_position", "job_positions", "name", "job_position_id"],
  ["title", "titles", "name", "title_id"],
  ["sub_company", "sub_companies", "name", "sub_company_id"],
  ["organization_unit", "organization_units", "name", "organization_unit_id"],
];

/** Body keys that are not stored as such. */
const REQUEST_ONLY = new Set([
  "password",
  "password_confirmation",
  "supervisor_parent_id",
  ...NAME_LINKS.flatMap(([p]) => [`${p}_name`, `${p}_code`]),
  "device_name",
  "device_code",
  "access_zone_name",
  "access_zone_code",
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function userErrors(fields: JsonObject, ctx: Ctx, current: Rec | null): FieldError[] {
  const errors: FieldError[] = [];
  const email = "email" in fields ? str(fields.email) : current ? str(current.email) : null;
  const gsm = "gsm" in fields ? str(fields.gsm) : current ? str(current.gsm) : null;
  if (isBlank(email) && isBlank(gsm)) {
    errors.push(
      { field_name: "email", messages: ["E-posta veya GSM doldurulmalı"] },
      { field_name: "gsm", messages: ["E-posta veya GSM doldurulmalı"] },
    );
  }
  if (typeof fields.email === "string" && fields.email !== "") {
    const e = fields.email.trim().toLowerCase();
    if (!EMAIL.test(e)) errors.push({ field_name: "email", messages: ["E-posta geçersiz"] });
    else if (ctx.store.all("users").some((u) => u.id !== current?.id && text(u.email).toLowerCase() === e)) {
      errors.push({ field_name: "email", messages: ["E-posta hali hazırda kullanılmakta"] });
    }
  }
  if (typeof fields.gsm === "string" && fields.gsm !== "") {
    const digits = fields.gsm.replace(/[\s+()-]/g, "");
    if (!/^\d+$/.test(digits)) errors.push({ field_name: "gsm", messages: ["GSM geçerli bir sayı değil"] });
    else if (digits.length < 10) errors.push({ field_name: "gsm", messages: ["GSM çok kısa (en az 10 karakter)"] });
    else if (ctx.store.ofCompany("users", ctx.companyId).some((u) => u.id !== current?.id && u.gsm === fields.gsm)) {
      errors.push({ field_name: "gsm", messages: ["GSM hali hazırda kullanılmakta"] });
    }
  }
  if (
    typeof fields.password === "string" &&
    fields.password_confirmation !== undefined &&
    fields.password !== fields.password_confirmation
  ) {
    errors.push({ field_name: "password_confirmation", messages: ["Şifre tekrarı uyuşmuyor"] });
  }
  for (const [key, table] of ID_LINKS) {
    const e = requireRef(ctx, table, fields[key], key.replace(/_id$/, ""), "Kayıt");
    if (e) errors.push(e);
  }
  errors.push(...errorsOf(requireRef(ctx, "users", fields.supervisor_parent_id, "supervisor_parent", "Yönetici")));
  for (const id of strList(fields.device_ids)) {
    if (!ctx.store.getInCompany("devices", id, ctx.companyId)) errors.push({ field_name: "device_ids", messages: ["Cihaz bulunamadı"] });
  }
  for (const id of strList(fields.zone_ids)) {
    if (!ctx.store.getInCompany("zones", id, ctx.companyId)) errors.push({ field_name: "zone_ids", messages: ["Bölge bulunamadı"] });
  }
  return errors;
}

/** Finds a record of the company by name (case-insensitive) or client_id code; creates it by name if missing. */
function lookupOrCreate(ctx: Ctx, table: TableName, nameColumn: string, name: string | null, code: string | null): Rec | null {
  const all = ctx.store.ofCompany(table, ctx.companyId);
  if (code) {
    const byCode = all.find((r) => r.client_id === code);
    if (byCode) return byCode;
  }
  if (name) {
    const folded = name.trim().toLocaleLowerCase("tr-TR");
    const byName = all.find((r) => text(r[nameColumn]).trim().toLocaleLowerCase("tr-TR") === folded);
    if (byName) return byName;
    return ctx.store.put(table, newRecord(table, ctx, { [nameColumn]: name.trim(), client_id: code }));
  }
  return null;
}

/** Stored columns from a validated body (links resolved, request-only keys dropped). */
function userColumns(fields: JsonObject, ctx: Ctx, current: Rec | null): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && !REQUEST_ONLY.has(k)) out[k] = v;
  if (typeof fields.number_of_children === "number") out.number_of_children = String(fields.number_of_children);
  if (typeof fields.leave_balance === "number") out.leave_balance = fields.leave_balance.toFixed(1);
  for (const [prefix, table, nameColumn, idColumn] of NAME_LINKS) {
    const rec = lookupOrCreate(ctx, table, nameColumn, str(fields[`${prefix}_name`]), str(fields[`${prefix}_code`]));
    if (rec) out[idColumn] = rec.id;
  }
  const device =
    lookupOrCreate(ctx, "devices", "name", null, str(fields.device_code)) ??
    (str(fields.device_name) ? (ctx.store.ofCompany("devices", ctx.companyId).find((d) => d.name === fields.device_name) ?? null) : null);
  if (device) out.device_ids = [...new Set([...strList(out.device_ids ?? current?.device_ids ?? []), device.id])];
  const zone = lookupOrCreate(ctx, "zones", "name", str(fields.access_zone_name), str(fields.access_zone_code));
  if (zone) out.zone_ids = [...new Set([...strList(out.zone_ids ?? current?.zone_ids ?? []), zone.id])];
  if (typeof fields.supervisor_parent_id === "string") out.parent_id = fields.supervisor_parent_id;
  if (typeof fields.supervisor_registration_number === "string") {
    const parent = ctx.store.ofCompany("users", ctx.companyId).find((u) => u.client_id === fields.supervisor_registration_number);
    if (parent) out.parent_id = parent.id;
  }
  if (typeof fields.password_hash === "string") out.password_hash = fields.password_hash;
  return out;
}

/** A username not used in the company, from the names. */
function freshUsername(ctx: Ctx, first: string, last: string): string {
  const base = asciiFold(`${first}_${last}`).replace(/[^a-z0-9_]+/g, "_");
  const taken = new Set(ctx.store.ofCompany("users", ctx.companyId).map((u) => u.username));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Related records removed with a user. */
const USER_DATA: readonly TableName[] = [
  "leaves",
  "user_shifts",
  "cards",
  "payrolls",
  "entrances",
  "user_extra_works",
  "leave_balance_imports",
  "rotation_users",
  "assignment_requests",
  "temporary_assignments",
  "target_goals",
  "user_rates",
];

/** Users. */
export const USERS: ResourceDef = {
  table: "users",
  renderList: renderUser,
  renderWrite: renderUserUpdated,
  renderCreated: renderUserCreated,
  messages: { created: "Successfully created user", updated: "User updated successfully", deleted: "Successfully deleted user" },
  prepare: async (fields) =>
    typeof fields.password === "string" && fields.password !== ""
      ? { ...fields, password_hash: await hashPassword(fields.password) }
      : fields,
  create: (fields, ctx) => {
    const errors = userErrors(fields, ctx, null);
    if (errors.length > 0) return invalid(errors);
    const columns = userColumns(fields, ctx, null);
    const first = str(fields.first_name) ?? "";
    const last = str(fields.last_name) ?? "";
    return written(
      newRecord("users", ctx, {
        activation_date: ctx.now.slice(0, 10),
        username: freshUsername(ctx, first, last),
        ...columns,
      }),
    );
  },
  update: (rec, fields, ctx) => {
    const errors = userErrors(fields, ctx, rec);
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, userColumns(fields, ctx, rec), ctx));
  },
  afterDelete: (rec, ctx) => {
    for (const table of USER_DATA) {
      for (const r of ctx.store.ofCompany(table, ctx.companyId)) if (r.user_id === rec.id) ctx.store.delete(table, r.id);
    }
    for (const a of ctx.store.ofCompany("approvals", ctx.companyId)) if (a.requester_id === rec.id) ctx.store.delete("approvals", a.id);
    for (const u of ctx.store.ofCompany("users", ctx.companyId))
      if (u.parent_id === rec.id) ctx.store.put("users", { ...u, parent_id: null });
  },
};
