/**
 * CORS and Origin checks. MCP Streamable HTTP requires servers to validate `Origin`
 * (DNS-rebinding protection): a present Origin must be the server's own or in the
 * ALLOWED_ORIGINS allowlist; requests without one (native clients, mcp-remote) are
 * allowed. CORS headers are only ever granted to an allowed Origin.
 */

/** Headers a browser client may send to /mcp (the 2026-07-28 Mcp-Method / Mcp-Name included). */
const ALLOWED_HEADERS =
  "content-type, accept, authorization, x-session-id, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id";
/** Headers a browser client may read. */
const EXPOSED_HEADERS = "mcp-session-id, x-request-id, retry-after, allow, www-authenticate";

/** Host names of the loopback interface (what a local `wrangler dev` listens on). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether the request's Origin (if any) is allowed: in the ALLOWED_ORIGINS allowlist, or
 * the request's own origin. The own-origin rule alone would let a DNS-rebinding page
 * through (it sends `Host: evil.example` and `Origin: http://evil.example`, which match),
 * so in `development` (a local server) it holds only for a loopback host; a deployed
 * Worker is only ever reached under its own host names (Cloudflare routes by Host).
 * `Origin: null` (a no-referrer page posting to itself) passes only with
 * `Sec-Fetch-Site: same-origin`, which a page cannot forge.
 */
export function originAllowed(request: Request, allowlist: readonly string[], environment: string): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (allowlist.includes("*") || allowlist.includes(origin)) return true;
  if (origin === "null") return request.headers.get("sec-fetch-site") === "same-origin";
  const own = new URL(request.url);
  if (origin !== own.origin) return false;
  return environment !== "development" || LOOPBACK_HOSTS.has(own.hostname);
}

/** CORS headers for an allowed Origin; none without an Origin or for a disallowed one. */
export function corsHeaders(request: Request, allowlist: readonly string[], environment: string): Record<string, string> {
  const origin = request.headers.get("origin");
  if (origin === null || !originAllowed(request, allowlist, environment)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-expose-headers": EXPOSED_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
