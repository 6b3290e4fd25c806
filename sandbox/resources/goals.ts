/**
 * Performance data: target goals (§8.26: create wrapped, PUT/PATCH bare),
 * user rates (§8.30: bare, addressed by the employee's client_id) and the
 * KPI set-goal action (§8.16), which upserts the target goal of an employee,
 * goal name and period.
 */
import type { Ctx } from "../context";
import { type FieldError, ok, type Reply } from "../envelope";
import { num, str } from "../json";
import { defined, invalid, newRecord, pick, touch, written } from "../records";
import type { ResourceDef, WriteOutcome } from "../resource";
import { parseInstant } from "../time";
import type { JsonObject, Rec } from "../types";

const GOAL_KEYS = [
  "id",
  "target_category_name",
  "target_name",
  "department_name",
  "client_id",
  "user_id",
  "actual_goal",
  "target_value",
  "start_date",
  "end_date",
  "created_at",
  "updated_at",
];

/** The employee with a registration number, in the caller's company. */
function userByClientId(ctx: Ctx, clientId: unknown): Rec | undefined {
  return typeof clientId === "string" && clientId !== ""
    ? ctx.store.ofCompany("users", ctx.companyId).find((u) => u.client_id === clientId)
    : undefined;
}

function periodError(start: unknown, end: unknown): FieldError | null {
  const a = typeof start === "string" ? parseInstant(start) : null;
  const b = typeof end === "string" ? parseInstant(end) : null;
  return a !== null && b !== null && b <= a
    ? { field_name: "end_date", messages: ["Bitiş tarihi başlangıç tarihinden sonra olmalıdır"] }
    : null;
}

function goalFields(fields: JsonObject, ctx: Ctx): { errors: FieldError[]; value: JsonObject } {
  const value = defined(fields);
  const errors: FieldError[] = [];
  if ("client_id" in fields && fields.client_id !== "" && fields.client_id !== null) {
    const user = userByClientId(ctx, fields.client_id);
    if (!user) errors.push({ field_name: "client_id", messages: ["Bu sicil numarasına sahip kullanıcı bulunamadı"] });
    else value.user_id = user.id;
  }
  return { errors, value };
}

/** Target goals. */
export const TARGET_GOALS: ResourceDef = {
  table: "target_goals",
  ownerColumn: "user_id",
  renderList: (rec) => pick(rec, GOAL_KEYS),
  messages: {
    created: "Successfully created target goal",
    updated: "Successfully updated target goal",
    deleted: "Successfully deleted target goal",
  },
  create: (fields, ctx) => {
    const { errors, value } = goalFields(fields, ctx);
    const period = periodError(fields.start_date, fields.end_date);
    if (period) errors.push(period);
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("target_goals", ctx, value));
  },
  update: (rec, fields, ctx) => {
    const { errors, value } = goalFields(fields, ctx);
    const period = periodError(fields.start_date ?? rec.start_date, fields.end_date ?? rec.end_date);
    if (period) errors.push(period);
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, value, ctx));
  },
};

const RATE_KEYS = [
  "id",
  "user_id",
  "client_id",
  "fba_rate",
  "graduation_rate",
  "seniority_rate",
  "stability_rate",
  "goal_rate",
  "total_rate",
  "set_date_of_rate",
  "created_at",
  "updated_at",
];

function rateFields(fields: JsonObject, ctx: Ctx, creating: boolean): WriteOutcome | JsonObject {
  const value = defined(fields);
  const user = userByClientId(ctx, fields.client_id);
  if ((creating || "client_id" in fields) && !user) {
    return invalid([{ field_name: "client_id", messages: ["Bu sicil numarasına sahip kullanıcı bulunamadı"] }]);
  }
  if (user) value.user_id = user.id;
  if ("fba_rate" in fields) value.fba_rate = num(fields.fba_rate);
  value.set_date_of_rate = ctx.now.slice(0, 10);
  return value;
}

function isOutcome(v: WriteOutcome | JsonObject): v is WriteOutcome {
  return "ok" in v && typeof v.ok === "boolean" && ("rec" in v || "reply" in v);
}

/** User rates. */
export const USER_RATES: ResourceDef = {
  table: "user_rates",
  ownerColumn: "user_id",
  renderList: (rec) => pick(rec, RATE_KEYS),
  messages: {
    created: "Successfully created user rate",
    updated: "Successfully updated user rate",
    deleted: "Successfully deleted user rate",
  },
  create: (fields, ctx) => {
    const value = rateFields(fields, ctx, true);
    if (isOutcome(value)) return value;
    return written(newRecord("user_rates", ctx, value));
  },
  update: (rec, fields, ctx) => {
    const value = rateFields(fields, ctx, false);
    if (isOutcome(value)) return value;
    return written(touch(rec, value, ctx));
  },
};

/** `POST /kpis/set_goal`: creates or updates the target goal of (employee, goal name, period). */
export function setKpiGoal(fields: JsonObject, ctx: Ctx): Reply {
  const user = userByClientId(ctx, fields.client_id);
  const errors: FieldError[] = [];
  if (!user) errors.push({ field_name: "client_id", messages: ["Bu sicil numarasına sahip kullanıcı bulunamadı"] });
  if (str(fields.target_name) === null || str(fields.target_name) === "")
    errors.push({ field_name: "target_name", messages: ["Hedef adı doldurulmalı"] });
  const period = periodError(fields.start_date, fields.end_date);
  if (period) errors.push(period);
  if (errors.length > 0 || !user) {
    const refused = invalid(errors);
    return refused.ok ? ok(200, "", null) : refused.reply;
  }
  const existing = ctx.store
    .ofCompany("target_goals", ctx.companyId)
    .find((g) => g.user_id === user.id && g.target_name === fields.target_name && g.start_date === (fields.start_date ?? g.start_date));
  const value: JsonObject = { ...defined(fields), user_id: user.id };
  const rec = existing ? touch(existing, value, ctx) : newRecord("target_goals", ctx, value);
  ctx.store.put("target_goals", rec);
  return ok(200, "Successfully set goal", pick(rec, GOAL_KEYS));
}
