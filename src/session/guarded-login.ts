/**
 * The guarded sign-in shared by the login tools, the /login page, the OAuth authorize page and the console: one
 * attempt at a time per IP and per account, failed-login and successful-login limits per IP and per account (the
 * RateLimiterDO), then `SessionDO.login` under a freshly minted session ID. The password travels only in memory over
 * the RPC and is never logged.
 */
import type { ConfiguredContext } from "../http/request-context";
import { sessionHash, sha256Hex } from "../crypto/session-id";
import { retryAfterSeconds } from "../rate-limit/policy";
import { err, type Result } from "../result";
import type { SessionClient } from "./state";
import type { LoginOutcome, SessionError, SignIn } from "./types";

/** Facts the guarded login needs (a Pick of the request context). */
export type LoginContext = Pick<ConfiguredContext, "env" | "config" | "requestId" | "logger" | "ipHash">;

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
  const seconds = retryAfterSeconds(retryAfterMs);
  rc.logger.warn("rate_limit.exceeded", { scope: scope === "ip" ? "login_ip" : "login_account", retryAfterMs });
  return err({
    code: "login_rate_limited",
    message: `Too many failed sign-ins ${scope === "ip" ? "from this network" : "for this account"}. Try again in ${seconds} s.`,
    retryable: false,
    retryAfterMs,
  });
}

function tooManySignIns(rc: LoginContext, scope: Scope, retryAfterMs: number): Result<never, SessionError> {
  const seconds = retryAfterSeconds(retryAfterMs);
  const { limit, windowMs } = rc.config.loginSuccessLimit;
  rc.logger.warn("rate_limit.exceeded", { scope: scope === "ip" ? "login_ok_ip" : "login_ok_account", retryAfterMs });
  return err({
    code: "login_rate_limited",
    message:
      `Too many sign-ins ${scope === "ip" ? "from this network" : "for this account"}: at most ${limit} in ${Math.round(windowMs / 60_000)} min ` +
      `(LOGIN_SUCCESS_LIMIT). Keep using the session you already have (its ID goes in X-Session-ID). Try again in ${seconds} s.`,
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
 * the IP's). `client`: the client the new session is for (the OAuth authorize page, the console).
 */
export async function guardedLogin(
  rc: LoginContext,
  target: string,
  signIn: SignIn,
  carryFrom: string | null = null,
  client: SessionClient | null = null,
): Promise<Result<LoginOutcome, SessionError>> {
  const rule = rc.config.loginFailureLimit;
  const okRule = rc.config.loginSuccessLimit;
  const subject = signIn.kind === "password" ? `email:${signIn.email.trim().toLowerCase()}` : `key:${signIn.apiKey}`;
  const subjectKey = (await sha256Hex(subject)).slice(0, 24);
  const failures = {
    ip: rc.env.RATE_LIMITER.getByName(`login-ip:${rc.ipHash}`),
    account: rc.env.RATE_LIMITER.getByName(`login-subject:${subjectKey}`),
  };
  const successes = {
    ip: rc.env.RATE_LIMITER.getByName(`login-ok-ip:${rc.ipHash}`),
    account: rc.env.RATE_LIMITER.getByName(`login-ok-subject:${subjectKey}`),
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
    const [ipOk, accountOk] = await Promise.all([successes.ip.peek(okRule), successes.account.peek(okRule)]);
    if (!ipOk.allowed) return tooManySignIns(rc, "ip", ipOk.retryAfterMs);
    if (!accountOk.allowed) return tooManySignIns(rc, "account", accountOk.retryAfterMs);

    const stub = rc.env.SESSION.getByName(await sessionHash(target));
    const r = await stub.login({
      ...signIn,
      sessionId: target,
      requestId: rc.requestId,
      carryFrom,
      maxSessions: rc.config.maxSessions,
      ...(client ? { client } : {}),
    });
    if (!r.ok && r.error.code === "invalid_credentials") {
      await Promise.all([failures.ip.record(rule), failures.account.record(rule)]);
      rc.logger.warn("login.failed", { kind: signIn.kind, code: r.error.code });
      // The audit event of a failed sign-in: logged only (the account's company is not known; docs/AUDIT.md).
      rc.logger.warn("audit.sign_in_failed", { kind: signIn.kind, subject: subjectKey.slice(0, 12) });
    } else if (r.ok) {
      // Recorded before the slots are released: the next attempt on these keys sees it.
      await Promise.all([failures.account.clear(), successes.ip.record(okRule), successes.account.record(okRule)]);
    }
    return r;
  } finally {
    // Released after the failure is recorded; if this never runs, the slot expires.
    await release();
  }
}
