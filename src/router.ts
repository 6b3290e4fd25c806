/**
 * Routes (itty-router): POST|GET|DELETE|OPTIONS /mcp, GET /health, GET /stats,
 * GET /admin/sessions, POST /admin/sessions/revoke, GET /admin/audit, /login, /console, the OAuth metadata, token and revocation endpoints
 * (src/oauth/oauth-routes.ts); a JSON 404 for anything else. Before any route runs,
 * `gate` checks the Origin (403) and admits the request per IP (429), once, for every
 * route and method. Every response carries X-Request-Id; the catch-all turns a bug into
 * a generic 500 (details only in logs).
 */
import { type IRequest, Router } from "itty-router";
import { type ConfigResult, loadConfig } from "./config";
import { clientIp, ipHash } from "./http/client-ip";
import { admitRequest } from "./http/admission";
import { corsHeaders, originAllowed } from "./http/cors";
import { EXTRA_ROUTES } from "./http/extra-routes";
import { adminAudit, adminRevoke, adminSessions, health, stats } from "./http/ops";
import { configured, type RequestContext } from "./http/request-context";
import { emptyResponse, errorResponse, jsonResponse } from "./http/responses";
import { createLogger } from "./log";
import { RPC, rpcError } from "./mcp/errors";
import { handleMcp } from "./mcp/http-handler";
import { isPublicOAuthPath } from "./oauth/oauth-http";
import { OAUTH_ROUTES } from "./oauth/oauth-routes";
import { retryAfterSeconds } from "./rate-limit/policy";
import { countRequest } from "./registry/registry-client";

type Args = [RequestContext];

const mcp = async (request: IRequest, rc: RequestContext): Promise<Response> => {
  const ctx = configured(rc);
  if (!ctx) {
    const errors = rc.configResult.ok ? [] : rc.configResult.errors;
    rc.logger.error("config.invalid", { detail: errors.join("; ") });
    return errorResponse(503, "misconfigured", `Server misconfigured: ${errors.join("; ")}`, rc.requestId);
  }
  const res = await handleMcp(request, ctx);
  // /stats counters, batched per isolate (registry-client); a 429 is a rate-limited request.
  countRequest(rc.env, rc.exec, res.status === 429);
  return res;
};

/** The router. */
export const router = Router<IRequest, Args>();

// OAuth discovery, token and revocation endpoints (src/oauth/): before the catch-alls, since they answer their own preflight.
for (const route of OAUTH_ROUTES) router.all(route.path, route.handler);

router
  .all("/mcp", mcp)
  .all("/mcp/", mcp)
  // Tool selection (issue 15): /mcp/readonly, /mcp/x/<toolsets>[/readonly]; the transport parses them.
  .all("/mcp/*", mcp)
  .get("/health", (_req, rc) => health(rc))
  .get("/stats", (req, rc) => stats(req, rc))
  .get("/admin/sessions", (req, rc) => adminSessions(req, rc))
  .all("/admin/sessions/revoke", (req, rc) => adminRevoke(req, rc))
  .get("/admin/audit", (req, rc) => adminAudit(req, rc))
  // Other well-known documents (openid-configuration, …): a fast 404; the OAuth metadata routes are registered above.
  .get("/.well-known/*", (_req, rc) => errorResponse(404, "not_found", "No such metadata document.", rc.requestId))
  // Preflight of the other routes; CORS headers are added in handle() for allowed origins only.
  .options("*", (_req, rc) => emptyResponse(204, rc.requestId));

for (const route of EXTRA_ROUTES) router.all(route.path, route.handler);

router.all("*", (req, rc) =>
  errorResponse(404, "not_found", `No route for ${req.method} ${new URL(req.url).pathname.slice(0, 100)}`, rc.requestId),
);

/** Whether a path is the MCP endpoint (its refusals carry a JSON-RPC error body). */
function isMcpPath(path: string): boolean {
  return path === "/mcp" || path === "/mcp/";
}

/**
 * Runs before every route: a present Origin that is not allowed → 403 (MCP transport:
 * DNS-rebinding protection), before any other work; then one per-IP admission → 429 with
 * Retry-After. Bodies are JSON (a JSON-RPC error for /mcp). Without a valid configuration
 * there is no rule to admit by: nothing is admitted, and every route answers from the
 * configuration alone (503, /health, 403, 404), with no storage call.
 */
async function gate(request: Request, rc: RequestContext, path: string): Promise<Response | null> {
  const cfg = rc.configResult;
  const mcpPath = isMcpPath(path);
  // The public OAuth endpoints serve browser-based clients of any origin (no cookies, no ambient authority).
  const originChecked = !isPublicOAuthPath(path);
  if (originChecked && !originAllowed(request, cfg.ok ? cfg.config.allowedOrigins : [], cfg.ok ? cfg.config.environment : "development")) {
    rc.logger.warn("http.origin_refused", { code: "forbidden_origin", path: path.slice(0, 64) });
    const message = "Forbidden: Origin not allowed";
    return mcpPath
      ? jsonResponse(rpcError(null, RPC.SERVER_ERROR, message), 403, rc.requestId)
      : errorResponse(403, "forbidden_origin", message, rc.requestId);
  }
  if (!cfg.ok) return null;
  const admitted = await admitRequest(rc.env, rc.ipHash, cfg.config);
  if (admitted.allowed) return null;
  const seconds = retryAfterSeconds(admitted.retryAfterMs);
  rc.logger.warn("rate_limit.exceeded", { scope: "ip", path: path.slice(0, 64), retryAfterMs: admitted.retryAfterMs });
  const message = `Rate limit exceeded; retry after ${seconds} s.`;
  const headers = { "retry-after": String(seconds) };
  if (mcpPath) {
    countRequest(rc.env, rc.exec, true);
    return jsonResponse(rpcError(null, RPC.RATE_LIMITED, message), 429, rc.requestId, headers);
  }
  return errorResponse(429, "rate_limited", message, rc.requestId, headers);
}

/**
 * Gives every response the headers every answer carries: X-Request-Id, and CORS for an
 * allowed Origin (routes that set their own CORS headers keep them).
 */
function finish(res: Response, request: Request, requestId: string, cfg: ConfigResult): Response {
  const allowlist = cfg.ok ? cfg.config.allowedOrigins : [];
  const environment = cfg.ok ? cfg.config.environment : "development";
  const cors = res.headers.has("access-control-allow-origin") ? {} : corsHeaders(request, allowlist, environment);
  if (res.headers.get("x-request-id") === requestId && Object.keys(cors).length === 0) return res;
  // A copy, since a Response from fetch() (or a cached one) has immutable headers.
  const out = new Response(res.body, res);
  out.headers.set("x-request-id", requestId);
  for (const [k, v] of Object.entries(cors)) out.headers.set(k, v);
  return out;
}

/**
 * Handles one request: request id, the request context (config parsed and client IP
 * hashed once, here), the gate (Origin, per-IP admission), logging, CORS, last-resort 500.
 */
export async function handle(request: Request, env: Env, exec: ExecutionContext): Promise<Response> {
  const requestId = request.headers.get("cf-ray") ?? crypto.randomUUID();
  const cfg = loadConfig(env);
  const logger = createLogger({ requestId }, cfg.ok && cfg.config.passgageDebug ? "debug" : "info");
  const started = Date.now();
  try {
    const rc: RequestContext = { env, exec, requestId, logger, configResult: cfg, ipHash: await ipHash(clientIp(request)) };
    const path = new URL(request.url).pathname.slice(0, 64);
    const refused = await gate(request, rc, path);
    const res = finish(refused ?? (await router.fetch(request, rc)), request, requestId, cfg);
    // One line per tool call is enough: a successful MCP POST is logged by its tool.call
    // line (SessionDO or edge), so its request line is debug-level (BENCHMARKS.md, item 2).
    const routine = request.method === "POST" && path.startsWith("/mcp") && res.status < 400;
    const log = routine ? logger.debug : logger.info;
    log("http.request", { method: request.method, path, status: res.status, durationMs: Date.now() - started });
    return res;
  } catch (e) {
    logger.error("http.unhandled", {
      error: e instanceof Error ? e.name : "unknown",
      message: e instanceof Error ? e.message.slice(0, 200) : undefined,
    });
    return finish(errorResponse(500, "internal_error", "Internal error", requestId), request, requestId, cfg);
  }
}
