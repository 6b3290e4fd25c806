/**
 * The redirect URI policy of the authorization server (OAuth 2.1 §2.3 and §7.5, RFC 8252
 * §7 for native apps, MCP authorization 2025-11-25 "redirect URIs: HTTPS or loopback").
 *
 * Registration (`checkRedirectUri`): an absolute URI of printable ASCII only (RFC 3986; R-1),
 * without fragment or user info, of one of three kinds:
 * - `https:` with a host;
 * - `http:` only on a loopback host (`127.0.0.1`, `[::1]`, `localhost`), RFC 8252 §7.3;
 * - a private-use scheme (RFC 8252 §7.1) that is reverse-domain-like (contains a dot, e.g.
 *   `com.example.app:/cb`) or one of KNOWN_APP_SCHEMES (`cursor://…`: Cursor registers
 *   `cursor://anysphere.cursor-mcp/oauth/callback`). Schemes that run or read content in
 *   the browser (`javascript:`, `data:`, `file:`, `vbscript:`, `blob:`, `about:` …) and the
 *   web schemes other than https/http are ALWAYS refused, whatever is registered.
 *
 * Authorization (`matchRedirectUri`): the requested URI must equal a registered one exactly
 * (string comparison, no normalisation), except that a loopback `http:` URI matches a
 * registered loopback URI with the same host, path and query on any port (RFC 8252 §7.3:
 * the port is chosen when the app starts). The requested URI is checked against the policy
 * again, so nothing refused at registration can be reached through a match.
 */
import { err, ok, type Result } from "../result";

/** Longest redirect URI accepted (characters). */
export const REDIRECT_URI_MAX_CHARS = 2000;

/** Host names of the loopback interface accepted for `http:` redirect URIs (RFC 8252 §7.3, §8.3). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Private-use schemes without a dot that are accepted anyway: the known MCP clients that
 * register them (Cursor). Anything else must look reverse-domain (RFC 8252 §7.1).
 */
const KNOWN_APP_SCHEMES: ReadonlySet<string> = new Set(["cursor", "vscode", "vscode-insiders"]);

/**
 * Schemes never accepted as a redirect: they execute or read content in the browser, or are
 * web/transport schemes other than https (and http on loopback).
 */
const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set([
  "javascript",
  "data",
  "file",
  "vbscript",
  "blob",
  "about",
  "filesystem",
  "view-source",
  "ws",
  "wss",
  "ftp",
  "chrome",
  "chrome-extension",
  "moz-extension",
  "intent",
  "mailto",
  "tel",
  "sms",
]);

/** What kind of redirect URI a valid one is. */
export type RedirectUriKind = "https" | "loopback" | "app";

/** Syntax of a URI scheme (RFC 3986 §3.1). */
const SCHEME_PATTERN = /^[a-z][a-z0-9+.-]*$/;

/**
 * Whether `uri` may be registered (and redirected to): its kind, or why not (a sentence
 * naming the problem, for `error_description`).
 */
export function checkRedirectUri(uri: string): Result<RedirectUriKind, string> {
  if (uri.length === 0) return err("A redirect URI is empty.");
  if (uri.length > REDIRECT_URI_MAX_CHARS) return err(`A redirect URI is longer than ${REDIRECT_URI_MAX_CHARS} characters.`);
  // Control characters and spaces are never part of a URI; browsers strip some of them, which
  // would make the URI we check differ from the one a browser follows.
  // oxlint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(uri)) return err("A redirect URI contains spaces, control characters or backslashes.");
  // RFC 3986 URIs are ASCII. A non-ASCII character would be mapped by the URL parser
  // ("localhost" in fullwidth letters, U+FF4C…, becomes localhost, a loopback host) and sent raw
  // in the 302's Location, which a browser reading the header as Latin-1 bytes could resolve to
  // another host than the one checked here.
  if (/[^\x21-\x7e]/.test(uri)) {
    return err(
      "A redirect URI contains a character outside printable ASCII: percent-encode it (e.g. %E2%82%AC) and write an international host name in its xn-- form.",
    );
  }
  if (uri.includes("#")) return err("A redirect URI must not contain a fragment (#).");
  const colon = uri.indexOf(":");
  const scheme = colon > 0 ? uri.slice(0, colon) : "";
  if (!SCHEME_PATTERN.test(scheme)) return err("A redirect URI must be absolute, starting with a lowercase scheme such as https:.");
  if (FORBIDDEN_SCHEMES.has(scheme)) return err(`The scheme ${scheme}: is not allowed in a redirect URI.`);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return err("A redirect URI is not a valid absolute URI.");
  }
  if (url.username !== "" || url.password !== "") return err("A redirect URI must not contain user information (user:password@).");
  if (scheme === "https") {
    if (url.hostname === "") return err("An https redirect URI must name a host.");
    return ok("https");
  }
  if (scheme === "http") {
    if (!LOOPBACK_HOSTS.has(url.hostname)) {
      return err("An http redirect URI is allowed only on the loopback interface (127.0.0.1, [::1] or localhost); use https.");
    }
    return ok("loopback");
  }
  if (scheme.includes(".") || KNOWN_APP_SCHEMES.has(scheme)) return ok("app");
  return err(
    `The private-use scheme ${scheme}: is not allowed: use https, a loopback http URI, or a reverse-domain scheme (like com.example.app:/callback).`,
  );
}

/** Whether `requested` (from an authorization request) matches one of the `registered` redirect URIs. */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (!checkRedirectUri(requested).ok) return false;
  if (registered.includes(requested)) return true;
  const req = loopbackParts(requested);
  if (req === null) return false;
  return registered.some((r) => {
    const reg = loopbackParts(r);
    return reg !== null && reg.host === req.host && reg.rest === req.rest;
  });
}

/**
 * A loopback http URI without its port: host and everything after the authority, compared
 * as written (the URI must already be in canonical form, so no normalisation can make two
 * different strings match); null when not a canonical loopback http URI.
 */
function loopbackParts(uri: string): { readonly host: string; readonly rest: string } | null {
  if (!uri.startsWith("http://")) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.username !== "" || url.password !== "" || url.hash !== "") return null;
  const rest = `${url.pathname}${url.search}`;
  // The written form must be exactly http://host[:port]<rest> (or the bare authority for "/"); the
  // parser drops port 80, which may still be written out (hostile-client finding I-3).
  const authorities = url.port === "" ? [url.hostname, `${url.hostname}:80`] : [`${url.hostname}:${url.port}`];
  if (!authorities.some((a) => uri === `http://${a}${rest}` || (rest === "/" && uri === `http://${a}`))) return null;
  return { host: url.hostname, rest };
}
