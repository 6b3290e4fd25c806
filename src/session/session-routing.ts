/**
 * Session routing: decides which session serves a call. For a tools/call it picks the
 * SessionDO of a presented session ID (the session a bound connection carries first,
 * then `X-Session-ID`), else runs the tool in the anonymous context (tools open to
 * anyone; the rest answer with sign-in guidance). Sign-in tools are routed here too:
 * a sign-in ALWAYS mints a fresh session ID that only the signer receives (issue 11:
 * no credential is ever written into a session or connection a request merely names)
 * and goes through `guardedLogin` (src/session/guarded-login.ts).
 *
 * Below the transport (which only turns HTTP into JSON-RPC and back) and above the
 * SessionDO; it never imports the transport. The password travels only in memory
 * over the RPC and is never logged.
 */
import { generateSessionId, isSessionIdFormat, sessionHash, shortHash } from "../crypto/session-id";
import { BEARER_CONFLICT, BEARER_INVALID } from "../oauth/challenge";
import { parseToken } from "../oauth/oauth-token";
import type { ConfiguredContext } from "../http/request-context";
import { keepNothing, readOnlyRefusal, runConnectionTool } from "../tools/connection-tools";
import type { ToolContext } from "../tools/define-tool";
import type { ListingModes } from "../tools/tool-listing";
import { enableToolsets, type ToolSelection } from "../tools/tool-selection";
import { SIGN_IN_GUIDE } from "../tools/guidance";
import { findTool, type RoutedOutcome, type RunOutcome, toolErrorResult, unknownTool } from "../tools/run-tool";
import { guardedLogin } from "./guarded-login";
import type { SessionControl, SessionError, SessionView } from "./types";
import { fromWire } from "./wire-outcome";

/** The session IDs a request presents: its X-Session-ID header and its connection's bound session. */
export interface PresentedIds {
  /** The raw X-Session-ID header, or null. */
  readonly header: string | null;
  /**
   * The request's transport connection (legacy revisions), or null (stateless revision, or
   * no Mcp-Session-Id): `bound` is the session a sign-in on it minted, null while unbound.
   */
  readonly connection: { readonly bound: string | null } | null;
  /** An OAuth access token from `Authorization: Bearer` (issue 12), or null / absent. */
  readonly bearer?: string | null;
  /**
   * The resource this request addresses (`<issuer>/mcp`, RFC 8707): a bearer token is
   * accepted only by a grant issued for it (finding F-A4). Required with a bearer.
   */
  readonly audience?: string;
}

/** The refusal when a request's bound connection and its X-Session-ID name two different live sessions. */
const SESSION_CONFLICT =
  "This client presents two different live sessions: its connection (Mcp-Session-Id) was signed in as one, and its X-Session-ID header names another. Nothing runs until one is removed, since either may come from a shared configuration: remove or update the X-Session-ID header in the client's configuration, or start a new connection.";

const LOGIN_TOOLS: ReadonlySet<string> = new Set(["passgage_session_login", "passgage_session_login_api_key"]);

/**
 * Which session a request acts for, resolved lazily (no Durable Object hop unless a
 * method needs the session): the session of a bound connection first (a sign-in on that
 * connection minted it, so it belongs to the party on the connection), then
 * `X-Session-ID`, else anonymous.
 */
export class SessionRouting {
  readonly #rc: ConfiguredContext;
  readonly #header: string | null;
  readonly #connection: PresentedIds["connection"];
  /** The session a successful sign-in in this request minted (the transport binds a new connection header to it). */
  #minted: string | null = null;
  readonly #bearer: string | null;
  readonly #audience: string | undefined;
  /** Whether the bearer token was found live, dead, or not yet asked about. */
  #bearerState: "unknown" | "live" | "invalid" = "unknown";

  constructor(rc: ConfiguredContext, ids: PresentedIds) {
    this.#rc = rc;
    this.#header = ids.header === null ? null : ids.header.trim();
    this.#connection = ids.connection;
    this.#bearer = ids.bearer ?? null;
    this.#audience = ids.audience;
  }

  /** Whether the bearer token is invalid, expired or revoked (→ 401); one Durable Object call unless a session call found out. */
  async bearerRejected(): Promise<boolean> {
    if (this.#bearer === null) return false;
    if (this.#bearerState === "unknown") await this.#view(this.#bearer);
    return this.#bearerState === "invalid";
  }

  /** The SessionDO a candidate names: a bearer token by its hash part, a session ID by its hash. */
  async #stub(id: string): Promise<ReturnType<Env["SESSION"]["getByName"]>> {
    const token = parseToken(id);
    return this.#rc.env.SESSION.getByName(token ? token.sessionHash : await sessionHash(id));
  }

  /** Records what a session call learnt about the bearer token (`live`: whether its session answered). */
  #learn(id: string, live: boolean): void {
    if (id === this.#bearer) this.#bearerState = live ? "live" : "invalid";
  }

  /** A candidate's public view, or null (recording what it says about the bearer token). */
  async #view(id: string): Promise<SessionView | null> {
    const v = await (await this.#stub(id)).view(id, this.#audience);
    this.#learn(id, v !== null);
    return v;
  }

  /** The session ID a sign-in in this request minted (the last one, in a batch), or null. */
  mintedSessionId(): string | null {
    return this.#minted;
  }

  /**
   * The session IDs this request may act for, in order: the session minted in this very
   * request (a batch: later messages act for it), the bound connection's session, then a
   * well-formed X-Session-ID.
   */
  #candidates(): string[] {
    const out: string[] = [];
    const push = (id: string | null | undefined): void => {
      if (id && !out.includes(id)) out.push(id);
    };
    push(this.#minted);
    push(this.#connection?.bound);
    push(this.#bearer);
    if (this.#header !== null && isSessionIdFormat(this.#header)) push(this.#header);
    return out;
  }

  #headerNote(): string {
    if (this.#header !== null && !isSessionIdFormat(this.#header))
      return "The X-Session-ID header is not a valid session ID (it should look like sess_ followed by 43 characters).\n";
    if (this.#header !== null) return "The session in X-Session-ID was not found: it expired or was signed out.\n";
    return "";
  }

  /**
   * Why this request may act for no session at all, or null: its bound connection and its
   * X-Session-ID name two different live sessions. Either could have been planted by a
   * shared configuration (a fixed Mcp-Session-Id or X-Session-ID header), so neither wins:
   * the client must drop one. Costs Durable Object calls only when both are present and
   * differ; a session minted in this very request is the signer's own and wins.
   */
  async #conflict(): Promise<string | null> {
    const bound = this.#connection?.bound ?? null;
    const header = this.#header !== null && isSessionIdFormat(this.#header) ? this.#header : null;
    if (this.#minted !== null) return null;
    const presented = [...new Set([bound, this.#bearer, header].filter((id): id is string => id !== null))];
    if (presented.length < 2) return null;
    const views = await Promise.all(presented.map((id) => this.#view(id)));
    const live = new Set(views.flatMap((v) => (v === null ? [] : [v.hash])));
    if (live.size < 2) return null;
    return this.#bearer !== null && views[presented.indexOf(this.#bearer)] !== null ? BEARER_CONFLICT : SESSION_CONFLICT;
  }

  /** The first live candidate session: its ID and public view, or null (none, or two that conflict). */
  async #live(): Promise<{ id: string; view: SessionView } | null> {
    if ((await this.#conflict()) !== null) return null;
    for (const id of this.#candidates()) {
      const v = await this.#view(id);
      if (v) return { id, view: v };
      // A dead bearer token is never passed over for another credential: the request gets 401.
      if (id === this.#bearer) return null;
    }
    return null;
  }

  /** The public view of the first live candidate session, or null. */
  async view(): Promise<SessionView | null> {
    return (await this.#live())?.view ?? null;
  }

  /**
   * What tools/list shows this request (issue 15): the connection's `selection` plus the
   * toolsets the first live candidate session enabled, listed for that session's
   * available modes; the selection as is and every mode's tools (null) when anonymous.
   */
  async toolListing(selection: ToolSelection): Promise<{ readonly selection: ToolSelection; readonly modes: ListingModes }> {
    if ((await this.#conflict()) !== null) return { selection, modes: null };
    for (const id of this.#candidates()) {
      const s = await (await this.#stub(id)).toolListing(id, this.#audience);
      this.#learn(id, s !== null);
      if (s) return { selection: enableToolsets(selection, s.toolsets).selection, modes: s.modes };
      if (id === this.#bearer) break;
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
    const conflict = await this.#conflict();
    if (conflict !== null) return { kind: "result", code: "session_conflict", result: toolErrorResult(conflict) };
    for (const id of this.#candidates()) {
      const audience = this.#audience;
      const req = { sessionId: id, name, args, requestId: rc.requestId, selection, ...(audience === undefined ? {} : { audience }) };
      const outcome = fromWire(await (await this.#stub(id)).callTool(req));
      this.#learn(id, outcome.kind !== "no_session");
      if (outcome.kind !== "no_session") return outcome;
      if (id === this.#bearer) return { kind: "result", code: "invalid_token", result: toolErrorResult(BEARER_INVALID) };
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
    // Always a brand-new ID that only this response shows: nothing a request merely names
    // (X-Session-ID, a connection) is ever signed into. A live presented session is left
    // unchanged; only on request (`carry: true`, finding F2) its credential of the same
    // company is carried INTO the new session, which then becomes its fork.
    const target = generateSessionId();
    const presented = await this.#live();
    if (this.#bearerState === "invalid") return { kind: "result", code: "invalid_token", result: toolErrorResult(BEARER_INVALID) };
    const binding = this.#bearer !== null ? "oauth" : this.#connection ? "connection" : "none";
    const headerNamesOther = this.#header !== null && this.#header !== "";
    const left = presented ? { hash: presented.view.hash, modes: presented.view.modes } : null;
    const finish = (r: Awaited<ReturnType<typeof guardedLogin>>, carryAsked: boolean): Awaited<ReturnType<typeof guardedLogin>> => {
      if (!r.ok) return r;
      this.#minted = r.value.sessionId;
      return { ok: true as const, value: { ...r.value, binding, headerNamesOther, carryAsked, presented: left } };
    };
    // Credentials are carried from a presented session ID only, never out of an OAuth grant's session.
    const from = (carry: boolean): string | null => (carry && presented && presented.id !== this.#bearer ? presented.id : null);
    const control: SessionControl = {
      login: async (email, password, carry) =>
        finish(await guardedLogin(rc, target, { kind: "password", email, password }, from(carry)), carry),
      loginApiKey: async (apiKey, carry) => finish(await guardedLogin(rc, target, { kind: "api_key", apiKey }, from(carry)), carry),
      switchMode: notSignedIn,
      listSessions: notSignedIn,
      revokeSessions: notSignedIn,
      logout: notSignedIn,
    };
    const started = Date.now();
    const outcome = await runConnectionTool(
      name,
      args,
      { ...anonymousContext(rc), session: presented?.view ?? null, control },
      { selection, modes: presented?.view.modes ?? null, saveSelection: keepNothing },
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
      listSessions: notSignedIn,
      revokeSessions: notSignedIn,
      logout: notSignedIn,
    },
    logger: rc.logger,
    now: Date.now(),
  };
}
