/**
 * Session routing: decides which session serves a call. For a tools/call it picks the
 * SessionDO of a presented session ID (`X-Session-ID` first, then the pending session of
 * the transport connection), else runs the tool in the anonymous context (tools open to
 * anyone; the rest answer with sign-in guidance). Sign-in tools are routed here too:
 * they pick the target session ID and go through `guardedLogin`, the sign-in guarded by
 * failed-login limits per IP and per account, which the /login page uses as well.
 *
 * Below the transport (which only turns HTTP into JSON-RPC and back) and above the
 * SessionDO; it never imports the transport. The password travels only in memory
 * over the RPC and is never logged.
 */
import { generateSessionId, isSessionIdFormat, SESSION_ID_REUSE_HORIZON_MS, sessionHash, sha256Hex, shortHash } from "../crypto/session-id";
import type { ConfiguredContext } from "../http/request-context";
import { retryAfterSeconds } from "../rate-limit/policy";
import { err, type Result } from "../result";
import { keepNothing, readOnlyRefusal, runConnectionTool } from "../tools/connection-tools";
import type { ToolContext } from "../tools/define-tool";
import type { ListingModes } from "../tools/tool-listing";
import { enableToolsets, type ToolSelection } from "../tools/tool-selection";
import { SIGN_IN_GUIDE } from "../tools/guidance";
import { findTool, type RoutedOutcome, type RunOutcome, toolErrorResult, unknownTool } from "../tools/run-tool";
import type { LoginOutcome, SessionControl, SessionError, SessionView, SignIn } from "./types";

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
    const r = await stub.login({ ...signIn, sessionId: target, requestId: rc.requestId });
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

/**
 * How long after its connection was opened a pending session ID may still become a
 * session. The same horizon as the SessionDO's retirement marker (RETIRED_ID_TTL_MS),
 * so an ID that was signed out (and shown to its user) is never signed into again
 * through the connection.
 */
export const PENDING_SESSION_MAX_AGE_MS = SESSION_ID_REUSE_HORIZON_MS;

/** The session IDs a request presents: its X-Session-ID header and its connection's pending ID. */
export interface PresentedIds {
  /** The raw X-Session-ID header, or null. */
  readonly header: string | null;
  /** The pending session ID of the request's transport connection (legacy revisions), and when it was issued. */
  readonly pending: { readonly id: string; readonly issuedAt: number } | null;
}

const LOGIN_TOOLS: ReadonlySet<string> = new Set(["passgage_session_login", "passgage_session_login_api_key"]);

/**
 * Which session a request acts for, resolved lazily (no Durable Object hop unless a
 * method needs the session): `X-Session-ID` first, else the pending session of the
 * connection's Mcp-Session-Id (legacy revisions only).
 */
export class SessionRouting {
  readonly #rc: ConfiguredContext;
  readonly #header: string | null;
  readonly #pending: PresentedIds["pending"];

  constructor(rc: ConfiguredContext, ids: PresentedIds) {
    this.#rc = rc;
    this.#header = ids.header === null ? null : ids.header.trim();
    this.#pending = ids.pending;
  }

  /**
   * The session IDs this request may act for, in order: a well-formed X-Session-ID,
   * then the pending session of the connection (legacy revisions). The second matters
   * when the header names a session that ended while the connection signed in anew.
   */
  #candidates(): string[] {
    const out: string[] = [];
    if (this.#header !== null && isSessionIdFormat(this.#header)) out.push(this.#header);
    if (this.#pending && !out.includes(this.#pending.id)) out.push(this.#pending.id);
    return out;
  }

  #headerNote(): string {
    if (this.#header !== null && !isSessionIdFormat(this.#header))
      return "The X-Session-ID header is not a valid session ID (it should look like sess_ followed by 43 characters).\n";
    if (this.#header !== null) return "The session in X-Session-ID was not found: it expired or was signed out.\n";
    return "";
  }

  /** The public view of the first live candidate session, or null. */
  async view(): Promise<SessionView | null> {
    for (const id of this.#candidates()) {
      const v = await this.#rc.env.SESSION.getByName(await sessionHash(id)).view(id);
      if (v) return v;
    }
    return null;
  }

  /**
   * What tools/list shows this request (issue 15): the connection's `selection` plus the
   * toolsets the first live candidate session enabled, listed for that session's
   * available modes; the selection as is and every mode's tools (null) when anonymous.
   */
  async toolListing(selection: ToolSelection): Promise<{ readonly selection: ToolSelection; readonly modes: ListingModes }> {
    for (const id of this.#candidates()) {
      const s = await this.#rc.env.SESSION.getByName(await sessionHash(id)).toolListing(id);
      if (s) return { selection: enableToolsets(selection, s.toolsets).selection, modes: s.modes };
    }
    return { selection, modes: null };
  }

  /**
   * Routes a tools/call: to a sign-in, a live session's SessionDO, or the anonymous
   * context. `selection` is the connection's (URL or headers): a write tool on a
   * read-only connection is refused here, before any Durable Object or upstream call.
   */
  async callTool(name: string, args: unknown, selection: ToolSelection): Promise<RoutedOutcome> {
    const rc = this.#rc;
    const tool = findTool(name);
    if (!tool) return unknownTool(name);
    const refused = readOnlyRefusal(name, selection);
    if (refused !== null) return refused;
    if (!rc.config.encryptionKeyHex) {
      return {
        kind: "result",
        code: "misconfigured",
        result: toolErrorResult(
          "The server is misconfigured: ENCRYPTION_KEY is not set, so no session can be kept. The operator must set it (see /health).",
        ),
      };
    }
    if (LOGIN_TOOLS.has(name)) return this.#login(name, args, selection);
    for (const id of this.#candidates()) {
      const outcome = await rc.env.SESSION.getByName(await sessionHash(id)).callTool({
        sessionId: id,
        name,
        args,
        requestId: rc.requestId,
        selection,
      });
      if (outcome.kind !== "no_session") return outcome;
    }
    // Anonymous: only tools open to anyone run; the rest get sign-in guidance.
    const note = this.#headerNote();
    const outcome = await runConnectionTool(name, args, anonymousContext(rc), { selection, modes: null, saveSelection: keepNothing });
    if (note !== "" && outcome.kind === "result") {
      const first = outcome.result.content[0];
      return { ...outcome, result: { ...outcome.result, content: [{ type: "text", text: note + (first?.text ?? SIGN_IN_GUIDE) }] } };
    }
    return outcome;
  }

  async #login(name: string, args: unknown, selection: ToolSelection): Promise<RunOutcome> {
    const rc = this.#rc;
    // Sign in into the presented X-Session-ID when it is live; else the connection's
    // pending session; else a brand new one. A client-supplied unknown ID never creates state.
    const header = this.#header !== null && isSessionIdFormat(this.#header) ? this.#header : null;
    const live = header === null ? null : await rc.env.SESSION.getByName(await sessionHash(header)).view(header);
    let target: string;
    let binding: "header" | "connection" | "none";
    const pending = this.#pending && Date.now() - this.#pending.issuedAt < PENDING_SESSION_MAX_AGE_MS ? this.#pending.id : null;
    if (live && header !== null) {
      target = header;
      binding = "header";
    } else if (pending !== null && !(await rc.env.SESSION.getByName(await sessionHash(pending)).isRetired())) {
      // A connection whose session was signed out (or expired) never reuses that ID.
      target = pending;
      binding = "connection";
    } else {
      target = generateSessionId();
      binding = "none";
    }
    const bind = (r: Awaited<ReturnType<typeof guardedLogin>>) => (r.ok ? { ok: true as const, value: { ...r.value, binding } } : r);
    const control: SessionControl = {
      login: async (email, password) => bind(await guardedLogin(rc, target, { kind: "password", email, password })),
      loginApiKey: async (apiKey) => bind(await guardedLogin(rc, target, { kind: "api_key", apiKey })),
      switchMode: notSignedIn,
      listCompanySessions: notSignedIn,
      logout: notSignedIn,
    };
    const started = Date.now();
    const outcome = await runConnectionTool(
      name,
      args,
      { ...anonymousContext(rc), session: live, control },
      { selection, modes: live?.modes ?? null, saveSelection: keepNothing },
    );
    rc.logger.info("tool.call", {
      tool: name,
      sessionId: shortHash(await sessionHash(target)),
      durationMs: Date.now() - started,
      outcome: outcome.kind === "result" && !outcome.result.isError ? "ok" : "error",
    });
    return outcome;
  }
}

async function notSignedIn(): Promise<{ readonly ok: false; readonly error: SessionError }> {
  return { ok: false, error: { code: "not_signed_in", message: SIGN_IN_GUIDE } };
}

/** The context of a call without a session: no upstream access, no lifecycle but sign-in (routed above). */
function anonymousContext(rc: Pick<ConfiguredContext, "logger">): ToolContext {
  return {
    session: null,
    upstream: {
      call: async () => ({ ok: false as const, error: { code: "unauthorized" as const, status: 401 as const, message: "Not signed in" } }),
    },
    control: {
      login: notSignedIn,
      loginApiKey: notSignedIn,
      switchMode: notSignedIn,
      listCompanySessions: notSignedIn,
      logout: notSignedIn,
    },
    logger: rc.logger,
    now: Date.now(),
  };
}
