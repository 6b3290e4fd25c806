/**
 * `POST|GET|DELETE /mcp`: MCP Streamable HTTP (JSON-RPC 2.0), for the legacy revisions
 * (initialize handshake, `Mcp-Session-Id`) and the stateless 2026-07-28 revision on the
 * same endpoint. Transport rules (MCP 2025-11-25 and 2026-07-28 "Transports"):
 * - notifications and responses only → 202, no body; a request → one application/json answer;
 * - GET → 405 (no server-initiated stream); DELETE ends a transport session;
 * - unknown or ended Mcp-Session-Id → 404; unsupported MCP-Protocol-Version → 400;
 * - disallowed Origin → 403; Accept must list application/json and text/event-stream → 406;
 *   Content-Type other than application/json → 415;
 * - batches only under 2025-03-26 and earlier; bodies over 1 MB → 413; batch rules below;
 * - stateless requests: envelope and Mcp-Method / Mcp-Name checks (classify-inbound.ts) → 400.
 * OAuth (issue 12): `Authorization: Bearer pgm_at_…` is resolved in the SessionDO the token
 * names; an invalid, expired or revoked token (or any other bearer value, a Passgage JWT
 * included) → 401 with `WWW-Authenticate: Bearer error="invalid_token", resource_metadata=…`.
 * A request with no credential at all (no Authorization, no X-Session-ID, no bound
 * Mcp-Session-Id) → 401 with the challenge when ANONYMOUS_ACCESS is "oauth" (the default);
 * "open" keeps the anonymous catalog and in-chat sign-in. A header client (X-Session-ID,
 * even a dead one) never gets the challenge: it keeps tool-level guidance.
 * The Origin check (403) and the request's per-IP admission (429) run in the router, before this.
 *
 * Batches (issue 11): a batch of N messages costs N per-IP admissions, all or none (the
 * router took one; the other N - 1 are taken at once here, else 429 for the whole batch,
 * and a batch larger than the per-IP limit itself is refused with 400); sign-in tools and
 * tools/list are refused inside a batch (-32600, per message: send them alone); and the
 * batch's answer is bounded: once the answers would pass MAX_BATCH_ANSWER_BYTES, that
 * message's answer and every later message get -32000 instead (later ones are not run).
 *
 * The same transport serves `/mcp/readonly`, `/mcp/x/<toolsets>` and
 * `/mcp/x/<toolsets>/readonly` (and the X-MCP-Toolsets / X-MCP-Readonly headers): the
 * connection's tool selection (src/tools/tool-selection.ts, issue 15) is parsed here,
 * once per request (unknown toolset → 400, other paths → 404), and handed to tools/list
 * and tools/call.
 *
 * This is the transport only (HTTP <-> JSON-RPC): which session serves a call is
 * decided by session routing (src/session/session-routing.ts), what a method does by
 * dispatch (dispatch.ts).
 */
import { utf8, utf8Decode } from "../crypto/encoding";
import { sha256Hex } from "../crypto/session-id";
import { admitMore } from "../http/admission";
import { corsHeaders } from "../http/cors";
import type { ConfiguredContext } from "../http/request-context";
import { emptyResponse, jsonResponse, readBodyCapped } from "../http/responses";
import { retryAfterSeconds } from "../rate-limit/policy";
import { bearerOf, type ChallengeReason, challengeHeader, challengeMessage } from "../oauth/challenge";
import { parseToken } from "../oauth/oauth-token";
import { issuerOf, resourceOf } from "../oauth/issuer";
import { isRecord } from "../is-record";
import { SessionRouting } from "../session/session-routing";
import { parseToolSelection } from "../tools/tool-selection";
import { classifyInbound } from "./classify-inbound";
import { dispatchRequest } from "./dispatch";
import type { DispatchContext } from "./dispatch-context";
import { RPC, type RpcResponse, rpcError } from "./errors";
import { allowsBatch, DEFAULT_HEADERLESS_REVISION } from "./protocol";
import { responseText, rpcJsonResponse } from "./pre-encoded";
import { classifyMessage, type RpcRequest } from "./schemas";
import { connectionHomeName, isConnectionExpired, issueConnection, openConnection, type TransportConnection } from "./transport-connection";

const ALLOW = "POST, DELETE, OPTIONS";
const MAX_BATCH_MESSAGES = 50;
/** Bound on a batch's whole answer (bytes of JSON): the same as the request body's cap. */
export const MAX_BATCH_ANSWER_BYTES = 1_048_576;
/** Tools refused inside a batch: each sign-in is sent alone (one session per request). */
const BATCH_REFUSED_TOOLS: ReadonlySet<string> = new Set(["passgage_session_login", "passgage_session_login_api_key"]);
/** Methods refused inside a batch: their answers are large (tools/list is about 240 KB). */
const BATCH_REFUSED_METHODS: ReadonlySet<string> = new Set(["tools/list"]);

/** Handles any method on /mcp. */
export async function handleMcp(request: Request, rc: ConfiguredContext): Promise<Response> {
  const cors = corsHeaders(request, rc.config.allowedOrigins, rc.config.environment);
  if (request.method === "OPTIONS") return emptyResponse(204, rc.requestId, cors);
  const parsedSelection = parseToolSelection(new URL(request.url), request.headers);
  if (!parsedSelection.ok) {
    rc.logger.warn("mcp.rejected", { code: "tool_selection" });
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, parsedSelection.error.message), parsedSelection.error.status, rc.requestId, cors);
  }
  const selection = parsedSelection.value;
  const bearer = bearerOf(request);
  if (request.method === "GET") {
    const refused = credentialRefusal(request, rc, cors, bearer, request.headers.has("mcp-session-id"));
    if (refused) return refused;
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

  // Transport connection: legacy revisions only (the stateless revision has none).
  const mcpSessionHeader = request.headers.get("mcp-session-id");
  let transport: TransportConnection | null = null;
  if (!stateless && mcpSessionHeader !== null) {
    transport = rc.config.encryptionKeyHex ? await openConnection(rc.config.encryptionKeyHex, mcpSessionHeader) : null;
    if (!transport || isConnectionExpired(transport, Date.now()))
      return jsonResponse(
        rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found: unknown Mcp-Session-Id; initialize a new session"),
        404,
        rc.requestId,
        cors,
      );
    if (await rc.env.SESSION.getByName(await connectionHomeName(transport)).isConnectionTerminated(transport.c)) {
      return jsonResponse(
        rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found: this Mcp-Session-Id was terminated; initialize a new session"),
        404,
        rc.requestId,
        cors,
      );
    }
  }

  // A connection's revision is the one it negotiated: a header naming another (say, one that allows batches) is
  // refused (hostile-client finding I-1), except on an initialize, which opens a new connection anyway.
  const claimed = era.kind === "legacy" ? era.headerRevision : null;
  if (transport && claimed !== null && claimed !== transport.v && !(isRecord(body) && body.method === "initialize")) {
    return jsonResponse(
      rpcError(
        null,
        RPC.SERVER_ERROR,
        `Bad Request: MCP-Protocol-Version ${claimed} does not match this connection's protocol revision ${transport.v}`,
      ),
      400,
      rc.requestId,
      cors,
    );
  }

  const refused = credentialRefusal(request, rc, cors, bearer, Boolean(transport?.s));
  if (refused) return refused;

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

  if (isBatch) {
    // A batch of N costs N admissions: the router took one, the other N - 1 go at once.
    if (messages.length > rc.config.rateLimit.limit)
      return jsonResponse(
        rpcError(
          null,
          RPC.INVALID_REQUEST,
          `Invalid Request: a batch of ${messages.length} messages exceeds the per-IP limit of ${rc.config.rateLimit.limit} requests per window`,
        ),
        400,
        rc.requestId,
        cors,
      );
    const more = await admitMore(rc.env, rc.ipHash, rc.config, messages.length - 1);
    if (!more.allowed) {
      rc.logger.warn("rate_limit.exceeded", { scope: "ip_batch", messages: messages.length, retryAfterMs: more.retryAfterMs });
      return rateLimited(null, more.retryAfterMs, rc, cors);
    }
  }

  const route = new SessionRouting(rc, {
    header: request.headers.get("x-session-id"),
    connection: transport ? { bound: transport.s ?? null } : null,
    bearer,
    // Only a bearer token is checked against it (F-A4); a session ID has no audience.
    ...(bearer === null ? {} : { audience: resourceOf(issuerOf(rc.config, request.url)) }),
  });
  const ctx: DispatchContext = {
    revision,
    stateless,
    requestId: rc.requestId,
    logger: rc.logger,
    callTool: (name, args) => route.callTool(name, args, selection),
    toolListing: () => route.toolListing(selection),
    sessionView: () => route.view(),
  };

  const responses: RpcResponse[] = [];
  let rateLimitedMs: number | undefined;
  let negotiated: string | undefined;
  let answerBytes = 0;
  let overBound = false;
  for (const raw of messages) {
    const m = classifyMessage(raw);
    if (m.kind === "invalid") {
      responses.push(rpcError(m.id, RPC.INVALID_REQUEST, `Invalid Request: ${m.reason}`));
      continue;
    }
    if (m.kind !== "request") continue;
    if (isBatch) {
      const refusal = batchRefusal(m.message);
      if (refusal !== null) {
        responses.push(rpcError(m.message.id, RPC.INVALID_REQUEST, refusal));
        continue;
      }
      if (overBound) {
        responses.push(
          rpcError(m.message.id, RPC.SERVER_ERROR, `Not run: the batch's answer reached ${MAX_BATCH_ANSWER_BYTES} bytes; send it again`),
        );
        continue;
      }
    }
    const out = await dispatchRequest(m.message, ctx);
    if (isBatch) {
      answerBytes += utf8.encode(responseText(out.response)).byteLength;
      if (answerBytes > MAX_BATCH_ANSWER_BYTES) {
        overBound = true;
        responses.push(
          rpcError(
            m.message.id,
            RPC.SERVER_ERROR,
            `Answer too large: it would take the batch's answer past ${MAX_BATCH_ANSWER_BYTES} bytes, so it was dropped (the request did run); send it alone`,
          ),
        );
        continue;
      }
    }
    responses.push(out.response);
    if (out.rateLimitedMs !== undefined) rateLimitedMs = out.rateLimitedMs;
    if (out.negotiated !== undefined) negotiated = out.negotiated;
  }

  // A dead bearer token: nothing it asked for ran in a session (session routing stops at it); the client refreshes or signs in.
  if (await route.bearerRejected()) return unauthorized(request, rc, cors, "invalid_token");
  const headers: Record<string, string> = { ...cors };
  // A sign-in on this connection minted a session: the client adopts this new, bound header (not under OAuth: the token names the session).
  const minted = route.mintedSessionId();
  if (transport && minted !== null && bearer === null && rc.config.encryptionKeyHex) {
    const issued = await issueConnection(rc.config.encryptionKeyHex, transport.v, minted);
    headers["mcp-session-id"] = issued.header;
    rc.logger.info("mcp.connection_bound", { connection: (await sha256Hex(issued.connection.c)).slice(0, 12) });
  }
  if (responses.length === 0) return emptyResponse(202, rc.requestId, headers);
  if (rateLimitedMs !== undefined && !isBatch) {
    return rpcJsonResponse(responses[0] as RpcResponse, 429, rc.requestId, {
      ...headers,
      "retry-after": String(retryAfterSeconds(rateLimitedMs)),
    });
  }
  if (negotiated !== undefined && rc.config.encryptionKeyHex) {
    // A successful initialize opens a new connection, whatever Mcp-Session-Id came with it.
    const issued = await issueConnection(rc.config.encryptionKeyHex, negotiated);
    headers["mcp-session-id"] = issued.header;
    rc.logger.info("mcp.initialize", { revision: negotiated, connection: (await sha256Hex(issued.connection.c)).slice(0, 12) });
  }
  return rpcJsonResponse(isBatch ? responses : (responses[0] as RpcResponse), 200, rc.requestId, headers);
}

/** Why a request may not be part of a batch, or null when it may. */
function batchRefusal(req: RpcRequest): string | null {
  if (req.method === "initialize") return "Invalid Request: initialize must not be part of a batch";
  if (BATCH_REFUSED_METHODS.has(req.method))
    return `Invalid Request: ${req.method} must not be part of a batch (its answer is large); send it alone`;
  const tool = req.method === "tools/call" ? req.params?.name : undefined;
  if (typeof tool === "string" && BATCH_REFUSED_TOOLS.has(tool))
    return `Invalid Request: the sign-in tool ${tool} must not be part of a batch; send each sign-in alone`;
  return null;
}

/**
 * The 401 a request gets before any work for its credential, or null: a bearer that is not one of this
 * server's access tokens (a Passgage JWT or any other value is refused, never passed upstream), or no
 * credential at all (no bearer, no X-Session-ID, no `connection`) when ANONYMOUS_ACCESS is "oauth".
 */
function credentialRefusal(
  request: Request,
  rc: ConfiguredContext,
  cors: Record<string, string>,
  bearer: string | null,
  connection: boolean,
): Response | null {
  if (bearer !== null) return parseToken(bearer)?.kind === "access" ? null : unauthorized(request, rc, cors, "invalid_token");
  const anonymous = !request.headers.has("x-session-id") && !connection;
  return anonymous && rc.config.anonymousAccess === "oauth" ? unauthorized(request, rc, cors, "no_credential") : null;
}

/** HTTP 401 with the OAuth challenge (MCP authorization; RFC 6750 §3, RFC 9728 §5.1). */
function unauthorized(request: Request, rc: ConfiguredContext, cors: Record<string, string>, reason: ChallengeReason): Response {
  rc.logger.info("mcp.unauthorized", { code: reason });
  return jsonResponse(rpcError(null, RPC.SERVER_ERROR, challengeMessage(reason)), 401, rc.requestId, {
    ...cors,
    "www-authenticate": challengeHeader(rc.config, request.url, reason),
  });
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

function rateLimited(id: string | number | null, retryAfterMs: number, rc: ConfiguredContext, cors: Record<string, string>): Response {
  const seconds = retryAfterSeconds(retryAfterMs);
  return jsonResponse(rpcError(id, RPC.RATE_LIMITED, `Rate limit exceeded; retry after ${seconds} s.`), 429, rc.requestId, {
    ...cors,
    "retry-after": String(seconds),
  });
}

async function handleDelete(request: Request, rc: ConfiguredContext, cors: Record<string, string>): Promise<Response> {
  const header = request.headers.get("mcp-session-id");
  if (header === null)
    return jsonResponse(rpcError(null, RPC.SERVER_ERROR, "Bad Request: DELETE needs an Mcp-Session-Id header"), 400, rc.requestId, cors);
  const t = rc.config.encryptionKeyHex ? await openConnection(rc.config.encryptionKeyHex, header) : null;
  if (!t || isConnectionExpired(t, Date.now()))
    return jsonResponse(rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found"), 404, rc.requestId, cors);
  const stub = rc.env.SESSION.getByName(await connectionHomeName(t));
  if (await stub.isConnectionTerminated(t.c))
    return jsonResponse(rpcError(null, RPC.SESSION_NOT_FOUND, "Session not found"), 404, rc.requestId, cors);
  await stub.terminateConnection(t.c);
  rc.logger.info("mcp.connection_ended", { connection: (await sha256Hex(t.c)).slice(0, 12) });
  return emptyResponse(204, rc.requestId, cors);
}
