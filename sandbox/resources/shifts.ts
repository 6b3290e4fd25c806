/**
 * Shift planning: shifts (§8.23), slacks nested under a shift (§8.24), night
 * works (§8.21), user shifts (§8.31: list vs write shapes, create answers
 * 200), working-day calendars (§8.32: delete answers only `{message}`),
 * extra work types and the shift settings singleton (§8.35).
 */
import type { Ctx } from "../context";
import { type FieldError, notFound, ok, type Reply } from "../envelope";
import { str, text } from "../json";
import { defined, errorsOf, invalid, newRecord, pick, refused, requireFilled, requireRef, touch, written } from "../records";
import { renderExtraWorkType, renderNightWork, renderShift, renderShiftRich, renderShiftShort, renderSlack } from "../render/shifts";
import type { ResourceDef } from "../resource";
import { forbidden } from "../envelope";
import { minutesBetween } from "../time";
import type { JsonObject, Rec } from "../types";

const RESOURCE_NOT_FOUND = "%{resource} Bulunamadı";

/** "Vardiya Adı Vardiya ismi kullanımda" when another shift has the name. */
function shiftNameTaken(ctx: Ctx, name: unknown, exceptId?: string): FieldError | null {
  if (typeof name !== "string" || name.trim() === "") return null;
  const clash = ctx.store
    .ofCompany("shifts", ctx.companyId)
    .some((s) => s.id !== exceptId && text(s.name).toLocaleLowerCase("tr-TR") === name.trim().toLocaleLowerCase("tr-TR"));
  return clash ? { field_name: "name", messages: ["Vardiya Adı Vardiya ismi kullanımda"] } : null;
}

/** Shifts. */
export const SHIFTS: ResourceDef = {
  table: "shifts",
  notFound: () => notFound(RESOURCE_NOT_FOUND),
  renderList: renderShift,
  messages: { created: "Shift başarıyla oluşturuldu", updated: "Shift başarıyla güncellendi", deleted: "Shift başarıyla silindi" },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.name, "name", "Vardiya Adı"), shiftNameTaken(ctx, fields.name));
    if (errors.length > 0) return invalid(errors);
    const f = defined(fields);
    return written(newRecord("shifts", ctx, { code: f.name ?? null, ...f }));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf(
      "name" in fields ? requireFilled(fields.name, "name", "Vardiya Adı") : null,
      shiftNameTaken(ctx, fields.name, rec.id),
    );
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
  afterDelete: (rec, ctx) => {
    for (const table of ["slacks", "night_works"] as const) {
      for (const r of ctx.store.ofCompany(table, ctx.companyId)) if (r.shift_id === rec.id) ctx.store.delete(table, r.id);
    }
  },
};

/** Slack fields by type: the other type's fields come back null (API.md §8.24). */
function slackFields(fields: JsonObject, current: Rec | null): JsonObject {
  const f = defined(fields);
  const type = str(f.slack_type) ?? (current ? str(current.slack_type) : null);
  if (current === null) {
    if (type === "time_range") f.duration = null;
    if (type === "time_duration") {
      f.starting_time = null;
      f.end_time = null;
    }
  }
  return f;
}

/** Slacks (breaks) of a shift. */
export const SLACKS: ResourceDef = {
  table: "slacks",
  parent: { param: "shift_id", table: "shifts", column: "shift_id" },
  notFound: () => notFound(RESOURCE_NOT_FOUND),
  renderList: renderSlack,
  messages: { created: "Slack başarıyla oluşturuldu", updated: "Slack başarıyla güncellendi", deleted: "Slack başarıyla silindi" },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.title, "title", "Mola Adı"));
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("slacks", ctx, { ...slackFields(fields, null), shift_id: ctx.params.shift_id ?? "" }));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf("title" in fields ? requireFilled(fields.title, "title", "Mola Adı") : null);
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, slackFields(fields, rec), ctx));
  },
};

/** Night work fields: integer work types become names, minutes are derived. */
function nightWorkFields(fields: JsonObject, current: Rec | null): JsonObject {
  const f = defined(fields);
  if (f.work_type === 0) f.work_type = "night_work";
  if (f.work_type === 1) f.work_type = "extra_time";
  const start = str(f.start_time) ?? (current ? str(current.start_time) : null);
  const end = str(f.end_time) ?? (current ? str(current.end_time) : null);
  if (start !== null && end !== null) f.minutes = minutesBetween(start, end);
  return f;
}

/** Night works. */
export const NIGHT_WORKS: ResourceDef = {
  table: "night_works",
  notFound: () => notFound("NightWork Bulunamadı"),
  invalidMessage: { create: "Night work could not be created", update: "Night work could not be updated" },
  fieldAliases: { shift_id: "shift" },
  labels: { shift_id: "Shift" },
  renderList: renderNightWork,
  messages: {
    created: "Successfully created the night work",
    updated: "Successfully updated the night work",
    deleted: "Successfully deleted the night work",
  },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.shift_id, "shift", "Shift"), requireRef(ctx, "shifts", fields.shift_id, "shift", "Shift"));
    if (errors.length > 0) return invalid(errors, "Night work could not be created");
    return written(newRecord("night_works", ctx, nightWorkFields(fields, null)));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf(
      "shift_id" in fields ? requireFilled(fields.shift_id, "shift", "Shift") : null,
      requireRef(ctx, "shifts", fields.shift_id, "shift", "Shift"),
    );
    if (errors.length > 0) return invalid(errors, "Night work could not be updated");
    return written(touch(rec, nightWorkFields(fields, rec), ctx));
  },
};

const USER_SHIFT_KEYS = ["id", "date_of_shift", "created_at", "updated_at", "status", "user_id"];

/** User shift checks: user and shift of the company, not before the hire date; a user may plan only themself. */
function userShiftErrors(fields: JsonObject, ctx: Ctx, current: Rec | null): FieldError[] {
  const userId = "user_id" in fields ? fields.user_id : current?.user_id;
  const user = typeof userId === "string" ? ctx.store.getInCompany("users", userId, ctx.companyId) : undefined;
  const date = str("date_of_shift" in fields ? fields.date_of_shift : (current?.date_of_shift ?? null));
  const activation = user ? str(user.activation_date) : null;
  return errorsOf(
    requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
    requireRef(ctx, "shifts", fields.shift_id, "shift", "Vardiya"),
    date !== null && activation !== null && date < activation.slice(0, 10)
      ? { field_name: "date_of_shift", messages: ["Kullanıcının işe başlama tarihinden önce vardiya atanamaz"] }
      : null,
  );
}

/** User shifts. */
export const USER_SHIFTS: ResourceDef = {
  table: "user_shifts",
  ownerColumn: "user_id",
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    const shift = ctx.store.get("shifts", typeof rec.shift_id === "string" ? rec.shift_id : null);
    return { ...pick(rec, USER_SHIFT_KEYS), client_id: user ? (user.client_id ?? "") : "", shift: shift ? renderShiftRich(shift) : null };
  },
  renderWrite: (rec, ctx) => {
    const shift = ctx.store.get("shifts", typeof rec.shift_id === "string" ? rec.shift_id : null);
    return { ...pick(rec, USER_SHIFT_KEYS), shift: shift ? renderShiftShort(shift) : null };
  },
  messages: {
    created: "Successfully created the user shift",
    updated: "Successfully updated the user shift",
    deleted: "Successfully deleted the user shift",
  },
  create: (fields, ctx) => {
    if (ctx.caller.user && fields.user_id !== ctx.caller.user.id) return refused(forbidden("A user token may only plan its own shifts"));
    const errors = userShiftErrors(fields, ctx, null);
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("user_shifts", ctx, { status: ctx.caller.user ? "waiting_for_approval" : "approved", ...defined(fields) }));
  },
  update: (rec, fields, ctx) => {
    if (ctx.caller.user && "user_id" in fields && fields.user_id !== ctx.caller.user.id) {
      return refused(forbidden("A user token may only plan its own shifts"));
    }
    if (rec.status === "locked" && !("status" in fields)) {
      return invalid([{ field_name: "status", messages: ["Kilitli vardiya değiştirilemez"] }]);
    }
    const errors = userShiftErrors(fields, ctx, rec);
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
};

const WORKING_DAY_KEYS = [
  "id",
  "name",
  "description",
  "friday_double",
  "friday_double_if_single",
  "week_day_1",
  "week_day_2",
  "week_day_3",
  "week_day_4",
  "week_day_5",
  "week_day_6",
  "week_day_7",
  "is_active",
];

/** Unknown shift ids in weekday lists. */
function weekShiftErrors(fields: JsonObject, ctx: Ctx): FieldError[] {
  const errors: FieldError[] = [];
  for (let d = 1; d <= 7; d++) {
    const list = fields[`week_day_${d}`];
    if (!Array.isArray(list)) continue;
    for (const id of list) {
      if (typeof id === "string" && id !== "" && !ctx.store.getInCompany("shifts", id, ctx.companyId)) {
        errors.push({ field_name: `week_day_${d}`, messages: ["Vardiya bulunamadı"] });
        break;
      }
    }
  }
  return errors;
}

/** Working-day calendars. */
export const WORKING_DAYS: ResourceDef = {
  table: "working_days",
  renderList: (rec) => pick(rec, WORKING_DAY_KEYS),
  messages: { created: "Successfully created working day", updated: "Successfully updated working day" },
  create: (fields, ctx) => {
    const errors = [...errorsOf(requireFilled(fields.name, "name", "Çalışma Takvimi Adı")), ...weekShiftErrors(fields, ctx)];
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("working_days", ctx, defined(fields)));
  },
  update: (rec, fields, ctx) => {
    const errors = [
      ...errorsOf("name" in fields ? requireFilled(fields.name, "name", "Çalışma Takvimi Adı") : null),
      ...weekShiftErrors(fields, ctx),
    ];
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
  // API.md §8.32: the delete answers only `{message}`, without the envelope.
  deleteReply: () => ({ status: 200, body: { message: "Working Day deleted successfully" } }),
};

/** Extra work types (listed under /shifts/extra_work_types). */
export const EXTRA_WORK_TYPES: ResourceDef = {
  table: "extra_work_types",
  renderList: renderExtraWorkType,
};

/** The shift settings singleton of the caller's company (§8.35). */
export function shiftSettingsReply(ctx: Ctx): Reply {
  const rec = ctx.store.ofCompany("shift_settings", ctx.companyId)[0];
  // API.md §3: "not found" here is `success: true` with status 404.
  if (!rec) return { status: 404, body: { success: true, status: 404, message: "Shift settings not found", data: {}, meta: {} } };
  const { timesheet_rounds: rounds, ...rest } = rec;
  const data: JsonObject = { id: rec.id, company_id: rec.company_id };
  for (const [k, v] of Object.entries(rest)) if (!["id", "company_id", "created_at", "updated_at"].includes(k)) data[k] = v;
  data.created_at = rec.created_at ?? null;
  data.updated_at = rec.updated_at ?? null;
  data.extra_work_types = ctx.store.ofCompany("extra_work_types", ctx.companyId).map(renderExtraWorkType);
  data.timesheet_rounds = rounds ?? [];
  return ok(200, "Successfully retrieved shift settings", data);
}
