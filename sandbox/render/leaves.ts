/**
 * Renderers of leaves and leave types (API.md §8.17, §8.20): the flat Leave
 * of create/update (and of a profile's `leaves[]`), the LeaveListItem, the
 * LeaveDetail of show/delete, and the full LeaveType.
 */
import type { Ctx } from "../context";
import { pick } from "../records";
import type { Json, JsonObject, Rec } from "../types";
import { renderLeaveRule } from "./org";
import { renderUserBrief, renderUserProfile } from "./users";

const FLAT_KEYS = [
  "id",
  "title",
  "description",
  "company_id",
  "user_id",
  "leave_type_id",
  "start_date",
  "end_date",
  "days_off_count",
  "status",
  "is_signed",
  "date_of_return",
  "created_at",
  "updated_at",
  "manager_id",
  "manager_comment",
  "hr_id",
  "hr_comment",
  "signed_date",
  "reason_for_rejection",
  "is_approved_by_manager",
  "is_approved_by_hr",
  "working_days",
  "holiday_days",
  "total_days",
  "fin_year",
  "client_id",
];

/** The flat Leave of create/update responses. */
export function renderLeaveFlat(rec: Rec): JsonObject {
  return pick(rec, FLAT_KEYS);
}

const LIST_KEYS_AFTER_USER = [
  "description",
  "company_id",
  "user_id",
  "leave_type_id",
  "start_date",
  "end_date",
  "days_off_count",
  "status",
  "is_signed",
  "hr_comment",
  "is_approved_by_hr",
  "is_approved_by_manager",
  "manager_comment",
  "reason_for_rejection",
  "file_urls",
  "created_at",
  "updated_at",
];

/** Folder-text extras of list items (API.md §8.17). */
function listExtras(rec: Rec, ctx: Ctx): JsonObject {
  const type = typeof rec.leave_type_id === "string" ? ctx.store.get("leave_types", rec.leave_type_id) : undefined;
  return {
    tracking_number: rec.tracking_number ?? null,
    is_hourly_leave: rec.is_hourly_leave ?? false,
    leave_type_code: type ? (type.code ?? null) : null,
    leave_type_short_code: type ? (type.short_code ?? null) : null,
  };
}

/** The LeaveListItem. */
export function renderLeaveListItem(rec: Rec, ctx: Ctx): JsonObject {
  const user = typeof rec.user_id === "string" ? ctx.store.get("users", rec.user_id) : undefined;
  return {
    id: rec.id,
    title: rec.title ?? null,
    user: renderUserBrief(user, ctx),
    ...pick(rec, LIST_KEYS_AFTER_USER),
    ...listExtras(rec, ctx),
  };
}

/** The full LeaveType (list of leave types and the leave detail embed). */
export function renderLeaveType(rec: Rec, ctx: Ctx): JsonObject {
  const rule = typeof rec.leave_rule_id === "string" ? ctx.store.get("leave_rules", rec.leave_rule_id) : undefined;
  return {
    ...pick(rec, [
      "id",
      "title",
      "description",
      "leave_type",
      "leave_rule_id",
      "company_id",
      "is_active",
      "limit",
      "leave_day",
      "calculation_method",
      "standby_time",
      "standby_time_days",
      "is_request_hourly",
      "created_at",
      "updated_at",
      "is_annual_leave",
      "is_annual_leave_reset",
      "is_document_required",
      "period_type",
      "one_day_working_hour",
      "gender_type",
      "is_negative_balance",
      "limit_min",
      "is_working_saturday",
      "is_add_week_break",
      "is_include_friday",
      "client_id",
    ]),
    leave_rule: rule ? renderLeaveRule(rule) : null,
    leave_type_users: rec.leave_type_users ?? [],
    leave_type_extra_days: rec.leave_type_extra_days ?? [],
    leave_type_age_extra_days: rec.leave_type_age_extra_days ?? [],
  };
}

/** The user's leaves in their flat shape (for the profile embed). */
function userLeaves(ctx: Ctx): (user: Rec) => Json[] {
  return (user) =>
    ctx.store
      .ofCompany("leaves", user.company_id)
      .filter((l) => l.user_id === user.id)
      .map(renderLeaveFlat);
}

/** The LeaveDetail of show and delete. */
export function renderLeaveDetail(rec: Rec, ctx: Ctx): JsonObject {
  const user = typeof rec.user_id === "string" ? ctx.store.get("users", rec.user_id) : undefined;
  const type = typeof rec.leave_type_id === "string" ? ctx.store.get("leave_types", rec.leave_type_id) : undefined;
  return {
    id: rec.id,
    title: rec.title ?? null,
    user: user ? renderUserProfile(user, ctx, userLeaves(ctx)) : null,
    ...pick(rec, LIST_KEYS_AFTER_USER),
    ...pick(rec, ["date_of_return", "signed_date", "working_days", "holiday_days", "total_days"]),
    leave_type: type ? renderLeaveType(type, ctx) : null,
    ...listExtras(rec, ctx),
  };
}
