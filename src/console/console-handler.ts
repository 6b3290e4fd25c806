/**
 * `/console`, `/console/login`, `/console/revoke`, `/console/logout`: the web console's pages
 * (issue 13). Signed in through the same sign-in as /login (`guardedLogin`: a company key or a
 * user's e-mail and password, into a FRESH session listed as the "Web console" client, with the
 * failed- and successful-sign-in limits) or, for operators, the admin token (throttled like the
 * admin endpoints). Plain forms, Post/Redirect/Get. Defences: the router's Origin check and
 * per-IP admission, a same-origin check (Fetch Metadata, Origin) on every POST, the sign-in
 * form's signed cookie-bound CSRF token, then the console's own CSRF token (derived from its
 * cookie) on every state change, a body cap, no caching, no framing, a CSP without script.
 */
import type { IRequest } from "itty-router";
import { utf8Decode } from "../crypto/encoding";
import { generateSessionId, sessionHash, shortHash } from "../crypto/session-id";
import { parseListQuery } from "../http/list-query";
import { authorizeAdmin } from "../http/ops";
import { configured, type ConfiguredContext, type RequestContext } from "../http/request-context";
import { readBodyCapped } from "../http/responses";
import { retryAfterSeconds } from "../rate-limit/policy";
import { CONSOLE_CLIENT } from "../registry/client-label";
import { auditFor, listSessionsFor } from "../registry/session-admin";
import { guardedLogin } from "../session/guarded-login";
import { CSRF_FIELD, csrfSetCookie, issueCsrf, readCsrfCookie, tokenFor, verifyCsrf } from "../web/csrf";
import { loginErrorStatus, parseSignIn, sameOrigin } from "../web/login-handler";
import { consoleCaller, type ConsoleCaller, isSecure, operatorTokenHome } from "./console-caller";
import {
  CONSOLE_OPERATOR_TTL_SECONDS,
  consoleCsrfToken,
  consoleSetCookie,
  issueOperatorToken,
  sessionCookieValue,
  verifyConsoleCsrf,
} from "./console-credential";
import { type ConsoleSignInView, type Notice, renderConsole, renderConsoleMessage, renderConsoleSignIn } from "./console-page";
import { revokeFromForm } from "./console-revoke";
import { consoleHeaders } from "./console-style";

/** Largest form body the console accepts. */
const CONSOLE_FORM_MAX_BYTES = 8192;

/** Handles any method on the console's page routes. */
export async function handleConsole(request: IRequest, rc: RequestContext): Promise<Response> {
  const crc = configured(rc);
  if (!crc || !crc.config.encryptionKeyHex)
    return page(
      rc.requestId,
      503,
      renderConsoleMessage("Server misconfigured", "The console is unavailable until the server is configured (see /health)."),
    );
  const path = new URL(request.url).pathname.replace(/\/$/, "");
  const method = request.method === "HEAD" ? "GET" : request.method;
  if (path === "/console" && method === "GET") return show(request, crc);
  if (method !== "POST") {
    const res = await page(rc.requestId, 405, renderConsoleMessage("Method not allowed", "Open /console in a browser and use its forms."));
    res.headers.set("allow", path === "/console" ? "GET, HEAD" : "POST");
    return res;
  }
  if (!sameOrigin(request, crc.config.allowedOrigins)) {
    rc.logger.warn("console.origin_refused", { code: "forbidden_origin" });
    return page(rc.requestId, 403, renderConsoleMessage("Request refused", "The form was sent from another site. Open /console directly."));
  }
  const fields = await readForm(request);
  if (fields === null)
    return page(rc.requestId, 400, renderConsoleMessage("Unreadable form", "Submit the forms of /console (url-encoded, at most 8 KB)."));
  if (path === "/console/login") return signIn(request, crc, fields);
  const caller = await consoleCaller(request, crc);
  if (!caller) return seeOther("/console");
  const keyHex = crc.config.encryptionKeyHex;
  if (!(await verifyConsoleCsrf(keyHex, caller.credential, fields.get(CSRF_FIELD)))) {
    rc.logger.warn("console.csrf_refused", {});
    return seeOther("/console?result=expired");
  }
  if (path === "/console/logout") return signOut(request, crc, caller);
  if (path === "/console/revoke") return seeOther(`/console?${await revokeFromForm(crc, caller, fields)}`);
  return page(rc.requestId, 404, renderConsoleMessage("Not found", "No such console page."));
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return null;
  const bytes = await readBodyCapped(request, CONSOLE_FORM_MAX_BYTES);
  if (bytes === null) return null;
  try {
    return new URLSearchParams(utf8Decode.decode(bytes));
  } catch {
    return null;
  }
}

async function page(requestId: string, status: number, html: string, cookies: readonly string[] = []): Promise<Response> {
  const headers = await consoleHeaders(requestId);
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(html, { status, headers });
}

function seeOther(location: string, cookies: readonly string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

/** The sign-in page, with the sign-in form's CSRF cookie (kept when the browser already has one). */
async function signInPage(
  request: Request,
  crc: ConfiguredContext,
  status: number,
  extra: Partial<ConsoleSignInView> = {},
): Promise<Response> {
  const keyHex = crc.config.encryptionKeyHex ?? "";
  const secure = isSecure(request);
  const nonce = readCsrfCookie(request.headers.get("cookie"), secure);
  const now = Date.now();
  const issued = nonce ? { nonce, token: await tokenFor(keyHex, nonce, now) } : await issueCsrf(keyHex, now);
  const html = renderConsoleSignIn({ csrfToken: issued.token, operatorEnabled: crc.config.adminToken !== null, ...extra });
  return page(crc.requestId, status, html, nonce ? [] : [csrfSetCookie(secure, issued.nonce)]);
}

/** GET /console: the console for a signed-in caller, else the sign-in page. */
async function show(request: Request, crc: ConfiguredContext): Promise<Response> {
  const caller = await consoleCaller(request, crc);
  if (!caller) return signInPage(request, crc, 200);
  const params = new URL(request.url).searchParams;
  const query = parseListQuery(params);
  const notice = noticeOf(params);
  const q = query.ok ? query.value : { limit: 50, position: null, filter: {}, company: null };
  const now = Date.now();
  const list = await listSessionsFor(
    crc.env,
    caller.revoker,
    { position: q.position, limit: q.limit, filter: q.filter, company: q.company },
    now,
  );
  const audit = await auditFor(crc.env, caller.revoker, { before: null, limit: 50, company: q.company });
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q.filter, ...(q.company ? { company: q.company } : {}) }))
    if (typeof v === "string") next.set(k, v);
  if (list.nextCursor !== null) next.set("cursor", list.nextCursor);
  const html = renderConsole({
    csrfToken: await consoleCsrfToken(crc.config.encryptionKeyHex ?? "", caller.credential),
    kind: caller.revoker.kind,
    who: caller.who,
    company: caller.company,
    ...(query.ok ? (notice ? { notice } : {}) : { notice: { kind: "error", title: "Filter not applied", text: query.error.message } }),
    filter: { ...q.filter, ...(q.company ? { company: q.company } : {}) },
    sessions: list.items,
    nextPage: list.nextCursor === null ? null : next.toString(),
    audit: audit.ok ? audit.value : null,
    now,
  });
  return page(crc.requestId, 200, html);
}

/** The result notice a redirect asks for (fixed texts only: nothing from the query is echoed). */
function noticeOf(params: URLSearchParams): Notice | null {
  const ended = params.get("ended");
  if (ended !== null && /^\d{1,4}$/.test(ended)) {
    const n = Number(ended);
    return n > 0
      ? {
          kind: "ok",
          title: `Ended ${n} session${n === 1 ? "" : "s"}`,
          text: "Their next request is refused everywhere, and they were signed out of Passgage.",
        }
      : {
          kind: "error",
          title: "No session was ended",
          text: "No live session you may end matched (your own console session is never ended here: sign out instead).",
        };
  }
  switch (params.get("result")) {
    case "expired":
      return {
        kind: "error",
        title: "This page has expired",
        text: "The security check of the form failed. The page is reloaded: please try again.",
      };
    case "invalid":
      return {
        kind: "error",
        title: "Nothing to end",
        text: "Pick a session, or give a user's e-mail (and, as an operator, the company id).",
      };
    default:
      return null;
  }
}

async function signIn(request: Request, crc: ConfiguredContext, fields: URLSearchParams): Promise<Response> {
  const keyHex = crc.config.encryptionKeyHex ?? "";
  const secure = isSecure(request);
  const nonce = readCsrfCookie(request.headers.get("cookie"), secure);
  const csrf = await verifyCsrf(keyHex, nonce, fields.get(CSRF_FIELD), Date.now());
  if (!csrf.ok) {
    crc.logger.warn("console.csrf_refused", { code: csrf.error });
    return signInPage(request, crc, 403, {
      notice: {
        kind: "error",
        title: "This form has expired",
        text: "The security check failed (cookies blocked, or the form is older than an hour). Please sign in again.",
      },
    });
  }
  if (fields.get("method") === "admin_token") return operatorSignIn(request, crc, fields.get("admin_token") ?? "");
  const parsed = parseSignIn(fields);
  if (!parsed.ok) {
    const field = parsed.error.field;
    return signInPage(request, crc, 400, {
      notice: { kind: "error", title: parsed.error.title, text: parsed.error.message },
      ...(parsed.email !== undefined ? { email: parsed.email } : {}),
      ...(field ? { field } : {}),
    });
  }
  const id = generateSessionId();
  const r = await guardedLogin(crc, id, parsed.signIn, null, CONSOLE_CLIENT);
  if (!r.ok) {
    const status = loginErrorStatus(r.error.code);
    const text =
      r.error.code === "invalid_credentials"
        ? parsed.signIn.kind === "password"
          ? "The e-mail address or password is wrong. Check them and try again."
          : "Passgage did not accept this company API key. Check it and try again."
        : r.error.message;
    const res = await signInPage(request, crc, status, {
      notice: { kind: "error", title: status === 429 ? "Too many attempts" : "Sign-in failed", text },
      ...(parsed.email !== undefined ? { email: parsed.email } : {}),
      field: parsed.signIn.kind === "password" ? "password" : "api_key",
    });
    if (r.error.retryAfterMs !== undefined) res.headers.set("retry-after", String(retryAfterSeconds(r.error.retryAfterMs)));
    return res;
  }
  crc.logger.info("console.signed_in", { kind: parsed.signIn.kind, sessionId: shortHash(await sessionHash(id)) });
  const maxAge = Math.floor((r.value.view.expiresAt - Date.now()) / 1000);
  return seeOther("/console", [consoleSetCookie(secure, sessionCookieValue(id), maxAge), csrfSetCookie(secure, null)]);
}

async function operatorSignIn(request: Request, crc: ConfiguredContext, token: string): Promise<Response> {
  const secure = isSecure(request);
  // The admin endpoints' own check (constant time, failed attempts throttled per IP), on the typed token.
  const probe = new Request(request.url, { headers: { authorization: `Bearer ${token.trim()}` } });
  const refused = await authorizeAdmin(probe, crc);
  if (refused) {
    const status = refused.status === 429 ? 429 : refused.status === 403 ? 403 : 400;
    const text =
      status === 429
        ? "Too many wrong admin tokens from this address. Try again later."
        : status === 403
          ? "The operator console is disabled: ADMIN_TOKEN is not set."
          : "The admin token is wrong.";
    const res = await signInPage(request, crc, status, { notice: { kind: "error", title: "Sign-in failed", text }, field: "admin_token" });
    const retry = refused.headers.get("retry-after");
    if (retry) res.headers.set("retry-after", retry);
    return res;
  }
  const value = await issueOperatorToken(crc.config.encryptionKeyHex ?? "", crc.config.adminToken ?? "", Date.now());
  crc.logger.info("console.signed_in", { kind: "operator" });
  return seeOther("/console", [consoleSetCookie(secure, value, CONSOLE_OPERATOR_TTL_SECONDS), csrfSetCookie(secure, null)]);
}

/** POST /console/logout: a console session is signed out (as passgage_session_logout does); the cookie is cleared either way. */
async function signOut(request: Request, crc: ConfiguredContext, caller: ConsoleCaller): Promise<Response> {
  if (caller.credential.kind === "session") {
    const id = caller.credential.sessionId;
    await crc.env.SESSION.getByName(await sessionHash(id)).callTool({
      sessionId: id,
      name: "passgage_session_logout",
      args: {},
      requestId: crc.requestId,
    });
  } else {
    // An operator token is stateless: its sign-out is a tombstone the next request checks (console-caller.ts).
    const home = await operatorTokenHome(crc.env, caller.credential.value);
    if (home) await home.stub.terminateConnection(home.nonce);
  }
  return seeOther("/console", [consoleSetCookie(isSecure(request), null)]);
}
