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
const EXPOSED_HEADERS = "mcp-session-id, x-request-id, retry-after, allow";

/** Whether the request's Origin (if any) is allowed: same origin or in the allowlist. */
export function originAllowed(request: Request, allowlist: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (allowlist.includes("*") || allowlist.includes(origin)) return true;
  return origin === new URL(request.url).origin;
}

/** CORS headers for an allowed Origin; none without an Origin or for a disallowed one. */
export function corsHeaders(request: Request, allowlist: readonly string[]): Record<string, string> {
  const origin = request.headers.get("origin");
  if (origin === null || !originAllowed(request, allowlist)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-expose-headers": EXPOSED_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
