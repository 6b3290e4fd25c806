import { describe, expect, it } from "vitest";
import {
  admitLog,
  dropExpired,
  peekLog,
  pruneLog,
  RATE_LIMIT_MAX_LIMIT,
  RATE_LIMIT_MAX_WINDOW_MS,
  RATE_LIMIT_MIN_LIMIT,
  RATE_LIMIT_MIN_WINDOW_MS,
  RateRuleSchema,
  recordLog,
  retryAfterSeconds,
  type RateDecision,
  type RateRule,
} from "../../src/rate-limit/policy";

const RULE: RateRule = { limit: 3, windowMs: 1000 };
const T0 = 1_700_000_000_000;

/** Runs admitLog over a sequence of times, threading the log. */
function admitAll(times: readonly number[], rule: RateRule, start: number[] = []): { decisions: RateDecision[]; log: number[] } {
  let log = start;
  const decisions: RateDecision[] = [];
  for (const now of times) {
    const outcome = admitLog(log, now, rule);
    decisions.push(outcome.decision);
    log = outcome.log;
  }
  return { decisions, log };
}

describe("admitLog", () => {
  it("admits up to the limit, counting down remaining, then refuses", () => {
    const { decisions, log } = admitAll([T0, T0 + 1, T0 + 2, T0 + 3], RULE);
    expect(decisions).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, retryAfterMs: 997 },
    ]);
    expect(log).toEqual([T0, T0 + 1, T0 + 2]);
  });

  it("computes Retry-After as the time until the oldest admission leaves the window", () => {
    const { log } = admitAll([T0, T0 + 100, T0 + 200], RULE);
    expect(admitLog(log, T0 + 500, RULE).decision).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(admitLog(log, T0 + 999, RULE).decision).toEqual({ allowed: false, retryAfterMs: 1 });
    // Exactly windowMs after the oldest admission, it has left: one slot frees.
    expect(admitLog(log, T0 + 1000, RULE).decision).toEqual({ allowed: true, remaining: 0 });
  });

  it("slides the window: a refused caller that waits retryAfterMs is admitted", () => {
    const { log } = admitAll([T0, T0 + 300, T0 + 600], RULE);
    const refused = admitLog(log, T0 + 700, RULE).decision;
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    const retry = admitLog(log, T0 + 700 + refused.retryAfterMs, RULE);
    expect(retry.decision.allowed).toBe(true);
    expect(retry.log).toEqual([T0 + 300, T0 + 600, T0 + 1000]);
    // ...but one millisecond earlier it would not have been.
    expect(admitLog(log, T0 + 700 + refused.retryAfterMs - 1, RULE).decision.allowed).toBe(false);
  });

  it("never admits more than the limit in any window, over a long random run", () => {
    const rule: RateRule = { limit: 5, windowMs: 100 };
    let now = T0;
    let log: number[] = [];
    const admitted: number[] = [];
    let seed = 42;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      now += seed % 7 === 0 ? seed % 40 : 0;
      const outcome = admitLog(log, now, rule);
      log = outcome.log;
      if (outcome.decision.allowed) admitted.push(now);
      expect(log.length).toBeLessThanOrEqual(rule.limit);
    }
    // Sliding check over every admission: the (limit+1)-th next admission is at least windowMs later.
    for (let i = 0; i + rule.limit < admitted.length; i++) {
      expect((admitted[i + rule.limit] ?? 0) - (admitted[i] ?? 0)).toBeGreaterThanOrEqual(rule.windowMs);
    }
    expect(admitted.length).toBeGreaterThan(100);
  });

  it("keeps the log ascending when the clock steps back", () => {
    const { log } = admitAll([T0 + 10, T0 + 5], { limit: 5, windowMs: 1000 });
    expect(log).toEqual([T0 + 5, T0 + 10]);
  });

  it("does not modify its input", () => {
    const input = [T0, T0 + 1];
    admitLog(input, T0 + 2, RULE);
    expect(input).toEqual([T0, T0 + 1]);
  });

  it("keeps at most `limit` entries when the limit is lowered", () => {
    const { log } = admitAll([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4], { limit: 10, windowMs: 1000 });
    const outcome = admitLog(log, T0 + 5, { limit: 2, windowMs: 1000 });
    expect(outcome.log).toEqual([T0 + 3, T0 + 4]);
    expect(outcome.decision).toEqual({ allowed: false, retryAfterMs: 998 });
  });
});

describe("peekLog and recordLog", () => {
  it("peek reports without recording", () => {
    const first = peekLog([], T0, RULE);
    expect(first).toEqual({ decision: { allowed: true, remaining: 3 }, log: [] });
    const log = recordLog(recordLog(recordLog([], T0, RULE), T0 + 1, RULE), T0 + 2, RULE);
    expect(peekLog(log, T0 + 3, RULE).decision).toEqual({ allowed: false, retryAfterMs: 997 });
    expect(peekLog(log, T0 + 1000, RULE).decision).toEqual({ allowed: true, remaining: 1 });
  });

  it("record past the limit keeps only the newest `limit` times and extends the block", () => {
    let log: number[] = [];
    for (const t of [T0, T0 + 100, T0 + 200, T0 + 300]) log = recordLog(log, t, RULE);
    expect(log).toEqual([T0 + 100, T0 + 200, T0 + 300]);
    expect(peekLog(log, T0 + 300, RULE).decision).toEqual({ allowed: false, retryAfterMs: 800 });
  });
});

describe("pruneLog and dropExpired", () => {
  it("drop times at or before now - windowMs", () => {
    const log = [T0, T0 + 500, T0 + 999];
    expect(pruneLog(log, T0 + 1000, { limit: 10, windowMs: 1000 })).toEqual([T0 + 500, T0 + 999]);
    expect(dropExpired(log, T0 + 1999, 1000)).toEqual([]);
    expect(dropExpired(log, T0 + 1998, 1000)).toEqual([T0 + 999]);
  });
});

describe("RateRuleSchema and retryAfterSeconds", () => {
  it("accepts positive integers only", () => {
    expect(RateRuleSchema.safeParse({ limit: 100, windowMs: 60_000 }).success).toBe(true);
    expect(RateRuleSchema.safeParse({ limit: 0, windowMs: 60_000 }).success).toBe(false);
    expect(RateRuleSchema.safeParse({ limit: 1.5, windowMs: 60_000 }).success).toBe(false);
    expect(RateRuleSchema.safeParse({ limit: 1, windowMs: -1 }).success).toBe(false);
  });

  it("accepts exactly the shared bounds: 1..100,000 events, 1 s..24 h", () => {
    expect(RateRuleSchema.safeParse({ limit: RATE_LIMIT_MAX_LIMIT, windowMs: RATE_LIMIT_MAX_WINDOW_MS }).success).toBe(true);
    expect(RateRuleSchema.safeParse({ limit: RATE_LIMIT_MIN_LIMIT, windowMs: RATE_LIMIT_MIN_WINDOW_MS }).success).toBe(true);
    expect(RateRuleSchema.safeParse({ limit: RATE_LIMIT_MAX_LIMIT + 1, windowMs: 60_000 }).success).toBe(false);
    expect(RateRuleSchema.safeParse({ limit: 100, windowMs: RATE_LIMIT_MAX_WINDOW_MS + 1 }).success).toBe(false);
    expect(RateRuleSchema.safeParse({ limit: 100, windowMs: RATE_LIMIT_MIN_WINDOW_MS - 1 }).success).toBe(false);
    expect(RATE_LIMIT_MAX_LIMIT).toBe(100_000);
  });

  it("rounds Retry-After up to whole seconds, at least 1", () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});
