/**
 * The generic operation engine: serves any contract operation of kind list,
 * get, create, update or delete from its resource definition, and the few
 * special operations (approval sub-lists, flows by type, extra work types,
 * shift settings, KPI goals, presigned uploads) by operation id.
 *
 * Rules common to every resource:
 * - every record is scoped to the caller's company; another company's id is
 *   a 404, never a 403 (existence never leaks);
 * - a user JWT sees only its own records where the resource has an owner
 *   (leaves, user shifts, entrances, ...), others are 404 too;
 * - lists are paginated (page default 1, per_page default 25, clamped to 50)
 *   and filtered/sorted with Ransack `q[...]`;
 * - delete answers the deleted record (rendered before it goes).
 */
import type { Operation } from "../src/contract/types";
import type { Ctx } from "./context";
import { fail, notFound, ok, okList, type Reply } from "./envelope";
import { pagination } from "./query";
import { compileFilter, sortRecords } from "./ransack";
import { newRecord } from "./records";
import type { ResourceDef } from "./resource";
import { RESOURCES } from "./resources";
import { setKpiGoal } from "./resources/goals";
import { EXTRA_WORK_TYPES, shiftSettingsReply } from "./resources/shifts";
import { searchSpace } from "./search-space";
import type { Json, Rec, SandboxBody } from "./types";
import { validateBody } from "./validate";

/** Approval sub-lists and the statuses they show (API.md §8.2). */
const APPROVAL_SUBLISTS: Readonly<Record<string, readonly string[]>> = {
  "approvals.pending": ["pending"],
  "approvals.approved": ["approved"],
  "approvals.rejected": ["rejected"],
  "approvals.waiting_for_approval": ["pending", "in_progress"],
};

/** The resource definition serving an operation. */
export function resourceFor(op: Operation): ResourceDef | undefined {
  if (op.id === "shifts.extra_work_types") return EXTRA_WORK_TYPES;
  return RESOURCES[op.resource];
}

/** Whether the caller may see a record (company, parent, own-data rule). */
function visible(def: ResourceDef, rec: Rec, ctx: Ctx): boolean {
  if (rec.company_id !== ctx.companyId) return false;
  if (def.parent && rec[def.parent.column] !== ctx.params[def.parent.param]) return false;
  const user = ctx.caller.user;
  if (user === null) return true;
  if (def.visibleToUser) return def.visibleToUser(rec, ctx);
  if (def.ownerColumn) return rec[def.ownerColumn] === user.id;
  return true;
}

function missing(def: ResourceDef): Reply {
  return def.notFound ? def.notFound() : notFound();
}

/** Checks the parent of a nested resource exists in the caller's company. */
function parentMissing(def: ResourceDef, ctx: Ctx): Reply | null {
  if (!def.parent) return null;
  const parent = ctx.store.getInCompany(def.parent.table, ctx.params[def.parent.param], ctx.companyId);
  return parent ? null : missing(def);
}

/** Finds the record an operation addresses, or the 404 to answer. */
function findRecord(def: ResourceDef, ctx: Ctx): { rec: Rec } | { reply: Reply } {
  const parent = parentMissing(def, ctx);
  if (parent) return { reply: parent };
  const rec = ctx.store.get(def.table, ctx.params.id);
  if (!rec || !visible(def, rec, ctx)) return { reply: missing(def) };
  return { rec };
}

/** A paginated, filtered, sorted list. `extra` narrows further (approval sub-lists). */
function listReply(def: ResourceDef, ctx: Ctx, extra?: (rec: Rec) => boolean): Reply {
  const parent = parentMissing(def, ctx);
  if (parent) return parent;
  const space = searchSpace(ctx.store);
  const filter = compileFilter(space, def.table, ctx.query.conditions);
  const rows = ctx.store.all(def.table).filter((r) => visible(def, r, ctx) && (extra ? extra(r) : true) && filter.test(r));
  const { sorted, ignored } = sortRecords(space, def.table, rows, ctx.query.sorts);
  const { page, perPage } = pagination(ctx.query.params);
  const slice = sorted.slice((page - 1) * perPage, page * perPage);
  const reply = okList(
    slice.map((r) => def.renderList(r, ctx)),
    { current_page: page, total_pages: Math.ceil(sorted.length / perPage), total_count: sorted.length },
  );
  const skipped = [...filter.ignored, ...ignored];
  // Unknown filters are ignored, as Ransack does by default; the sandbox names them for debugging.
  return skipped.length > 0 ? { ...reply, headers: [["X-Sandbox-Ignored-Filters", skipped.join(", ")]] } : reply;
}

function validationStyle(def: ResourceDef, creating: boolean) {
  const message = creating ? def.invalidMessage?.create : def.invalidMessage?.update;
  return {
    ...(message !== undefined ? { message } : {}),
    ...(def.fieldAliases ? { aliases: def.fieldAliases } : {}),
    ...(def.labels ? { labels: def.labels } : {}),
  };
}

async function createReply(op: Operation, def: ResourceDef, ctx: Ctx, body: SandboxBody): Promise<Reply> {
  if (!def.create) return fail(405, "Method not allowed");
  const parent = parentMissing(def, ctx);
  if (parent) return parent;
  const v = validateBody(op.body, body, validationStyle(def, true));
  if (!v.ok) return v.reply;
  const fields = def.prepare ? await def.prepare(v.fields) : v.fields;
  const outcome = def.create(fields, ctx);
  if (!outcome.ok) return outcome.reply;
  ctx.store.put(def.table, outcome.rec);
  const render = def.renderCreated ?? def.renderWrite ?? def.renderShow ?? def.renderList;
  return ok(op.successStatus, def.messages?.created ?? "", render(outcome.rec, ctx));
}

async function updateReply(op: Operation, def: ResourceDef, ctx: Ctx, body: SandboxBody): Promise<Reply> {
  if (!def.update) return fail(405, "Method not allowed");
  const found = findRecord(def, ctx);
  if ("reply" in found) return found.reply;
  const v = validateBody(op.body, body, validationStyle(def, false));
  if (!v.ok) return v.reply;
  const fields = def.prepare ? await def.prepare(v.fields) : v.fields;
  const outcome = def.update(found.rec, fields, ctx);
  if (!outcome.ok) return outcome.reply;
  ctx.store.put(def.table, outcome.rec);
  const render = def.renderWrite ?? def.renderShow ?? def.renderList;
  return ok(op.successStatus, def.messages?.updated ?? "", render(outcome.rec, ctx));
}

function deleteReply(def: ResourceDef, ctx: Ctx): Reply {
  const found = findRecord(def, ctx);
  if ("reply" in found) return found.reply;
  const refusal = def.beforeDelete ? def.beforeDelete(found.rec, ctx) : null;
  if (refusal) return refusal;
  const rendered = (def.renderDeleted ?? def.renderShow ?? def.renderList)(found.rec, ctx);
  ctx.store.delete(def.table, found.rec.id);
  if (def.afterDelete) def.afterDelete(found.rec, ctx);
  return def.deleteReply ? def.deleteReply(found.rec, ctx) : ok(200, def.messages?.deleted ?? "", rendered);
}

/** Random lowercase alphanumerics. */
function randomKey(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => alphabet[b % alphabet.length] ?? "a").join("");
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function hex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Presigned upload slots (API.md §8.13): fake-but-plausible Active Storage URLs served by the sandbox itself. */
function presignedReply(op: Operation, ctx: Ctx, body: SandboxBody): Reply {
  const v = validateBody(op.body, body);
  if (!v.ok) return v.reply;
  const expires = new Date(Date.now() + 1800_000).toISOString();
  const data: Json[] = v.items.map((item) => {
    const key = randomKey(28);
    const filename = typeof item.filename === "string" ? item.filename : "file";
    const contentType = typeof item.content_type === "string" ? item.content_type : "application/octet-stream";
    const checksum = typeof item.checksum === "string" ? item.checksum : "";
    const blobToken = base64(
      JSON.stringify({
        _rails: {
          message: base64(JSON.stringify({ key, content_type: contentType, content_length: item.byte_size ?? 0, checksum })),
          exp: expires,
          pur: "blob_token",
        },
      }),
    );
    const signedId = `${base64(JSON.stringify({ _rails: { message: base64(`BAhJIilk${key}`), exp: null, pur: "blob_id" } }))}--${hex(20)}`;
    ctx.store.put(
      "files",
      newRecord("files", ctx, { filename, byte_size: item.byte_size ?? 0, checksum, content_type: contentType, key, uploaded: false }),
    );
    return {
      url: `${ctx.origin}/rails/active_storage/disk/${encodeURIComponent(`${blobToken}--${hex(20)}`)}`,
      headers: {
        "Content-Type": contentType,
        "Content-MD5": checksum,
        "Content-Disposition": `inline; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      },
      signed_id: signedId,
    };
  });
  return ok(op.successStatus, "", data, null);
}

/** The PUT of file bytes to a presigned URL: 200 with an empty body for a known, unexpired slot. */
export function uploadReply(token: string, store: Ctx["store"]): Reply {
  const raw = decodeURIComponent(token).split("--")[0] ?? "";
  try {
    const outer: unknown = JSON.parse(atob(raw));
    const rails = outer !== null && typeof outer === "object" && "_rails" in outer ? outer._rails : null;
    const message = rails !== null && typeof rails === "object" && "message" in rails ? rails.message : null;
    const exp = rails !== null && typeof rails === "object" && "exp" in rails ? rails.exp : null;
    const inner: unknown = typeof message === "string" ? JSON.parse(atob(message)) : null;
    const key = inner !== null && typeof inner === "object" && "key" in inner ? inner.key : null;
    const file = store.all("files").find((f) => f.key === key);
    if (!file || (typeof exp === "string" && Date.parse(exp) < Date.now())) return { status: 404, body: null, raw: "" };
    store.put("files", { ...file, uploaded: true });
    return { status: 200, body: null, raw: "" };
  } catch {
    return { status: 422, body: null, raw: "" };
  }
}

/** Serves an authorised contract operation. */
export async function runOperation(op: Operation, ctx: Ctx, body: SandboxBody): Promise<Reply> {
  switch (op.id) {
    case "shift_settings.get":
      return shiftSettingsReply(ctx);
    case "kpis.set_goal": {
      const v = validateBody(op.body, body);
      return v.ok ? setKpiGoal(v.fields, ctx) : v.reply;
    }
    case "files.presigned_upload":
      return presignedReply(op, ctx, body);
    case "approval_flows.by_type": {
      const flowType = ctx.query.params.get("flow_type");
      const def = RESOURCES.approval_flows;
      if (!def) return notFound();
      if (flowType === undefined || flowType.trim() === "") {
        return fail(422, "Unprocessable entity", [{ field_name: "flow_type", messages: ["flow_type doldurulmalı"] }]);
      }
      return listReply(def, ctx, (r) => r.flow_type === flowType);
    }
    default:
      break;
  }
  const statuses = APPROVAL_SUBLISTS[op.id];
  const def = resourceFor(op);
  if (!def) return notFound("Not found");
  if (statuses) return listReply(def, ctx, (r) => typeof r.status === "string" && statuses.includes(r.status));
  switch (op.kind) {
    case "list":
      return listReply(def, ctx);
    case "get": {
      const found = findRecord(def, ctx);
      return "reply" in found ? found.reply : ok(200, "", (def.renderShow ?? def.renderList)(found.rec, ctx));
    }
    case "create":
      return createReply(op, def, ctx, body);
    case "update":
      return updateReply(op, def, ctx, body);
    case "delete":
      return deleteReply(def, ctx);
    case "action":
      return notFound("Not found");
  }
}

/** Multipart file names of a body (`files[]` parts). */
export function uploadedFileNames(body: SandboxBody): string[] {
  return body.kind === "form" ? body.files.map(([, name]) => name) : [];
}
