/**
 * A tiny JSON-RPC client for integration tests: calls the Worker through its own fetch
 * (`exports.default.fetch`, in the same workerd as the tests) with MCP headers.
 */
import { exports } from "cloudflare:workers";

/** Base URL the Worker sees in tests. */
export const BASE = "https://mcp.test";

/** Headers of an MCP POST. */
export function mcpHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", accept: "application/json, text/event-stream", "cf-connecting-ip": "203.0.113.7", ...extra };
}

/** Sends a raw request to the Worker. */
export function workerFetch(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, init));
}

/** Posts one JSON-RPC body to /mcp. */
export function postMcp(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return workerFetch("/mcp", { method: "POST", headers: mcpHeaders(headers), body: JSON.stringify(body) });
}

let nextId = 1;

/** A JSON-RPC response body. */
export interface RpcBody {
  jsonrpc: "2.0";
  id: string | number | null;
  result?: Record<string, unknown> & {
    content?: { type: string; text: string }[];
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
    tools?: { name: string }[];
  };
  error?: { code: number; message: string };
}

/**
 * Calls a method and returns the parsed response and the HTTP response. Like the MCP
 * SDK's client transport, a connection (`headers` with an Mcp-Session-Id) adopts the
 * Mcp-Session-Id a response carries (a sign-in on a connection answers with a new one).
 */
export async function rpc(
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ res: Response; body: RpcBody }> {
  const res = await postMcp({ jsonrpc: "2.0", id: nextId++, method, params }, headers);
  const body = await res.json<RpcBody>();
  const issued = res.headers.get("mcp-session-id");
  if (issued !== null && headers["mcp-session-id"] !== undefined) headers["mcp-session-id"] = issued;
  return { res, body };
}

/** Calls a tool; returns the result (throws on JSON-RPC error). */
export async function callTool(
  name: string,
  args: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<NonNullable<RpcBody["result"]>> {
  const { body } = await rpc("tools/call", { name, arguments: args }, headers);
  if (!body.result) throw new Error(`tools/call ${name} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Text of a tool result. */
export function textOf(result: NonNullable<RpcBody["result"]>): string {
  return (result.content ?? []).map((c) => c.text).join("\n");
}

/** Seed credentials of the sandbox (sandbox/README.md). */
export const SEED = {
  acmeKey: "psg_cmp_sandbox_acme_0000000000000000",
  globexKey: "psg_cmp_sandbox_globex_00000000000000",
  admin: { email: "admin@acme.example", password: "acme-admin-2026" },
  ayse: { email: "ayse@acme.example", password: "acme-ayse-2026" },
  mehmet: { email: "mehmet@acme.example", password: "acme-mehmet-2026" },
  john: { email: "john@globex.example", password: "globex-john-2026" },
} as const;

/** Signs in with a password and returns the session ID. */
export async function loginAs(who: { email: string; password: string }, headers: Record<string, string> = {}): Promise<string> {
  const r = await callTool("passgage_session_login", { email: who.email, password: who.password }, headers);
  const id = r.structuredContent?.sessionId;
  if (r.isError || typeof id !== "string") throw new Error(`login failed: ${textOf(r)}`);
  return id;
}

/** Signs in with a company key and returns the session ID. */
export async function loginWithKey(apiKey: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await callTool("passgage_session_login_api_key", { apiKey }, headers);
  const id = r.structuredContent?.sessionId;
  if (r.isError || typeof id !== "string") throw new Error(`api key login failed: ${textOf(r)}`);
  return id;
}

/** A random documentation-range client IP, so per-IP limits of parallel tests never meet. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `203.0.${b[0]}.${b[1]}`;
}

/** Opens a legacy (2025-11-25) connection; returns the headers its later requests carry. */
export async function initializeConnection(revision = "2025-11-25"): Promise<Record<string, string>> {
  const res = await postMcp(
    {
      jsonrpc: "2.0",
      id: nextId++,
      method: "initialize",
      params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: "t", version: "1" } },
    },
    { "cf-connecting-ip": randomIp() },
  );
  return { "mcp-session-id": res.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": revision };
}
