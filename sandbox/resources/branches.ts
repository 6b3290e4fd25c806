/**
 * Branches and branch groups (API.md §8.6, §8.7). Branch coordinates are sent
 * as numbers and rendered as strings; the list omits `client_id`. A branch
 * group takes its branches by ids or by `branch_name` / `branch_code`.
 */
import type { Ctx } from "../context";
import { num, str, strList, text } from "../json";
import { defined, errorsOf, invalid, newRecord, pick, requireFilled, requireUnique, touch, written } from "../records";
import { renderBranch } from "../render/org";
import type { ResourceDef } from "../resource";
import type { JsonObject, Rec } from "../types";

/** Coordinates as the API stores them (strings), other fields as given. */
function branchFields(fields: JsonObject): JsonObject {
  const out = defined(fields);
  for (const key of ["latitude", "longitude"] as const) {
    if (key in out) {
      const n = num(out[key]);
      out[key] = n === null ? null : String(n);
    }
  }
  return out;
}

/** Branches. */
export const BRANCHES: ResourceDef = {
  table: "branches",
  renderList: (rec) => renderBranch(rec, false),
  renderShow: (rec) => renderBranch(rec, true),
  messages: {
    created: "Successfully created branch",
    updated: "Successfully updated branch",
    deleted: "Successfully deleted branch",
  },
  create: (fields, ctx) => {
    const errors = errorsOf(
      requireFilled(fields.title, "title", "Şube Adı"),
      requireUnique(ctx, "branches", "title", fields.title, "Şube Adı"),
    );
    if (errors.length > 0) return invalid(errors);
    return written(newRecord("branches", ctx, branchFields(fields)));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf(
      "title" in fields ? requireFilled(fields.title, "title", "Şube Adı") : null,
      requireUnique(ctx, "branches", "title", fields.title, "Şube Adı", rec.id),
    );
    if (errors.length > 0) return invalid(errors);
    return written(touch(rec, branchFields(fields), ctx));
  },
  afterDelete: (rec, ctx) => {
    for (const u of ctx.store.ofCompany("users", ctx.companyId)) {
      if (u.branch_id === rec.id) ctx.store.put("users", { ...u, branch_id: null });
    }
  },
};

/** Resolves the branch ids of a branch group body (ids, or a branch by name or code). */
function groupBranchIds(fields: JsonObject, current: string[], ctx: Ctx): string[] {
  let ids = "branch_ids" in fields ? strList(fields.branch_ids) : current;
  const branches = ctx.store.ofCompany("branches", ctx.companyId);
  const name = str(fields.branch_name);
  const code = str(fields.branch_code);
  const byName = name ? branches.find((b) => text(b.title).toLocaleLowerCase("tr-TR") === name.toLocaleLowerCase("tr-TR")) : undefined;
  const byCode = code ? branches.find((b) => b.client_id === code) : undefined;
  for (const b of [byName, byCode]) if (b && !ids.includes(b.id)) ids = [...ids, b.id];
  return ids.filter((id) => branches.some((b) => b.id === id));
}

function renderGroup(rec: Rec, ctx: Ctx): JsonObject {
  const ids = strList(rec.branch_ids);
  return {
    ...pick(rec, ["id", "title", "description", "is_active", "client_id"]),
    branch_ids: ids,
    branches: ids
      .map((id) => ctx.store.get("branches", id))
      .filter((b): b is Rec => b !== undefined)
      .map((b) => ({ id: b.id, title: b.title ?? null, client_id: b.client_id ?? null })),
    ...pick(rec, ["created_at", "updated_at"]),
  };
}

/** Branch groups. */
export const BRANCH_GROUPS: ResourceDef = {
  table: "branch_groups",
  renderList: renderGroup,
  messages: {
    created: "Successfully created branch group",
    updated: "Successfully updated branch group",
    deleted: "Successfully deleted branch group",
  },
  create: (fields, ctx) => {
    const errors = errorsOf(requireFilled(fields.title, "title", "Şube Grubu Adı"));
    if (errors.length > 0) return invalid(errors);
    const { branch_name: _n, branch_code: _c, ...rest } = defined(fields);
    return written(newRecord("branch_groups", ctx, { ...rest, branch_ids: groupBranchIds(fields, [], ctx) }));
  },
  update: (rec, fields, ctx) => {
    const errors = errorsOf("title" in fields ? requireFilled(fields.title, "title", "Şube Grubu Adı") : null);
    if (errors.length > 0) return invalid(errors);
    const { branch_name: _n, branch_code: _c, ...rest } = defined(fields);
    return written(touch(rec, { ...rest, branch_ids: groupBranchIds(fields, strList(rec.branch_ids), ctx) }, ctx));
  },
};
