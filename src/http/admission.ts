/**
 * Per-IP admission at the edge: every /mcp and /login request takes one slot of its
 * client IP's exact sliding window (RateLimiterDO, RATE_LIMIT_* settings) before any
 * work on its body.
 */
import type { Config } from "../config";
import type { RateDecision } from "../rate-limit/policy";

/** Admits one request for a client IP (by its hash). */
export async function admitRequest(
  env: Env,
  ipHashHex: string,
  config: Pick<Config, "rateLimit">,
): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const d: RateDecision = await env.RATE_LIMITER.getByName(`ip:${ipHashHex}`).admit(config.rateLimit);
  return d.allowed ? { allowed: true } : { allowed: false, retryAfterMs: d.retryAfterMs };
}
