/**
 * The Claude Desktop configuration for this server: Claude Desktop speaks MCP over
 * stdio, so `mcp-remote` (npm) bridges it to this server's Streamable HTTP endpoint,
 * sending `X-Session-ID` on every request. The ID sits in `env` and the header
 * argument names it (`${PASSGAGE_SESSION_ID}`, expanded by mcp-remote itself), so
 * it never appears in a process list and a new ID is a one-line change.
 */

/** The mcp-remote release the configuration pins (the one the end-to-end test runs). */
export const MCP_REMOTE_VERSION = "0.15.1";
/** Key of the server under `mcpServers`. */
export const CLAUDE_SERVER_NAME = "passgage";
/** Environment variable holding the session ID. */
export const SESSION_ENV_VAR = "PASSGAGE_SESSION_ID";

/** One `mcpServers` entry. */
export interface StdioServerEntry {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The mcp-remote arguments for `mcpUrl` (without `npx`). */
export function mcpRemoteArgs(mcpUrl: string): string[] {
  const url = new URL(mcpUrl);
  // mcp-remote accepts plain http only for localhost/127.0.0.1 unless --allow-http is given.
  const needsAllowHttp = url.protocol === "http:" && url.hostname !== "localhost" && url.hostname !== "127.0.0.1";
  return [
    `mcp-remote@${MCP_REMOTE_VERSION}`,
    mcpUrl,
    "--transport",
    "http-only",
    "--header",
    // No spaces around ':' (Claude Desktop on Windows splits arguments at spaces).
    `X-Session-ID:\${${SESSION_ENV_VAR}}`,
    ...(needsAllowHttp ? ["--allow-http"] : []),
  ];
}

/** The `mcpServers` entry for this server and session. */
export function claudeDesktopEntry(mcpUrl: string, sessionId: string): StdioServerEntry {
  return { command: "npx", args: ["-y", ...mcpRemoteArgs(mcpUrl)], env: { [SESSION_ENV_VAR]: sessionId } };
}

/** A whole `claude_desktop_config.json`, pretty-printed. */
export function claudeDesktopConfigJson(mcpUrl: string, sessionId: string): string {
  return JSON.stringify({ mcpServers: { [CLAUDE_SERVER_NAME]: claudeDesktopEntry(mcpUrl, sessionId) } }, null, 2);
}
