/**
 * How composite tools call Passgage: only through contract operations, by id,
 * with the same request builder and error mapping as the generated tools, so a
 * composite can never reach a path outside the contract. `contractOp` runs at
 * module load and throws on an unknown id (a bug the catalog test catches).
 */
import { OPERATIONS_BY_ID } from "../../contract/operations";
import type { Operation } from "../../contract/types";
import { err, ok, type Result } from "../../result";
import { callOp, type OpAnswer } from "../call-op";
import type { ToolContext, ToolError } from "../define-tool";
import { pageMeta } from "../render";

/** The contract operation with this id; throws when the contract has none. */
export function contractOp(id: string): Operation {
  const op = OPERATIONS_BY_ID.get(id);
  if (op === undefined) throw new Error(`composite tool refers to unknown operation ${id}`);
  return op;
}

/** Records of a list answer (an empty array for anything else). */
export function itemsOf(answer: OpAnswer): readonly Record<string, unknown>[] {
  return Array.isArray(answer.data)
    ? answer.data.filter((x): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x))
    : [];
}

/** Total count of a list answer (its meta, else the page length). */
export function totalOf(answer: OpAnswer): number {
  return pageMeta(answer.meta, 1, itemsOf(answer).length).total_count;
}

/** Result of reading several pages of a list. */
export interface PagedItems {
  readonly items: readonly Record<string, unknown>[];
  /** Whether pages were left unread (the page cap or the stop condition was hit first). */
  readonly truncated: boolean;
}

/**
 * Reads pages 1..maxPages of a list at 50 per page, stopping early at the last
 * page or when `stop` says the rest is out of range.
 */
export async function readPages(
  ctx: ToolContext,
  op: Operation,
  input: Readonly<Record<string, unknown>>,
  maxPages: number,
  stop?: (pageItems: readonly Record<string, unknown>[]) => boolean,
): Promise<Result<PagedItems, ToolError>> {
  const items: Record<string, unknown>[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const r = await callOp(ctx, op, { ...input, page, per_page: 50 });
    if (!r.ok) return r;
    const pageItems = itemsOf(r.value);
    items.push(...pageItems);
    const meta = pageMeta(r.value.meta, page, pageItems.length);
    if (pageItems.length === 0 || meta.current_page >= meta.total_pages) return ok({ items, truncated: false });
    if (stop?.(pageItems) === true) return ok({ items, truncated: false });
  }
  return ok({ items, truncated: true });
}

/** Today's date (UTC) as YYYY-MM-DD, from the call's clock. */
export function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** A string field of a record, or null. */
export function str(rec: Readonly<Record<string, unknown>> | null | undefined, key: string): string | null {
  const v = rec?.[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

/** The signed-in user's id (user mode), or a tool error explaining it is needed. */
export function sessionUserId(ctx: ToolContext): Result<string, ToolError> {
  const id = ctx.session?.mode === "user" ? ctx.session.user?.id : undefined;
  return id
    ? ok(id)
    : err({ code: "no_user", message: 'This needs a user-mode session (passgage_session_login); company mode has no "me".' });
}
