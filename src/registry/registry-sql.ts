/**
 * The RegistryDO's SQL: append-only migrations, storage keys, and the statements with their
 * validated bindings (upsert, touch, listing pages, live counts, occupancy), each built by a
 * pure function so the Durable Object only runs them. Storage is a trust boundary: every
 * binding is checked here, every row is checked on the way out (src/registry/registry-rows.ts).
 */
import * as z from "zod/mini";
import { AuthModeSchema } from "../contract/enums";
import type { AuthMode } from "../contract/types";
import { SessionHashSchema, type RegistryEntry } from "./schemas";
import { filterCondition, type SessionFilter } from "./session-filter";

/** Append-only: never edit a shipped statement, add a new one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS sessions (
     hash TEXT PRIMARY KEY,
     company_id TEXT NOT NULL,
     company_name TEXT NOT NULL,
     email TEXT,
     user_id TEXT,
     mode TEXT NOT NULL,
     modes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
   CREATE TABLE IF NOT EXISTS companies (
     company_id TEXT PRIMARY KEY,
     since INTEGER NOT NULL
   );`,
  // Revocation and the console (issue 13): the SessionDO's name (to route a revocation), the
  // OAuth client's name, and the company's audit trail (src/registry/audit-sql.ts).
  `ALTER TABLE sessions ADD COLUMN session_hash TEXT;
   ALTER TABLE sessions ADD COLUMN client_name TEXT;
   CREATE TABLE IF NOT EXISTS audit (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     event TEXT NOT NULL,
     actor TEXT NOT NULL,
     subject TEXT,
     subject_user_id TEXT,
     handle TEXT,
     client TEXT,
     detail TEXT
   );
   CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);`,
];

/** KV keys of a RegistryDO (see its file header). */
export const REGISTRY_KEYS = {
  schema: "reg:schema",
  companyId: "reg:companyId",
  reported: "reg:reported",
  counters: "reg:counters",
} as const;

/** A statement and its bindings, ready for `ctx.storage.sql.exec`. */
export type Statement = readonly [query: string, ...bindings: (string | number | null)[]];

const SESSION_COLUMNS =
  "hash, company_id, company_name, email, user_id, mode, modes, created_at, last_seen_at, expires_at, session_hash, client_name";

/** Largest page `listPage` reads at once. */
const PageLimitSchema = z.int().check(z.gte(1), z.lte(1_000));

/** Inserts or replaces an entry, keeping the earliest `createdAt` and the latest `lastSeenAt`. */
export function upsertStatement(e: RegistryEntry): Statement {
  return [
    `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (hash) DO UPDATE SET
         company_name = excluded.company_name, email = excluded.email, user_id = excluded.user_id,
         mode = excluded.mode, modes = excluded.modes,
         session_hash = COALESCE(excluded.session_hash, session_hash), client_name = COALESCE(excluded.client_name, client_name),
         created_at = MIN(created_at, excluded.created_at),
         last_seen_at = MAX(last_seen_at, excluded.last_seen_at),
         expires_at = excluded.expires_at`,
    e.hash,
    e.companyId,
    e.companyName,
    e.email,
    e.userId,
    e.mode,
    JSON.stringify(e.modes),
    e.createdAt,
    e.lastSeenAt,
    e.expiresAt,
    e.sessionHash ?? null,
    e.client ?? null,
  ];
}

/** Records use: `lastSeenAt` never moves backwards; the mode changes only when given. */
export function touchStatement(hash: string, lastSeenAt: number, mode?: AuthMode): Statement {
  const m = mode === undefined ? null : AuthModeSchema.parse(mode);
  return [
    "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?), mode = COALESCE(?, mode) WHERE hash = ?",
    z.int().parse(lastSeenAt),
    m,
    SessionHashSchema.parse(hash),
  ];
}

/** Removes one entry by its short hash. */
export function removeStatement(hash: string): Statement {
  return ["DELETE FROM sessions WHERE hash = ?", SessionHashSchema.parse(hash)];
}

/** Every live entry (`expires_at > now`) in listing order. */
export function listStatement(now: number): Statement {
  return [`SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at > ? ORDER BY created_at, hash`, z.number().parse(now)];
}

/**
 * One page of live entries in listing order (`created_at`, then hash), those after `after`
 * (the last entry of the previous page) when given, matching `filter`: at most `limit` rows.
 */
export function pageStatement(
  now: number,
  after: { createdAt: number; hash: string } | null,
  limit: number,
  filter: SessionFilter = {},
): Statement {
  const n = PageLimitSchema.parse(limit);
  const t = z.number().parse(now);
  const where = filterCondition(filter, t);
  if (after === null)
    return [
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at > ?${where.sql} ORDER BY created_at, hash LIMIT ?`,
      t,
      ...where.bindings,
      n,
    ];
  return [
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at > ?${where.sql} AND (created_at > ? OR (created_at = ? AND hash > ?))
             ORDER BY created_at, hash LIMIT ?`,
    t,
    ...where.bindings,
    z.int().parse(after.createdAt),
    after.createdAt,
    SessionHashSchema.parse(after.hash),
    n,
  ];
}

/** One live entry by its short hash (a revocation's handle), or none. */
export function entryStatement(now: number, hash: string): Statement {
  return [
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at > ? AND hash = ?`,
    z.number().parse(now),
    SessionHashSchema.parse(hash),
  ];
}

/** Live-session counts, in total and by current mode (row: `total`, `user`, `company`). */
export function countsStatement(now: number): Statement {
  return [
    `SELECT COUNT(*) AS total, SUM(mode = 'user') AS user, SUM(mode = 'company') AS company
         FROM sessions WHERE expires_at > ?`,
    z.number().parse(now),
  ];
}

/**
 * Live-session counts for the sign-in caps (row: `company`, `account`): the shard's live
 * sessions, and those of the user `userId` or, when null, of sessions without a user.
 */
export function liveCountsStatement(now: number, userId: string | null): Statement {
  const u = z.nullable(z.string()).parse(userId);
  return [
    `SELECT COUNT(*) AS company, SUM(CASE WHEN ? IS NULL THEN user_id IS NULL ELSE user_id = ? END) AS account
           FROM sessions WHERE expires_at > ?`,
    u,
    u,
    z.number().parse(now),
  ];
}

/** Deletes the entries expired at `now`. */
export function purgeStatement(now: number): Statement {
  return ["DELETE FROM sessions WHERE expires_at <= ?", now];
}

/** Directory: at most `limit` company IDs from `from` on (inclusive), sorted. */
export function companiesFromStatement(from: string, limit: number): Statement {
  return [
    "SELECT company_id FROM companies WHERE company_id >= ? ORDER BY company_id LIMIT ?",
    z.string().parse(from),
    PageLimitSchema.parse(limit),
  ];
}

/** Directory: records that a company's shard holds sessions (`occupied`) or none. */
export function occupancyStatement(companyId: string, occupied: boolean, now: number): Statement {
  const id = z.string().check(z.minLength(1)).parse(companyId);
  return z.boolean().parse(occupied)
    ? ["INSERT OR IGNORE INTO companies (company_id, since) VALUES (?, ?)", id, now]
    : ["DELETE FROM companies WHERE company_id = ?", id];
}
