/**
 * Leaves (§8.17), leave types (§8.20) and leave balance imports (§8.18).
 *
 * Leave rules the sandbox enforces: leave type and user of the caller's
 * company; daily leaves need start/end_date_daily and hourly ones
 * start/end_date_hourly; end must not precede start; no overlap with another
 * approved leave of the same user. A user JWT may only file its own leaves,
 * and they always start as `awaiting_approval` with an approval waiting on
 * the user's manager, then HR. `days_off_count` counts hours (24 per calendar
 * day), as every saved example does.
 */
import type { Ctx } from "../context";
import { type FieldError, fail, forbidden } from "../envelope";
import { castBool, num, str, text } from "../json";
import { errorsOf, invalid, newRecord, pick, refused, requireRef, touch, written } from "../records";
import { renderLeaveDetail, renderLeaveFlat, renderLeaveListItem, renderLeaveType } from "../render/leaves";
import type { ResourceDef, WriteOutcome } from "../resource";
import { addDays, daysInclusive, endOfDay, isoWeekday, parseInstant, startOfDay } from "../time";
import type { Json, JsonObject, Rec } from "../types";

/** Leave statuses that count as approved for the overlap rule. */
const APPROVED_STATUSES = ["approved", "approaching", "finished", "hr_approval"];

function workdays(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isoWeekday(d) <= 5) n++;
  return n;
}

/** `"2026-01-23 14:00"` → `"2026-01-23T14:00:00.000+03:00"`. */
function localToTimestamp(value: string): string {
  return `${value.slice(0, 10)}T${value.slice(11, 16)}:00.000+03:00`;
}

/** Computes the stored date columns of a leave from its request fields; errors when inconsistent. */
function leaveDates(merged: JsonObject): { errors: FieldError[]; dates: JsonObject } {
  const hourly = castBool(merged.is_hourly_leave) ?? false;
  const startKey = hourly ? "start_date_hourly" : "start_date_daily";
  const endKey = hourly ? "end_date_hourly" : "end_date_daily";
  // The collection's own create example sends an hourly leave with the *_daily
  // fields (and got 201), so an hourly leave falls back to them.
  const start = str(merged[startKey]) ?? (hourly ? str(merged.start_date_daily) : null);
  const end = str(merged[endKey]) ?? (hourly ? str(merged.end_date_daily) : null);
  const errors: FieldError[] = [];
  if (start === null || start.trim() === "") errors.push({ field_name: startKey, messages: ["Başlangıç tarihi doldurulmalı"] });
  if (end === null || end.trim() === "") errors.push({ field_name: endKey, messages: ["Bitiş tarihi doldurulmalı"] });
  if (start === null || end === null || errors.length > 0) return { errors, dates: {} };
  const a = parseInstant(start);
  const b = parseInstant(end);
  if (a === null || b === null) return { errors: [{ field_name: startKey, messages: ["Geçersiz tarih"] }], dates: {} };
  if (hourly ? b <= a : end.slice(0, 10) < start.slice(0, 10)) {
    return { errors: [{ field_name: "end_date", messages: ["Bitiş tarihi başlangıç tarihinden önce olamaz"] }], dates: {} };
  }
  if (hourly) {
    return {
      errors,
      dates: {
        is_hourly_leave: true,
        start_date: localToTimestamp(start),
        end_date: localToTimestamp(end),
        days_off_count: Math.round(((b - a) / 3_600_000) * 100) / 100,
        date_of_return: null,
        working_days: null,
        holiday_days: null,
        total_days: null,
        fin_year: start.slice(0, 4),
      },
    };
  }
  const from = start.slice(0, 10);
  const to = end.slice(0, 10);
  const days = daysInclusive(from, to);
  let back = addDays(to, 1);
  while (isoWeekday(back) >= 6) back = addDays(back, 1);
  return {
    errors,
    dates: {
      is_hourly_leave: false,
      start_date: startOfDay(from),
      end_date: endOfDay(to),
      days_off_count: days * 24,
      date_of_return: back,
      working_days: workdays(from, to),
      holiday_days: days - workdays(from, to),
      total_days: days,
      fin_year: from.slice(0, 4),
    },
  };
}

/** An approved leave of the same user overlapping the range. */
function overlapError(ctx: Ctx, userId: string, start: Json | undefined, end: Json | undefined, exceptId?: string): FieldError | null {
  const a = typeof start === "string" ? parseInstant(start) : null;
  const b = typeof end === "string" ? parseInstant(end) : null;
  if (a === null || b === null) return null;
  const clash = ctx.store.ofCompany("leaves", ctx.companyId).some((l) => {
    if (l.id === exceptId || l.user_id !== userId || !APPROVED_STATUSES.includes(text(l.status))) return false;
    const s = parseInstant(text(l.start_date));
    const e = parseInstant(text(l.end_date));
    return s !== null && e !== null && a <= e && b >= s;
  });
  return clash ? { field_name: "base", messages: ["Bu tarihlerde onaylanmış başka bir izin bulunmaktadır"] } : null;
}

/** Request-only keys that are not stored columns. */
const REQUEST_ONLY = ["start_date_daily", "end_date_daily", "start_date_hourly", "end_date_hourly"];

function storedFields(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || REQUEST_ONLY.includes(k)) continue;
    out[k] = k === "is_signed" || k === "is_hourly_leave" ? (castBool(v) ?? false) : v;
  }
  return out;
}

/** The manager, then HR, as approvers of a user's request. */
export function approversOf(ctx: Ctx, user: Rec): Rec[] {
  const list: Rec[] = [];
  const manager = typeof user.parent_id === "string" ? ctx.store.getInCompany("users", user.parent_id, ctx.companyId) : undefined;
  if (manager) list.push(manager);
  const hrFlow = ctx.store
    .ofCompany("approval_flows", ctx.companyId)
    .find((f) => f.flow_type === "leave_approval" && f.is_main_flow === true);
  const flowUsers = hrFlow && Array.isArray(hrFlow.approval_flow_users) ? hrFlow.approval_flow_users : [];
  for (const fu of flowUsers) {
    const id = fu !== null && typeof fu === "object" && !Array.isArray(fu) ? fu.user_id : null;
    const hr = typeof id === "string" ? ctx.store.getInCompany("users", id, ctx.companyId) : undefined;
    if (hr && hr.id !== user.id && !list.includes(hr)) list.push(hr);
  }
  return list;
}

/** Opens a pending approval for a new request (leave, extra work, assignment). */
export function openApproval(ctx: Ctx, type: string, record: Rec, user: Rec, flowType: string): void {
  const approvers = approversOf(ctx, user);
  const flow = ctx.store.ofCompany("approval_flows", ctx.companyId).find((f) => f.flow_type === flowType && f.is_main_flow === true);
  ctx.store.put(
    "approvals",
    newRecord("approvals", ctx, {
      status: "pending",
      approvable_type: type,
      approvable_id: record.id,
      current_step: 1,
      total_steps: Math.max(approvers.length, 1),
      approval_flow_id: flow ? flow.id : null,
      requester_id: user.id,
      approval_users: approvers.map((a, i) => ({
        id: crypto.randomUUID(),
        user_id: a.id,
        status: "pending",
        comment: null,
        seq: i + 1,
        is_require: true,
        created_at: ctx.now,
        updated_at: ctx.now,
      })),
    }),
  );
}

/** Deletes the approvals of a record. */
export function dropApprovals(ctx: Ctx, recordId: string): void {
  for (const a of ctx.store.ofCompany("approvals", ctx.companyId)) if (a.approvable_id === recordId) ctx.store.delete("approvals", a.id);
}

function createLeave(fields: JsonObject, ctx: Ctx): WriteOutcome {
  const self = ctx.caller.user;
  if (self && fields.user_id !== self.id) return refused(forbidden("A user token may only create its own leaves"));
  const user = typeof fields.user_id === "string" ? ctx.store.getInCompany("users", fields.user_id, ctx.companyId) : undefined;
  const type =
    typeof fields.leave_type_id === "string" ? ctx.store.getInCompany("leave_types", fields.leave_type_id, ctx.companyId) : undefined;
  const { errors: dateErrors, dates } = leaveDates(fields);
  const errors = [
    ...errorsOf(
      requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
      requireRef(ctx, "leave_types", fields.leave_type_id, "leave_type", "İzin türü"),
    ),
    ...dateErrors,
  ];
  if (errors.length === 0 && user) {
    const overlap = overlapError(ctx, user.id, dates.start_date, dates.end_date);
    if (overlap) errors.push(overlap);
  }
  if (errors.length > 0 || !user) return invalid(errors);
  const status = self ? "awaiting_approval" : (str(fields.status) ?? "awaiting_approval");
  const seq = ctx.store.ofCompany("leaves", ctx.companyId).length + 1;
  const rec = newRecord("leaves", ctx, {
    ...storedFields(fields),
    ...dates,
    title: str(fields.title) ?? (type ? (type.title ?? null) : null),
    status,
    is_approved_by_manager: status === "approved",
    is_approved_by_hr: status === "approved",
    tracking_number: `IZN-${dates.fin_year === undefined || dates.fin_year === null ? ctx.now.slice(0, 4) : text(dates.fin_year)}-${String(seq).padStart(5, "0")}`,
  });
  if (status === "awaiting_approval") openApproval(ctx, "Leave", rec, user, "leave_approval");
  return written(rec);
}

function updateLeave(rec: Rec, fields: JsonObject, ctx: Ctx): WriteOutcome {
  const self = ctx.caller.user;
  if (self && "user_id" in fields && fields.user_id !== self.id) return refused(forbidden("A user token may only change its own leaves"));
  const touchesDates = REQUEST_ONLY.some((k) => k in fields) || "is_hourly_leave" in fields;
  let dates: JsonObject = {};
  const errors: FieldError[] = errorsOf(
    requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
    requireRef(ctx, "leave_types", fields.leave_type_id, "leave_type", "İzin türü"),
  );
  if (touchesDates) {
    const hourlyNow = "is_hourly_leave" in fields ? castBool(fields.is_hourly_leave) : rec.is_hourly_leave === true;
    // Fill the missing end of the range from the stored leave, in request format.
    const stored = (ts: Json | undefined): string | null => (typeof ts === "string" ? `${ts.slice(0, 10)} ${ts.slice(11, 16)}` : null);
    const merged: JsonObject = {
      is_hourly_leave: hourlyNow ?? false,
      [hourlyNow ? "start_date_hourly" : "start_date_daily"]: stored(rec.start_date),
      [hourlyNow ? "end_date_hourly" : "end_date_daily"]: stored(rec.end_date),
      ...fields,
    };
    const computed = leaveDates(merged);
    errors.push(...computed.errors);
    dates = computed.dates;
  }
  const userId = typeof fields.user_id === "string" ? fields.user_id : text(rec.user_id);
  if (errors.length === 0 && touchesDates) {
    const overlap = overlapError(ctx, userId, dates.start_date, dates.end_date, rec.id);
    if (overlap) errors.push(overlap);
  }
  if (errors.length > 0) return invalid(errors);
  const changes: JsonObject = { ...storedFields(fields), ...dates };
  if (self) delete changes.status;
  if (typeof changes.status === "string") {
    changes.is_approved_by_manager = APPROVED_STATUSES.includes(changes.status);
    changes.is_approved_by_hr = APPROVED_STATUSES.includes(changes.status);
  }
  if (ctx.files.length > 0) {
    const existing = Array.isArray(rec.file_urls) ? rec.file_urls : [];
    changes.file_urls = [
      ...existing,
      ...ctx.files.map((name) => `${ctx.origin}/rails/active_storage/blobs/redirect/${crypto.randomUUID()}/${encodeURIComponent(name)}`),
    ];
  }
  return written(touch(rec, changes, ctx));
}

/** Leaves. */
export const LEAVES: ResourceDef = {
  table: "leaves",
  ownerColumn: "user_id",
  renderList: renderLeaveListItem,
  renderShow: renderLeaveDetail,
  renderWrite: (rec) => renderLeaveFlat(rec),
  messages: {
    created: "İzin talebi başarıyla oluşturuldu",
    updated: "İzin talebi başarıyla güncellendi",
    deleted: "Successfully deleted leave",
  },
  create: createLeave,
  update: updateLeave,
  afterDelete: (rec, ctx) => dropApprovals(ctx, rec.id),
};

/** Leave types (read-only). */
export const LEAVE_TYPES: ResourceDef = {
  table: "leave_types",
  renderList: renderLeaveType,
};

/** Minutes in one working day of a leave type (`one_day_working_hour` × 60, default 480). */
function minutesPerDay(type: Rec | undefined): number {
  const hours = type ? num(type.one_day_working_hour) : null;
  return Math.round((hours ?? 8) * 60);
}

/** 422 in the property/constraints form this folder documents (API.md §3). */
function constraintError(property: string, key: string, message: string): WriteOutcome {
  return refused(fail(422, "Unprocessable entity", [{ property, constraints: { [key]: message } }]));
}

function balanceFields(fields: JsonObject, type: Rec | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  const perDay = minutesPerDay(type);
  const days = num(fields.balance_days);
  const minutes = num(fields.balance);
  if (days !== null) {
    out.balance_days = days;
    out.balance = Math.round(days * perDay);
  } else if (minutes !== null) {
    out.balance = minutes;
    out.balance_days = Math.round((minutes / perDay) * 100) / 100;
  }
  return out;
}

/** Leave balance imports. */
export const LEAVE_BALANCE_IMPORTS: ResourceDef = {
  table: "leave_balance_imports",
  ownerColumn: "user_id",
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    const type = ctx.store.get("leave_types", typeof rec.leave_type_id === "string" ? rec.leave_type_id : null);
    const company = ctx.store.get("companies", rec.company_id);
    return {
      ...pick(rec, ["id", "balance", "balance_days", "balanced_at", "created_at", "updated_at"]),
      user: user
        ? {
            ...pick(user, ["id", "first_name", "last_name"]),
            full_name: `${text(user.first_name)} ${text(user.last_name)}`,
            ...pick(user, ["email", "client_id", "citizenship_number"]),
          }
        : null,
      leave_type: type
        ? {
            ...pick(type, ["id", "title", "one_day_working_hour"]),
            one_day_working_hour_in_minutes: minutesPerDay(type),
            client_id: type.client_id ?? null,
          }
        : null,
      company: company ? pick(company, ["id", "name", "legal_name"]) : null,
    };
  },
  messages: {
    created: "Successfully created leave balance import",
    updated: "Successfully updated leave balance import",
    deleted: "Successfully deleted leave balance import",
  },
  create: (fields, ctx) => {
    if (typeof fields.user_id !== "string" || !ctx.store.getInCompany("users", fields.user_id, ctx.companyId)) {
      return constraintError("user_id", "blank", "can't be blank");
    }
    const type =
      typeof fields.leave_type_id === "string" ? ctx.store.getInCompany("leave_types", fields.leave_type_id, ctx.companyId) : undefined;
    if (typeof fields.leave_type_id === "string" && !type) return constraintError("leave_type_id", "invalid", "must exist");
    if (num(fields.balance_days) === null && num(fields.balance) === null) return constraintError("balance", "blank", "can't be blank");
    return written(newRecord("leave_balance_imports", ctx, { balanced_at: ctx.now.slice(0, 10), ...balanceFields(fields, type) }));
  },
  update: (rec, fields, ctx) => {
    const type = ctx.store.get("leave_types", typeof rec.leave_type_id === "string" ? rec.leave_type_id : null);
    return written(touch(rec, balanceFields(fields, type), ctx));
  },
};
