/**
 * Edge-side session helpers: per-IP admission (RateLimiterDO), and sign-in guarded by
 * failed-login limits per IP and per e-mail, forwarded to the SessionDO that will hold
 * the session. The password travels only in memory over the RPC and is never logged.
 */
import { sessionHash, sha256Hex } from "../crypto/session-id";
import type { McpRequestContext } from "../mcp/http-handler";
import type { RateDecision } from "../rate-limit/policy";
import { err, type Result } from "../result";
import type { LoginOutcome, SessionError } from "./types";

/** Admits one request for a client IP (exact sliding window, RATE_LIMIT_* settings). */
export async function admitRequest(env: Env, ipHashHex: string, config: McpRequestContext["config"]): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const d: RateDecision = await env.RATE_LIMITER.getByName(`ip:${ipHashHex}`).admit(config.rateLimit);
  return d.allowed ? { allowed: true } : { allowed: false, retryAfterMs: d.retryAfterMs };
}

/** Credentials of one sign-in attempt. */
export type SignIn = { readonly kind: "password"; readonly email: string; readonly password: string } | { readonly kind: "api_key"; readonly apiKey: string };

/** Facts the guarded login needs (a subset of the MCP request context). */
export type LoginContext = Pick<McpRequestContext, "env" | "config" | "requestId" | "logger" | "ipHash">;

/**
 * Signs in into the session `target` (created when new) unless failed logins from this
 * IP or for this e-mail exceed LOGIN_FAILURE_LIMIT in LOGIN_FAILURE_WINDOW_MS.
 */
export async function guardedLogin(rc: LoginContext, target: string, signIn: SignIn): Promise<Result<LoginOutcome, SessionError>> {
  const rule = rc.config.loginFailureLimit;
  const ipLimiter = rc.env.RATE_LIMITER.getByName(`login-ip:${rc.ipHash}`);
  const subject = signIn.kind === "password" ? `email:${signIn.email.trim().toLowerCase()}` : `key:${signIn.apiKey}`;
  const subjectLimiter = rc.env.RATE_LIMITER.getByName(`login-subject:${(await sha256Hex(subject)).slice(0, 24)}`);
  const [ipState, subjectState] = await Promise.all([ipLimiter.peek(rule), subjectLimiter.peek(rule)]);
  for (const [scope, d] of [["ip", ipState], ["account", subjectState]] as const) {
    if (!d.allowed) {
      const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
      rc.logger.warn("rate_limit.exceeded", { scope: scope === "ip" ? "login_ip" : "login_account", retryAfterMs: d.retryAfterMs });
      return err({ code: "login_rate_limited", message: `Too many failed sign-ins ${scope === "ip" ? "from this network" : "for this account"}. Try again in ${seconds} s.`, retryable: false });
    }
  }
  const stub = rc.env.SESSION.getByName(await sessionHash(target));
  const r =
    signIn.kind === "password"
      ? await stub.login({ sessionId: target, kind: "password", email: signIn.email, password: signIn.password, requestId: rc.requestId })
      : await stub.login({ sessionId: target, kind: "api_key", apiKey: signIn.apiKey, requestId: rc.requestId });
  if (!r.ok && r.error.code === "invalid_credentials") {
    await Promise.all([ipLimiter.record(rule), subjectLimiter.record(rule)]);
    rc.logger.warn("login.failed", { kind: signIn.kind, code: r.error.code });
  } else if (r.ok) {
    await subjectLimiter.clear();
  }
  return r;
}
