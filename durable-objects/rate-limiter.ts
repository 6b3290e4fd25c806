/**
 * RateLimiterDO: one exact sliding-log limiter per key.
 *
 * Callers address it as `env.RATE_LIMITER.getByName(key)` with keys such as
 * `ip:<hash>`, `session:<hash>`, `login-ip:<hash>`, `login-email:<hash>` (the
 * caller hashes; this object never sees an IP, a session ID or an e-mail).
 *
 * Storage layout (SQLite-backed, synchronous KV API `ctx.storage.kv`):
 *
 *   rl:log       number[]  admission times, epoch ms, ascending, at most `limit`
 *   rl:windowMs  number    window of the latest call; tells alarm() when the log is stale
 *
 * plus one alarm, set when an event is logged and none is pending. When it
 * fires it re-arms for `newest event + windowMs` if events are still inside the
 * window; otherwise it deletes all storage, so idle keys leave nothing behind.
 *
 * Exactness: the log lives in memory and every RPC method reads, decides and
 * writes it with no `await` in between, so calls on one key cannot interleave
 * (JavaScript runs one call at a time per object; the storage writes are
 * synchronous and the output gate holds the reply until they are durable). The
 * only `await`s (setAlarm, deleteAll) come after the write. Storage is loaded
 * once in the constructor, so an eviction does not reset a limit.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod/mini";
import { admitLog, dropExpired, peekLog, recordLog, RateRuleSchema, type RateDecision, type RateRule } from "../src/rate-limit/policy";

const KEY_LOG = "rl:log";
const KEY_WINDOW_MS = "rl:windowMs";

const StoredLogSchema = z.array(z.number());
const StoredWindowSchema = z.int().check(z.positive());

/** Validates a rule at the RPC boundary; a bad rule is a caller bug, reported without zod internals. */
function parseRule(rule: unknown): RateRule {
  const parsed = RateRuleSchema.safeParse(rule);
  if (!parsed.success) throw new TypeError("RateLimiterDO: invalid rule (limit and windowMs must be positive integers)");
  return parsed.data;
}

/** Exact sliding-log rate limiter for one key (see the file header for storage). */
export class RateLimiterDO extends DurableObject<Env> {
  /** Admission times, ascending; mirrors `rl:log`. */
  #log: number[] = [];
  /** Window of the latest call, for alarm(); mirrors `rl:windowMs`. */
  #windowMs: number | null = null;
  /** Time of the pending alarm, or null when none is set. */
  #alarmAt: number | null = null;

  /** Loads the persisted log and the pending alarm before any call is delivered. */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const log = StoredLogSchema.safeParse(ctx.storage.kv.get(KEY_LOG));
    this.#log = log.success ? log.data.toSorted((a, b) => a - b) : [];
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
    const { decision, log } = admitLog(this.#log, Date.now(), parsed);
    this.#log = log;
    if (decision.allowed) {
      this.#persist(parsed.windowMs);
      await this.#ensureAlarm();
    }
    return decision;
  }

  /** Checks without recording (peek before a login attempt). */
  async peek(rule: RateRule): Promise<RateDecision> {
    const parsed = parseRule(rule);
    const { decision, log } = peekLog(this.#log, Date.now(), parsed);
    this.#log = log; // pruning only; persisted with the next event
    return decision;
  }

  /** Records one event unconditionally (a failed login). */
  async record(rule: RateRule): Promise<void> {
    const parsed = parseRule(rule);
    this.#log = recordLog(this.#log, Date.now(), parsed);
    this.#persist(parsed.windowMs);
    await this.#ensureAlarm();
  }

  /** Forgets every event of this key (e.g. after a successful login) and deletes its storage. */
  async clear(): Promise<void> {
    this.#log = [];
    await this.#wipe();
  }

  /** Re-arms while events are inside the window; otherwise deletes all storage. Idempotent. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const windowMs = this.#windowMs;
    this.#log = windowMs === null ? [] : dropExpired(this.#log, Date.now(), windowMs);
    if (this.#log.length > 0) {
      this.ctx.storage.kv.put(KEY_LOG, this.#log);
      await this.#ensureAlarm();
      return;
    }
    await this.#wipe();
  }

  /**
   * Deletes all storage and the alarm for an empty log. Should an event be
   * logged while the deletion is pending, it is written back, so the in-memory
   * log and storage never disagree.
   */
  async #wipe(): Promise<void> {
    this.#windowMs = null;
    this.#alarmAt = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    if (this.#log.length > 0 && this.#windowMs !== null) {
      this.#persist(this.#windowMs, true);
      this.#alarmAt = null;
      await this.#ensureAlarm();
    }
  }

  /**
   * Writes the in-memory log synchronously (durable before the reply leaves, by
   * the output gate); the window only when it changed, or when `force`d.
   */
  #persist(windowMs: number, force = false): void {
    this.ctx.storage.kv.put(KEY_LOG, this.#log);
    if (force || this.#windowMs !== windowMs) {
      this.#windowMs = windowMs;
      this.ctx.storage.kv.put(KEY_WINDOW_MS, windowMs);
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
