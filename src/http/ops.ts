/**
 * Operator endpoints: GET /health (public, constant-cost: no Durable Object call),
 * GET /stats, GET /admin/sessions, POST /admin/sessions/revoke and GET /admin/audit (Bearer
 * ADMIN_TOKEN; failed attempts throttled per IP).
 * The router has admitted the request per IP and checked its Origin before any of these run.
 */
import { constantTimeEqual } from "../crypto/session-id";
import { SERVER_INFO, SUPPORTED_REVISIONS } from "../mcp/protocol";
import { retryAfterSeconds } from "../rate-limit/policy";
import * as z from "zod/mini";
import { listAllSessionsPage, listCompanySessionsPage, requestCounts } from "../registry/registry-client";
import { RevokeUserSchema } from "../registry/registry-revoke";
import { publicEntry, SessionHashSchema } from "../registry/schemas";
import { auditFor, revokeFor } from "../registry/session-admin";
import { CATALOG } from "../tools/catalog";
import { adminAttemptAllowed, recordAdminFailure, takeAdminAttemptSlot } from "./admission";
import type { RequestContext } from "./request-context";
import { CompanyIdSchema, parseAuditQuery, parseListQuery } from "./list-query";
import { errorResponse, jsonResponse, readJsonBody } from "./responses";

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
export async function authorizeAdmin(request: Request, rc: OpsContext): Promise<Response | null> {
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
 * GET /admin/sessions?limit=&cursor=&user=&mode=&client=&activity=&company= (admin): one page of
 * the live sessions (hashes, never IDs), company by company (or of one `company`), oldest first,
 * filtered (src/registry/session-filter.ts); `nextCursor` is null on the last page.
 * Page size DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE.
 */
export async function adminSessions(request: Request, rc: OpsContext): Promise<Response> {
  const refused = await authorizeAdmin(request, rc);
  if (refused) return refused;
  const query = parseListQuery(new URL(request.url).searchParams);
  if (!query.ok) return errorResponse(400, query.error.code, query.error.message, rc.requestId);
  const { limit, position, filter, company } = query.value;
  const now = Date.now();
  const page =
    company === null
      ? await listAllSessionsPage(rc.env, now, position, limit, filter)
      : await listCompanySessionsPage(rc.env, company, now, position, limit, filter);
  const sessions = page.items.map(publicEntry);
  return jsonResponse({ count: sessions.length, sessions, nextCursor: page.nextCursor }, 200, rc.requestId);
}

/** Largest body of POST /admin/sessions/revoke. */
const REVOKE_BODY_MAX_BYTES = 4096;

/** The body of POST /admin/sessions/revoke: a company and a handle, or a company and a user with `all: true`. */
const AdminRevokeSchema = z.union([
  z.strictObject({ company: CompanyIdSchema, handle: SessionHashSchema }),
  z.strictObject({ company: CompanyIdSchema, user: RevokeUserSchema, all: z.literal(true) }),
]);

/**
 * POST /admin/sessions/revoke (admin), JSON `{company, handle}` or `{company, user, all: true}`:
 * ends the session(s) at once (src/registry/session-admin.ts); answers what was ended. The
 * operator is named "operator" in the company's audit trail.
 */
export async function adminRevoke(request: Request, rc: OpsContext): Promise<Response> {
  if (request.method !== "POST")
    return errorResponse(405, "method_not_allowed", "Use POST with a JSON body.", rc.requestId, { allow: "POST" });
  const refused = await authorizeAdmin(request, rc);
  if (refused) return refused;
  const body = await readJsonBody(request, REVOKE_BODY_MAX_BYTES);
  if (!body.ok) return errorResponse(body.error.status, body.error.code, body.error.message, rc.requestId);
  const parsed = AdminRevokeSchema.safeParse(body.value);
  if (!parsed.success)
    return errorResponse(
      400,
      "invalid_request",
      'The body must be {"company", "handle"} or {"company", "user", "all": true}.',
      rc.requestId,
    );
  const target = "handle" in parsed.data ? { handle: parsed.data.handle } : { user: parsed.data.user };
  const r = await revokeFor(rc.env, { kind: "operator" }, target, parsed.data.company);
  if (!r.ok) return errorResponse(400, r.error.code, r.error.message, rc.requestId);
  rc.logger.info("admin.revoked", { revoked: r.value.revoked.length, skipped: r.value.skipped });
  return jsonResponse({ revoked: r.value.revoked.map(publicEntry), skipped: r.value.skipped }, 200, rc.requestId);
}

/** GET /admin/audit?company=&limit=&before= (admin): one page of a company's audit trail, newest first. */
export async function adminAudit(request: Request, rc: OpsContext): Promise<Response> {
  const refused = await authorizeAdmin(request, rc);
  if (refused) return refused;
  const query = parseAuditQuery(new URL(request.url).searchParams);
  if (!query.ok) return errorResponse(400, query.error.code, query.error.message, rc.requestId);
  const r = await auditFor(rc.env, { kind: "operator" }, query.value);
  if (!r.ok) return errorResponse(400, r.error.code, r.error.message, rc.requestId);
  const last = r.value.at(-1);
  return jsonResponse(
    { count: r.value.length, events: r.value, nextBefore: r.value.length === query.value.limit && last ? last.id : null },
    200,
    rc.requestId,
  );
}
