/**
 * Per-IP admission at the edge. The router (src/router.ts) admits every request, on
 * every route, once, before any work: one slot of its client IP's exact sliding window
 * (RateLimiterDO `ip:<hash>`, RATE_LIMIT_* settings). A JSON-RPC batch of N messages costs
 * N slots in all: the transport takes the other N - 1 at once (`admitMore`), all or none.
 * Failed admin-token attempts are counted per IP on their own key (`admin-fail:<hash>`).
 */
import type { Config } from "../config";
import type { RateDecision, RateRule } from "../rate-limit/policy";

/** An admission's answer, as the routes need it. */
export type Admission = { allowed: true } | { allowed: false; retryAfterMs: number };

function answer(d: RateDecision): Admission {
  return d.allowed ? { allowed: true } : { allowed: false, retryAfterMs: d.retryAfterMs };
}

/** Admits one request for a client IP (by its hash). */
export async function admitRequest(env: Env, ipHashHex: string, config: Pick<Config, "rateLimit">): Promise<Admission> {
  return answer(await env.RATE_LIMITER.getByName(`ip:${ipHashHex}`).admit(config.rateLimit));
}

/**
 * Admits `count` more messages of one request at once (the rest of a JSON-RPC batch whose
 * first message the router admitted): all of them, or none.
 */
export async function admitMore(env: Env, ipHashHex: string, config: Pick<Config, "rateLimit">, count: number): Promise<Admission> {
  if (count <= 0) return { allowed: true };
  return answer(await env.RATE_LIMITER.getByName(`ip:${ipHashHex}`).admitMany(config.rateLimit, count));
}

function adminFailures(env: Env, ipHashHex: string): DurableObjectStub<import("../../durable-objects/rate-limiter").RateLimiterDO> {
  return env.RATE_LIMITER.getByName(`admin-fail:${ipHashHex}`);
}

/**
 * Whether this IP may try the admin token now: refused once LOGIN_FAILURE_LIMIT failed
 * attempts fell in LOGIN_FAILURE_WINDOW_MS (the same rule as failed sign-ins).
 */
export async function adminAttemptAllowed(env: Env, ipHashHex: string, rule: RateRule): Promise<Admission> {
  return answer(await adminFailures(env, ipHashHex).peek(rule));
}

/** How long one admin-token attempt may hold its IP's slot if it never releases it (ms). */
const ADMIN_ATTEMPT_HOLD_MS = 5_000;

/**
 * Takes this IP's one-at-a-time slot for an admin-token attempt (RateLimiterDO
 * `admin-hold:`, limit 1). Concurrent guesses from one IP are refused while one is being
 * checked, so every guess is counted before the next is compared: without it, N guesses
 * sent at once would all pass the failure check before any failure was recorded.
 * `release` frees the slot; if it never runs, the slot expires after ADMIN_ATTEMPT_HOLD_MS.
 */
export async function takeAdminAttemptSlot(env: Env, ipHashHex: string): Promise<{ allowed: boolean; release: () => Promise<void> }> {
  const hold = env.RATE_LIMITER.getByName(`admin-hold:${ipHashHex}`);
  const slot = await hold.admit({ limit: 1, windowMs: ADMIN_ATTEMPT_HOLD_MS });
  return { allowed: slot.allowed, release: async () => (slot.allowed ? hold.clear() : undefined) };
}

/** Counts one failed admin-token attempt against this IP. */
export async function recordAdminFailure(env: Env, ipHashHex: string, rule: RateRule): Promise<void> {
  await adminFailures(env, ipHashHex).record(rule);
}
