/**
 * The OAuth authorize page's HTML (pure rendering, no I/O): the sign-in forms of /login
 * under a header naming the app that asks and WHERE the browser returns afterwards (the
 * redirect host, MCP authorization 2025-11-25: the user must see it, since a registered
 * name proves nothing), the error page of a request that cannot be sent back, and the error
 * page of one whose error the user may take back to the app by a link (F-A2).
 */
import { escapeHtml, htmlDocument, PAGE_CSS } from "./html";
import { errorBlock, type FormError, renderSignInForms } from "./login-page";

/** What the authorize page shows. */
export interface AuthorizePageView {
  /** The client's name as it registered it (unverified), or null. */
  readonly clientName: string | null;
  /** How the client was identified: a DCR registration or its metadata document's URL. */
  readonly clientKind: "dcr" | "cimd";
  /** The client id when it is a metadata document URL (shown: its host vouches for the name). */
  readonly clientId: string;
  readonly redirectUri: string;
  /** The hidden fields: CSRF token and the signed authorization request. */
  readonly hidden: Readonly<Record<string, string>>;
  readonly sessionHours: number;
  readonly error?: FormError;
  readonly email?: string;
}

/** Where a redirect URI leads, in words a person can check: a web host, an app on this computer, or an app's scheme. */
export function redirectTarget(redirectUri: string): { readonly host: string; readonly note: string } {
  try {
    const url = new URL(redirectUri);
    if (url.protocol === "https:") return { host: url.host, note: "a website" };
    if (url.protocol === "http:") return { host: url.host, note: "an app on this computer" };
    const scheme = url.protocol.slice(0, -1);
    return { host: url.host === "" ? `${scheme}:` : `${scheme}://${url.host}`, note: "an app installed on this device" };
  } catch {
    return { host: redirectUri.slice(0, 80), note: "an app" };
  }
}

/** A host CSP can name in a host-source (letters, digits, hyphens, dots): no IPv6 literal, no underscore. */
const CSP_HOST_PATTERN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/**
 * The CSP `form-action` source that lets the authorize form's answer redirect to
 * `redirectUri`: its origin (`https://host[:port]`, loopback `http://host:port`), or its
 * scheme alone (`cursor:`) when CSP cannot name the host (private-use schemes, IPv6
 * literals). Chromium checks form-action on the redirect after a form submission, so with
 * `'self'` alone the browser never reached the client. The redirect URI is the signed
 * ticket's, already checked against the client's registration.
 */
export function formActionSource(redirectUri: string): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  const scheme = url.protocol;
  if (!/^[a-z][a-z0-9+.-]*:$/.test(scheme)) return null;
  if ((scheme === "https:" || scheme === "http:") && CSP_HOST_PATTERN.test(url.hostname)) {
    return `${scheme}//${url.hostname}${url.port === "" ? "" : `:${url.port}`}`;
  }
  return scheme;
}

/** The authorize page: who asks, where the browser returns, and the sign-in forms. */
export function renderAuthorizePage(view: AuthorizePageView): string {
  const name = view.clientName ?? "An application that gave no name";
  const target = redirectTarget(view.redirectUri);
  const identity =
    view.clientKind === "cimd"
      ? `<p class="hint">Identified by <code>${escapeHtml(view.clientId)}</code>.</p>`
      : `<p class="hint">The app chose this name itself; check the address below.</p>`;
  const body = `
<h1>Connect ${escapeHtml(name)} to Passgage</h1>
<section aria-labelledby="client-heading" class="card" data-testid="client">
  <h2 id="client-heading">${escapeHtml(name)} asks to use Passgage as you</h2>
  ${identity}
  <p>After you sign in, your browser returns to <strong data-testid="redirect-host">${escapeHtml(target.host)}</strong> (${target.note}).</p>
  <p class="hint">Continue only if you started connecting this app yourself. Your password goes only to Passgage: the app never sees it, and it is never stored.</p>
</section>
${errorBlock(view.error)}
${renderSignInForms({
  action: "/oauth/authorize",
  hidden: view.hidden,
  ...(view.error ? { error: view.error } : {}),
  ...(view.email !== undefined ? { email: view.email } : {}),
})}
<footer>
  <p>The connection lasts at most ${view.sessionHours} hours; you can end it by signing out in the app or on this server's console.</p>
</footer>`;
  const title = `Connect ${name.slice(0, 60)} · Passgage MCP`;
  return htmlDocument(view.error ? `Error: ${view.error.title} · ${title}` : title, body);
}

/** The error page of an authorization request that cannot be sent back to the app (no redirect). */
export function renderAuthorizeError(view: { readonly title: string; readonly message: string }): string {
  return htmlDocument(
    `${view.title} · Passgage MCP`,
    `<h1>${escapeHtml(view.title)}</h1><div class="alert" role="alert" data-testid="authorize-error"><p>${escapeHtml(view.message)}</p></div><p>Nothing was sent to the app. Start connecting again from the app; if this keeps happening, tell the app's maker.</p>`,
  );
}

/** The error page of a request whose OAuth error goes back to the app only by the user's click. */
export interface AuthorizeErrorReturnView {
  /** The problem in plain words. */
  readonly summary: string;
  /** The OAuth error code and description the link carries (shown for the app's developer). */
  readonly error: string;
  readonly description: string;
  /** The registered, matched redirect URI (names the host the link leads to). */
  readonly redirectUri: string;
  /** The link: the redirect URI with `error`, `error_description`, `state` and `iss` (authorizationRedirectUrl). */
  readonly returnUrl: string;
}

/**
 * The error page of an authorization request whose client and redirect URI check out but
 * whose other parameters do not (RFC 9700 §4.11.2, finding F-A2): instead of redirecting at
 * once, it names the problem and offers a plain link "Return to <host>" carrying the error
 * the 302 would have carried. Nothing leaves the page by itself: no meta refresh and no
 * script (not even the pages' copy-button script), so the browser goes to the redirect URI
 * (which anyone may have registered) only when the user chooses to. The link's URL is
 * HTML-escaped; its query was URL-encoded by authorizationRedirectUrl.
 */
export function renderAuthorizeErrorReturn(view: AuthorizeErrorReturnView): string {
  const target = redirectTarget(view.redirectUri);
  const host = escapeHtml(target.host);
  const body = `
<h1>The app's sign-in request cannot be used</h1>
<div class="alert" role="alert" data-testid="authorize-error">
  <p>${escapeHtml(view.summary)}</p>
  <p>Error for the app: <code>${escapeHtml(view.error)}</code>, ${escapeHtml(view.description)}</p>
</div>
<p>Nothing was signed in. If you started connecting this app yourself, go back to it: the link below tells it what went wrong, and its maker may need to fix it. It leads to <strong data-testid="redirect-host">${host}</strong> (${target.note}).</p>
<p>If you reached this page from a link in an e-mail, a chat or another website, close it instead: anyone can register an app here, so this server does not vouch for that address.</p>
<p><a class="button" data-testid="return-link" href="${escapeHtml(view.returnUrl)}" rel="noreferrer">Return to ${host}</a></p>`;
  return htmlDocument("Error: the app's sign-in request cannot be used · Passgage MCP", body, { css: PAGE_CSS, script: null });
}
