/**
 * Exactness of the limiter (issue 7): bursts of 1,000 concurrent `admit` RPCs against
 * the real RateLimiterDO (env.RATE_LIMITER), one fresh key per burst, admit exactly the
 * maximum each time: no over- and no under-admission. The very same burst and check,
 * run against a deliberately broken limiter (an `await` between reading and writing
 * the log; a test-only construct running inside the real object), fail: the test is
 * able to fail.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RateLimiterDO } from "../../durable-objects/rate-limiter";
import { loadConfig } from "../../src/config";
import { admitLog, type RateDecision, type RateRule } from "../../src/rate-limit/policy";
import { figure } from "./figures";

const cfg = loadConfig(env);
if (!cfg.ok) throw new Error(cfg.errors.join("; "));
/** The production rule (RATE_LIMIT_MAX_REQUESTS per RATE_LIMIT_WINDOW_MS). */
const RULE: RateRule = cfg.config.rateLimit;
const CALLS = 1_000;
const BURSTS = 20;
/**
 * Maxima of the bursts, in turn: mostly the configured one, plus the lowest (1) and a
 * larger one (a limit near the burst size makes each admission persist a long log,
 * which costs seconds per burst; the check is the same).
 */
const LIMITS: readonly number[] = [RULE.limit, 1, RULE.limit, 250];

type Stub = DurableObjectStub<RateLimiterDO>;
/** One admission attempt of a limiter under test against a key's object. */
type Admit = (stub: Stub, rule: RateRule) => Promise<RateDecision>;

/** The real limiter: one RPC to the RateLimiterDO. */
const realAdmit: Admit = (stub, rule) => stub.admit(rule);

/**
 * The broken limiter: the same pure policy, but with an `await` between reading the
 * log and writing it back, run inside the real object (each call is its own event,
 * like an RPC). Test-only: production has no such path.
 */
const brokenAdmit: Admit = (stub, rule) =>
  runInDurableObject(stub, async (_instance, state) => {
    const log = state.storage.kv.get<number[]>("broken:log") ?? [];
    await new Promise((resolve) => setTimeout(resolve, 1)); // any non-storage await opens the input gate
    const outcome = admitLog(log, Date.now(), rule);
    state.storage.kv.put("broken:log", outcome.log);
    return outcome.decision;
  });

/** What one burst produced. */
interface Burst {
  readonly limit: number;
  readonly admitted: number;
  readonly refused: number;
  /** `remaining` of the admissions, sorted: exact admission sees each count once. */
  readonly remaining: number[];
}

/** Fires `CALLS` concurrent admissions at a fresh key and counts the answers. */
async function burst(admit: Admit, limit: number): Promise<Burst> {
  const stub: Stub = env.RATE_LIMITER.getByName(`security:${crypto.randomUUID()}`);
  const rule: RateRule = { limit, windowMs: RULE.windowMs };
  const decisions = await Promise.all(Array.from({ length: CALLS }, () => admit(stub, rule)));
  const remaining: number[] = [];
  let refused = 0;
  for (const d of decisions) {
    if (d.allowed) remaining.push(d.remaining);
    else refused += 1;
  }
  return { limit, admitted: remaining.length, refused, remaining: remaining.toSorted((a, b) => a - b) };
}

/** The check both limiters face: exactly min(limit, CALLS) admitted, each count seen once. */
function assertExact(bursts: readonly Burst[]): void {
  for (const b of bursts) {
    const expected = Math.min(b.limit, CALLS);
    expect(b.admitted, `admitted of ${CALLS} with limit ${b.limit}`).toBe(expected);
    expect(b.refused).toBe(CALLS - expected);
    expect(b.remaining).toEqual(Array.from({ length: expected }, (_, i) => b.limit - expected + i));
  }
}

function spread(bursts: readonly Burst[]): { over: number; under: number } {
  let over = 0;
  let under = 0;
  for (const b of bursts) {
    const expected = Math.min(b.limit, CALLS);
    over += Math.max(0, b.admitted - expected);
    under += Math.max(0, expected - b.admitted);
  }
  return { over, under };
}

describe("limiter exactness", () => {
  it(`${BURSTS} bursts of ${CALLS} concurrent admit RPCs on one fresh key each admit exactly the maximum`, async () => {
    const bursts: Burst[] = [];
    for (let i = 0; i < BURSTS; i++) bursts.push(await burst(realAdmit, LIMITS[i % LIMITS.length] ?? RULE.limit));
    assertExact(bursts);
    const { over, under } = spread(bursts);
    const atConfigured = bursts.filter((b) => b.limit === RULE.limit).map((b) => b.admitted);
    figure(
      "limiter",
      `${BURSTS} bursts x ${CALLS} concurrent admit RPCs (RateLimiterDO), maxima ${[...new Set(LIMITS)].join("/")}: ${bursts.filter((b) => b.admitted === Math.min(b.limit, CALLS)).length}/${BURSTS} exact, over-admitted ${over}, under-admitted ${under}; at RATE_LIMIT_MAX_REQUESTS=${RULE.limit}: admitted ${atConfigured.join(",")}`,
    );
  }, 120_000);

  it("the same bursts and check fail against a broken limiter (await between reading and writing the log)", async () => {
    const bursts: Burst[] = [];
    bursts.push(await burst(brokenAdmit, RULE.limit));
    // The first check to fail is the admitted count (an over-admission).
    expect(() => assertExact(bursts)).toThrow(`admitted of ${CALLS} with limit ${RULE.limit}`);
    const { over } = spread(bursts);
    expect(over).toBeGreaterThan(0);
    figure(
      "limiter",
      `broken variant (test-only): ${bursts.length} burst x ${CALLS}, limit ${RULE.limit}: admitted ${bursts.map((b) => b.admitted).join(",")}, over-admitted ${over}: the exactness check fails, as it must`,
    );
  }, 60_000);

  it("after an exact burst the key stays full: the next admission is refused with a Retry-After inside the window", async () => {
    const stub: Stub = env.RATE_LIMITER.getByName(`security:${crypto.randomUUID()}`);
    await Promise.all(Array.from({ length: RULE.limit * 3 }, () => stub.admit(RULE)));
    const next = await stub.admit(RULE);
    expect(next.allowed).toBe(false);
    const retryAfterMs = next.allowed ? 0 : next.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(RULE.windowMs);
  });
});
