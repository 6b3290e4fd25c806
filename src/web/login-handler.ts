/**
 * `GET|POST /login`: the browser sign-in page, so a password never passes through a
 * model. GET serves the form; POST signs in (e-mail and password, or a company API
 * key) into a brand-new session and shows its ID, expiry and a Claude Desktop
 * configuration.
 *
 * Defences: per-IP admission and the Origin check (src/router.ts, before this runs);
 * the failed-login limits per IP and per account of `guardedLogin`; a same-origin
 * check (Sec-Fetch-Site and Origin) and a signed, cookie-bound, expiring CSRF token on
 * POST; a body cap; never cached; CSP with hashes only, no framing, no referrer.
 * Errors re-render the form with a clear message and the matching status:
 * 400 (bad input, wrong credentials), 403 (CSRF / origin), 413, 415, 429 (rate
 * limits), 503 (upstream down, misconfigured).
 */
import type { IRequest } from "itty-router";
import * as z from "zod/mini";
import { utf8Decode } from "../crypto/encoding";
import { generateSessionId, sessionHash, shortHash } from "../crypto/session-id";
import { readBodyCapped } from "../http/responses";
import { configured, type ConfiguredContext, type RequestContext } from "../http/request-context";
import { retryAfterSeconds } from "../rate-limit/policy";
import { COMPANY_API_KEY_PATTERN } from "../session/credentials";
import { guardedLogin } from "../session/guarded-login";
import type { LoginOutcome, SessionError, SignIn } from "../session/types";
import { CSRF_FIELD, issueCsrf, readCsrfCookie, csrfSetCookie, tokenFor, verifyCsrf } from "./csrf";
import { pageHeaders } from "./html";
import { type FormError, type LoginMethod, renderLoginForm, renderMessage, renderSignedIn } from "./login-page";

/** Largest form body accepted (the fields are small; anything bigger is not our form). */
export const LOGIN_FORM_MAX_BYTES = 8192;

const EmailSchema = z.email().check(z.maxLength(254));

/** HTTP status of a failed sign-in, by session error code. */
export function loginErrorStatus(code: SessionError["code"]): 400 | 429 | 503 {
  switch (code) {
    case "login_rate_limited":
      return 429;
    case "upstream_unavailable":
    case "misconfigured":
      return 503;
    case "invalid_credentials":
    case "not_signed_in":
    case "mode_unavailable":
    case "wrong_account":
    case "forbidden":
      return 400;
  }
}

/** The page's title for a failed sign-in, by session error code. */
function loginErrorTitle(code: SessionError["code"]): string {
  switch (code) {
    case "invalid_credentials":
      return "Sign-in failed";
    case "login_rate_limited":
      return "Too many attempts";
    case "upstream_unavailable":
      return "Passgage is not reachable";
    case "misconfigured":
      return "Server misconfigured";
    default:
      return "Sign-in failed";
  }
}

/** The problem a failed sign-in shows on a sign-in form (the /login page and the authorize page). */
export function signInFailure(kind: SignIn["kind"], e: SessionError): FormError {
  const message =
    e.code === "invalid_credentials"
      ? kind === "password"
        ? "The e-mail address or password is wrong. Check them and try again."
        : "Passgage did not accept this company API key. Check it and try again."
      : e.code === "upstream_unavailable"
        ? "Passgage did not answer. Please try again in a minute."
        : e.message;
  return { title: loginErrorTitle(e.code), message, method: kind, field: kind === "password" ? "password" : "api_key" };
}

/** What the page renderers need besides the request context (derived once per request). */
interface LoginPage {
  readonly request: Request;
  readonly rc: ConfiguredContext;
  readonly keyHex: string;
  readonly secure: boolean;
  readonly mcpUrl: string;
}

/** Handles any method on /login. */
export async function handleLogin(request: IRequest, rc: RequestContext): Promise<Response> {
  const method = request.method === "HEAD" ? "GET" : request.method;
  if (method !== "GET" && method !== "POST") {
    const headers = await pageHeaders(rc.requestId);
    headers.set("allow", "GET, HEAD, POST");
    return new Response(
      renderMessage({ title: "Method not allowed", message: "Open this page in a browser (GET) and submit its form (POST)." }),
      { status: 405, headers },
    );
  }
  const crc = configured(rc);
  if (!crc) {
    rc.logger.error("config.invalid", { detail: rc.configResult.ok ? "" : rc.configResult.errors.join("; ") });
    return message(
      rc,
      503,
      "Server misconfigured",
      "This server's configuration is invalid, so nobody can sign in. The operator can see the details at /health.",
    );
  }
  const config = crc.config;
  if (!config.encryptionKeyHex) {
    return message(
      rc,
      503,
      "Server misconfigured",
      "ENCRYPTION_KEY is not set, so no session can be kept. The operator must set it (wrangler secret put ENCRYPTION_KEY).",
    );
  }
  const url = new URL(request.url);
  const ctx: LoginPage = {
    request,
    rc: crc,
    keyHex: config.encryptionKeyHex,
    secure: url.protocol === "https:",
    mcpUrl: `${url.origin}/mcp`,
  };

  if (method === "GET") return form(ctx, 200);
  return submit(ctx);
}

async function submit(ctx: LoginPage): Promise<Response> {
  const { request, rc } = ctx;
  if (!sameOrigin(request, ctx.rc.config.allowedOrigins)) {
    rc.logger.warn("login_page.origin_refused", { code: "forbidden_origin", site: request.headers.get("sec-fetch-site")?.slice(0, 20) });
    return form(ctx, 403, {
      title: "Request refused",
      message: "The form was sent from another site. Open this page directly and sign in here.",
    });
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") {
    return form(ctx, 415, {
      title: "Unsupported form",
      message: "The form must be sent as application/x-www-form-urlencoded (submit it from this page).",
    });
  }
  const bytes = await readBodyCapped(request, LOGIN_FORM_MAX_BYTES);
  if (bytes === null)
    return form(ctx, 413, { title: "Form too large", message: "The form was larger than any valid sign-in. Please try again." });
  let fields: URLSearchParams;
  try {
    fields = new URLSearchParams(utf8Decode.decode(bytes));
  } catch {
    return form(ctx, 400, { title: "Unreadable form", message: "The form was not valid UTF-8. Please try again." });
  }

  const nonce = readCsrfCookie(request.headers.get("cookie"), ctx.secure);
  const csrf = await verifyCsrf(ctx.keyHex, nonce, fields.get(CSRF_FIELD), Date.now());
  if (!csrf.ok) {
    rc.logger.warn("login_page.csrf_refused", { code: csrf.error });
    // A fresh form with a fresh cookie: the person simply signs in again.
    return form(
      ctx,
      403,
      {
        title: "This form has expired",
        message:
          csrf.error === "missing_cookie"
            ? "Your browser did not send this page's security cookie (cookies may be blocked, or the form was sent from elsewhere). Allow cookies for this site and sign in again below."
            : "The security check of this form failed or it is older than an hour. A fresh form is loaded below: please sign in again.",
      },
      fields.get("email") ?? undefined,
    );
  }

  const parsed = parseSignIn(fields);
  if (!parsed.ok) return form(ctx, 400, parsed.error, parsed.email, undefined, nonce);

  const target = generateSessionId();
  let result: Awaited<ReturnType<typeof guardedLogin>>;
  try {
    result = await guardedLogin(rc, target, parsed.signIn);
  } catch (e) {
    rc.logger.error("login_page.exception", { error: e instanceof Error ? e.name : "unknown" });
    return form(
      ctx,
      503,
      {
        title: "Sign-in unavailable",
        message: "Signing in failed because of a temporary problem on this server. Please try again in a minute.",
      },
      parsed.email,
      undefined,
      nonce,
    );
  }
  if (!result.ok) {
    const e = result.error;
    rc.logger.info("login_page.failed", { kind: parsed.signIn.kind, code: e.code });
    const status = loginErrorStatus(e.code);
    const retryHeaders = e.retryAfterMs !== undefined ? { "retry-after": String(retryAfterSeconds(e.retryAfterMs)) } : undefined;
    return form(ctx, status, signInFailure(parsed.signIn.kind, e), parsed.email, retryHeaders, nonce);
  }
  rc.logger.info("login_page.signed_in", { kind: parsed.signIn.kind, sessionId: shortHash(await sessionHash(result.value.sessionId)) });
  return signedIn(ctx, result.value);
}

/** A parsed sign-in form: the credentials, or the problem to show. */
export type ParsedSignIn =
  | { readonly ok: true; readonly signIn: SignIn; readonly email?: string }
  | { readonly ok: false; readonly error: FormError; readonly email?: string };

/** Parses the sign-in form's fields (e-mail and password, or a company key), naming the field at fault (also the console's sign-in). */
export function parseSignIn(fields: URLSearchParams): ParsedSignIn {
  const method = fields.get("method");
  if (method === "password") {
    const email = (fields.get("email") ?? "").trim();
    const password = fields.get("password") ?? "";
    const m: LoginMethod = "password";
    if (email === "")
      return {
        ok: false,
        email,
        error: { title: "E-mail missing", message: "Enter your Passgage e-mail address.", method: m, field: "email" },
      };
    if (!EmailSchema.safeParse(email).success)
      return {
        ok: false,
        email,
        error: { title: "E-mail not valid", message: "Enter a valid e-mail address, like name@company.com.", method: m, field: "email" },
      };
    if (password === "")
      return {
        ok: false,
        email,
        error: { title: "Password missing", message: "Enter your Passgage password.", method: m, field: "password" },
      };
    if (password.length > 256)
      return {
        ok: false,
        email,
        error: { title: "Password too long", message: "A password has at most 256 characters.", method: m, field: "password" },
      };
    return { ok: true, email, signIn: { kind: "password", email, password } };
  }
  if (method === "api_key") {
    const apiKey = (fields.get("api_key") ?? "").trim();
    const m: LoginMethod = "api_key";
    if (apiKey === "")
      return { ok: false, error: { title: "API key missing", message: "Enter the company API key.", method: m, field: "api_key" } };
    if (!COMPANY_API_KEY_PATTERN.test(apiKey)) {
      return {
        ok: false,
        error: {
          title: "API key not valid",
          message: "A company API key starts with psg_cmp_ followed by 8 to 128 letters, digits or underscores.",
          method: m,
          field: "api_key",
        },
      };
    }
    return { ok: true, signIn: { kind: "api_key", apiKey } };
  }
  return { ok: false, error: { title: "Incomplete form", message: "The form was incomplete. Please use one of the forms below." } };
}

/**
 * Whether a POST comes from this site. Browsers send Fetch Metadata, which page
 * scripts cannot forge: a present Sec-Fetch-Site must be "same-origin". Origin, when
 * present, must be this origin or explicitly allowed ("*" is not honoured here), with
 * one exception: under this page's `Referrer-Policy: no-referrer` a browser sends
 * `Origin: null` even for its own form (Fetch, "serializing a request origin"), so
 * "null" passes only together with `Sec-Fetch-Site: same-origin`. Clients without
 * either header still need the CSRF token.
 */
export function sameOrigin(request: Request, allowlist: readonly string[]): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (origin === "null") return site === "same-origin";
  return origin === new URL(request.url).origin || allowlist.includes(origin);
}

/**
 * The form page. Keeps the cookie nonce when given (a re-rendered form after a
 * wrong password still works), else issues a new nonce and sets its cookie.
 */
async function form(
  ctx: LoginPage,
  status: number,
  error?: FormError,
  email?: string,
  extra?: Record<string, string>,
  nonce?: string | null,
): Promise<Response> {
  const now = Date.now();
  let token: string;
  let setCookie: string | null = null;
  if (nonce) token = await tokenFor(ctx.keyHex, nonce, now);
  else {
    const issued = await issueCsrf(ctx.keyHex, now);
    token = issued.token;
    setCookie = csrfSetCookie(ctx.secure, issued.nonce);
  }
  const html = renderLoginForm({
    csrfToken: token,
    mcpUrl: ctx.mcpUrl,
    sessionHours: Math.round(ctx.rc.config.sessionTtlMs / 3_600_000),
    ...(error ? { error } : {}),
    ...(email !== undefined && email.length <= 254 ? { email } : {}),
  });
  const headers = await pageHeaders(ctx.rc.requestId);
  if (setCookie) headers.append("set-cookie", setCookie);
  if (extra) for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Response(ctx.request.method === "HEAD" ? null : html, { status, headers });
}

async function signedIn(ctx: LoginPage, outcome: LoginOutcome): Promise<Response> {
  const v = outcome.view;
  const who = v.mode === "user" && v.user ? `${v.user.fullName ?? v.user.email} (${v.user.email})` : "a company API key";
  const html = renderSignedIn({
    sessionId: outcome.sessionId,
    expiresAt: v.expiresAt,
    mode: v.mode,
    who,
    company: v.company.name,
    mcpUrl: ctx.mcpUrl,
  });
  const headers = await pageHeaders(ctx.rc.requestId);
  // The form is spent: a reload (re-POST) is refused instead of opening a second session.
  headers.append("set-cookie", csrfSetCookie(ctx.secure, null));
  return new Response(html, { status: 200, headers });
}

async function message(rc: Pick<RequestContext, "requestId">, status: number, title: string, text: string): Promise<Response> {
  return new Response(renderMessage({ title, message: text }), { status, headers: await pageHeaders(rc.requestId) });
}
