/**
 * The MCP Inspector CLI commands of docs/CLIENTS.md, run for real against the local
 * stack: `mcp-inspector-cli --cli <url>/mcp --transport http --header "X-Session-ID: ..."
 * --method <method>` (package @modelcontextprotocol/inspector-cli 1.0.3, the CLI of
 * Inspector 1.0.3, which runs on Node 20). Lists tools, calls one as the signed-in
 * user, renders a prompt and reads a resource.
 *
 * inspector-cli 1.0.3 finds its own package.json relative to the working directory
 * (modelcontextprotocol/inspector#1334): it works only where `../package.json` exists.
 * docs/CLIENTS.md therefore runs it from `docs/`, and so does this test.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";

const run = promisify(execFile);
const CLI = resolve("node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");
const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" };

let stack: Stack;
let sessionId = "";

async function inspector(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    [CLI, "--cli", `${stack.serverUrl}/mcp`, "--transport", "http", "--header", `X-Session-ID: ${sessionId}`, ...args],
    {
      cwd: resolve("docs"),
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  stack = await startStack({ anonymousAccess: "open", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  const res = await fetch(`${stack.serverUrl}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "passgage_session_login", arguments: AYSE } }),
  });
  const body = (await res.json()) as { result?: { structuredContent?: { sessionId?: string } } };
  sessionId = body.result?.structuredContent?.sessionId ?? "";
  if (!sessionId) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
});

afterAll(async () => {
  await stack?.stop();
});

describe("MCP Inspector CLI", () => {
  it("tools/list", async () => {
    const out = await inspector("--method", "tools/list");
    const names = (out.tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain("passgage_session_status");
    expect(names).toContain("passgage_list_leaves");
  });

  it("tools/call passgage_session_status with the session header", async () => {
    const out = await inspector("--method", "tools/call", "--tool-name", "passgage_session_status");
    expect(JSON.stringify(out.content)).toContain(AYSE.email);
    expect(out.isError).not.toBe(true);
  });

  it("tools/call with a tool argument (a number)", async () => {
    const out = await inspector("--method", "tools/call", "--tool-name", "passgage_list_leaves", "--tool-arg", "per_page=5");
    expect(out.isError, JSON.stringify(out.content)).not.toBe(true);
  });

  it("prompts/get and resources/read", async () => {
    const prompt = await inspector(
      "--method",
      "prompts/get",
      "--prompt-name",
      "request_leave",
      "--prompt-args",
      "start_date=2026-12-21",
      "end_date=2026-12-23",
    );
    expect(JSON.stringify(prompt.messages)).toContain("passgage_list_leave_types");
    expect(JSON.stringify(prompt.messages)).toContain("from 2026-12-21 to 2026-12-23");
    const profile = await inspector("--method", "resources/read", "--uri", "passgage://me/profile");
    expect(JSON.stringify(profile.contents)).toContain(AYSE.email);
  });
});
