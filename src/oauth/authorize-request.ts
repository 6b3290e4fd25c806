/**
 * Validation of an authorization request (OAuth 2.1 §4.1.1, RFC 7636, RFC 8707, RFC 9207),
 * as pure steps the authorize handler runs in order:
 *
 * 1. `readClientParams`: `client_id` and `redirect_uri`, each present once. Until the
 *    redirect URI is known to belong to the client, a problem is shown on an error page
 *    and NEVER redirected (OAuth 2.1 §4.1.2.1; CVE-2025-4143 was this check missing).
 * 2. The handler resolves the client (clients-resolve.ts) and matches the redirect URI
 *    against its registered ones (redirect-uri.ts): a mismatch is an error page too.
 * 3. `checkAuthorizeParams`: everything else; a problem is an OAuth error for the (now
 *    matched) redirect URI with `error`, `error_description`, `state` and `iss`:
 *    `response_type` must be `code`; PKCE with `code_challenge_method=S256` only (plain or
 *    missing → invalid_request: no downgrade); `resource` absent or this server's MCP URL
 *    (else invalid_target); `scope` is ignored beyond the one scope `passgage` (unknown
 *    scopes such as `openid email profile` are not refused; the grant is `passgage`).
 *    How that error reaches the client is `errorDelivery`'s decision (F-A2, RFC 9700
 *    §4.11.2): a matched redirect URI is not a trusted one, since anyone can register one.
 */
import { err, ok, type Result } from "../result";
import type { AuthorizeTicket } from "./authorize-ticket";
import type { OAuthClient } from "./clients";
import { CLIENT_ID_MAX_CHARS } from "./clients";
import { OAUTH_SCOPE } from "./issuer";
import { checkRedirectUri } from "./redirect-uri";

/** Longest `state` echoed (characters); a longer one is refused rather than cut. */
export const STATE_MAX_CHARS = 2048;
/** PKCE code challenge: S256 gives 43 base64url characters; RFC 7636 §4.2 allows 43–128 of the unreserved set. */
const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** A problem shown on the error page (no redirect). */
export interface PageRefusal {
  readonly title: string;
  readonly message: string;
}

/** A problem for the client, sent to its redirect URI by a 302 or by the error page's link (`errorDelivery`; RFC 6749 §4.1.2.1 codes). */
export interface RedirectRefusal {
  readonly error: "invalid_request" | "unsupported_response_type" | "invalid_target";
  /** The `error_description` sent to the client (for its developer). */
  readonly description: string;
  /** The problem in plain words, for the person whose browser shows the error page. */
  readonly summary: string;
  /** The request's `state` to echo, when it had a usable one. */
  readonly state: string | null;
}

/** The plain-words summary of a state that cannot be echoed. */
const BAD_STATE = "The app's request carries an unusable state parameter (repeated, or longer than this server accepts).";
/** The plain-words summary of every PKCE problem. */
const NO_PKCE = "The app's request is missing PKCE (a valid code_challenge with code_challenge_method=S256), which this server requires.";

/** Marks a parameter given more than once. */
const MANY: unique symbol = Symbol("repeated");

/** The one value of a parameter: null when absent, MANY when repeated (RFC 6749 §3.1: never more than once). */
function single(query: URLSearchParams, name: string): string | null | typeof MANY {
  const all = query.getAll(name);
  if (all.length > 1) return MANY;
  return all[0] ?? null;
}

/** Step 1: the client and redirect URI the request names, or the error page. */
export function readClientParams(query: URLSearchParams): Result<{ readonly clientId: string; readonly redirectUri: string }, PageRefusal> {
  const clientId = single(query, "client_id");
  const redirectUri = single(query, "redirect_uri");
  if (clientId === null || clientId === "") {
    return err({ title: "Client missing", message: "This sign-in link has no client_id: start the connection again from your app." });
  }
  if (clientId === MANY || redirectUri === MANY) {
    return err({
      title: "Invalid sign-in link",
      message: "This sign-in link repeats client_id or redirect_uri: start again from your app.",
    });
  }
  if (clientId.length > CLIENT_ID_MAX_CHARS) {
    return err({ title: "Unknown client", message: "The client_id of this sign-in link is too long to be one this server issued." });
  }
  if (redirectUri === null || redirectUri === "") {
    return err({
      title: "Redirect URI missing",
      message: "This sign-in link has no redirect_uri: start the connection again from your app.",
    });
  }
  return ok({ clientId, redirectUri });
}

/** Step 3: the rest of the request, checked, as the ticket the form will carry; or the error to redirect. */
export function checkAuthorizeParams(
  query: URLSearchParams,
  context: { readonly client: OAuthClient; readonly redirectUri: string; readonly issuer: string; readonly nowMs: number },
): Result<AuthorizeTicket, RedirectRefusal> {
  const rawState = single(query, "state");
  const state = rawState === MANY || rawState === null || rawState.length > STATE_MAX_CHARS ? null : rawState;
  const refuse = (error: RedirectRefusal["error"], summary: string, description: string): Result<never, RedirectRefusal> =>
    err({ error, description, summary, state });
  if (rawState === MANY) return refuse("invalid_request", BAD_STATE, "state is repeated.");
  if (rawState !== null && rawState.length > STATE_MAX_CHARS)
    return refuse("invalid_request", BAD_STATE, `state is longer than ${STATE_MAX_CHARS} characters.`);

  const responseType = single(query, "response_type");
  if (responseType !== "code") {
    const summary =
      "The app's request does not ask for an authorization code (response_type=code), the only kind of sign-in this server offers.";
    if (responseType === null) return refuse("invalid_request", summary, "response_type is missing (it must be code).");
    return refuse("unsupported_response_type", summary, "Only response_type=code is supported.");
  }

  const method = single(query, "code_challenge_method");
  const challenge = single(query, "code_challenge");
  if (challenge === null || challenge === "") return refuse("invalid_request", NO_PKCE, "PKCE is required: code_challenge is missing.");
  if (challenge === MANY || method === MANY) {
    return refuse("invalid_request", NO_PKCE, "code_challenge or code_challenge_method is repeated.");
  }
  if (method !== "S256") {
    return refuse(
      "invalid_request",
      NO_PKCE,
      method === null
        ? "code_challenge_method is missing; only S256 is supported."
        : `code_challenge_method ${method.slice(0, 20)} is not supported; only S256.`,
    );
  }
  if (!CODE_CHALLENGE_PATTERN.test(challenge)) {
    return refuse("invalid_request", NO_PKCE, "code_challenge must be 43 to 128 base64url characters.");
  }

  const expected = `${context.issuer}/mcp`;
  const otherResource = `The app's request asks for access to another server than this one (resource must be ${expected}).`;
  const resources = query.getAll("resource");
  if (resources.length > 1)
    return refuse("invalid_target", otherResource, "Only one resource may be requested: this server's MCP endpoint.");
  const resource = resources[0];
  if (resource !== undefined && resource !== expected) {
    return refuse("invalid_target", otherResource, `This server issues tokens only for its own resource, ${expected}.`);
  }
  if (single(query, "scope") === MANY)
    return refuse("invalid_request", "The app's request repeats its scope parameter.", "scope is repeated.");

  return ok({
    clientId: context.client.id,
    clientName: context.client.name,
    redirectUri: context.redirectUri,
    codeChallenge: challenge,
    resource: expected,
    scope: OAUTH_SCOPE,
    state,
    iat: Math.floor(context.nowMs / 1000),
  });
}

/**
 * The URL an authorization response redirects to: the redirect URI with `params` and the
 * issuer (`iss`, RFC 9207) appended to its query. The URI is used as registered: the
 * parameters are appended as text, never by re-serialising its own query.
 */
export function authorizationRedirectUrl(redirectUri: string, params: Readonly<Record<string, string | null>>, issuer: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) query.append(k, v);
  query.append("iss", issuer);
  return `${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${query.toString()}`;
}

/**
 * How an authorization error found after the redirect URI matched (`checkAuthorizeParams`)
 * reaches the client: `"redirect"`, an immediate 302 to the redirect URI (RFC 6749 §4.1.2.1),
 * or `"page"`, an error page (400) whose link the user follows to the same URL.
 *
 * RFC 9700 §4.11.2 (finding F-A2): registration is open and stateless, so a matched redirect
 * URI is only one somebody registered, and an immediate error redirect would make
 * `/oauth/authorize?client_id=<own id>&redirect_uri=https://evil.example/…` a link on this
 * host that lands on any site. Decided:
 * - loopback `http:` URIs (127.0.0.1, [::1], localhost; RFC 8252 §7.3: mcp-remote, the SDK's
 *   CLI clients, VS Code) keep the redirect: they reach only a program on the user's own
 *   computer, never another site, and a native app that listens there learns of its error
 *   without the user having to click;
 * - `https:` URIs get the page: any site can be registered;
 * - private-use schemes (`cursor://…`, `com.example.app:/…`) get the page too: anyone can
 *   register one, and a scheme hands the attacker's path and query to whatever app on the
 *   device claims it (URI handlers of editors have installed extensions before), with at most
 *   the browser's "open this app?" prompt in between. The page's link still reaches the app.
 *
 * A successful authorization always redirects (that is the protocol, and the user signed in).
 * There is no "Cancel" button (and so no `access_denied`): a user who declines closes the page.
 */
export function errorDelivery(redirectUri: string): "redirect" | "page" {
  const kind = checkRedirectUri(redirectUri);
  return kind.ok && kind.value === "loopback" ? "redirect" : "page";
}
