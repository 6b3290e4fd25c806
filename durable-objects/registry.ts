/**
 * RegistryDO: the index of live sessions, sharded per company.
 *
 * Two roles, one class (callers never build names: see src/registry/registry-client.ts). A thin shell (lifecycle, storage,
 * alarm, directory reports): SQL in src/registry/registry-sql.ts (audit: audit-sql.ts), rows in registry-rows.ts.
 *
 * - company shard, `company:<companyId>`: that company's sessions and audit trail. Written on login, mode switch and
 *   logout, touched on use, listed by `passgage_session_list`, `/admin/sessions` and `/console`, counted by `/stats`.
 * - directory, `directory`: which companies currently hold sessions, plus the
 *   global request counters. A shard reports to it only when its row count goes
 *   0 -> n or n -> 0, so the directory sees O(companies) writes, not
 *   O(requests) or O(sessions).
 *
 * Storage layout (SQLite-backed; migrations append-only, applied lazily since
 * an emptied shard deletes all its storage):
 *
 *   table sessions (shards)
 *     hash TEXT PRIMARY KEY        12-hex-char hash of the session ID, never the ID
 *     company_id TEXT, company_name TEXT, email TEXT NULL, user_id TEXT NULL,
 *     mode TEXT                    "user" | "company"
 *     modes TEXT                   JSON array of modes
 *     created_at, last_seen_at, expires_at INTEGER   epoch ms
 *     session_hash TEXT NULL       SHA-256 of the session ID: the SessionDO to end on revocation (never listed)
 *     client_name TEXT NULL        the OAuth client's name; null for a header session
 *     index sessions_by_expiry (expires_at)
 *   table audit (shards; src/registry/audit-sql.ts)
 *     id INTEGER PRIMARY KEY, at INTEGER, event TEXT, actor TEXT, subject TEXT NULL,
 *     subject_user_id TEXT NULL, handle TEXT NULL (short hash), client TEXT NULL, detail TEXT NULL
 *     index audit_by_time (at); kept AUDIT_RETENTION_DAYS, at most AUDIT_MAX_ROWS rows
 *   table companies (directory)
 *     company_id TEXT PRIMARY KEY, since INTEGER (epoch ms it became occupied)
 *   kv reg:schema        number   migrations applied
 *   kv reg:companyId     string   the shard's company (set by the first upsert)
 *   kv reg:reported      boolean  occupancy the directory last acknowledged
 *   kv reg:counters      { requests, rateLimited, since }   directory only
 *
 * Alarm (shards): one, at the earliest `expires_at` or audit expiry (or sooner, to retry a
 * failed directory report). It deletes expired rows and audit records, re-arms, reports 0 to
 * the directory if the shard emptied, then deletes all storage once no session and no audit
 * record is left. It is idempotent: a late or repeated alarm finds nothing to do.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod/mini";
import { loadConfig } from "../src/config";
import { type AuditInput, type AuditRecord, type RemovalReason, removalRecord } from "../src/registry/audit-sql";
import { AuditStore } from "../src/registry/audit-store";
import { revokeInShard, type RevokeResult, type ShardRevokeRequest } from "../src/registry/registry-revoke";
import type { SessionFilter } from "../src/registry/session-filter";
import { REGISTRY_DIRECTORY_NAME, REGISTRY_SHARD_PREFIX } from "../src/registry/names";
import type { AuthMode } from "../src/contract/types";
import { CountDeltaSchema, rowToCompanyId, rowToCounts, rowToEntry, rowToLiveCounts, storedCounters } from "../src/registry/registry-rows";
import {
  companiesFromStatement,
  countsStatement,
  entryStatement,
  listStatement,
  liveCountsStatement,
  MIGRATIONS,
  occupancyStatement,
  pageStatement,
  purgeStatement,
  REGISTRY_KEYS,
  removeStatement,
  type Statement,
  touchStatement,
  upsertStatement,
} from "../src/registry/registry-sql";
import { RegistryEntrySchema, type RegistryEntry, type RequestCounts, type SessionCounts } from "../src/registry/schemas";

const { schema: KEY_SCHEMA, companyId: KEY_COMPANY_ID, reported: KEY_REPORTED, counters: KEY_COUNTERS } = REGISTRY_KEYS;

/** Wait before retrying a directory report that failed. */
const DIRECTORY_RETRY_MS = 10_000;

type PageAfter = { createdAt: number; hash: string };

/** Audit retention when the configuration cannot be read (AUDIT_RETENTION_DAYS' default). */
const DEFAULT_AUDIT_RETENTION_MS = 30 * 86_400_000;

/** Session index: a company shard or the directory (see the file header). */
export class RegistryDO extends DurableObject<Env> {
  #schemaReady = false;
  /** Time of the pending alarm, or null. */
  #alarmAt: number | null = null;
  /** When to retry a failed directory report, or null. */
  #retryAt: number | null = null;
  /** Occupancy the directory last acknowledged; mirrors `reg:reported`. */
  #reported = false;
  /** The directory report in flight, shared by concurrent callers. */
  #reporting: Promise<void> | null = null;
  /** The company's audit trail (shards). */
  readonly #audit = new AuditStore({
    run: (statement) => this.#run(statement),
    retentionMs: () => this.#retentionMs(),
    companyId: () => {
      const id = this.ctx.storage.kv.get(KEY_COMPANY_ID);
      return typeof id === "string" ? id : null;
    },
  });

  /** Loads the pending alarm and the acknowledged occupancy before any call is delivered. */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#reported = ctx.storage.kv.get(KEY_REPORTED) === true;
    void ctx.blockConcurrencyWhile(async () => {
      try {
        this.#alarmAt = await ctx.storage.getAlarm();
      } catch (error) {
        throw new Error("RegistryDO: could not load alarm", { cause: error });
      }
    });
  }

  // ---- company shard ------------------------------------------------------

  /**
   * Inserts or replaces a session entry (keeping the earliest `createdAt`),
   * re-arms the expiry alarm, and reports occupancy to the directory when this
   * shard was empty. Resolves once the directory knows.
   */
  async upsert(entry: RegistryEntry): Promise<void> {
    const e = RegistryEntrySchema.parse(entry);
    this.#claimCompany(e.companyId);
    this.#run(upsertStatement(e));
    await this.#scheduleAlarm();
    await this.#reportOccupancy();
  }

  /**
   * Records use of a session: `lastSeenAt` (never moved backwards) and, when
   * given, its current mode. One UPDATE, no alarm or directory traffic.
   * Returns whether the session is registered here.
   */
  async touch(hash: string, lastSeenAt: number, mode?: AuthMode): Promise<boolean> {
    const statement = touchStatement(hash, lastSeenAt, mode);
    if (!this.#hasSessionsTable()) return false;
    const cursor = this.#run(statement);
    return cursor.rowsWritten > 0;
  }

  /**
   * Removes a session; reports to the directory if the shard empties. Returns whether it
   * existed. With a `reason` (sign-out, expiry, its source ended), the company's audit trail
   * records it (from the row, else from `known`, the ended session's own entry, when this shard's
   * alarm purged the row first); a revocation records its own record (with who ended it) instead.
   */
  async remove(hash: string, reason?: RemovalReason, known?: RegistryEntry): Promise<boolean> {
    const statement = removeStatement(hash);
    const had = this.#hasSessionsTable();
    const row = had && reason !== undefined ? this.#run(entryStatement(0, hash)).toArray().map(rowToEntry)[0] : undefined;
    const removed = had && this.#run(statement).rowsWritten > 0;
    const entry = row ?? known;
    const record = entry && reason !== undefined ? removalRecord(entry, reason, Date.now()) : null;
    if (entry && record) {
      this.#claimCompany(entry.companyId);
      this.#audit.append(record);
    }
    if (removed || record) {
      await this.#scheduleAlarm();
      await this.#reportOccupancy();
    }
    return removed;
  }

  /** Live entries (`expiresAt > now`), oldest first. */
  async list(now: number): Promise<RegistryEntry[]> {
    if (!this.#hasSessionsTable()) return [];
    return this.#run(listStatement(now)).toArray().map(rowToEntry);
  }

  /**
   * One page of live entries (`expiresAt > now`) in listing order (`createdAt`, then hash),
   * those after `after` (the last entry of the previous page) when given, matching `filter`:
   * at most `limit` rows, whatever the shard's size.
   */
  async listPage(now: number, after: PageAfter | null, limit: number, filter?: SessionFilter): Promise<RegistryEntry[]> {
    return this.#hasSessionsTable()
      ? this.#run(pageStatement(now, after, limit, filter))
          .toArray()
          .map(rowToEntry)
      : [];
  }

  /**
   * Ends sessions of this company (src/registry/registry-revoke.ts): the caller was authorised
   * for the request's scope; each SessionDO re-checks it before it ends itself.
   */
  async revoke(req: ShardRevokeRequest): Promise<RevokeResult> {
    const companyId = this.ctx.storage.kv.get(KEY_COMPANY_ID);
    if (typeof companyId !== "string" || !this.#hasSessionsTable()) return { revoked: [], skipped: 0 };
    return revokeInShard(
      {
        companyId,
        rows: (statement) => this.#run(statement).toArray().map(rowToEntry),
        end: (sessionHash, check) => this.env.SESSION.getByName(sessionHash).revoke(check),
        remove: async (hash) => {
          await this.remove(hash, "revoked");
        },
        audit: (input) => this.#audit.append(input),
      },
      req,
      Date.now(),
    );
  }

  /** Appends a record to this company's audit trail (best effort for callers: see src/registry/audit-client.ts). */
  async appendAudit(companyId: string, input: AuditInput): Promise<void> {
    this.#claimCompany(companyId);
    this.#audit.append(input);
    await this.#scheduleAlarm();
  }

  /** One page of this company's audit trail, newest first, older than `before` (an id) when given; only `subjectUserId`'s when given. */
  async auditPage(before: number | null, limit: number, subjectUserId: string | null): Promise<AuditRecord[]> {
    return this.#hasSessionsTable() ? this.#audit.page(before, limit, subjectUserId) : [];
  }

  /** Live-session counts (`expiresAt > now`), in total and by current mode. */
  async counts(now: number): Promise<SessionCounts> {
    if (!this.#hasSessionsTable()) return { total: 0, byMode: { user: 0, company: 0 } };
    return rowToCounts(this.#run(countsStatement(now)).one());
  }

  /**
   * Live-session counts for the sign-in caps (MAX_SESSIONS_PER_ACCOUNT / _PER_COMPANY):
   * the shard's live sessions, and those of one account: the user `userId`, or, when
   * null, the company's sessions without a user (company-key sessions). One indexed read.
   */
  async liveCounts(now: number, userId: string | null): Promise<{ company: number; account: number }> {
    if (!this.#hasSessionsTable()) return { company: 0, account: 0 };
    return rowToLiveCounts(this.#run(liveCountsStatement(now, userId)).one());
  }

  /**
   * Purges expired entries, re-arms for the next expiry, brings the directory up
   * to date, and deletes all storage once the shard is empty. Idempotent.
   */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#retryAt = null;
    if (this.#hasSessionsTable()) {
      this.#run(purgeStatement(Date.now()));
      this.#audit.purge(Date.now());
    }
    await this.#scheduleAlarm();
    await this.#reportOccupancy();
  }

  // ---- directory ----------------------------------------------------------

  /** Directory: company IDs whose shards currently hold sessions, sorted. */
  async companies(): Promise<string[]> {
    return this.#sql("SELECT company_id FROM companies ORDER BY company_id").toArray().map(rowToCompanyId);
  }

  /** Directory: at most `limit` company IDs from `from` on (inclusive), sorted (a listing's page). */
  async companiesFrom(from: string, limit: number): Promise<string[]> {
    return this.#run(companiesFromStatement(from, limit)).toArray().map(rowToCompanyId);
  }

  /** Directory: a shard reports that it now holds sessions (`occupied`) or none. */
  async reportOccupancy(companyId: string, occupied: boolean): Promise<void> {
    this.#run(occupancyStatement(companyId, occupied, Date.now()));
  }

  /** Directory: adds request counts (deltas; callers batch them, see registry-client). */
  async addRequestCounts(requests: number, rateLimited: number): Promise<void> {
    const current = this.#counters();
    this.ctx.storage.kv.put(KEY_COUNTERS, {
      requests: current.requests + CountDeltaSchema.parse(requests),
      rateLimited: current.rateLimited + CountDeltaSchema.parse(rateLimited),
      since: current.since,
    } satisfies RequestCounts);
  }

  /** Directory: global request counters and when counting started. */
  async requestCounts(): Promise<RequestCounts> {
    return this.#counters();
  }

  // ---- internals ----------------------------------------------------------

  /** AUDIT_RETENTION_DAYS in ms (its default when the configuration is invalid). */
  #retentionMs(): number {
    const config = loadConfig(this.env);
    return config.ok ? config.config.auditRetentionMs : DEFAULT_AUDIT_RETENTION_MS;
  }

  /** Stored counters, initialised (and persisted) on first use. */
  #counters(): RequestCounts {
    const stored = storedCounters(this.ctx.storage.kv.get(KEY_COUNTERS));
    if (stored) return stored;
    const fresh: RequestCounts = { requests: 0, rateLimited: 0, since: Date.now() };
    this.ctx.storage.kv.put(KEY_COUNTERS, fresh);
    return fresh;
  }

  /** Runs a statement after applying pending migrations. */
  #sql(query: string, ...bindings: (string | number | null)[]): SqlStorageCursor<Record<string, SqlStorageValue>> {
    this.#ensureSchema();
    return this.ctx.storage.sql.exec(query, ...bindings);
  }

  /** Runs a prepared statement (src/registry/registry-sql.ts) after applying pending migrations. */
  #run([query, ...bindings]: Statement): SqlStorageCursor<Record<string, SqlStorageValue>> {
    return this.#sql(query, ...bindings);
  }

  /** Applies pending migrations (synchronously; re-run after an emptied shard deleted its storage). */
  #ensureSchema(): void {
    if (this.#schemaReady) return;
    const applied = z.int().safeParse(this.ctx.storage.kv.get(KEY_SCHEMA));
    for (let v = applied.success ? applied.data : 0; v < MIGRATIONS.length; v++) {
      const statement = MIGRATIONS[v];
      if (statement !== undefined) this.ctx.storage.sql.exec(statement);
      this.ctx.storage.kv.put(KEY_SCHEMA, v + 1);
    }
    this.#schemaReady = true;
  }

  /** Whether the sessions table exists, without creating it (an alarm on an emptied shard). */
  #hasSessionsTable(): boolean {
    if (this.#schemaReady) return true;
    return this.ctx.storage.kv.get(KEY_SCHEMA) !== undefined;
  }

  /** Binds this shard to a company on first write; a mismatch is a caller bug. */
  #claimCompany(companyId: string): void {
    const name = this.ctx.id.name;
    if (name !== undefined && name !== `${REGISTRY_SHARD_PREFIX}${companyId}`) {
      throw new Error("RegistryDO: entry does not belong to this shard");
    }
    const stored = this.ctx.storage.kv.get(KEY_COMPANY_ID);
    if (stored === undefined) this.ctx.storage.kv.put(KEY_COMPANY_ID, companyId);
    else if (stored !== companyId) throw new Error("RegistryDO: entry does not belong to this shard");
  }

  /** Rows present (expired or not): what occupancy means to the directory. */
  #rowCount(): number {
    if (!this.#hasSessionsTable()) return 0;
    return z.number().parse(this.#sql("SELECT COUNT(*) AS n FROM sessions").one().n);
  }

  /** Sets the one alarm to the earliest expiry (or retry), or deletes it. */
  async #scheduleAlarm(): Promise<void> {
    let target: number | null = null;
    if (this.#hasSessionsTable()) {
      const next = this.#sql("SELECT MIN(expires_at) AS next FROM sessions").one().next;
      target = typeof next === "number" ? next : null;
      const auditExpiry = this.#audit.nextExpiry();
      if (auditExpiry !== null) target = Math.min(target ?? auditExpiry, auditExpiry);
    }
    if (this.#retryAt !== null) target = target === null ? this.#retryAt : Math.min(target, this.#retryAt);
    if (target === this.#alarmAt) return;
    this.#alarmAt = target;
    if (target === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(target);
  }

  /**
   * Brings the directory's view of this shard (occupied or not) up to date. One
   * report is in flight at a time and concurrent callers share it; after each
   * report the state is read again, so reports cannot arrive out of order and
   * the last one always matches the table. An empty, acknowledged shard then
   * deletes all its storage (deleteAll is synchronous on SQLite-backed objects,
   * so a write that follows it is kept).
   */
  #reportOccupancy(): Promise<void> {
    this.#reporting ??= this.#runReports().finally(() => {
      this.#reporting = null;
    });
    return this.#reporting;
  }

  async #runReports(): Promise<void> {
    for (;;) {
      const occupied = this.#rowCount() > 0;
      if (occupied === this.#reported) break;
      const companyId = this.ctx.storage.kv.get(KEY_COMPANY_ID);
      if (typeof companyId !== "string") break; // never written: nothing to report
      try {
        await this.env.REGISTRY.getByName(REGISTRY_DIRECTORY_NAME).reportOccupancy(companyId, occupied);
      } catch (error) {
        // Retried by the alarm; the caller still learns of the failure.
        this.#retryAt = Date.now() + DIRECTORY_RETRY_MS;
        await this.#scheduleAlarm();
        throw error;
      }
      this.#reported = occupied;
      this.ctx.storage.kv.put(KEY_REPORTED, occupied);
    }
    if (!this.#reported && this.#rowCount() === 0 && this.#hasSessionsTable() && this.#audit.count() === 0) {
      this.#schemaReady = false;
      this.#alarmAt = null;
      this.#retryAt = null;
      await this.ctx.storage.deleteAll(); // also deletes the alarm
    }
  }
}
