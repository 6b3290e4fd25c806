/**
 * Bounds of the rate-limit variables live in one place (src/rate-limit/policy.ts): the
 * configuration accepts exactly the limits and windows the RateLimiterDO's rule schema
 * accepts, so an accepted configuration can never make the limiter throw (issue 11:
 * RATE_LIMIT_MAX_REQUESTS=100000 passed the config and made every request answer 500).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig, type Config } from "../../src/config";
import {
  RATE_LIMIT_MAX_LIMIT,
  RATE_LIMIT_MAX_WINDOW_MS,
  RATE_LIMIT_MIN_LIMIT,
  RATE_LIMIT_MIN_WINDOW_MS,
  RateRuleSchema,
} from "../../src/rate-limit/policy";
import { loginAttemptHoldMs } from "../../src/session/guarded-login";

const LIMIT_VARIABLES = ["RATE_LIMIT_MAX_REQUESTS", "LOGIN_FAILURE_LIMIT"] as const;
const WINDOW_VARIABLES = ["RATE_LIMIT_WINDOW_MS", "LOGIN_FAILURE_WINDOW_MS"] as const;

function parse(raw: Record<string, string>): ReturnType<typeof parseConfig> {
  return parseConfig({ ENVIRONMENT: "test", ...raw });
}

/** The errors of a refused configuration ([] when accepted). */
function errorsOf(raw: Record<string, string>): string[] {
  const r = parse(raw);
  return r.ok ? [] : r.errors;
}

/** The configuration, which must be accepted. */
function configOf(raw: Record<string, string>): Config {
  const r = parse(raw);
  if (!r.ok) throw new Error(`expected an accepted configuration: ${r.errors.join("; ")}`);
  return r.config;
}

/** Every rule the server derives from a configuration and sends to a RateLimiterDO. */
function rulesOf(c: Config): { name: string; rule: unknown }[] {
  return [
    { name: "per-IP and per-session (RATE_LIMIT_*)", rule: c.rateLimit },
    { name: "failed logins (LOGIN_FAILURE_*)", rule: c.loginFailureLimit },
    { name: "sign-in slot", rule: { limit: 1, windowMs: loginAttemptHoldMs(c) } },
  ];
}

describe("rate-limit bounds shared by the configuration and the limiter", () => {
  it("the bounds are 1..100,000 events and 1 s..24 h", () => {
    expect([RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT]).toEqual([1, 100_000]);
    expect([RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS]).toEqual([1_000, 86_400_000]);
  });

  for (const [variables, min, max] of [
    [LIMIT_VARIABLES, RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT],
    [WINDOW_VARIABLES, RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS],
  ] as const) {
    for (const variable of variables) {
      it(`${variable} accepts exactly ${min}..${max}, the range of the limiter's rule`, () => {
        expect(parse({ [variable]: String(min) }).ok).toBe(true);
        expect(parse({ [variable]: String(max) }).ok).toBe(true);
        for (const outside of [min - 1, max + 1]) {
          expect(errorsOf({ [variable]: String(outside) })).toEqual([
            expect.stringMatching(new RegExp(`^${variable}: must be at (least|most) `)),
          ]);
        }
      });
    }
  }

  it("RATE_LIMIT_MAX_REQUESTS=100000 (issue 11) is accepted and is a valid limiter rule", () => {
    const c = configOf({ RATE_LIMIT_MAX_REQUESTS: "100000" });
    expect(c.rateLimit.limit).toBe(100_000);
    expect(RateRuleSchema.safeParse(c.rateLimit).success).toBe(true);
  });

  it("every accepted configuration yields only rules the limiter accepts", () => {
    const limit = fc.integer({ min: RATE_LIMIT_MIN_LIMIT - 5, max: RATE_LIMIT_MAX_LIMIT + 5 });
    const windowMs = fc.integer({ min: RATE_LIMIT_MIN_WINDOW_MS - 5, max: RATE_LIMIT_MAX_WINDOW_MS + 5 });
    let accepted = 0;
    fc.assert(
      fc.property(limit, windowMs, limit, windowMs, fc.integer({ min: 50, max: 400_000 }), (l1, w1, l2, w2, timeout) => {
        const r = parse({
          RATE_LIMIT_MAX_REQUESTS: String(l1),
          RATE_LIMIT_WINDOW_MS: String(w1),
          LOGIN_FAILURE_LIMIT: String(l2),
          LOGIN_FAILURE_WINDOW_MS: String(w2),
          PASSGAGE_TIMEOUT: String(timeout),
        });
        if (!r.ok) return;
        accepted += 1;
        const rules = rulesOf(r.config);
        expect(rules.length).toBeGreaterThan(0);
        for (const { name, rule } of rules) expect(RateRuleSchema.safeParse(rule).success, name).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
