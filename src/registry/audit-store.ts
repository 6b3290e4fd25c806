/**
 * The audit trail's storage in a company shard of the RegistryDO (table `audit`, statements in
 * src/registry/audit-sql.ts): append (bounded by retention and the row cap, and logged as one
 * `audit.<event>` line for `wrangler tail`), read a page, purge, and what the shard's alarm and
 * cleanup need (the oldest record, the count). The shard owns the schema and the alarm.
 */
import * as z from "zod/mini";
import { createLogger } from "../log";
import {
  AUDIT_MAX_ROWS,
  AUDIT_OLDEST,
  auditCapStatement,
  type AuditInput,
  auditInsertStatement,
  auditPageStatement,
  auditPurgeStatement,
  type AuditRecord,
  rowToAudit,
} from "./audit-sql";
import type { Statement } from "./registry-sql";

/** What the store needs from its shard. */
export interface AuditStoreHost {
  /** Runs a statement (migrations applied). */
  run(statement: Statement): SqlStorageCursor<Record<string, SqlStorageValue>>;
  /** AUDIT_RETENTION_DAYS in ms. */
  retentionMs(): number;
  /** The shard's company, once known. */
  companyId(): string | null;
}

/** Actor labels that are not a person (kept in the log line as they are; e-mails become "user"). */
const PLAIN_ACTORS = new Set(["operator", "system", "company key"]);

/** One shard's audit trail. */
export class AuditStore {
  readonly #host: AuditStoreHost;

  constructor(host: AuditStoreHost) {
    this.#host = host;
  }

  /** Writes one record, drops what is past retention or over the cap, and logs `audit.<event>` (no e-mail in the log). */
  append(input: AuditInput): void {
    this.#host.run(auditInsertStatement(input));
    this.purge(Date.now());
    this.#host.run(auditCapStatement(AUDIT_MAX_ROWS));
    createLogger({}).info(`audit.${input.event}`, {
      companyId: this.#host.companyId() ?? undefined,
      actor: PLAIN_ACTORS.has(input.actor) ? input.actor : "user",
      handle: input.handle ?? undefined,
      client: input.client ?? undefined,
      detail: input.detail ?? undefined,
    });
  }

  /** One page, newest first (see `auditPageStatement`); expired records are purged first. */
  page(before: number | null, limit: number, subjectUserId: string | null): AuditRecord[] {
    this.purge(Date.now());
    return this.#host
      .run(auditPageStatement(before, limit, subjectUserId))
      .toArray()
      .map(rowToAudit);
  }

  /** Deletes records older than the retention at `now`. */
  purge(now: number): void {
    this.#host.run(auditPurgeStatement(now - this.#host.retentionMs()));
  }

  /** When the oldest record expires (epoch ms), or null when there is none. */
  nextExpiry(): number | null {
    const oldest = this.#host.run([AUDIT_OLDEST]).one().oldest;
    return typeof oldest === "number" ? oldest + this.#host.retentionMs() : null;
  }

  /** Records present. */
  count(): number {
    return z.number().parse(this.#host.run(["SELECT COUNT(*) AS n FROM audit"]).one().n);
  }
}
