/**
 * Listing, revocation and the audit trail as every surface offers them (the session tools, the
 * JSON endpoints, the console): one function each, taking the caller as a `Revoker` derived from
 * the caller's own credential (src/session/revocation.ts), so the scope (own company, own
 * sessions, or every company for operators) is decided here, once, before any registry call,
 * and re-checked by the SessionDO being ended.
 */
import { err, ok, type Result } from "../result";
import { actorLabel, type Revoker, scopeOf } from "../session/revocation";
import type { AuditRecord } from "./audit-sql";
import { type ListedSession, listedSession } from "./listed-session";
import type { Page, PagePosition } from "./page-cursor";
import { auditTrailPage, listAllSessionsPage, listCompanySessionsPage, revokeSessions } from "./registry-client";
import type { RevokeResult, RevokeTarget } from "./registry-revoke";
import type { SessionFilter } from "./session-filter";

/** Why a listing, revocation or audit read was refused (a 400 on the wire, a tool error in MCP). */
export interface AdminError {
  readonly code: "company_required";
  readonly message: string;
}

/** A listing request (`company`: operators only, narrows to one company; ignored for everyone else). */
export interface ListRequest {
  readonly position: PagePosition | null;
  readonly limit: number;
  readonly filter: SessionFilter;
  readonly company?: string | null;
}

/** One page of the sessions `revoker` may see, filtered. */
export async function listSessionsFor(
  env: Pick<Env, "REGISTRY">,
  revoker: Revoker,
  req: ListRequest,
  now: number,
): Promise<Page<ListedSession>> {
  const scope = scopeOf(revoker, req.company ?? null);
  const filter: SessionFilter = scope.scopeUserId === null ? req.filter : { ...req.filter, scopeUserId: scope.scopeUserId };
  const page =
    scope.companyId === null
      ? await listAllSessionsPage(env, now, req.position, req.limit, filter)
      : await listCompanySessionsPage(env, scope.companyId, now, req.position, req.limit, filter);
  const self = revoker.kind === "operator" ? null : revoker.selfHandle;
  // Defence in depth: a shard answers for its own company only, and a user sees only their own rows.
  const items = page.items.filter(
    (e) => (scope.companyId === null || e.companyId === scope.companyId) && (scope.scopeUserId === null || e.userId === scope.scopeUserId),
  );
  return { items: items.map((e) => listedSession(e, now, self)), nextCursor: page.nextCursor };
}

/** Ends the sessions `target` names within `revoker`'s scope (never the revoker's own session). */
export async function revokeFor(
  env: Pick<Env, "REGISTRY">,
  revoker: Revoker,
  target: RevokeTarget,
  company: string | null = null,
): Promise<Result<RevokeResult, AdminError>> {
  const scope = scopeOf(revoker, company);
  if (scope.companyId === null) return err({ code: "company_required", message: "Name the company (company) whose session to end." });
  return ok(
    await revokeSessions(env, scope.companyId, {
      target,
      scopeUserId: scope.scopeUserId,
      except: revoker.kind === "operator" ? null : revoker.selfHandle,
      actor: actorLabel(revoker),
    }),
  );
}

/** One page of the audit trail `revoker` may read: their company's (a user: only the records about them), newest first. */
export async function auditFor(
  env: Pick<Env, "REGISTRY">,
  revoker: Revoker,
  req: { readonly before: number | null; readonly limit: number; readonly company?: string | null },
): Promise<Result<AuditRecord[], AdminError>> {
  const scope = scopeOf(revoker, req.company ?? null);
  if (scope.companyId === null) return err({ code: "company_required", message: "Name the company (company) whose audit trail to read." });
  return ok(await auditTrailPage(env, scope.companyId, req.before, req.limit, scope.scopeUserId));
}
