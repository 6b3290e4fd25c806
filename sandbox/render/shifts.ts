/**
 * Renderers of shifts and their parts: the shift endpoints' shape (with
 * slacks and night works), the rich embed of user shift lists, the short
 * embed of user shift writes, slacks and night works (API.md §8.21–8.24, §8.31).
 */
import type { Ctx } from "../context";
import { pick } from "../records";
import type { JsonObject, Rec } from "../types";

/** A slack (break). */
export function renderSlack(rec: Rec): JsonObject {
  return pick(rec, ["id", "title", "description", "shift_id", "starting_time", "end_time", "is_active", "slack_type", "duration"]);
}

/** A night work window. */
export function renderNightWork(rec: Rec): JsonObject {
  return pick(rec, ["id", "shift_id", "minutes", "work_type"]);
}

/** A shift as the shift endpoints return it: with its slacks and night works. */
export function renderShift(rec: Rec, ctx: Ctx): JsonObject {
  const slacks = ctx.store.ofCompany("slacks", rec.company_id).filter((s) => s.shift_id === rec.id);
  const nights = ctx.store.ofCompany("night_works", rec.company_id).filter((n) => n.shift_id === rec.id);
  return {
    ...pick(rec, ["id", "created_at", "updated_at", "name", "is_active"]),
    slacks: slacks.map(renderSlack),
    night_works: nights.map(renderNightWork),
  };
}

/** The rich shift embedded in user shift lists. */
export function renderShiftRich(rec: Rec): JsonObject {
  return pick(rec, [
    "id",
    "check_in_time",
    "check_out_time",
    "code",
    "color_code",
    "early_check_in",
    "early_check_out",
    "extra_time_tolerance",
    "flexible_shift_hours",
    "flexible_shift_minutes",
    "is_active",
    "is_holiday",
    "is_offset",
    "is_saturday_work",
    "is_shop_closing",
    "is_shop_opening",
    "is_mid_shift",
    "late_check_in",
    "late_check_out",
    "name",
    "shift_type",
    "created_at",
    "updated_at",
  ]);
}

/** The short shift embedded in user shift create/update responses. */
export function renderShiftShort(rec: Rec): JsonObject {
  return pick(rec, ["id", "created_at", "updated_at", "name", "is_active"]);
}

/** An extra work type. */
export function renderExtraWorkType(rec: Rec): JsonObject {
  return pick(rec, ["id", "name", "multiplier", "is_active"]);
}
