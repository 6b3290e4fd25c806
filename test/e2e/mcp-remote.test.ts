/**
 * The Claude Desktop path, end to end: the configuration the sign-in page and the docs
 * give (`npx -y mcp-remote@<pinned> <url>/mcp --transport http-only --header
 * X-Session-ID:${PASSGAGE_SESSION_ID}` with the ID in `env`) is run for real: the
 * installed mcp-remote of that version is spawned as a stdio server, exactly as Claude
 * Desktop would, and the MCP SDK 1.x StdioClientTransport talks to it. Through the
 * bridge: tools/list, tools/call (the session is the one signed in), prompts and
 * resources. The probes mcp-remote makes at start (GET /mcp, /.well-known/oauth-*) are
 * checked to be answered at once (405, metadata 200), so start-up is not delayed.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claudeDesktopEntry, MCP_REMOTE_VERSION, SESSION_ENV_VAR } from "../../src/web/claude-config.js";
import { type Stack, startStack } from "./helpers/dev-server.js";

const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" };
const MCP_REMOTE_DIR = resolve("node_modules/mcp-remote");

let stack: Stack;
let sessionId = "";
let configDir = "";
let client: Client | null = null;
let stderr = "";
let connectMs = 0;

/** Signs in with the login tool over plain HTTP (no handshake) and returns the session ID. */
async function signIn(serverUrl: string): Promise<string> {
  const res = await fetch(`${serverUrl}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "passgage_session_login", arguments: AYSE } }),
  });
  const body = (await res.json()) as { result?: { structuredContent?: { sessionId?: unknown } } };
  const id = body.result?.structuredContent?.sessionId;
  if (typeof id !== "string") throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return id;
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

beforeAll(async () => {
  stack = await startStack({ anonymousAccess: "open", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  sessionId = await signIn(stack.serverUrl);
  // mcp-remote keeps OAuth state in ~/.mcp-auth; keep it out of the real home directory.
  configDir = mkdtempSync(join(tmpdir(), "mcp-remote-"));
});

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await stack?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe("mcp-remote (Claude Desktop's stdio bridge)", () => {
  it("the probes mcp-remote makes at start are answered at once: GET /mcp 405 (anonymous access open), OAuth metadata 200, OpenID 404", async () => {
    const probes: [string, RequestInit, number][] = [
      ["/mcp", { method: "GET", headers: { accept: "text/event-stream" } }, 405],
      ["/.well-known/oauth-protected-resource", {}, 200],
      ["/.well-known/oauth-protected-resource/mcp", {}, 200],
      ["/.well-known/oauth-authorization-server", {}, 200],
      ["/.well-known/openid-configuration", {}, 404],
      ["/mcp/.well-known/openid-configuration", {}, 404],
    ];
    for (const [path, init, status] of probes) {
      const started = performance.now();
      const res = await fetch(`${stack.serverUrl}${path}`, init);
      await res.arrayBuffer();
      expect(res.status, path).toBe(status);
      expect(performance.now() - started, path).toBeLessThan(2000);
    }
  });

  it("the pinned version is the installed one, so the test runs what the configuration names", () => {
    const pkg = JSON.parse(readFileSync(join(MCP_REMOTE_DIR, "package.json"), "utf8")) as { version: string };
    expect(pkg.version).toBe(MCP_REMOTE_VERSION);
  });

  it("connects through mcp-remote with the documented configuration", async () => {
    const entry = claudeDesktopEntry(`${stack.serverUrl}/mcp`, sessionId);
    expect(entry.command).toBe("npx");
    expect(entry.args.slice(0, 2)).toEqual(["-y", `mcp-remote@${MCP_REMOTE_VERSION}`]);
    expect(entry.args).toContain(`X-Session-ID:\${${SESSION_ENV_VAR}}`);
    // `npx -y mcp-remote@<version>` runs the package's bin; run the installed copy of it directly (no network).
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(MCP_REMOTE_DIR, "dist/proxy.js"), ...entry.args.slice(2)],
      env: { ...getDefaultEnvironment(), ...entry.env, MCP_REMOTE_CONFIG_DIR: configDir },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    client = new Client({ name: "claude-desktop-like", version: "1.0.0" }, { capabilities: {} });
    const started = performance.now();
    await client.connect(transport);
    connectMs = performance.now() - started;
    expect(client.getServerVersion()?.name).toBe("passgage-mcp");
    const caps = client.getServerCapabilities();
    expect(caps?.tools).toBeDefined();
    expect(caps?.prompts).toBeDefined();
    expect(caps?.resources).toBeDefined();
    // Start-up is not held up by OAuth discovery (no browser flow, no waiting on timeouts).
    expect(connectMs).toBeLessThan(15_000);
    expect(stderr).not.toMatch(/authoriz(e|ation) (url|required)|Please authorize/i);
  });

  it("lists the tools and calls one as the signed-in user", async () => {
    if (!client) throw new Error("not connected");
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain("passgage_session_status");
    expect(names).toContain("passgage_list_leaves");
    const status = await client.callTool({ name: "passgage_session_status", arguments: {} });
    expect(status.isError).toBeFalsy();
    expect(textOf(status)).toContain(AYSE.email);
    expect((status.structuredContent as { signedIn?: unknown } | undefined)?.signedIn).toBe(true);
  });

  it("calls a Passgage API tool through the bridge", async () => {
    if (!client) throw new Error("not connected");
    const leaves = await client.callTool({ name: "passgage_list_leave_types", arguments: { per_page: 5 } });
    expect(leaves.isError, textOf(leaves)).toBeFalsy();
  });

  it("serves prompts through the SDK client", async () => {
    if (!client) throw new Error("not connected");
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["request_leave", "review_pending_approvals", "team_attendance_week", "onboard_employee"]);
    const got = await client.getPrompt({ name: "request_leave", arguments: { start_date: "2026-12-21", end_date: "2026-12-23" } });
    const first = got.messages[0];
    expect(first?.role).toBe("user");
    expect(first?.content.type === "text" ? first.content.text : "").toContain("passgage_create_leave");
    await expect(client.getPrompt({ name: "request_leave", arguments: {} })).rejects.toThrow(/start_date/);
  });

  it("serves resources through the SDK client, with the caller's own profile", async () => {
    if (!client) throw new Error("not connected");
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("passgage://me/profile");
    const profile = await client.readResource({ uri: "passgage://me/profile" });
    const item = profile.contents[0];
    const text = item && "text" in item ? String(item.text) : "";
    expect(text).toContain(AYSE.email);
    const guide = await client.readResource({ uri: "passgage://guides/list-filters" });
    expect(guide.contents[0]?.mimeType).toBe("text/markdown");
    await expect(client.readResource({ uri: "passgage://nope" })).rejects.toThrow(/not found/i);
  });
});
