import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RATE_LIMIT_MAX_LIMIT, type RateDecision, type RateRule } from "../../src/rate-limit/policy";

const RULE: RateRule = { limit: 100, windowMs: 60_000 };
const CALLS_PER_BURST = 1_000;
const BURSTS = 20;

function limiter(): DurableObjectStub<import("../../durable-objects/rate-limiter").RateLimiterDO> {
  return env.RATE_LIMITER.getByName(`ip:${crypto.randomUUID()}`);
}

function summarise(decisions: readonly RateDecision[]): { admitted: number; remaining: number[]; retryAfterMs: number[] } {
  const remaining: number[] = [];
  const retryAfterMs: number[] = [];
  for (const d of decisions) {
    if (d.allowed) remaining.push(d.remaining);
    else retryAfterMs.push(d.retryAfterMs);
  }
  return { admitted: remaining.length, remaining, retryAfterMs };
}

/** The event rows of a limiter's `rl_log` table, ascending ([] when the table is absent). */
function rows(state: DurableObjectState): number[] {
  if (tables(state).length === 0) return [];
  return state.storage.sql
    .exec<{ t: number }>("SELECT t FROM rl_log ORDER BY t")
    .toArray()
    .map((r) => r.t);
}

/** The limiter's own SQL tables (internal `_cf_` and `sqlite_` tables excluded). */
function tables(state: DurableObjectState): string[] {
  return state.storage.sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 4) <> '_cf_' AND substr(name, 1, 7) <> 'sqlite_'",
    )
    .toArray()
    .map((r) => r.name);
}

afterEach(() => {
  vi.useRealTimers();
});

// The proof that this burst check can fail (a limiter with an await between reading and
// writing the log over-admits under it) lives once, in test/security/limiter-exactness.test.ts.
describe("RateLimiterDO under concurrency", () => {
  it(`admits exactly the limit of ${CALLS_PER_BURST} concurrent calls on one key, in each of ${BURSTS} bursts`, async () => {
    const admittedPerBurst: number[] = [];
    for (let burst = 0; burst < BURSTS; burst++) {
      const stub = limiter();
      const decisions = await Promise.all(Array.from({ length: CALLS_PER_BURST }, () => stub.admit(RULE)));
      const { admitted, remaining, retryAfterMs } = summarise(decisions);
      admittedPerBurst.push(admitted);
      expect(admitted).toBe(RULE.limit);
      // Each admission saw a distinct count: remaining runs from limit-1 down to 0.
      expect(remaining.toSorted((a, b) => a - b)).toEqual(Array.from({ length: RULE.limit }, (_, i) => i));
      expect(retryAfterMs).toHaveLength(CALLS_PER_BURST - RULE.limit);
      for (const ms of retryAfterMs) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(RULE.windowMs);
      }
    }
    console.log(`[rate-limiter] exact: admitted per burst of ${CALLS_PER_BURST} (limit ${RULE.limit}): ${admittedPerBurst.join(",")}`);
    // 20,000 RPCs: on a loaded 2-core machine this takes well over the default 30 s (a timeout, not a time assertion).
  }, 120_000);

  it("keeps separate logs per key", async () => {
    const a = limiter();
    const b = limiter();
    const rule: RateRule = { limit: 2, windowMs: 60_000 };
    await a.admit(rule);
    await a.admit(rule);
    expect((await a.admit(rule)).allowed).toBe(false);
    expect(await b.admit(rule)).toEqual({ allowed: true, remaining: 1 });
  });

  it("rejects an invalid rule", async () => {
    // Called on the instance: a rejecting RPC through the stub leaks an unhandled
    // rejection in the test pool (workers-sdk issue #14736), although callers see it.
    await expect(runInDurableObject(limiter(), (instance) => instance.admit({ limit: 0, windowMs: 1000 }))).rejects.toThrow(/invalid rule/);
  });
});

describe("RateLimiterDO over time", () => {
  it("slides the window with the clock: a refused caller succeeds after Retry-After", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = 1_800_000_000_000;
    vi.setSystemTime(t0);
    const stub = limiter();
    const rule: RateRule = { limit: 3, windowMs: 10_000 };
    for (const offset of [0, 2_000, 4_000]) {
      vi.setSystemTime(t0 + offset);
      expect((await stub.admit(rule)).allowed).toBe(true);
    }
    vi.setSystemTime(t0 + 5_000);
    expect(await stub.admit(rule)).toEqual({ allowed: false, retryAfterMs: 5_000 });
    vi.setSystemTime(t0 + 9_999);
    expect(await stub.admit(rule)).toEqual({ allowed: false, retryAfterMs: 1 });
    vi.setSystemTime(t0 + 10_000);
    expect(await stub.admit(rule)).toEqual({ allowed: true, remaining: 0 });
    expect(await stub.admit(rule)).toEqual({ allowed: false, retryAfterMs: 2_000 });
  });

  it("keeps the log across an eviction", async () => {
    const stub = limiter();
    const rule: RateRule = { limit: 5, windowMs: 60_000 };
    for (let i = 0; i < rule.limit; i++) expect((await stub.admit(rule)).allowed).toBe(true);
    await evictDurableObject(stub);
    const after = await stub.admit(rule);
    expect(after.allowed).toBe(false);
    expect(after.allowed ? 0 : after.retryAfterMs).toBeGreaterThan(0);
  });

  it("peek does not record; record does; clear forgets and deletes storage", async () => {
    const stub = env.RATE_LIMITER.getByName(`login-email:${crypto.randomUUID()}`);
    const rule: RateRule = { limit: 3, windowMs: 60_000 };
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 3 });
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 3 });
    await stub.record(rule);
    await stub.record(rule);
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 1 });
    await stub.record(rule);
    const blocked = await stub.peek(rule);
    expect(blocked.allowed).toBe(false);
    await evictDurableObject(stub);
    expect((await stub.peek(rule)).allowed).toBe(false);
    await stub.clear();
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 3 });
    await runInDurableObject(stub, async (_instance, state) => {
      expect([...state.storage.kv.list()]).toEqual([]);
      expect(tables(state)).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("the alarm re-arms while events are in the window, then deletes all storage (idempotently)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = 1_800_000_100_000;
    vi.setSystemTime(t0);
    const stub = limiter();
    const rule: RateRule = { limit: 2, windowMs: 30_000 };
    await stub.admit(rule);
    vi.setSystemTime(t0 + 10_000);
    await stub.admit(rule);
    await runInDurableObject(stub, async (_instance, state) => {
      // One alarm, set by the first event: newest-at-the-time + window.
      expect(await state.storage.getAlarm()).toBe(t0 + 30_000);
    });

    // Fires at t0 + 30 s: the second event is still inside the window, so it re-arms.
    vi.setSystemTime(t0 + 30_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).toBe(t0 + 40_000);
      // The expired event's slot is free but keeps its time until reused (no write per expiry).
      expect(rows(state)).toEqual([t0, t0 + 10_000]);
    });
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 1 });
    // Loaded back after an eviction, the free slot's time is pruned again: the same log.
    await evictDurableObject(stub);
    expect(await stub.peek(rule)).toEqual({ allowed: true, remaining: 1 });

    // Fires at t0 + 40 s: nothing left in the window, so the object deletes its storage.
    vi.setSystemTime(t0 + 40_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    await runInDurableObject(stub, async (_instance, state) => {
      expect([...state.storage.kv.list()]).toEqual([]);
      expect(tables(state)).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
    // A late duplicate alarm is harmless.
    await runInDurableObject(stub, (instance) => instance.alarm());
    expect(await stub.admit(rule)).toEqual({ allowed: true, remaining: 1 });
  });
});

describe("RateLimiterDO at the largest limit (RATE_LIMIT_MAX_LIMIT)", () => {
  it("stores one row per event and admits exactly up to a limit of 100,000, across an eviction", async () => {
    expect(RATE_LIMIT_MAX_LIMIT).toBe(100_000);
    const rule: RateRule = { limit: RATE_LIMIT_MAX_LIMIT, windowMs: 60_000 };
    const stub = limiter();
    const now = Date.now();
    const prefill = rule.limit - 3;
    // Fill the log directly (100,000 RPCs would take minutes), as rows of the object's own layout.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("CREATE TABLE IF NOT EXISTS rl_log (t INTEGER NOT NULL)");
      for (let i = 0; i < prefill; i++) state.storage.sql.exec("INSERT INTO rl_log (t) VALUES (?)", now - 30_000 + (i % 1000));
      state.storage.kv.put("rl:windowMs", rule.windowMs);
    });
    await evictDurableObject(stub);
    const decisions = await Promise.all(Array.from({ length: 20 }, () => stub.admit(rule)));
    const { admitted, remaining } = summarise(decisions);
    expect(admitted).toBe(3);
    expect(remaining.toSorted((a, b) => a - b)).toEqual([0, 1, 2]);
    await evictDurableObject(stub);
    const after = await stub.admit(rule);
    expect(after.allowed).toBe(false);
    await runInDurableObject(stub, (_instance, state) => {
      expect(state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM rl_log").one().n).toBe(rule.limit);
    });
  });

  it("refuses a rule above the bounds shared with the configuration", async () => {
    await expect(
      runInDurableObject(limiter(), (instance) => instance.admit({ limit: RATE_LIMIT_MAX_LIMIT + 1, windowMs: 60_000 })),
    ).rejects.toThrow(/invalid rule/);
  });

  it("moves a log of the former one-value layout (kv rl:log) into rows on load", async () => {
    const stub = limiter();
    const now = Date.now();
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.kv.put("rl:log", [now - 2_000, now - 1_000]);
      state.storage.kv.put("rl:windowMs", 60_000);
    });
    await evictDurableObject(stub);
    expect(await stub.admit({ limit: 3, windowMs: 60_000 })).toEqual({ allowed: true, remaining: 0 });
    expect((await stub.admit({ limit: 3, windowMs: 60_000 })).allowed).toBe(false);
    await runInDurableObject(stub, (_instance, state) => {
      expect(state.storage.kv.get("rl:log")).toBeUndefined();
      expect(rows(state)).toHaveLength(3);
    });
  });

  it("reuses the slots of expired events (rows never outnumber the largest log) and keeps the log exact across evictions", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = 1_800_000_200_000;
    vi.setSystemTime(t0);
    const stub = limiter();
    const rule: RateRule = { limit: 3, windowMs: 1_000 };
    for (let i = 0; i < 3; i++) expect((await stub.admit(rule)).allowed).toBe(true);
    expect((await stub.admit(rule)).allowed).toBe(false);
    for (let round = 1; round <= 4; round++) {
      vi.setSystemTime(t0 + round * 1_001);
      const decisions = await Promise.all(Array.from({ length: 5 }, () => stub.admit(rule)));
      expect(summarise(decisions).admitted).toBe(3);
      const stored = await runInDurableObject(stub, (_instance, state) => rows(state));
      // Three slots, overwritten in place each round: never more rows than the largest log.
      expect(stored).toEqual([t0 + round * 1_001, t0 + round * 1_001, t0 + round * 1_001]);
    }
    await evictDurableObject(stub);
    expect((await stub.admit(rule)).allowed).toBe(false);
    vi.setSystemTime(t0 + 5 * 1_001);
    await evictDurableObject(stub);
    expect(summarise(await Promise.all(Array.from({ length: 4 }, () => stub.admit(rule)))).admitted).toBe(3);
  });

  it("record keeps the newest `limit` rows and the rows match the decisions", async () => {
    const stub = env.RATE_LIMITER.getByName(`login-ip:${crypto.randomUUID()}`);
    const rule: RateRule = { limit: 2, windowMs: 60_000 };
    for (let i = 0; i < 5; i++) await stub.record(rule);
    expect((await stub.peek(rule)).allowed).toBe(false);
    await runInDurableObject(stub, (_instance, state) => {
      expect(rows(state)).toHaveLength(2);
    });
  });
});
