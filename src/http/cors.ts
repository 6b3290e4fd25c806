/**
 * CORS and Origin checks. MCP Streamable HTTP requires servers to validate `Origin`
 * (DNS-rebinding protection): a present Origin must be allowed; requests without one
 * (native clients, mcp-remote) are allowed.
 */

/** Headers a browser client may send to /mcp. */
const ALLOWED_HEADERS = "content-type, accept, authorization, x-session-id, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id";
/** Headers a browser client may read. */
const EXPOSED_HEADERS = "mcp-session-id, x-request-id, retry-after";

/** Whether the request's Origin (if any) is allowed: same origin or in the allowlist. */
export function originAllowed(request: Request, allowlist: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (allowlist.includes("*") || allowlist.includes(origin)) return true;
  return origin === new URL(request.url).origin;
}

/** CORS headers for an allowed origin (none when the request carries no Origin). */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  if (origin === null) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-expose-headers": EXPOSED_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
