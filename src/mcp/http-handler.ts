/**
 * `POST|GET|DELETE /mcp`: MCP Streamable HTTP (JSON-RPC 2.0), for the legacy revisions
 * (initialize handshake, `Mcp-Session-Id`) and the stateless 2026-07-28 revision on the
 * same endpoint. Transport rules (MCP 2025-11-25 and 2026-07-28 "Transports"):
 * - notifications and responses only → 202, no body; a request → one application/json answer;
 * - GET → 405 (no server-initiated stream); DELETE ends a transport session;
 * - unknown or ended Mcp-Session-Id → 404; unsupported MCP-Protocol-Version → 400;
 * - disallowed Origin → 403; Accept must list application/json and text/event-stream → 406;
 *   Content-Type other than application/json → 415;
 * - batches only under 2025-03-26 and earlier; bodies over 1 MB → 413;
 * - stateless requests: envelope and Mcp-Method / Mcp-Name checks (classify-inbound.ts) → 400.
 * An MCP request never gets HTTP 401: missing or expired sessions get tool-level guidance.
 */
import type { Config } from "../config";
import { generateSessionId, isSessionIdFormat, sessionHash, sha256Hex, shortHash } from "../crypto/session-id";
import { utf8Decode } from "../crypto/encoding";
import type { Logger } from "../log";
import { type CallOutcome, findTool, runTool, toolErrorResult } from "./call-tool";
import { corsHeaders, originAllowed } from "../http/cors";
import { emptyResponse, jsonResponse, readBodyCapped } from "../http/responses";
import { admitRequest, guardedLogin } from "../session/edge-session";
import type { SessionControl, SessionView } from "../session/types";
import { SIGN_IN_GUIDE } from "../tools/guidance";
import { dispatchRequest } from "./dispatch";
import type { DispatchContext, RoutedCall } from "./dispatch-context";
import { RPC, type RpcResponse, rpcError } from "./errors";
import { classifyInbound } from "./classify-inbound";
import { allowsBatch, DEFAULT_HEADERLESS_REVISION } from "./protocol";
import { classifyMessage } from "./schemas";
import { issueTransportSession, openTransportSession, PENDING_SESSION_MAX_AGE_MS, type TransportSession } from "./transport-session";

/** Per-request facts the handler needs. */
export interface McpRequestContext {
  readonly env: Env;
  readonly exec: ExecutionContext;
  readonly config: Config;
  readonly requestId: string;
  readonly logger: Logger;
  readonly ipHash: string;
}

const ALLOW = "POST, DELETE, OPTIONS";
const MAX_BATCH_MESSAGES = 50;

const LOGIN_TOOLS: ReadonlySet<string> = new Set(["passgage_session_login", "passgage_session_login_api_key"]);

/** Handles any method on /mcp. */
export async function handleMcp(request: Request, rc: McpRequestContext): Promise<Response> {
  if (!originAllowed(request, rc.config.allowedOrigins)) {
    rc.logger.warn("mcp.origin_refused", { code: "forbidden_origin" });
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, "Forbidden: Origin not allowed"), 403, rc.requestId);
  }
  const cors = corsHeaders(request, rc.config.allowedOrigins);
  if (request.method === "OPTIONS") return emptyResponse(204, rc.requestId, cors);
  if (request.method === "GET") {
    return jsonResponse(
      rpcError(null, RPC.SERVER_ERROR, "Method not allowed: this server does not offer a server-to-client stream; use POST."),
      405,
      rc.requestId,
      { ...cors, allow: ALLOW },
    );
  }
  if (request.method === "DELETE") return handleDelete(request, rc, cors);
  if (request.method !== "POST") {
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, `Method not allowed: ${request.method.slice(0, 16)}`), 405, rc.requestId, {
      ...cors,
      allow: ALLOW,
    });
  }

  // As the official SDKs check them: Accept must list both types, Content-Type must be JSON.
  const accept = (request.headers.get("accept") ?? "").toLowerCase();
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) {
    return jsonResponse(
      rpcError(null, RPC.SERVER_ERROR, "Not Acceptable: the client must accept both application/json and text/event-stream"),
      406,
      rc.requestId,
      cors,
    );
  }
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return jsonResponse(
      rpcError(null, RPC.SERVER_ERROR, "Unsupported Media Type: Content-Type must be application/json"),
      415,
      rc.requestId,
      cors,
    );
  }

  // Per-IP admission before any work on the body.
  const admitted = await admitRequest(rc.env, rc.ipHash, rc.config);
  if (!admitted.allowed) {
    rc.logger.warn("rate_limit.exceeded", { scope: "ip", retryAfterMs: admitted.retryAfterMs });
    return rateLimited(null, admitted.retryAfterMs, rc, cors);
  }

  const bytes = await readBodyCapped(request);
  if (bytes === null)
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, "Payload Too Large: the body exceeds 1 MB"), 413, rc.requestId, cors);
  let body: unknown;
  try {
    body = JSON.parse(utf8Decode.decode(bytes));
  } catch {
    return jsonResponse(rpcError(null, RPC.PARSE_ERROR, "Parse error: the body is not valid UTF-8 JSON"), 400, rc.requestId, cors);
  }

  const era = classifyInbound(body, {
    protocolVersion: headerOrNull(request, "mcp-protocol-version"),
    method: headerOrNull(request, "mcp-method"),
    name: headerOrNull(request, "mcp-name"),
  });
  if (era.kind === "reject") {
    rc.logger.warn("mcp.rejected", { code: era.body.error.code });
    return jsonResponse(era.body, era.status, rc.requestId, cors);
  }
  const stateless = era.kind === "modern";

  // Transport session: legacy revisions only (the stateless revision has none).
  const mcpSessionHeader = request.headers.get("mcp-session-id");
  let transport: TransportSession | null = null;
  if (!stateless && mcpSessionHeader !== null) {
    transport = rc.config.encryptionKeyHex ? await openTransportSession(rc.config.encryptionKeyHex, mcpSessionHeader) : null;
    if (!transport)
      return jsonResponse(
        rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found: unknown Mcp-Session-Id; initialize a new session"),
        404,
        rc.requestId,
        cors,
      );
    const pendingStub = rc.env.SESSION.getByName(await sessionHash(transport.p));
    if (await pendingStub.isConnectionTerminated(transport.c)) {
      return jsonResponse(
        rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found: this Mcp-Session-Id was terminated; initialize a new session"),
        404,
        rc.requestId,
        cors,
      );
    }
  }

  const isBatch = Array.isArray(body);
  const messages: unknown[] = isBatch ? (body as unknown[]) : [body];
  const revision = era.kind === "modern" ? era.revision : (era.headerRevision ?? transport?.v ?? DEFAULT_HEADERLESS_REVISION);
  if (isBatch && !allowsBatch(revision)) {
    return jsonResponse(
      rpcError(null, RPC.INVALID_REQUEST, `Invalid Request: JSON-RPC batches are not supported in protocol revision ${revision}`),
      400,
      rc.requestId,
      cors,
    );
  }
  if (isBatch && messages.length === 0)
    return jsonResponse(rpcError(null, RPC.INVALID_REQUEST, "Invalid Request: empty batch"), 400, rc.requestId, cors);
  if (messages.length > MAX_BATCH_MESSAGES)
    return jsonResponse(
      rpcError(null, RPC.INVALID_REQUEST, `Invalid Request: at most ${MAX_BATCH_MESSAGES} messages per batch`),
      400,
      rc.requestId,
      cors,
    );

  const xSession = request.headers.get("x-session-id");
  const route = new SessionRoute(rc, xSession, transport, stateless);
  const ctx: DispatchContext = {
    revision,
    stateless,
    requestId: rc.requestId,
    logger: rc.logger,
    callTool: (name, args) => route.callTool(name, args),
    sessionView: () => route.view(),
  };

  const responses: RpcResponse[] = [];
  let rateLimitedMs: number | undefined;
  let negotiated: string | undefined;
  for (const raw of messages) {
    const m = classifyMessage(raw);
    if (m.kind === "invalid") {
      responses.push(rpcError(m.id, RPC.INVALID_REQUEST, `Invalid Request: ${m.reason}`));
      continue;
    }
    if (m.kind !== "request") continue;
    if (isBatch && m.message.method === "initialize") {
      responses.push(rpcError(m.message.id, RPC.INVALID_REQUEST, "Invalid Request: initialize must not be part of a batch"));
      continue;
    }
    const out = await dispatchRequest(m.message, ctx);
    responses.push(out.response);
    if (out.rateLimitedMs !== undefined) rateLimitedMs = out.rateLimitedMs;
    if (out.negotiated !== undefined) negotiated = out.negotiated;
  }

  if (responses.length === 0) return emptyResponse(202, rc.requestId, cors);
  if (rateLimitedMs !== undefined && !isBatch) {
    return jsonResponse(responses[0], 429, rc.requestId, { ...cors, "retry-after": String(Math.max(1, Math.ceil(rateLimitedMs / 1000))) });
  }
  const headers: Record<string, string> = { ...cors };
  if (negotiated !== undefined && rc.config.encryptionKeyHex) {
    // A successful initialize opens a new connection, whatever Mcp-Session-Id came with it.
    const issued = await issueTransportSession(rc.config.encryptionKeyHex, negotiated);
    headers["mcp-session-id"] = issued.header;
    rc.logger.info("mcp.initialize", { revision: negotiated, connection: (await sha256Hex(issued.session.c)).slice(0, 12) });
  }
  return jsonResponse(isBatch ? responses : responses[0], 200, rc.requestId, headers);
}

function headerOrNull(request: Request, name: string): string | null {
  const v = request.headers.get(name);
  return v === null ? null : v.trim();
}

/** Whether a Content-Type's media type (parameters aside) is application/json. */
function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  return (value.split(";")[0] ?? "").trim().toLowerCase() === "application/json";
}

function rateLimited(id: string | number | null, retryAfterMs: number, rc: McpRequestContext, cors: Record<string, string>): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return jsonResponse(rpcError(id, RPC.RATE_LIMITED, `Rate limit exceeded; retry after ${seconds} s.`), 429, rc.requestId, {
    ...cors,
    "retry-after": String(seconds),
  });
}

async function handleDelete(request: Request, rc: McpRequestContext, cors: Record<string, string>): Promise<Response> {
  const header = request.headers.get("mcp-session-id");
  if (header === null)
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, "Bad Request: DELETE needs an Mcp-Session-Id header"), 400, rc.requestId, cors);
  const t = rc.config.encryptionKeyHex ? await openTransportSession(rc.config.encryptionKeyHex, header) : null;
  if (!t) return jsonResponse(rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found"), 404, rc.requestId, cors);
  const stub = rc.env.SESSION.getByName(await sessionHash(t.p));
  if (await stub.isConnectionTerminated(t.c))
    return jsonResponse(rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found"), 404, rc.requestId, cors);
  await stub.terminateConnection(t.c);
  rc.logger.info("mcp.connection_ended", { connection: (await sha256Hex(t.c)).slice(0, 12) });
  return emptyResponse(204, rc.requestId, cors);
}

/**
 * Resolves which session a request acts for, lazily (no Durable Object hop unless a
 * method needs the session): `X-Session-ID` first, else the pending session of the
 * connection's Mcp-Session-Id.
 */
class SessionRoute {
  readonly #rc: McpRequestContext;
  readonly #header: string | null;
  readonly #transport: TransportSession | null;
  readonly #stateless: boolean;

  constructor(rc: McpRequestContext, header: string | null, transport: TransportSession | null, stateless: boolean) {
    this.#rc = rc;
    this.#header = header === null ? null : header.trim();
    this.#transport = transport;
    this.#stateless = stateless;
  }

  /**
   * The session IDs this request may act for, in order: a well-formed X-Session-ID,
   * then the pending session of the connection (legacy revisions). The second matters
   * when the header names a session that ended while the connection signed in anew.
   */
  #candidates(): string[] {
    const out: string[] = [];
    if (this.#header !== null && isSessionIdFormat(this.#header)) out.push(this.#header);
    if (this.#transport && !this.#stateless && !out.includes(this.#transport.p)) out.push(this.#transport.p);
    return out;
  }

  #headerNote(): string {
    if (this.#header !== null && !isSessionIdFormat(this.#header))
      return "The X-Session-ID header is not a valid session ID (it should look like sess_ followed by 43 characters).\n";
    if (this.#header !== null) return "The session in X-Session-ID was not found: it expired or was signed out.\n";
    return "";
  }

  async view(): Promise<SessionView | null> {
    for (const id of this.#candidates()) {
      const v = await this.#rc.env.SESSION.getByName(await sessionHash(id)).view(id);
      if (v) return v;
    }
    return null;
  }

  async callTool(name: string, args: unknown): Promise<RoutedCall> {
    const rc = this.#rc;
    const tool = findTool(name);
    if (!tool) return { kind: "rpc_error", code: RPC.INVALID_PARAMS, message: `Unknown tool: ${name.slice(0, 80)}` };
    if (!rc.config.encryptionKeyHex) {
      return {
        kind: "result",
        code: "misconfigured",
        result: toolErrorResult(
          "The server is misconfigured: ENCRYPTION_KEY is not set, so no session can be kept. The operator must set it (see /health).",
        ),
      };
    }
    if (LOGIN_TOOLS.has(name)) return this.#login(name, args);
    for (const id of this.#candidates()) {
      const outcome = await rc.env.SESSION.getByName(await sessionHash(id)).callTool({
        sessionId: id,
        name,
        args,
        requestId: rc.requestId,
      });
      if (outcome.kind !== "no_session") return outcome;
    }
    // Anonymous: only tools open to anyone run; the rest get sign-in guidance.
    const note = this.#headerNote();
    const outcome = await runTool(name, args, anonymousContext(rc));
    if (note !== "" && outcome.kind === "result") {
      const first = outcome.result.content[0];
      return { ...outcome, result: { ...outcome.result, content: [{ type: "text", text: note + (first?.text ?? SIGN_IN_GUIDE) }] } };
    }
    return outcome;
  }

  async #login(name: string, args: unknown): Promise<CallOutcome> {
    const rc = this.#rc;
    // Sign in into the presented X-Session-ID when it is live; else the connection's
    // pending session; else a brand new one. A client-supplied unknown ID never creates state.
    const header = this.#header !== null && isSessionIdFormat(this.#header) ? this.#header : null;
    const live = header === null ? null : await rc.env.SESSION.getByName(await sessionHash(header)).view(header);
    let target: string;
    let binding: "header" | "connection" | "none";
    const pending =
      this.#transport && !this.#stateless && Date.now() - this.#transport.t < PENDING_SESSION_MAX_AGE_MS ? this.#transport.p : null;
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
      switchMode: async () => ({ ok: false, error: { code: "not_signed_in", message: SIGN_IN_GUIDE } }),
      listCompanySessions: async () => ({ ok: false, error: { code: "not_signed_in", message: SIGN_IN_GUIDE } }),
      logout: async () => ({ ok: false, error: { code: "not_signed_in", message: SIGN_IN_GUIDE } }),
    };
    const started = Date.now();
    const outcome = await runTool(name, args, { ...anonymousContext(rc), session: live, control });
    rc.logger.info("tool.call", {
      tool: name,
      sessionId: shortHash(await sessionHash(target)),
      durationMs: Date.now() - started,
      outcome: outcome.kind === "result" && !outcome.result.isError ? "ok" : "error",
    });
    return outcome;
  }
}

function anonymousContext(rc: McpRequestContext) {
  const notSignedIn = async () => ({ ok: false as const, error: { code: "not_signed_in" as const, message: SIGN_IN_GUIDE } });
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
