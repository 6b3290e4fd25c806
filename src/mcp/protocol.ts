/**
 * MCP protocol revisions this server speaks, and the facts that differ between them.
 * Legacy revisions (2024-11-05 … 2025-11-25) use the initialize handshake; the
 * 2026-07-28 revision is stateless (per-request `_meta`, `server/discover`).
 */

/** Revisions negotiated through initialize, newest first. */
export const LEGACY_REVISIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;
/** The stateless revision. */
export const STATELESS_REVISION = "2026-07-28";
/** Every revision accepted in the MCP-Protocol-Version header. */
export const SUPPORTED_REVISIONS: readonly string[] = [STATELESS_REVISION, ...LEGACY_REVISIONS];
/** The newest legacy revision: the answer to an initialize asking for an unknown one. */
export const LATEST_LEGACY_REVISION = LEGACY_REVISIONS[0];
/** Revision assumed when a legacy client sends no MCP-Protocol-Version header (spec: 2025-03-26). */
export const DEFAULT_HEADERLESS_REVISION = "2025-03-26";

/** A protocol revision string. */
export type Revision = string;

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

/** `_meta` keys of the stateless revision. */
export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
/** `_meta` key carrying the client's capabilities (stateless revision). */
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
/** `_meta` key carrying the client's implementation info (stateless revision). */
export const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

/** Server instructions returned by initialize / server/discover. */
export const SERVER_INSTRUCTIONS = [
  "Passgage workforce management (leaves, shifts, approvals, attendance, people) for the signed-in user or company.",
  "Start with passgage_session_status. Without a session, sign in on this server's /login page (recommended) or with passgage_session_login / passgage_session_login_api_key.",
  "User mode sees the user's own data; company mode (company API key) sees the whole company and can write. Tools refuse calls outside the session's mode and say how to switch.",
  "List tools take page, per_page (max 50) and a typed filter object; dates are YYYY-MM-DD.",
].join("\n");
