/**
 * The console's JSON endpoints (issue 13), for scripts on the console's own origin, with the
 * console's cookie: `GET /console/api/sessions` (the listing query of /admin/sessions, scoped to
 * the caller), `GET /console/api/audit` (`limit`, `before`; operators add `company`) and
 * `POST /console/api/revoke` (`{handle}` or `{user, all: true}`, operators add `company`), which
 * needs a same-origin request and the header `X-CSRF-Token` (the value of the console page's
 * `csrf` field). Errors are JSON `{error: {code, message}}` with 400, 401, 403, 405, 413 or 415.
 */
import type { IRequest } from "itty-router";
import { parseAuditQuery, parseListQuery } from "../http/list-query";
import { configured, type RequestContext } from "../http/request-context";
import { readJsonBody } from "../http/responses";
import { auditFor, listSessionsFor } from "../registry/session-admin";
import { sameOrigin } from "../web/login-handler";
import { consoleCaller } from "./console-caller";
import { verifyConsoleCsrf } from "./console-credential";
import { revokeAs } from "./console-revoke";
import { consoleHeaders } from "./console-style";

/** Largest body of POST /console/api/revoke. */
const API_BODY_MAX_BYTES = 4096;

/** The header carrying the console's CSRF token on POST. */
export const CONSOLE_CSRF_HEADER = "x-csrf-token";

async function json(requestId: string, status: number, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const headers = await consoleHeaders(requestId, "application/json");
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Response(JSON.stringify(body), { status, headers });
}

function fail(requestId: string, status: number, code: string, message: string, extra: Record<string, string> = {}): Promise<Response> {
  return json(requestId, status, { error: { code, message } }, extra);
}

/** Handles any method on /console/api/*. */
export async function handleConsoleApi(request: IRequest, rc: RequestContext): Promise<Response> {
  const crc = configured(rc);
  if (!crc || !crc.config.encryptionKeyHex) return fail(rc.requestId, 503, "misconfigured", "The server is misconfigured (see /health).");
  const url = new URL(request.url);
  const route = url.pathname.replace(/\/$/, "");
  const expected =
    route === "/console/api/revoke" ? "POST" : route === "/console/api/sessions" || route === "/console/api/audit" ? "GET" : null;
  if (expected === null) return fail(rc.requestId, 404, "not_found", "No such console endpoint.");
  if (request.method !== expected && !(expected === "GET" && request.method === "HEAD"))
    return fail(rc.requestId, 405, "method_not_allowed", `Use ${expected}.`, { allow: expected });
  const caller = await consoleCaller(request, crc);
  if (!caller) return fail(rc.requestId, 401, "unauthorized", "Sign in on /console first (the console's cookie is missing or has ended).");
  if (route === "/console/api/sessions") {
    const q = parseListQuery(url.searchParams);
    if (!q.ok) return fail(rc.requestId, 400, q.error.code, q.error.message);
    const page = await listSessionsFor(crc.env, caller.revoker, q.value, Date.now());
    return json(rc.requestId, 200, { count: page.items.length, sessions: page.items, nextCursor: page.nextCursor });
  }
  if (route === "/console/api/audit") {
    const q = parseAuditQuery(url.searchParams);
    if (!q.ok) return fail(rc.requestId, 400, q.error.code, q.error.message);
    const r = await auditFor(crc.env, caller.revoker, q.value);
    if (!r.ok) return fail(rc.requestId, 400, r.error.code, r.error.message);
    const last = r.value.at(-1);
    return json(rc.requestId, 200, {
      count: r.value.length,
      events: r.value,
      nextBefore: r.value.length === q.value.limit && last ? last.id : null,
    });
  }
  if (!sameOrigin(request, crc.config.allowedOrigins))
    return fail(rc.requestId, 403, "forbidden_origin", "Send this request from the console's own origin.");
  if (!(await verifyConsoleCsrf(crc.config.encryptionKeyHex, caller.credential, request.headers.get(CONSOLE_CSRF_HEADER))))
    return fail(rc.requestId, 403, "csrf", "X-CSRF-Token is missing or wrong: use the csrf value of the console page.");
  const body = await readJsonBody(request, API_BODY_MAX_BYTES);
  if (!body.ok) return fail(rc.requestId, body.error.status, body.error.code, body.error.message);
  const r = await revokeAs(crc, caller, body.value);
  if (r === null)
    return fail(rc.requestId, 400, "invalid_request", 'The body must be {"handle"} or {"user", "all": true}; operators add "company".');
  return json(rc.requestId, 200, r);
}
