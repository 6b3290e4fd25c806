/**
 * The OAuth authorize page's HTML (pure rendering, no I/O): the sign-in forms of /login
 * under a header naming the app that asks and WHERE the browser returns afterwards (the
 * redirect host, MCP authorization 2025-11-25: the user must see it, since a registered
 * name proves nothing), and the error page of a request that cannot be sent back.
 */
import { escapeHtml, htmlDocument } from "./html";
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
