/**
 * The audit trail of one company, kept in its RegistryDO shard (table `audit`, created by the
 * registry's second migration): what happened to the company's sessions (sign-ins, sign-outs,
 * revocations with who ended what, expiries, limit hits), for the console and the company's
 * admins. Bounded twice: rows older than AUDIT_RETENTION_DAYS are purged (on append and by the
 * shard's alarm) and at most AUDIT_MAX_ROWS rows are kept (the oldest go first). No secret,
 * session ID or token is ever stored: sessions appear by their short hash (the listing handle).
 */
import * as z from "zod/mini";
import type { Statement } from "./registry-sql";
import type { RegistryEntry } from "./schemas";

/** Most audit rows one company keeps (the oldest are dropped beyond it). */
export const AUDIT_MAX_ROWS = 5_000;

/** Largest audit page a caller may ask for. */
export const AUDIT_MAX_PAGE = 200;

/** What happened. */
export const AuditEventSchema = z.enum([
  "signed_in",
  "signed_out",
  "revoked",
  "expired",
  "ended_with_source",
  "limit_hit",
  "sign_in_failed",
]);

const Text = (max: number) => z.string().check(z.maxLength(max));

/** One audit record as written (times epoch ms; no secret in any field). */
export const AuditInputSchema = z.object({
  at: z.int().check(z.nonnegative()),
  event: AuditEventSchema,
  /** Who did it: "operator", an e-mail, "company key", or "system" (expiry). */
  actor: Text(254),
  /** Whose session it concerns: an e-mail or "company key"; null when none. */
  subject: z.nullable(Text(254)),
  /** The subject's user id, so a user sees their own events; null for key sessions. */
  subjectUserId: z.nullable(Text(128)),
  /** The session's short hash (the listing handle); null when none. */
  handle: z.nullable(z.string().check(z.regex(/^[0-9a-f]{12}$/))),
  /** The OAuth client's name; null for a header session or none. */
  client: z.nullable(Text(200)),
  /** A short note (a limit's name, how many were ended); never a secret. */
  detail: z.nullable(Text(300)),
});
/** An audit record to write. */
export type AuditInput = z.infer<typeof AuditInputSchema>;

/** An audit record as read back, with its id (newest first in listings). */
export type AuditRecord = AuditInput & { readonly id: number };

const AuditRowSchema = z.object({
  id: z.number(),
  at: z.number(),
  event: AuditEventSchema,
  actor: z.string(),
  subject: z.nullable(z.string()),
  subject_user_id: z.nullable(z.string()),
  handle: z.nullable(z.string()),
  client: z.nullable(z.string()),
  detail: z.nullable(z.string()),
});

/** Appends one record. */
export function auditInsertStatement(input: AuditInput): Statement {
  const r = AuditInputSchema.parse(input);
  return [
    "INSERT INTO audit (at, event, actor, subject, subject_user_id, handle, client, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    r.at,
    r.event,
    r.actor,
    r.subject,
    r.subjectUserId,
    r.handle,
    r.client,
    r.detail,
  ];
}

/** Deletes records older than `cutoff` (epoch ms). */
export function auditPurgeStatement(cutoff: number): Statement {
  return ["DELETE FROM audit WHERE at < ?", z.number().parse(cutoff)];
}

/** Deletes all but the newest `keep` records (by id, through the primary key: O(keep), never a full sort). */
export function auditCapStatement(keep: number): Statement {
  return ["DELETE FROM audit WHERE id <= (SELECT id FROM audit ORDER BY id DESC LIMIT 1 OFFSET ?)", z.int().check(z.gte(1)).parse(keep)];
}

/**
 * One page of records, newest first, those older than `before` (an id; null: from the newest),
 * only those about `subjectUserId` when given (a user sees their own events).
 */
export function auditPageStatement(before: number | null, limit: number, subjectUserId: string | null): Statement {
  const n = z.int().check(z.gte(1), z.lte(AUDIT_MAX_PAGE)).parse(limit);
  const conditions: string[] = [];
  const bindings: (string | number)[] = [];
  if (before !== null) {
    conditions.push("id < ?");
    bindings.push(z.int().parse(before));
  }
  if (subjectUserId !== null) {
    conditions.push("subject_user_id = ?");
    bindings.push(subjectUserId);
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  return [`SELECT * FROM audit${where} ORDER BY id DESC LIMIT ?`, ...bindings, n];
}

/** The oldest record's time, for the shard's alarm (row: `oldest`, null when empty). */
export const AUDIT_OLDEST = "SELECT MIN(at) AS oldest FROM audit";

/** A storage row -> record, validated. */
export function rowToAudit(raw: unknown): AuditRecord {
  const row = AuditRowSchema.parse(raw);
  return {
    id: row.id,
    at: row.at,
    event: row.event,
    actor: row.actor,
    subject: row.subject,
    subjectUserId: row.subject_user_id,
    handle: row.handle,
    client: row.client,
    detail: row.detail,
  };
}

/** How a session left the registry (`RegistryDO.remove`). */
export type RemovalReason = "logout" | "expired" | "source_ended" | "revoked";

const REMOVAL_EVENTS = { logout: "signed_out", expired: "expired", source_ended: "ended_with_source" } as const;

/** The audit record of a session leaving the registry; null for a revocation (it records its own, naming who ended it). */
export function removalRecord(entry: RegistryEntry, reason: RemovalReason, at: number): AuditInput | null {
  if (reason === "revoked") return null;
  const subject = entry.email ?? "company key";
  return {
    at,
    event: REMOVAL_EVENTS[reason],
    actor: reason === "logout" ? subject : "system",
    subject,
    subjectUserId: entry.userId,
    handle: entry.hash,
    client: entry.client ?? null,
    detail: null,
  };
}

/** The audit record of a new session (a sign-in), or of a sign-in refused by a limit (`detail` names it). */
export function signInRecord(
  who: { readonly email: string | null; readonly userId: string | null; readonly handle: string | null; readonly client: string | null },
  at: number,
  refusedBy: string | null = null,
): AuditInput {
  const label = who.email ?? "company key";
  return {
    at,
    event: refusedBy === null ? "signed_in" : "limit_hit",
    actor: label,
    subject: label,
    subjectUserId: who.userId,
    handle: who.handle,
    client: who.client,
    detail: refusedBy,
  };
}
