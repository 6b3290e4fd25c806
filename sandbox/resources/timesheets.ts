/**
 * Read-only time records: payrolls (§8.33, company keys only) and user extra
 * works (§8.34, users see their own). Unknown ids answer "Kayıt bulunamadı".
 */
import { notFound } from "../envelope";
import { pick } from "../records";
import { renderUserMini } from "../render/users";
import type { ResourceDef } from "../resource";
import { text } from "../json";

/** Payrolls (daily timesheet lines). */
export const PAYROLLS: ResourceDef = {
  table: "payrolls",
  ownerColumn: "user_id",
  notFound: () => notFound("Kayıt bulunamadı", ["Bordro kaydı bulunamadı"]),
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    const company = ctx.store.get("companies", rec.company_id);
    const shift = ctx.store.get("shifts", typeof rec.shift_id === "string" ? rec.shift_id : null);
    const leave = ctx.store.get("leaves", typeof rec.leave_id === "string" ? rec.leave_id : null);
    return {
      ...pick(rec, [
        "id",
        "date_of_work",
        "actual_entrance",
        "actual_exit",
        "actual_hours",
        "excepted_hours",
        "overtime",
        "public_holiday_overtime",
        "is_holiday",
        "is_weekend",
        "shift_name",
        "leave_name",
        "leave_type",
        "created_at",
        "updated_at",
      ]),
      user: renderUserMini(user),
      company: company ? pick(company, ["id", "name"]) : null,
      shift: shift ? pick(shift, ["id", "name", "check_in_time", "check_out_time"]) : null,
      leave: leave ? pick(leave, ["id", "title", "start_date", "end_date"]) : null,
    };
  },
};

/** User extra works (overtime records). */
export const USER_EXTRA_WORKS: ResourceDef = {
  table: "user_extra_works",
  ownerColumn: "user_id",
  notFound: () => notFound("Kayıt bulunamadı", ["Fazla mesai kaydı bulunamadı"]),
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    const hm = (t: unknown): string => (typeof t === "string" ? t.slice(0, 5) : "");
    return {
      ...pick(rec, [
        "id",
        "user_id",
        "company_id",
        "date_of_extra_work",
        "start_time",
        "end_time",
        "check_in_time",
        "check_out_time",
        "status",
        "description",
      ]),
      name: `${text(rec.description)} (${hm(rec.check_in_time)} - ${hm(rec.check_out_time)})`,
      ...pick(rec, ["overtime", "auto_generated", "time_in_seconds", "created_at", "updated_at"]),
      user: user ? pick(user, ["id", "first_name", "last_name", "email", "client_id"]) : null,
    };
  },
};
