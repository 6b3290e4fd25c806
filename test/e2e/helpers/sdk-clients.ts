/**
 * The official MCP SDK clients behind one small interface, for end-to-end tests:
 * - `sdk1`: `@modelcontextprotocol/sdk` 1.x, StreamableHTTPClientTransport (initialize
 *   handshake, 2025-11-25, Mcp-Session-Id);
 * - `sdk2-legacy`: `@modelcontextprotocol/client` 2.x in its default negotiation mode
 *   (the same initialize handshake);
 * - `sdk2-stateless`: the 2.x client pinned to the stateless 2026-07-28 revision
 *   (`server/discover` probe, per-request `_meta` envelope, Mcp-Method / Mcp-Name headers,
 *   no Mcp-Session-Id; no fallback, so a server that does not speak it fails connect).
 * Extra HTTP headers (X-Session-ID) go through `requestInit.headers`, as users configure them.
 */
import { Client as Client2, StreamableHTTPClientTransport as Transport2 } from "@modelcontextprotocol/client";
import { Client as Client1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as Transport1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/** Which client, in which mode. */
export type ClientKind = "sdk1" | "sdk2-legacy" | "sdk2-stateless";

/** Every kind, for `describe.each`. */
export const CLIENT_KINDS: readonly ClientKind[] = ["sdk1", "sdk2-legacy", "sdk2-stateless"];

/** A tools/call result, as both SDKs return it. */
export interface ToolResult {
  readonly text: string;
  readonly structured: Record<string, unknown> | undefined;
  readonly isError: boolean;
}

/** A connected client. */
export interface TestClient {
  readonly kind: ClientKind;
  /** The revision the client negotiated. */
  readonly protocolVersion: string | undefined;
  /** The transport's current Mcp-Session-Id (legacy revisions), if the server issued one. */
  readonly mcpSessionId: string | undefined;
  /** The server's name as the client learned it (initialize or server/discover `_meta`). */
  readonly serverName: string | undefined;
  listToolNames(): Promise<string[]>;
  call(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  /** DELETE /mcp (legacy revisions); a no-op without an Mcp-Session-Id. */
  terminate(): Promise<void>;
  close(): Promise<void>;
}

const CLIENT_INFO = { name: "passgage-e2e", version: "1.0.0" };

/** A text block's text (MCP says a string; anything else is shown as JSON, never "[object Object]"). */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function toResult(raw: unknown): ToolResult {
  const r = (raw ?? {}) as { content?: unknown; structuredContent?: unknown; isError?: unknown };
  const blocks = Array.isArray(r.content) ? r.content : [];
  const text = blocks
    .map((b: unknown) =>
      b && typeof b === "object" && (b as { type?: unknown }).type === "text" ? textOf((b as { text?: unknown }).text) : "",
    )
    .join("\n");
  const structured =
    r.structuredContent && typeof r.structuredContent === "object" ? (r.structuredContent as Record<string, unknown>) : undefined;
  return { text, structured, isError: r.isError === true };
}

/** Connects a client of `kind` to `${serverUrl}/mcp` with optional extra headers. */
export async function connectClient(kind: ClientKind, serverUrl: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const url = new URL("/mcp", serverUrl);
  if (kind === "sdk1") {
    const transport = new Transport1(url, { requestInit: { headers } });
    const client = new Client1(CLIENT_INFO, { capabilities: {} });
    await client.connect(transport);
    return {
      kind,
      protocolVersion: transport.protocolVersion,
      // Read live: the 1.x transport adopts the Mcp-Session-Id of every response (a sign-in answers with a new one).
      get mcpSessionId() {
        return transport.sessionId;
      },
      serverName: client.getServerVersion()?.name,
      listToolNames: async () => (await client.listTools()).tools.map((t) => t.name),
      call: async (name, args = {}) => toResult(await client.callTool({ name, arguments: args })),
      terminate: () => transport.terminateSession(),
      close: () => client.close(),
    };
  }
  const transport = new Transport2(url, { requestInit: { headers } });
  const client = new Client2(CLIENT_INFO, {
    capabilities: {},
    ...(kind === "sdk2-stateless" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {}),
  });
  await client.connect(transport);
  return {
    kind,
    protocolVersion: client.getNegotiatedProtocolVersion(),
    mcpSessionId: transport.sessionId,
    serverName: client.getServerVersion()?.name,
    listToolNames: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name, args = {}) => toResult(await client.callTool({ name, arguments: args })),
    terminate: () => transport.terminateSession(),
    close: () => client.close(),
  };
}
