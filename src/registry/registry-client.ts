/**
 * The session registry as the rest of the Worker sees it: functions over the
 * sharded RegistryDO (one shard per company, one directory), so callers never
 * build object names themselves.
 */
import { REGISTRY_DIRECTORY_NAME, registryShardName } from "./names";
import type { AuthMode } from "../contract/types";
import { encodeCursor, type Page, type PagePosition } from "./page-cursor";
import { type AuditInput, AuditInputSchema, type AuditRecord, type RemovalReason } from "./audit-sql";
import type { RevokeResult, ShardRevokeRequest } from "./registry-revoke";
import type { RegistryEntry, RequestCounts, SessionCounts } from "./schemas";
import type { SessionFilter } from "./session-filter";

/** The bindings the registry needs. */
export type RegistryEnv = Pick<Env, "REGISTRY">;

/** How long request counts accumulate in an isolate before one write to the directory. */
export const REQUEST_COUNT_FLUSH_MS = 1_000;

function shard(env: RegistryEnv, companyId: string): DurableObjectStub<import("../../durable-objects/registry").RegistryDO> {
  return env.REGISTRY.getByName(registryShardName(companyId));
}

function directory(env: RegistryEnv): DurableObjectStub<import("../../durable-objects/registry").RegistryDO> {
  return env.REGISTRY.getByName(REGISTRY_DIRECTORY_NAME);
}

/** Adds or replaces a session's entry in its company's shard (on login, mode switch, credential added). */
export async function registerSession(env: RegistryEnv, entry: RegistryEntry): Promise<void> {
  await shard(env, entry.companyId).upsert(entry);
}

/**
 * Marks a session as used at `at` (and its current mode). Cheap (one row
 * update), but still a Durable Object call: callers throttle it.
 * Resolves to whether the session was registered.
 */
export async function touchSession(env: RegistryEnv, companyId: string, hash: string, at: number, mode?: AuthMode): Promise<boolean> {
  return shard(env, companyId).touch(hash, at, mode);
}

/**
 * Removes a session's entry (logout, expiry). With a `reason`, the company's audit trail records
 * it, naming the session from its row or, when the row is already gone, from `known` (the ended
 * session's own entry). Resolves to whether it was registered.
 */
export async function unregisterSession(
  env: RegistryEnv,
  companyId: string,
  hash: string,
  reason?: RemovalReason,
  known?: RegistryEntry,
): Promise<boolean> {
  return shard(env, companyId).remove(hash, reason, known);
}

/**
 * Ends sessions of one company (one by handle, or all of a user's) for a caller authorised for
 * `req`'s scope (src/session/revocation.ts); each SessionDO re-checks it. One shard call.
 */
export async function revokeSessions(env: RegistryEnv, companyId: string, req: ShardRevokeRequest): Promise<RevokeResult> {
  return shard(env, companyId).revoke(req);
}

/** One page of a company's audit trail, newest first (ids below `before`); only `subjectUserId`'s records when given. */
export async function auditTrailPage(
  env: RegistryEnv,
  companyId: string,
  before: number | null,
  limit: number,
  subjectUserId: string | null,
): Promise<AuditRecord[]> {
  return shard(env, companyId).auditPage(before, limit, subjectUserId);
}

/**
 * Records an audit event of a company, best effort: a failure is swallowed (the event is in
 * the logs anyway), so an audit write never fails or changes the request that caused it.
 */
export async function recordAudit(env: RegistryEnv, companyId: string, input: AuditInput): Promise<void> {
  const valid = AuditInputSchema.safeParse(input);
  if (!valid.success) return; // a caller's bug, never a request's failure
  try {
    await shard(env, companyId).appendAudit(companyId, valid.data);
  } catch {
    // Best effort by design (see above).
  }
}

/** One company's live sessions, oldest first (for `passgage_session_list`). */
export async function listCompanySessions(env: RegistryEnv, companyId: string, now: number): Promise<RegistryEntry[]> {
  return shard(env, companyId).list(now);
}

/**
 * Live sessions of a company and of one account in it (the user `userId`, or the
 * company-key sessions when null), for the sign-in caps. One shard read.
 */
export async function countLiveSessions(
  env: RegistryEnv,
  companyId: string,
  userId: string | null,
  now: number,
): Promise<{ company: number; account: number }> {
  return shard(env, companyId).liveCounts(now, userId);
}

/** Companies whose shards currently hold sessions. */
export async function listCompanies(env: RegistryEnv): Promise<string[]> {
  return directory(env).companies();
}

/** One page of a company's live sessions, oldest first (for `passgage_session_list`): one shard read. */
export async function listCompanySessionsPage(
  env: RegistryEnv,
  companyId: string,
  now: number,
  cursor: PagePosition | null,
  limit: number,
  filter: SessionFilter = {},
): Promise<Page<RegistryEntry>> {
  const after = cursor !== null && cursor.companyId === companyId ? cursor : null;
  const rows = await shard(env, companyId).listPage(now, after, limit + 1, filter);
  return pageOf(rows, limit);
}

/**
 * One page of every live session (for `/admin/sessions`), company by company, oldest first
 * within a company: one directory read, then one read per shard until the page is full,
 * at most `limit` shards, so a page costs at most `limit + 1` calls whatever the totals.
 */
export async function listAllSessionsPage(
  env: RegistryEnv,
  now: number,
  cursor: PagePosition | null,
  limit: number,
  filter: SessionFilter = {},
): Promise<Page<RegistryEntry>> {
  const companies = await directory(env).companiesFrom(cursor?.companyId ?? "", limit);
  const items: RegistryEntry[] = [];
  for (const companyId of companies) {
    const after = cursor !== null && cursor.companyId === companyId ? cursor : null;
    const want = limit - items.length;
    const rows = await shard(env, companyId).listPage(now, after, want + 1, filter);
    items.push(...rows.slice(0, want));
    // This shard holds more than fits: the next page goes on after the page's last entry.
    if (rows.length > want) return { items, nextCursor: cursorAfter(items) };
  }
  // Every shard read is exhausted: the end, or (when the directory page was full) the next company.
  const lastCompany = companies.at(-1);
  if (companies.length < limit || lastCompany === undefined) return { items, nextCursor: null };
  return { items, nextCursor: encodeCursor({ companyId: `${lastCompany}\u0000`, createdAt: 0, hash: "000000000000" }) };
}

function cursorAfter(items: readonly RegistryEntry[]): string | null {
  const last = items.at(-1);
  return last ? encodeCursor({ companyId: last.companyId, createdAt: last.createdAt, hash: last.hash }) : null;
}

function pageOf(rows: readonly RegistryEntry[], limit: number): Page<RegistryEntry> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorAfter(items) : null };
}

/** Live-session counts summed over every occupied shard (for `/stats`). */
export async function sessionCounts(env: RegistryEnv, now: number): Promise<SessionCounts> {
  const companies = await listCompanies(env);
  const all = await Promise.all(companies.map((companyId) => shard(env, companyId).counts(now)));
  const total: SessionCounts = { total: 0, byMode: { user: 0, company: 0 } };
  for (const c of all) {
    total.total += c.total;
    total.byMode.user += c.byMode.user;
    total.byMode.company += c.byMode.company;
  }
  return total;
}

/** Adds request counts to the global counters now (one directory write). Prefer `countRequest`. */
export async function addRequestCounts(env: RegistryEnv, requests: number, rateLimited: number): Promise<void> {
  await directory(env).addRequestCounts(requests, rateLimited);
}

/** Global request counters (for `/stats`). Counts still batched in isolates are not included yet. */
export async function requestCounts(env: RegistryEnv): Promise<RequestCounts> {
  return directory(env).requestCounts();
}

/** A flush that has not finished this long after it was due is presumed lost (its request was cancelled). */
const REQUEST_COUNT_FLUSH_STALE_MS = 30_000;

/** Counts batched in this isolate, not yet written to the directory, and when the pending flush is due. */
const pending: { requests: number; rateLimited: number; flushDueAt: number | null } = {
  requests: 0,
  rateLimited: 0,
  flushDueAt: null,
};

/**
 * Counts one request (and whether it was rate limited) for `/stats`. Counts
 * accumulate in the isolate and are written at most once per
 * REQUEST_COUNT_FLUSH_MS, under `waitUntil` of the request that opened the
 * batch, so the single directory object sees O(isolates) writes per second,
 * not O(requests). A batch is lost only if its isolate dies before the flush.
 */
export function countRequest(env: RegistryEnv, ctx: Pick<ExecutionContext, "waitUntil">, rateLimited: boolean): void {
  pending.requests += 1;
  if (rateLimited) pending.rateLimited += 1;
  const now = Date.now();
  if (pending.flushDueAt !== null && now < pending.flushDueAt + REQUEST_COUNT_FLUSH_STALE_MS) return;
  pending.flushDueAt = now + REQUEST_COUNT_FLUSH_MS;
  ctx.waitUntil(flushLater(env));
}

async function flushLater(env: RegistryEnv): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, REQUEST_COUNT_FLUSH_MS));
  const { requests, rateLimited } = pending;
  pending.requests = 0;
  pending.rateLimited = 0;
  pending.flushDueAt = null;
  if (requests === 0 && rateLimited === 0) return;
  try {
    await addRequestCounts(env, requests, rateLimited);
  } catch {
    // Put the batch back; the next request's flush retries it.
    pending.requests += requests;
    pending.rateLimited += rateLimited;
  }
}
