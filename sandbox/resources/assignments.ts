/**
 * Rotation: assignment requests (§8.5), rotation users and temporary
 * assignments (§8.27). End must follow start and the span may not exceed the
 * company's `rotation_day_limitation` (shift settings). A new request opens a
 * pending approval. Users see their own records only.
 */
import type { Ctx } from "../context";
import { type FieldError } from "../envelope";
import { str } from "../json";
import { defined, errorsOf, invalid, newRecord, pick, requireRef, touch, written } from "../records";
import type { ResourceDef } from "../resource";
import { daysInclusive } from "../time";
import type { JsonObject, Rec } from "../types";
import { dropApprovals, openApproval } from "./leaves";

function periodErrors(ctx: Ctx, start: string | null, end: string | null): FieldError[] {
  if (start === null || end === null) return [];
  if (end <= start) return [{ field_name: "end_date", messages: ["Bitiş tarihi başlangıç tarihinden sonra olmalıdır"] }];
  const settings = ctx.store.ofCompany("shift_settings", ctx.companyId)[0];
  const limit = settings && typeof settings.rotation_day_limitation === "number" ? settings.rotation_day_limitation : null;
  if (limit !== null && limit > 0 && daysInclusive(start, end) > limit) {
    return [{ field_name: "end_date", messages: [`Görevlendirme süresi ${limit} günü aşamaz`] }];
  }
  return [];
}

const REQUEST_KEYS = [
  "id",
  "user_id",
  "branch_id",
  "job_position_id",
  "original_branch_id",
  "original_job_position_id",
  "start_date",
  "end_date",
  "description",
  "status",
  "created_at",
  "updated_at",
];

/** Assignment requests. */
export const ASSIGNMENT_REQUESTS: ResourceDef = {
  table: "assignment_requests",
  ownerColumn: "user_id",
  renderList: (rec, ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    return { ...pick(rec, REQUEST_KEYS), user_client_id: user ? (user.client_id ?? null) : null };
  },
  messages: {
    created: "Successfully created assignment request",
    updated: "Successfully updated assignment request",
    deleted: "Successfully deleted assignment request",
  },
  create: (fields, ctx) => {
    const errors = [
      ...errorsOf(
        requireRef(ctx, "users", fields.user_id, "user", "Kullanıcı"),
        requireRef(ctx, "branches", fields.branch_id, "branch", "Şube"),
        requireRef(ctx, "job_positions", fields.job_position_id, "job_position", "Pozisyon"),
      ),
      ...periodErrors(ctx, str(fields.start_date), str(fields.end_date)),
    ];
    const user = typeof fields.user_id === "string" ? ctx.store.getInCompany("users", fields.user_id, ctx.companyId) : undefined;
    if (errors.length > 0 || !user) return invalid(errors);
    const rec = newRecord("assignment_requests", ctx, {
      ...defined(fields),
      original_branch_id: user.branch_id ?? null,
      original_job_position_id: user.job_position_id ?? null,
      status: "pending",
    });
    openApproval(ctx, "AssignmentRequest", rec, user, "assignment_request_approval");
    return written(rec);
  },
  update: (rec, fields, ctx) => {
    const errors = [
      ...errorsOf(
        requireRef(ctx, "branches", fields.branch_id, "branch", "Şube"),
        requireRef(ctx, "job_positions", fields.job_position_id, "job_position", "Pozisyon"),
      ),
      ...periodErrors(ctx, str(fields.start_date) ?? str(rec.start_date), str(fields.end_date) ?? str(rec.end_date)),
    ];
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, defined(fields), ctx));
  },
  afterDelete: (rec, ctx) => dropApprovals(ctx, rec.id),
};

function branchCode(ctx: Ctx, id: unknown): JsonObject[string] {
  const b = typeof id === "string" ? ctx.store.get("branches", id) : undefined;
  return b ? (b.client_id ?? null) : null;
}

/** Rotation users. */
export const ROTATION_USERS: ResourceDef = {
  table: "rotation_users",
  ownerColumn: "user_id",
  renderList: (rec: Rec, ctx: Ctx) => {
    const user = ctx.store.get("users", typeof rec.user_id === "string" ? rec.user_id : null);
    return {
      ...pick(rec, ["id", "user_id", "branch_id", "start_date", "end_date", "original_branch_id", "status"]),
      original_branch_code: branchCode(ctx, rec.original_branch_id),
      branch_code: branchCode(ctx, rec.branch_id),
      user_client_id: user ? (user.client_id ?? null) : null,
    };
  },
};

/** Temporary assignments. */
export const TEMPORARY_ASSIGNMENTS: ResourceDef = {
  table: "temporary_assignments",
  ownerColumn: "user_id",
  renderList: (rec) =>
    pick(rec, [
      "id",
      "user_id",
      "assignment_request_id",
      "description",
      "start_date",
      "end_date",
      "job_position_id",
      "branch_id",
      "original_job_position_id",
      "original_branch_id",
      "status",
      "created_at",
      "updated_at",
    ]),
};
