/**
 * Exact sliding-log rate limiting, as pure functions (no clock, no storage).
 *
 * A log is the ascending list of event times (epoch ms) that were admitted or
 * recorded. An event at time `t` is inside the window at time `now` when
 * `now - t < windowMs`, so at most `limit` events are ever admitted in any
 * half-open interval of length `windowMs`. Nothing is approximated (no token
 * bucket, no weighted counters): the answer is a function of the log.
 *
 * Memory is bounded by the limit: only the newest `limit` times can ever matter
 * (an older one leaves the window before they do), so a log never keeps more.
 *
 * The caller supplies `now`, which makes every function testable with explicit
 * times; the RateLimiterDO passes `Date.now()`.
 */
import * as z from "zod/mini";

/**
 * Bounds of a rate rule. They live here only: the RateLimiterDO's rule schema below and
 * the configuration schema (src/config.ts: RATE_LIMIT_MAX_REQUESTS, RATE_LIMIT_WINDOW_MS,
 * LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS) both use them, so every limit the
 * configuration accepts is one the limiter accepts (issue 11: a limit the config allowed
 * but the rule refused made every request answer 500).
 */
export const RATE_LIMIT_MIN_LIMIT = 1;

/**
 * Upper bound on `limit`. The log keeps one entry per event in the window; the
 * RateLimiterDO stores each as one SQLite row (an admission writes one row and deletes
 * the ones that left), so its cost does not grow with the log. 100,000 is what was
 * measured to work (SECURITY.md "Limits").
 */
export const RATE_LIMIT_MAX_LIMIT = 100_000;

/** Lower bound on `windowMs` (one second): shorter windows are a configuration mistake. */
export const RATE_LIMIT_MIN_WINDOW_MS = 1_000;

/** Upper bound on `windowMs` (one day): longer windows are a configuration mistake. */
export const RATE_LIMIT_MAX_WINDOW_MS = 86_400_000;

/**
 * A rate rule: at most `limit` events in any window of `windowMs` milliseconds.
 * Parsed at the RateLimiterDO's RPC boundary.
 */
export const RateRuleSchema = z.object({
  limit: z.int().check(z.gte(RATE_LIMIT_MIN_LIMIT), z.lte(RATE_LIMIT_MAX_LIMIT)),
  windowMs: z.int().check(z.gte(RATE_LIMIT_MIN_WINDOW_MS), z.lte(RATE_LIMIT_MAX_WINDOW_MS)),
});

/** A parsed rate rule. */
export type RateRule = z.infer<typeof RateRuleSchema>;

/**
 * The answer of the limiter.
 * - allowed: `remaining` is how many more events would still be allowed right
 *   now (after this one, when the call recorded it);
 * - refused: `retryAfterMs` (> 0) is the time until the oldest event that keeps
 *   the window full leaves it, i.e. the earliest moment a retry can succeed.
 */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** A decision and the log to keep afterwards. */
export interface RateOutcome {
  /** What to tell the caller. */
  decision: RateDecision;
  /** The new log (ascending, at most `limit` entries, only times inside the window). */
  log: number[];
}

/**
 * Drops the times that have left the window at `now` and keeps at most the
 * newest `limit` of the rest. The input must be ascending; it is not modified.
 */
export function pruneLog(log: readonly number[], now: number, rule: RateRule): number[] {
  return log.slice(prunedCount(log, now, rule));
}

/** How many of the oldest times `pruneLog` drops (a limiter holding its log in place drops them itself, without a copy). */
export function prunedCount(log: readonly number[], now: number, rule: RateRule): number {
  const cutoff = now - rule.windowMs; // t is inside iff t > cutoff
  let start = Math.max(0, log.length - rule.limit);
  while (start < log.length && (log[start] ?? Number.POSITIVE_INFINITY) <= cutoff) start++;
  return start;
}

/**
 * Drops the times that have left a window of `windowMs` at `now`, whatever the
 * limit (used by the cleanup alarm, which knows only the window).
 */
export function dropExpired(log: readonly number[], now: number, windowMs: number): number[] {
  const cutoff = now - windowMs;
  let start = 0;
  while (start < log.length && (log[start] ?? Number.POSITIVE_INFINITY) <= cutoff) start++;
  return log.slice(start);
}

/**
 * Decides on a pruned log without changing it: refused once `limit` events are
 * inside the window, with the wait until the oldest of them leaves.
 */
export function decide(pruned: readonly number[], now: number, rule: RateRule): RateDecision {
  const inWindow = pruned.length;
  if (inWindow < rule.limit) return { allowed: true, remaining: rule.limit - inWindow };
  // pruned has exactly `limit` entries here; its first must leave before a retry fits.
  const oldest = pruned[inWindow - rule.limit] ?? now;
  // `oldest > now - windowMs`, so this is at least 1 ms.
  return { allowed: false, retryAfterMs: Math.max(1, oldest + rule.windowMs - now) };
}

/** Inserts `now` keeping the log ascending (a clock that steps back is tolerated). */
function insertSorted(log: number[], now: number): number[] {
  let i = log.length;
  while (i > 0 && (log[i - 1] ?? Number.NEGATIVE_INFINITY) > now) i--;
  log.splice(i, 0, now);
  return log;
}

/**
 * Checks without recording (for failed-login limits: peek before trying).
 * `remaining` is how many events could still be recorded now.
 */
export function peekLog(log: readonly number[], now: number, rule: RateRule): RateOutcome {
  const pruned = pruneLog(log, now, rule);
  return { decision: decide(pruned, now, rule), log: pruned };
}

/**
 * Checks and, when allowed, records `now`: the atomic step of the limiter.
 * `remaining` counts the admissions still possible after this one.
 */
export function admitLog(log: readonly number[], now: number, rule: RateRule): RateOutcome {
  const pruned = pruneLog(log, now, rule);
  const decision = decide(pruned, now, rule);
  if (!decision.allowed) return { decision, log: pruned };
  return { decision: { allowed: true, remaining: decision.remaining - 1 }, log: insertSorted(pruned, now) };
}

/**
 * Records one event unconditionally (a failed login), keeping the newest
 * `limit` times. Recording past the limit keeps the window full for longer,
 * which is what a failure counter wants.
 */
export function recordLog(log: readonly number[], now: number, rule: RateRule): number[] {
  const next = insertSorted(pruneLog(log, now, rule), now);
  return next.length > rule.limit ? next.slice(next.length - rule.limit) : next;
}

/** Seconds for an HTTP `Retry-After` header: rounded up, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
