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
export async function admitRequest(
  env: Env,
  ipHashHex: string,
  config: McpRequestContext["config"],
): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const d: RateDecision = await env.RATE_LIMITER.getByName(`ip:${ipHashHex}`).admit(config.rateLimit);
  return d.allowed ? { allowed: true } : { allowed: false, retryAfterMs: d.retryAfterMs };
}

/** Credentials of one sign-in attempt. */
export type SignIn =
  { readonly kind: "password"; readonly email: string; readonly password: string } | { readonly kind: "api_key"; readonly apiKey: string };

/** Facts the guarded login needs (a subset of the MCP request context). */
export type LoginContext = Pick<McpRequestContext, "env" | "config" | "requestId" | "logger" | "ipHash">;

/**
 * How long a sign-in attempt may hold its key's slot (ms) if it never releases it (the
 * edge died mid-attempt): longer than one attempt can take, since the upstream login is
 * aborted after PASSGAGE_TIMEOUT and is not retried.
 */
export function loginAttemptHoldMs(config: LoginContext["config"]): number {
  return config.passgageTimeoutMs + 2_000;
}

type Scope = "ip" | "account";

function refused(rc: LoginContext, scope: Scope, retryAfterMs: number): Result<never, SessionError> {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  rc.logger.warn("rate_limit.exceeded", { scope: scope === "ip" ? "login_ip" : "login_account", retryAfterMs });
  return err({
    code: "login_rate_limited",
    message: `Too many failed sign-ins ${scope === "ip" ? "from this network" : "for this account"}. Try again in ${seconds} s.`,
    retryable: false,
    retryAfterMs,
  });
}

function busy(rc: LoginContext, scope: Scope): Result<never, SessionError> {
  rc.logger.warn("rate_limit.exceeded", { scope: scope === "ip" ? "login_ip_busy" : "login_account_busy" });
  return err({
    code: "login_rate_limited",
    message: `Another sign-in ${scope === "ip" ? "from this network" : "for this account"} is in progress. Try again in a moment.`,
    retryable: true,
    retryAfterMs: 1000,
  });
}

/**
 * Signs in into the session `target` (created when new) unless failed logins from this
 * IP or for this e-mail (or API key) reached LOGIN_FAILURE_LIMIT in LOGIN_FAILURE_WINDOW_MS.
 *
 * Exact under concurrency: an attempt first takes its IP's and its account's slot (a
 * RateLimiterDO admission with limit 1, `login-ip-hold:` / `login-subject-hold:`), so at
 * most one attempt per key is in flight; only then it reads the failure logs
 * (`login-ip:` / `login-subject:`), which nobody else can change meanwhile; it records a
 * failure before releasing the slots. Concurrent attempts on a busy key are refused
 * (retryable) before any upstream call, so a burst of guesses reaches Passgage at most
 * LOGIN_FAILURE_LIMIT times per window. A success clears the account's failures (not
 * the IP's).
 */
export async function guardedLogin(rc: LoginContext, target: string, signIn: SignIn): Promise<Result<LoginOutcome, SessionError>> {
  const rule = rc.config.loginFailureLimit;
  const subject = signIn.kind === "password" ? `email:${signIn.email.trim().toLowerCase()}` : `key:${signIn.apiKey}`;
  const subjectKey = (await sha256Hex(subject)).slice(0, 24);
  const failures = {
    ip: rc.env.RATE_LIMITER.getByName(`login-ip:${rc.ipHash}`),
    account: rc.env.RATE_LIMITER.getByName(`login-subject:${subjectKey}`),
  };
  const holds = {
    ip: rc.env.RATE_LIMITER.getByName(`login-ip-hold:${rc.ipHash}`),
    account: rc.env.RATE_LIMITER.getByName(`login-subject-hold:${subjectKey}`),
  };

  const slot = { limit: 1, windowMs: loginAttemptHoldMs(rc.config) };
  const [ipSlot, accountSlot] = await Promise.all([holds.ip.admit(slot), holds.account.admit(slot)]);
  const release = async (): Promise<void> => {
    await Promise.all([ipSlot.allowed ? holds.ip.clear() : undefined, accountSlot.allowed ? holds.account.clear() : undefined]);
  };
  try {
    if (!ipSlot.allowed) return busy(rc, "ip");
    if (!accountSlot.allowed) return busy(rc, "account");
    const [ipState, accountState] = await Promise.all([failures.ip.peek(rule), failures.account.peek(rule)]);
    if (!ipState.allowed) return refused(rc, "ip", ipState.retryAfterMs);
    if (!accountState.allowed) return refused(rc, "account", accountState.retryAfterMs);

    const stub = rc.env.SESSION.getByName(await sessionHash(target));
    const r =
      signIn.kind === "password"
        ? await stub.login({ sessionId: target, kind: "password", email: signIn.email, password: signIn.password, requestId: rc.requestId })
        : await stub.login({ sessionId: target, kind: "api_key", apiKey: signIn.apiKey, requestId: rc.requestId });
    if (!r.ok && r.error.code === "invalid_credentials") {
      await Promise.all([failures.ip.record(rule), failures.account.record(rule)]);
      rc.logger.warn("login.failed", { kind: signIn.kind, code: r.error.code });
    } else if (r.ok) {
      await failures.account.clear();
    }
    return r;
  } finally {
    // Released after the failure is recorded; if this never runs, the slot expires.
    await release();
  }
}
