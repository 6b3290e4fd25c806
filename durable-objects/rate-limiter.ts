/**
 * RateLimiterDO: one exact sliding-log limiter per key.
 *
 * Callers address it as `env.RATE_LIMITER.getByName(key)` with keys such as
 * `ip:<hash>`, `session:<hash>`, `login-ip:<hash>`, `login-email:<hash>` (the
 * caller hashes; this object never sees an IP, a session ID or an e-mail).
 *
 * Storage layout (SQLite-backed):
 *
 *   table rl_log (t INTEGER NOT NULL)   one row per slot: its rowid names the slot, t the event (epoch ms)
 *   kv rl:windowMs  number              window of the latest call; tells alarm() when the log is stale
 *   kv rl:log       number[]            legacy layout (the whole log in one value): read once,
 *                                       moved into rl_log, then deleted
 *
 * Slots (issue 14): an admission writes exactly one row. It takes a free slot (a row whose
 * event left the log: expired, or past the limit) and overwrites its time, or adds a row when
 * none is free. Events that leave the log free their slots in memory only, with no write; a
 * freed slot keeps its old time until it is reused. The former layout deleted a row (and kept
 * an index on t) for every event that left: an insert, an index entry and a delete per
 * admission, where now there is one row update. The rows number at most the largest log the
 * key held (at most `limit`, up to RATE_LIMIT_MAX_LIMIT = 100,000).
 *
 * On load every row is read back and the first call prunes by its rule: a freed slot's time
 * has left the window or lies beyond the newest `limit` events, so it is pruned again and
 * the log is the same as before the eviction (stricter, never looser, if the key's rule
 * grew in between). Event times are never before the newest logged one (a clock that steps
 * back logs at the newest time), so the log is appended to, never inserted into.
 *
 * Plus one alarm, set when an event is logged and none is pending. When it fires
 * it re-arms for `newest event + windowMs` if events are still inside the window;
 * otherwise it deletes all storage, so idle keys leave nothing behind.
 *
 * Exactness: the log lives in memory (ascending) and every RPC method reads,
 * decides and writes it with no `await` in between, so calls on one key cannot
 * interleave (JavaScript runs one call at a time per object; SQL and KV writes
 * are synchronous and the output gate holds the reply until they are durable).
 * The only `await`s (setAlarm, deleteAll) come after the write. Storage is loaded
 * once in the constructor, so an eviction does not reset a limit.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod/mini";
import {
  decide,
  dropExpired,
  peekLog,
  prunedCount,
  RATE_LIMIT_MAX_LIMIT,
  RateRuleSchema,
  type RateDecision,
  type RateRule,
} from "../src/rate-limit/policy";

const KEY_LEGACY_LOG = "rl:log";
const KEY_WINDOW_MS = "rl:windowMs";

const StoredLogSchema = z.array(z.number());
const StoredWindowSchema = z.int().check(z.positive());
const SlotRowSchema = z.object({ slot: z.int(), t: z.number() });
const CountSchema = z.int().check(z.gte(1), z.lte(RATE_LIMIT_MAX_LIMIT));

/** The last rule that passed validation (issue 14: a key sees the same rule on every call; parsing it each time cost more than the admission). */
let lastRule: RateRule | null = null;

/** Validates a rule at the RPC boundary; a bad rule is a caller bug, reported without zod internals. */
function parseRule(rule: unknown): RateRule {
  const known = lastRule;
  if (known !== null && isSameRule(rule, known)) return known;
  const parsed = RateRuleSchema.safeParse(rule);
  if (!parsed.success) throw new TypeError("RateLimiterDO: invalid rule (limit and windowMs must be integers within the limiter's bounds)");
  lastRule = parsed.data;
  return parsed.data;
}

/** Whether `rule` is a plain object with exactly the limit and window of `known` (already validated). */
function isSameRule(rule: unknown, known: RateRule): boolean {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return false;
  const keys = Object.keys(rule);
  const r = rule as Record<string, unknown>;
  return keys.length === 2 && r.limit === known.limit && r.windowMs === known.windowMs;
}

/** Exact sliding-log rate limiter for one key (see the file header for storage). */
export class RateLimiterDO extends DurableObject<Env> {
  /** Event times, ascending. */
  #log: number[] = [];
  /** The slot (rl_log rowid) of each entry of `#log`, in the same order. */
  #slots: number[] = [];
  /** Slots whose events left the log, free for the next ones. */
  #free: number[] = [];
  /** The next slot never used. */
  #nextSlot = 1;
  /** Window of the latest call, for alarm(); mirrors `rl:windowMs`. */
  #windowMs: number | null = null;
  /** Time of the pending alarm, or null when none is set. */
  #alarmAt: number | null = null;
  /** Whether the `rl_log` table exists (deleteAll drops it). */
  #tableReady = false;

  /** Loads the persisted log and the pending alarm before any call is delivered. */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#load();
    const windowMs = StoredWindowSchema.safeParse(ctx.storage.kv.get(KEY_WINDOW_MS));
    this.#windowMs = windowMs.success ? windowMs.data : null;
    void ctx.blockConcurrencyWhile(async () => {
      try {
        this.#alarmAt = await ctx.storage.getAlarm();
      } catch (error) {
        throw new Error("RateLimiterDO: could not load alarm", { cause: error });
      }
    });
  }

  /** Checks and, when allowed, records one admission, atomically. */
  async admit(rule: RateRule): Promise<RateDecision> {
    const parsed = parseRule(rule);
    const now = this.#now();
    this.#prune(now, parsed);
    // The log is pruned in place: decided as admitLog decides, without its copies.
    const decision = decide(this.#log, now, parsed);
    if (!decision.allowed) return decision;
    this.#append(now);
    this.#saveWindow(parsed.windowMs);
    await this.#ensureAlarm();
    return { allowed: true, remaining: decision.remaining - 1 };
  }

  /**
   * Checks and, when `count` more events fit in the window, records all `count` at once,
   * atomically (a JSON-RPC batch of `count` messages: all admitted or none). Refused when
   * fewer than `count` slots are free, with the wait until enough of the oldest events
   * have left; a `count` above the rule's limit can never fit and is refused with the
   * whole window as its wait.
   */
  async admitMany(rule: RateRule, count: number): Promise<RateDecision> {
    const parsed = parseRule(rule);
    const n = CountSchema.safeParse(count);
    if (!n.success) throw new TypeError("RateLimiterDO: invalid count (a positive integer within the limiter's bounds)");
    const now = this.#now();
    this.#prune(now, parsed);
    if (n.data > parsed.limit) return { allowed: false, retryAfterMs: parsed.windowMs };
    const free = parsed.limit - this.#log.length;
    if (free < n.data) {
      // The log is ascending and pruned: the (n - free)-th oldest event must leave first.
      const blocking = this.#log[n.data - free - 1] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, blocking + parsed.windowMs - now) };
    }
    for (let i = 0; i < n.data; i++) this.#append(now);
    this.#saveWindow(parsed.windowMs);
    await this.#ensureAlarm();
    return { allowed: true, remaining: free - n.data };
  }

  /** Checks without recording (peek before a login attempt); changes nothing. */
  async peek(rule: RateRule): Promise<RateDecision> {
    const parsed = parseRule(rule);
    return peekLog(this.#log, Date.now(), parsed).decision;
  }

  /** Records one event unconditionally (a failed login), keeping the newest `limit`. */
  async record(rule: RateRule): Promise<void> {
    const parsed = parseRule(rule);
    const now = this.#now();
    this.#prune(now, parsed);
    // recordLog keeps the newest `limit` with `now` added: make room first, so `now` reuses the slot.
    this.#drop(this.#log.length + 1 - parsed.limit);
    this.#append(now);
    this.#saveWindow(parsed.windowMs);
    await this.#ensureAlarm();
  }

  /** Forgets every event of this key (e.g. after a successful login) and deletes its storage. */
  async clear(): Promise<void> {
    this.#drop(this.#log.length);
    await this.#wipe();
  }

  /** Re-arms while events are inside the window; otherwise deletes all storage. Idempotent. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const windowMs = this.#windowMs;
    const kept = windowMs === null ? [] : dropExpired(this.#log, Date.now(), windowMs);
    this.#drop(this.#log.length - kept.length);
    if (kept.length > 0) {
      await this.#ensureAlarm();
      return;
    }
    await this.#wipe();
  }

  /** The time of a new event: now, or the newest logged time if the clock stepped back (the log stays ascending). */
  #now(): number {
    return Math.max(Date.now(), this.#log.at(-1) ?? 0);
  }

  /** Reads the slots (moving a legacy one-value log into them first), ascending by time. */
  #load(): void {
    const sql = this.ctx.storage.sql;
    const legacy = StoredLogSchema.safeParse(this.ctx.storage.kv.get(KEY_LEGACY_LOG));
    if (legacy.success) {
      this.#ensureTable();
      sql.exec("DELETE FROM rl_log");
      for (const t of legacy.data) sql.exec("INSERT INTO rl_log (t) VALUES (?)", t);
      this.ctx.storage.kv.delete(KEY_LEGACY_LOG);
    }
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rl_log'").toArray().length > 0;
    if (!exists) return;
    this.#tableReady = true;
    // The former layout's index on t: every write paid for it (see the file header).
    sql.exec("DROP INDEX IF EXISTS rl_log_t");
    for (const row of sql.exec("SELECT rowid AS slot, t FROM rl_log ORDER BY t")) {
      const parsed = SlotRowSchema.safeParse(row);
      if (!parsed.success) continue;
      this.#log.push(parsed.data.t);
      this.#slots.push(parsed.data.slot);
      this.#nextSlot = Math.max(this.#nextSlot, parsed.data.slot + 1);
    }
  }

  /** Drops the times that can no longer matter at `now` (their slots become free). */
  #prune(now: number, rule: RateRule): void {
    // pruneLog keeps a suffix of the ascending log: the dropped entries are the oldest ones.
    this.#drop(prunedCount(this.#log, now, rule));
  }

  /** Drops the `count` oldest entries from the log; their slots become free (no write). */
  #drop(count: number): void {
    if (count <= 0) return;
    this.#log = this.#log.slice(count);
    this.#free.push(...this.#slots.slice(0, count));
    this.#slots = this.#slots.slice(count);
  }

  /** Logs one event at `t` (not before the newest) in a free slot or a new one: one row written, durable before the reply leaves. */
  #append(t: number): void {
    this.#ensureTable();
    const slot = this.#free.pop();
    if (slot === undefined) {
      const fresh = this.#nextSlot++;
      this.ctx.storage.sql.exec("INSERT INTO rl_log (rowid, t) VALUES (?, ?)", fresh, t);
      this.#slots.push(fresh);
    } else {
      this.ctx.storage.sql.exec("UPDATE rl_log SET t = ? WHERE rowid = ?", t, slot);
      this.#slots.push(slot);
    }
    this.#log.push(t);
  }

  /** Creates the table when missing (first write, or after deleteAll). */
  #ensureTable(): void {
    if (this.#tableReady) return;
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rl_log (t INTEGER NOT NULL)");
    this.#tableReady = true;
  }

  /** Writes the window when it changed, or when `force`d (after a wipe). */
  #saveWindow(windowMs: number, force = false): void {
    if (!force && this.#windowMs === windowMs) return;
    this.#windowMs = windowMs;
    this.ctx.storage.kv.put(KEY_WINDOW_MS, windowMs);
  }

  /**
   * Deletes all storage and the alarm for an empty log. Should an event be
   * logged while the deletion is pending, the whole log is written back, so the
   * in-memory log and storage never disagree.
   */
  async #wipe(): Promise<void> {
    const windowMs = this.#windowMs;
    this.#windowMs = null;
    this.#alarmAt = null;
    // deleteAll drops the table: a write meanwhile re-creates it, and is written back below.
    this.#tableReady = false;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#tableReady = false;
    this.#free = [];
    this.#nextSlot = 1;
    const log = this.#log;
    this.#log = [];
    this.#slots = [];
    const latestWindow = this.#windowMs ?? windowMs;
    if (log.length > 0 && latestWindow !== null) {
      // A call during the deletion may have re-created the table and written rows into it.
      this.#ensureTable();
      this.ctx.storage.sql.exec("DELETE FROM rl_log");
      for (const t of log) this.#append(t);
      this.#saveWindow(latestWindow, true);
      this.#alarmAt = null;
      await this.#ensureAlarm();
    }
  }

  /**
   * Sets the cleanup alarm if none is pending. One pending alarm suffices:
   * when it fires early it re-arms for `newest + windowMs`, so a busy key costs
   * one alarm write per window, not one per event.
   */
  async #ensureAlarm(): Promise<void> {
    if (this.#alarmAt !== null || this.#windowMs === null) return;
    const newest = this.#log.at(-1);
    if (newest === undefined) return;
    this.#alarmAt = newest + this.#windowMs;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }
}
