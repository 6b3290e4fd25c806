/**
 * `GET|POST /oauth/authorize`: the authorization endpoint (OAuth 2.1 §4.1), whose page is
 * the sign-in page.
 *
 * GET validates the request (src/oauth/authorize-request.ts): the client (a signed DCR id or
 * a metadata document) and the redirect URI first, with problems shown on an error page and
 * never redirected; then response type, PKCE S256 and resource, whose problems become an
 * OAuth error (`error`, `error_description`, `state`, `iss`) for the redirect URI. That error
 * is redirected (302) only to a loopback redirect URI; for https and private-use schemes it is
 * a 400 page with a link "Return to <host>" the user follows (`errorDelivery`, RFC 9700
 * §4.11.2, F-A2: anyone can register a redirect URI, so an automatic error redirect would
 * make this host an open redirector). A valid request gets the sign-in forms, naming
 * the client and the redirect host, with a CSRF token (src/web/csrf.ts, cookie-bound) and the
 * validated request in a signed hidden field (src/oauth/authorize-ticket.ts).
 *
 * POST (same origin, CSRF, signed parameters whose resource is this host's: R-3) signs the user into Passgage under a FRESH
 * session ID through `guardedLogin` (the failed- and successful-sign-in limits and the
 * session caps of /login apply; a failure is shown on the page and counts), records the
 * client on the new session, has its SessionDO issue a single-use authorization code
 * (`issueAuthorizationCode`) and redirects (302) to the redirect URI with `code`, `state`
 * and `iss`. The session ID itself is never shown or sent anywhere.
 *
 * Pages are never cached or framed (`pageHeaders`: X-Frame-Options DENY, CSP
 * frame-ancestors 'none', no referrer, so the code in a later URL never leaks through it).
 * The sign-in page's CSP `form-action` names the ticket's redirect origin besides 'self'
 * (`formActionSource`): Chromium blocks a form's redirect to an origin form-action omits.
 */
import type { IRequest } from "itty-router";
import { utf8Decode } from "../crypto/encoding";
import { generateSessionId, sessionHash, sha256Hex, shortHash } from "../crypto/session-id";
import { configured, type ConfiguredContext, type RequestContext } from "../http/request-context";
import { readBodyCapped } from "../http/responses";
import { authorizationRedirectUrl, checkAuthorizeParams, errorDelivery, readClientParams } from "../oauth/authorize-request";
import { type AuthorizeTicket, openTicket, sealTicket, TICKET_FIELD } from "../oauth/authorize-ticket";
import { resolveClient } from "../oauth/clients-resolve";
import { type SigningKeys, signingKeysOf } from "../oauth/clients-signing";
import { issueAuthorizationCode } from "../oauth/grant-client";
import { issuerOf, resourceOf } from "../oauth/issuer";
import { checkRedirectUri, matchRedirectUri } from "../oauth/redirect-uri";
import { retryAfterSeconds } from "../rate-limit/policy";
import { guardedLogin } from "../session/guarded-login";
import type { SessionClient } from "../session/state";
import { formActionSource, redirectTarget, renderAuthorizeError, renderAuthorizeErrorReturn, renderAuthorizePage } from "./authorize-page";
import { CSRF_FIELD, csrfSetCookie, issueCsrf, readCsrfCookie, tokenFor, verifyCsrf } from "./csrf";
import { pageHeaders } from "./html";
import { loginErrorStatus, parseSignIn, sameOrigin, signInFailure } from "./login-handler";
import type { FormError } from "./login-page";

/** Largest form body accepted (bytes): the signed parameters carry a client id of up to 4 KB and a redirect URI. */
export const AUTHORIZE_FORM_MAX_BYTES = 32_768;
/** Longest client id kept on a session as is (SessionClientSchema); longer ones are kept as a digest. */
const SESSION_CLIENT_ID_MAX_CHARS = 2048;

/** What every step of one request needs. */
interface AuthorizeContext {
  readonly request: Request;
  readonly rc: ConfiguredContext;
  readonly keys: SigningKeys;
  readonly csrfKeyHex: string;
  readonly issuer: string;
  readonly secure: boolean;
}

/** Handles any method on /oauth/authorize. */
export async function handleAuthorize(request: IRequest, rc: RequestContext): Promise<Response> {
  const method = request.method === "HEAD" ? "GET" : request.method;
  if (method !== "GET" && method !== "POST") {
    const res = await errorPage(rc, 405, "Method not allowed", "Open this address in a browser (GET) and submit its form (POST).");
    res.headers.set("allow", "GET, HEAD, POST");
    return res;
  }
  const crc = configured(rc);
  const keys = crc === null ? null : signingKeysOf(crc.config);
  if (crc === null || keys === null) {
    rc.logger.error("oauth.authorize_unavailable", { code: "misconfigured" });
    return errorPage(
      rc,
      503,
      "Server misconfigured",
      "This server's configuration is incomplete, so nobody can sign in. The operator can see the details at /health.",
    );
  }
  const url = new URL(request.url);
  const ctx: AuthorizeContext = {
    request,
    rc: crc,
    keys,
    csrfKeyHex: keys.current,
    issuer: issuerOf(crc.config, request.url),
    secure: url.protocol === "https:",
  };
  return method === "GET" ? start(ctx, url.searchParams) : submit(ctx);
}

/** GET: validate the request; the form, an error page, or an error redirect. */
async function start(ctx: AuthorizeContext, query: URLSearchParams): Promise<Response> {
  const { rc } = ctx;
  const named = readClientParams(query);
  if (!named.ok) return refusedPage(ctx, "client_params", named.error.title, named.error.message);
  const client = await resolveClient(ctx.keys, named.value.clientId);
  if (!client.ok) return refusedPage(ctx, "unknown_client", "Unknown app", client.error);
  // A URI no client may register (a forbidden scheme, non-ASCII: R-1) is refused naming why.
  const policy = checkRedirectUri(named.value.redirectUri);
  if (!policy.ok) {
    return refusedPage(
      ctx,
      "invalid_redirect_uri",
      "Redirect address refused",
      `This sign-in link would send you to an address the app did not register, so it is not followed: ${policy.error} Start connecting again from the app.`,
    );
  }
  if (!matchRedirectUri(named.value.redirectUri, client.value.redirectUris)) {
    return refusedPage(
      ctx,
      "redirect_uri_mismatch",
      "Redirect address not registered",
      "This sign-in link would send you to an address the app did not register, so it is not followed. Start connecting again from the app.",
    );
  }
  const checked = checkAuthorizeParams(query, {
    client: client.value,
    redirectUri: named.value.redirectUri,
    issuer: ctx.issuer,
    nowMs: Date.now(),
  });
  if (!checked.ok) {
    const e = checked.error;
    const redirectUri = named.value.redirectUri;
    const delivery = errorDelivery(redirectUri);
    rc.logger.info("oauth.authorize_refused", { code: e.error, kind: client.value.kind, outcome: delivery });
    const returnUrl = authorizationRedirectUrl(
      redirectUri,
      { error: e.error, error_description: e.description, state: e.state },
      ctx.issuer,
    );
    if (delivery === "redirect") return redirect(ctx, returnUrl);
    const html = renderAuthorizeErrorReturn({ summary: e.summary, error: e.error, description: e.description, redirectUri, returnUrl });
    return new Response(ctx.request.method === "HEAD" ? null : html, { status: 400, headers: await pageHeaders(rc.requestId) });
  }
  rc.logger.info("oauth.authorize_page", { kind: client.value.kind });
  return form(ctx, 200, await sealTicket(ctx.keys, checked.value), checked.value);
}

/** POST: verify, sign in under a fresh session, issue the code and send the browser back. */
async function submit(ctx: AuthorizeContext): Promise<Response> {
  const { request, rc } = ctx;
  if (!sameOrigin(request, rc.config.allowedOrigins)) {
    rc.logger.warn("oauth.authorize_origin_refused", { code: "forbidden_origin" });
    return refusedPage(
      ctx,
      "forbidden_origin",
      "Request refused",
      "The form was sent from another site. Start connecting again from the app.",
      403,
    );
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") {
    return refusedPage(
      ctx,
      "unsupported_form",
      "Unsupported form",
      "The form must be sent as application/x-www-form-urlencoded (submit it from this page).",
      415,
    );
  }
  const bytes = await readBodyCapped(request, AUTHORIZE_FORM_MAX_BYTES);
  if (bytes === null) return refusedPage(ctx, "form_too_large", "Form too large", "The form was larger than any valid sign-in.", 413);
  let fields: URLSearchParams;
  try {
    fields = new URLSearchParams(utf8Decode.decode(bytes));
  } catch {
    return refusedPage(ctx, "unreadable_form", "Unreadable form", "The form was not valid UTF-8. Start connecting again from the app.");
  }
  const opened = await openTicket(ctx.keys, fields.get(TICKET_FIELD), Date.now());
  if (!opened.ok) {
    return refusedPage(
      ctx,
      `ticket_${opened.error}`,
      opened.error === "expired" ? "This sign-in page has expired" : "Invalid sign-in form",
      opened.error === "expired"
        ? "The sign-in page was open for too long. Start connecting again from the app."
        : "The form's connection details were missing or altered. Start connecting again from the app.",
    );
  }
  const ticket = opened.value;
  // the ticket names the resource of the host it was opened at; posted at another host
  // name of the deployment (OAUTH_ISSUER unset: the issuer follows the request), the code would
  // be for one resource and the redirect's `iss` another's. Refused like an altered form.
  if (ticket.resource !== resourceOf(ctx.issuer)) {
    return refusedPage(
      ctx,
      "ticket_other_host",
      "Invalid sign-in form",
      "The form was sent to another address of this server than the one that showed it. Start connecting again from the app.",
    );
  }
  const sealed = fields.get(TICKET_FIELD) ?? "";

  const nonce = readCsrfCookie(request.headers.get("cookie"), ctx.secure);
  const csrf = await verifyCsrf(ctx.csrfKeyHex, nonce, fields.get(CSRF_FIELD), Date.now());
  if (!csrf.ok) {
    rc.logger.warn("oauth.authorize_csrf_refused", { code: csrf.error });
    return form(ctx, 403, sealed, ticket, {
      error: {
        title: "This form has expired",
        message:
          csrf.error === "missing_cookie"
            ? "Your browser did not send this page's security cookie (cookies may be blocked, or the form was sent from elsewhere). Allow cookies for this site and sign in again below."
            : "The security check of this form failed or it is older than an hour. A fresh form is loaded below: please sign in again.",
      },
      ...(fields.get("email") !== null ? { email: fields.get("email") ?? "" } : {}),
    });
  }

  const parsed = parseSignIn(fields);
  if (!parsed.ok)
    return form(ctx, 400, sealed, ticket, { error: parsed.error, ...(parsed.email !== undefined ? { email: parsed.email } : {}), nonce });

  const sessionId = generateSessionId();
  const keepEmail = parsed.email !== undefined ? { email: parsed.email } : {};
  let result: Awaited<ReturnType<typeof guardedLogin>>;
  try {
    result = await guardedLogin(rc, sessionId, parsed.signIn, null, await sessionClient(ticket));
  } catch (e) {
    rc.logger.error("oauth.authorize_exception", { error: e instanceof Error ? e.name : "unknown" });
    return form(ctx, 503, sealed, ticket, { error: unavailable(), ...keepEmail, nonce });
  }
  if (!result.ok) {
    const e = result.error;
    rc.logger.info("oauth.authorize_sign_in_failed", { kind: parsed.signIn.kind, code: e.code });
    const extra = e.retryAfterMs !== undefined ? { "retry-after": String(retryAfterSeconds(e.retryAfterMs)) } : undefined;
    return form(ctx, loginErrorStatus(e.code), sealed, ticket, { error: signInFailure(parsed.signIn.kind, e), ...keepEmail, nonce, extra });
  }
  const code = await issueAuthorizationCode(rc.env, {
    sessionId,
    clientId: ticket.clientId,
    redirectUri: ticket.redirectUri,
    codeChallenge: ticket.codeChallenge,
    resource: ticket.resource,
    scope: ticket.scope,
    requestId: rc.requestId,
  });
  if (code === null) {
    rc.logger.error("oauth.authorize_no_code", { sessionId: shortHash(await sessionHash(sessionId)) });
    return form(ctx, 503, sealed, ticket, { error: unavailable(), ...keepEmail, nonce });
  }
  rc.logger.info("oauth.authorized", { kind: parsed.signIn.kind, sessionId: shortHash(await sessionHash(sessionId)) });
  const res = redirect(ctx, authorizationRedirectUrl(ticket.redirectUri, { code, state: ticket.state }, ctx.issuer));
  // The form is spent: a re-POST (back button) is refused instead of opening a second session.
  res.headers.append("set-cookie", csrfSetCookie(ctx.secure, null));
  return res;
}

function unavailable(): FormError {
  return {
    title: "Sign-in unavailable",
    message: "Signing in failed because of a temporary problem on this server. Please try again in a minute.",
  };
}

/** The client recorded on the new session (the console lists it): its id (a digest when very long) and a name. */
async function sessionClient(ticket: AuthorizeTicket): Promise<SessionClient> {
  const id = ticket.clientId.length <= SESSION_CLIENT_ID_MAX_CHARS ? ticket.clientId : `sha256:${await sha256Hex(ticket.clientId)}`;
  return { id, name: ticket.clientName ?? redirectTarget(ticket.redirectUri).host };
}

/**
 * The sign-in page for a validated request. Keeps the cookie nonce when given (a re-rendered
 * form after a wrong password still works), else issues a new nonce and sets its cookie.
 */
async function form(
  ctx: AuthorizeContext,
  status: number,
  sealed: string,
  ticket: AuthorizeTicket,
  options: { error?: FormError; email?: string; nonce?: string | null; extra?: Record<string, string> | undefined } = {},
): Promise<Response> {
  const now = Date.now();
  let csrfToken: string;
  let setCookie: string | null = null;
  if (options.nonce) csrfToken = await tokenFor(ctx.csrfKeyHex, options.nonce, now);
  else {
    const issued = await issueCsrf(ctx.csrfKeyHex, now);
    csrfToken = issued.token;
    setCookie = csrfSetCookie(ctx.secure, issued.nonce);
  }
  const html = renderAuthorizePage({
    clientName: ticket.clientName,
    clientKind: ticket.clientId.startsWith("https://") ? "cimd" : "dcr",
    clientId: ticket.clientId,
    redirectUri: ticket.redirectUri,
    hidden: { [CSRF_FIELD]: csrfToken, [TICKET_FIELD]: sealed },
    sessionHours: Math.round(ctx.rc.config.sessionTtlMs / 3_600_000),
    ...(options.error ? { error: options.error } : {}),
    ...(options.email !== undefined && options.email.length <= 254 ? { email: options.email } : {}),
  });
  // The form's answer redirects to the client: its origin must be a form-action source.
  const target = formActionSource(ticket.redirectUri);
  const headers = await pageHeaders(ctx.rc.requestId, target === null ? [] : [target]);
  if (setCookie) headers.append("set-cookie", setCookie);
  if (options.extra) for (const [k, v] of Object.entries(options.extra)) headers.set(k, v);
  return new Response(ctx.request.method === "HEAD" ? null : html, { status, headers });
}

/** A 302 to the client's redirect URI (already validated): never cached, no referrer. */
function redirect(ctx: AuthorizeContext, location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer", "x-request-id": ctx.rc.requestId },
  });
}

/** The error page of a request that is not sent back to the client (logged with its reason). */
async function refusedPage(ctx: AuthorizeContext, code: string, title: string, message: string, status = 400): Promise<Response> {
  ctx.rc.logger.info("oauth.authorize_refused", { code });
  return errorPage(ctx.rc, status, title, message);
}

async function errorPage(rc: Pick<RequestContext, "requestId">, status: number, title: string, message: string): Promise<Response> {
  return new Response(renderAuthorizeError({ title, message }), { status, headers: await pageHeaders(rc.requestId) });
}
