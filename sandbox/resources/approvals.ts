/**
 * Approvals and approval flows (API.md §8.2, §8.3), read-only. A user JWT
 * sees the approvals of its own requests and those where it is one of the
 * approvers (a manager sees what waits on them). Unknown ids answer the
 * folder's "Kayıt bulunamadı" 404 with string errors.
 */
import type { Ctx } from "../context";
import { notFound } from "../envelope";
import { isObject } from "../json";
import { pick } from "../records";
import { avatarUrl, fullName, renderUserMini } from "../render/users";
import type { ResourceDef } from "../resource";
import type { Json, Rec } from "../types";

function approvalUsers(rec: Rec, ctx: Ctx): Json[] {
  const list = Array.isArray(rec.approval_users) ? rec.approval_users : [];
  return list.filter(isObject).map((au) => {
    const user = typeof au.user_id === "string" ? ctx.store.get("users", au.user_id) : undefined;
    return {
      id: au.id ?? null,
      user_id: au.user_id ?? null,
      user_name: user ? fullName(user) : null,
      user_email: user ? (user.email ?? null) : null,
      user_avatar_url: user ? avatarUrl(user) : null,
      status: au.status ?? null,
      comment: au.comment ?? null,
      seq: au.seq ?? null,
      is_require: au.is_require ?? true,
      created_at: au.created_at ?? null,
      updated_at: au.updated_at ?? null,
    };
  });
}

/** Whether the user filed the request or is one of its approvers. */
export function approvalVisibleTo(rec: Rec, userId: string): boolean {
  if (rec.requester_id === userId) return true;
  const list = Array.isArray(rec.approval_users) ? rec.approval_users : [];
  return list.some((au) => isObject(au) && au.user_id === userId);
}

const KAYIT_BULUNAMADI = (what: string) => () => notFound("Kayıt bulunamadı", [`${what} bulunamadı`]);

/** Approvals. */
export const APPROVALS: ResourceDef = {
  table: "approvals",
  notFound: KAYIT_BULUNAMADI("Onay kaydı"),
  visibleToUser: (rec, ctx) => ctx.caller.user !== null && approvalVisibleTo(rec, ctx.caller.user.id),
  renderList: (rec, ctx) => {
    const flow = typeof rec.approval_flow_id === "string" ? ctx.store.get("approval_flows", rec.approval_flow_id) : undefined;
    return {
      ...pick(rec, ["id", "status", "approvable_type", "approvable_id", "current_step", "total_steps", "created_at", "updated_at"]),
      approval_flow: flow ? pick(flow, ["id", "title", "flow_type", "is_active", "is_main_flow"]) : null,
      approval_users: approvalUsers(rec, ctx),
    };
  },
};

/** Approval flows. */
export const APPROVAL_FLOWS: ResourceDef = {
  table: "approval_flows",
  notFound: KAYIT_BULUNAMADI("Onay akışı"),
  renderList: (rec, ctx) => {
    const list = Array.isArray(rec.approval_flow_users) ? rec.approval_flow_users : [];
    return {
      ...pick(rec, [
        "id",
        "title",
        "flow_type",
        "is_active",
        "is_main_flow",
        "use_hierarchy",
        "hierarchy_level",
        "created_at",
        "updated_at",
        "department_ids",
        "branch_ids",
        "job_position_ids",
        "person_ids",
      ]),
      approval_flow_users: list.filter(isObject).map((fu) => ({
        id: fu.id ?? null,
        user_id: fu.user_id ?? null,
        seq: fu.seq ?? null,
        is_require: fu.is_require ?? true,
        user: renderUserMini(typeof fu.user_id === "string" ? ctx.store.get("users", fu.user_id) : undefined),
      })),
    };
  },
};
