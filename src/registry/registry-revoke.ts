/**
 * A company shard's side of a revocation (issue 13): find the target rows (one handle, or every
 * live session of a user) within the scope the caller was authorised for, ask each session's
 * SessionDO to end itself (it re-checks the scope against its own metadata, see
 * src/session/revocation.ts), drop the rows at once so listings agree, and record who ended
 * what in the company's audit trail. The caller's own session (`except`) is never ended here:
 * that is a sign-out.
 */
import * as z from "zod/mini";
import type { RevocationCheck, RevocationOutcome } from "../session/revocation-check";
import type { AuditInput } from "./audit-sql";
import { entryStatement, pageStatement, type Statement } from "./registry-sql";
import { type PublicEntry, publicEntry, type RegistryEntry, SessionHashSchema } from "./schemas";

/** Most sessions one revocation ends (a user has at most MAX_SESSIONS_PER_ACCOUNT, 1,000 at most). */
const MAX_TARGETS = 1_000;

/** A user named by a revocation: an e-mail (any case) or a user id. */
export const RevokeUserSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(254));

/** What to end: one session by its handle, or every live session of a user (e-mail or user id). */
export const RevokeTargetSchema = z.union([z.object({ handle: SessionHashSchema }), z.object({ user: RevokeUserSchema })]);
/** A revocation target. */
export type RevokeTarget = z.infer<typeof RevokeTargetSchema>;

/** A revocation as the shard receives it (the scope comes from the caller's credential, never from input). */
export interface ShardRevokeRequest {
  readonly target: RevokeTarget;
  /** Only this user's sessions may be ended (a user revoking their own); null for admins and operators. */
  readonly scopeUserId: string | null;
  /** The caller's own session handle: never ended by a revocation. */
  readonly except: string | null;
  /** Who asks, for the audit trail ("operator", an e-mail, "company key"). */
  readonly actor: string;
}

/** What a revocation did. */
export interface RevokeResult {
  /** The sessions ended (as listed, no routing hash). */
  readonly revoked: readonly PublicEntry[];
  /** Matching sessions in the caller's scope left alone: the caller's own, or a row the SessionDO refused or could not be routed to (rows outside the scope are never counted). */
  readonly skipped: number;
}

/** What the shard lends the revocation. */
export interface RevokeHost {
  readonly companyId: string;
  rows(statement: Statement): RegistryEntry[];
  /** Ends the session in its SessionDO (named by the full hash). */
  end(sessionHash: string, check: RevocationCheck): Promise<RevocationOutcome>;
  /** Removes the row (no audit: the revocation records its own). */
  remove(hash: string): Promise<void>;
  audit(input: AuditInput): void;
}

/** Runs one revocation in a shard. */
export async function revokeInShard(host: RevokeHost, req: ShardRevokeRequest, now: number): Promise<RevokeResult> {
  const target = RevokeTargetSchema.parse(req.target);
  const candidates =
    "handle" in target
      ? host.rows(entryStatement(now, target.handle))
      : host.rows(pageStatement(now, null, MAX_TARGETS, { user: target.user }));
  // Rows outside the caller's scope are invisible: not ended and not counted (a count would tell a
  // user how many live sessions a colleague has, or that a handle exists).
  const inScope = candidates.filter((e) => req.scopeUserId === null || e.userId === req.scopeUserId);
  const revoked: PublicEntry[] = [];
  let skipped = 0;
  for (const entry of inScope) {
    if (req.except !== null && entry.hash === req.except) {
      skipped += 1;
      continue;
    }
    const outcome = entry.sessionHash
      ? await host.end(entry.sessionHash, { companyId: host.companyId, userId: req.scopeUserId })
      : ("forbidden" as const);
    if (outcome === "forbidden") {
      skipped += 1;
      continue;
    }
    // "not_found": the session had already ended; its row is stale either way.
    await host.remove(entry.hash);
    revoked.push(publicEntry(entry));
    host.audit({
      at: Date.now(),
      event: "revoked",
      actor: req.actor,
      subject: entry.email ?? "company key",
      subjectUserId: entry.userId,
      handle: entry.hash,
      client: entry.client ?? null,
      detail: outcome === "not_found" ? "already ended" : null,
    });
  }
  return { revoked, skipped };
}
