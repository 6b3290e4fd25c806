/**
 * Operator endpoints: GET /health (public, constant-cost: no Durable Object call),
 * GET /stats and GET /admin/sessions (Bearer ADMIN_TOKEN; failed attempts throttled per IP).
 * The router has admitted the request per IP and checked its Origin before any of these run.
 */
import { constantTimeEqual } from "../crypto/session-id";
import { SERVER_INFO, SUPPORTED_REVISIONS } from "../mcp/protocol";
import { retryAfterSeconds } from "../rate-limit/policy";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageSizeSchema } from "../registry/page-cursor";
import { listAllSessionsPage, requestCounts } from "../registry/registry-client";
import { CATALOG } from "../tools/catalog";
import { adminAttemptAllowed, recordAdminFailure, takeAdminAttemptSlot } from "./admission";
import type { RequestContext } from "./request-context";
import { errorResponse, jsonResponse } from "./responses";

type OpsContext = Pick<RequestContext, "env" | "configResult" | "requestId" | "logger" | "ipHash">;

/**
 * GET /health: liveness plus configuration checks; 503 when the server cannot work.
 * Constant-cost: it reads only the parsed configuration (no storage call), so a cheap
 * anonymous GET can never fan out to the registry's shards.
 */
export function health(rc: Pick<RequestContext, "configResult" | "requestId">): Response {
  const { configResult: cfg, requestId } = rc;
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  checks.config = cfg.ok ? { ok: true } : { ok: false, detail: cfg.errors.join("; ") };
  if (cfg.ok) {
    const c = cfg.config;
    checks.encryptionKey = c.encryptionKeyHex
      ? { ok: true, detail: c.usingDevKey ? "development key (set ENCRYPTION_KEY in production)" : "set" }
      : { ok: false, detail: "ENCRYPTION_KEY is missing: sign-in is disabled until it is set (wrangler secret put ENCRYPTION_KEY)" };
    checks.adminToken = { ok: true, detail: c.adminToken ? "set" : "not set (/admin/sessions and /stats disabled)" };
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

/**
 * Checks `Authorization: Bearer <ADMIN_TOKEN>` (constant-time compare). Failed attempts
 * are counted per IP (`admin-fail:<ip hash>`, the LOGIN_FAILURE_* rule); once the IP has
 * LOGIN_FAILURE_LIMIT failures in the window, every attempt gets 429 until one leaves it,
 * right or wrong token. Resolves to null when authorised, else the response to send.
 */
async function authorizeAdmin(request: Request, rc: OpsContext): Promise<Response | null> {
  const { env, requestId, logger } = rc;
  const config = rc.configResult.ok ? rc.configResult.config : null;
  const adminToken = config?.adminToken ?? null;
  if (!config || !adminToken)
    return errorResponse(403, "admin_disabled", "The admin endpoints are disabled: set the ADMIN_TOKEN secret.", requestId);
  const slot = await takeAdminAttemptSlot(env, rc.ipHash);
  try {
    if (!slot.allowed) {
      logger.warn("rate_limit.exceeded", { scope: "admin_ip_busy" });
      return errorResponse(
        429,
        "rate_limited",
        "Another admin-token attempt from this address is in progress; retry after 1 s.",
        requestId,
        {
          "retry-after": "1",
        },
      );
    }
    const allowed = await adminAttemptAllowed(env, rc.ipHash, config.loginFailureLimit);
    if (!allowed.allowed) {
      const seconds = retryAfterSeconds(allowed.retryAfterMs);
      logger.warn("rate_limit.exceeded", { scope: "admin_ip", retryAfterMs: allowed.retryAfterMs });
      return errorResponse(
        429,
        "rate_limited",
        `Too many failed admin-token attempts from this address; retry after ${seconds} s.`,
        requestId,
        { "retry-after": String(seconds) },
      );
    }
    const auth = request.headers.get("authorization") ?? "";
    const presented = auth.startsWith("Bearer ") ? auth.slice(7).trim() : "";
    if (presented === "" || !constantTimeEqual(presented, adminToken)) {
      // Recorded before the slot is released: the next guess from this IP sees it.
      await recordAdminFailure(env, rc.ipHash, config.loginFailureLimit);
      logger.warn("admin.unauthorized", {});
      return errorResponse(401, "unauthorized", "A valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>).", requestId, {
        "www-authenticate": 'Bearer realm="admin"',
      });
    }
    return null;
  } finally {
    await slot.release();
  }
}

/**
 * GET /stats (admin): the global request counters. One read of the registry directory,
 * whatever the number of sessions or companies; global counts are not published to
 * anonymous callers.
 */
export async function stats(request: Request, rc: OpsContext): Promise<Response> {
  const refused = await authorizeAdmin(request, rc);
  if (refused) return refused;
  return jsonResponse({ requests: await requestCounts(rc.env) }, 200, rc.requestId);
}

/**
 * GET /admin/sessions?limit=&cursor= (admin): one page of the live sessions (hashes, never
 * IDs), company by company, oldest first; `nextCursor` is null on the last page.
 * Page size DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE.
 */
export async function adminSessions(request: Request, rc: OpsContext): Promise<Response> {
  const refused = await authorizeAdmin(request, rc);
  if (refused) return refused;
  const url = new URL(request.url);
  const limitParam = url.searchParams.get("limit");
  const limit = limitParam === null ? { success: true as const, data: DEFAULT_PAGE_SIZE } : PageSizeSchema.safeParse(Number(limitParam));
  if (!limit.success || limitParam?.trim() === "")
    return errorResponse(400, "invalid_limit", `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, rc.requestId);
  const cursorParam = url.searchParams.get("cursor");
  const cursor = cursorParam === null ? null : decodeCursor(cursorParam);
  if (cursorParam !== null && cursor === null)
    return errorResponse(400, "invalid_cursor", "cursor is not a nextCursor this server returned", rc.requestId);
  const page = await listAllSessionsPage(rc.env, Date.now(), cursor, limit.data);
  return jsonResponse({ count: page.items.length, sessions: page.items, nextCursor: page.nextCursor }, 200, rc.requestId);
}
