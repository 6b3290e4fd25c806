/**
 * MCP protocol revisions this server speaks, and the facts that differ between them.
 * Legacy revisions (2024-11-05 … 2025-11-25) use the initialize handshake; the
 * 2026-07-28 revision is stateless (per-request `_meta` envelope, `server/discover`,
 * `Mcp-Method` / `Mcp-Name` headers, `resultType` and cache hints on results).
 */

/** Revisions negotiated through initialize, newest first. */
export const LEGACY_REVISIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;
/** The stateless revision. */
export const STATELESS_REVISION = "2026-07-28";
/** Stateless (modern-era) revisions this server serves. */
export const MODERN_REVISIONS: readonly string[] = [STATELESS_REVISION];
/** Every revision accepted in the MCP-Protocol-Version header, newest first. */
export const SUPPORTED_REVISIONS: readonly string[] = [STATELESS_REVISION, ...LEGACY_REVISIONS];
/** The newest legacy revision: the answer to an initialize asking for an unknown one. */
export const LATEST_LEGACY_REVISION = LEGACY_REVISIONS[0];
/** Revision assumed when a legacy client sends no MCP-Protocol-Version header (spec: 2025-03-26). */
export const DEFAULT_HEADERLESS_REVISION = "2025-03-26";

/** A protocol revision string. */
export type Revision = string;

/** Whether a revision string belongs to the modern (stateless, 2026-07-28 and later) era; revisions are dates, so they compare as strings. */
export function isModernRevision(revision: string): boolean {
  return revision >= STATELESS_REVISION;
}

/** Whether JSON-RPC batches are allowed (2025-03-26 and earlier; removed in 2025-06-18). */
export function allowsBatch(revision: Revision): boolean {
  return revision === "2025-03-26" || revision === "2024-11-05";
}

/** The revision an initialize should answer with: the client's when supported, else the latest. */
export function negotiateRevision(requested: unknown): Revision {
  return typeof requested === "string" && (LEGACY_REVISIONS as readonly string[]).includes(requested) ? requested : LATEST_LEGACY_REVISION;
}

/** Server identity. */
export const SERVER_INFO = {
  name: "passgage-mcp",
  title: "Passgage",
  version: "0.1.0",
} as const;

/** `_meta` key of the request envelope naming the revision that governs the request (2026-07-28). */
export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
/** `_meta` key carrying the client's capabilities (2026-07-28; required in the envelope). */
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
/** `_meta` key carrying the client's implementation info (2026-07-28; optional). */
export const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
/** `_meta` key carrying the client's log level opt-in (2026-07-28; optional). */
export const META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
/** Result `_meta` key carrying the server's identity (2026-07-28: SHOULD be on every result). */
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";

/**
 * Request methods of the 2026-07-28 revision (its method registry). `initialize`,
 * `ping` and `logging/setLevel` are gone from it; a modern request for a method
 * outside this set is answered method-not-found.
 */
export const MODERN_REQUEST_METHODS: ReadonlySet<string> = new Set([
  "server/discover",
  "tools/list",
  "tools/call",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "completion/complete",
  "subscriptions/listen",
]);

/** Methods whose 2026-07-28 results are cacheable and must carry `ttlMs` and `cacheScope`. */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "server/discover",
]);

/**
 * Cache hints of our own cacheable results: the tool catalog and the discovery
 * result are the same for every caller and change only with a deployment.
 * Other cacheable results default to the SDK's defaults (0 ms, private).
 */
export const CATALOG_CACHE_TTL_MS = 300_000;

/**
 * The body field the `Mcp-Name` header mirrors, per method (2026-07-28, Streamable
 * HTTP "Standard Request Headers").
 */
export const MCP_NAME_SOURCE: Readonly<Record<string, "name" | "uri">> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
};

/** Server instructions returned by initialize / server/discover. */
export const SERVER_INSTRUCTIONS = [
  "Passgage workforce management (leaves, shifts, approvals, attendance, people) for the signed-in user or company.",
  "Start with passgage_session_status. Without a session, sign in on this server's /login page (recommended) or with passgage_session_login / passgage_session_login_api_key.",
  "User mode sees the user's own data; company mode (company API key) sees the whole company and can write. Tools refuse calls outside the session's mode and say how to switch.",
  "List tools take page, per_page (max 50) and a typed filter object; dates are YYYY-MM-DD.",
].join("\n");
