/** Operator endpoints: GET /health, GET /stats, GET /admin/sessions. */
import { constantTimeEqual } from "../crypto/session-id";
import { SERVER_INFO, SUPPORTED_REVISIONS } from "../mcp/protocol";
import { listAllSessions, requestCounts, sessionCounts } from "../registry/registry-client";
import { CATALOG } from "../tools/catalog";
import type { RequestContext } from "./request-context";
import { errorResponse, jsonResponse } from "./responses";

/** GET /health: liveness plus configuration checks; 503 when the server cannot work. */
export async function health(rc: Pick<RequestContext, "env" | "configResult" | "requestId" | "logger">): Promise<Response> {
  const { env, configResult: cfg, requestId, logger } = rc;
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  checks.config = cfg.ok ? { ok: true } : { ok: false, detail: cfg.errors.join("; ") };
  if (cfg.ok) {
    const c = cfg.config;
    checks.encryptionKey = c.encryptionKeyHex
      ? { ok: true, detail: c.usingDevKey ? "development key (set ENCRYPTION_KEY in production)" : "set" }
      : { ok: false, detail: "ENCRYPTION_KEY is missing: sign-in is disabled until it is set (wrangler secret put ENCRYPTION_KEY)" };
    checks.adminToken = { ok: true, detail: c.adminToken ? "set" : "not set (/admin/sessions disabled)" };
  }
  try {
    await sessionCounts(env, Date.now());
    checks.storage = { ok: true };
  } catch {
    logger.error("health.storage_failed", {});
    checks.storage = { ok: false, detail: "Durable Object storage unreachable" };
  }
  const healthy = Object.values(checks).every((c) => c.ok);
  return jsonResponse(
    {
      status: healthy ? "ok" : "degraded",
      service: SERVER_INFO.name,
      version: SERVER_INFO.version,
      environment: cfg.ok ? cfg.config.environment : "unknown",
      upstream: cfg.ok ? new URL(cfg.config.passgageBaseUrl).origin : null,
      protocolVersions: SUPPORTED_REVISIONS,
      tools: CATALOG.length,
      checks,
    },
    healthy ? 200 : 503,
    requestId,
  );
}

/** GET /stats: live sessions by mode and request counters. */
export async function stats(rc: Pick<RequestContext, "env" | "requestId">): Promise<Response> {
  const { env, requestId } = rc;
  const now = Date.now();
  const [sessions, requests] = await Promise.all([sessionCounts(env, now), requestCounts(env)]);
  return jsonResponse({ sessions, requests }, 200, requestId);
}

/** GET /admin/sessions: every live session (hashes, never IDs); Bearer ADMIN_TOKEN. */
export async function adminSessions(
  request: Request,
  rc: Pick<RequestContext, "env" | "configResult" | "requestId" | "logger">,
): Promise<Response> {
  const { env, requestId, logger } = rc;
  const adminToken = rc.configResult.ok ? rc.configResult.config.adminToken : null;
  if (!adminToken) return errorResponse(403, "admin_disabled", "The admin endpoint is disabled: set the ADMIN_TOKEN secret.", requestId);
  const auth = request.headers.get("authorization") ?? "";
  const presented = auth.startsWith("Bearer ") ? auth.slice(7).trim() : "";
  if (presented === "" || !constantTimeEqual(presented, adminToken)) {
    logger.warn("admin.unauthorized", {});
    return errorResponse(401, "unauthorized", "A valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>).", requestId, {
      "www-authenticate": 'Bearer realm="admin"',
    });
  }
  const sessions = await listAllSessions(env, Date.now());
  return jsonResponse({ count: sessions.length, sessions }, 200, requestId);
}
