/**
 * Issue 12's "done when", as a user runs it: `npm run dev` (scripts/dev.mjs, here on free
 * ports and a fresh state directory, no `--var`: the server's defaults, so ANONYMOUS_ACCESS
 * "oauth"), then the MCP SDK 1.x client and mcp-remote 0.15.1 connect with only
 * `http://127.0.0.1:<port>/mcp`, Ayse signs in on the page (headless Chromium), and both
 * call tools as her, seeing only her data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, MemoryOAuthProvider, RUN_IN_BROWSER } from "./helpers/oauth.js";
import { connectSdkWithOAuth, expectOnlyAyseLeaves, expectSignedInAsAyse, startMcpRemote } from "./helpers/oauth-clients.js";
import { freePort } from "./helpers/free-port.js";

let child: ChildProcess | null = null;
let browser: Browser;
let serverUrl = "";
let output = "";
const dirs: string[] = [];

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  const serverPort = await freePort();
  const sandboxPort = await freePort();
  const state = mkdtempSync(join(tmpdir(), "passgage-dev-oauth-"));
  dirs.push(state);
  const started = spawn(process.execPath, ["scripts/dev.mjs", "--", "--port", String(serverPort), "--persist-to", state], {
    // Its own process group, so the wrangler and workerd processes it starts stop with it.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SANDBOX_PORT: String(sandboxPort) },
  });
  child = started;
  started.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  started.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  serverUrl = `http://127.0.0.1:${serverPort}`;
  const deadline = Date.now() + 100_000;
  for (;;) {
    if (started.exitCode !== null) throw new Error(`scripts/dev.mjs exited early with ${started.exitCode}:\n${output}`);
    const ok = await fetch(`${serverUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`npm run dev did not answer within 100 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  const running = child;
  if (running?.pid !== undefined && running.exitCode === null) {
    const exited = new Promise((r) => running.once("exit", r));
    process.kill(-running.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (running.exitCode === null) process.kill(-running.pid, "SIGKILL");
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!RUN_IN_BROWSER)("npm run dev, then connect with only the URL", () => {
  it("the default is the OAuth challenge: a request without a credential gets 401", async () => {
    const res = await fetch(`${serverUrl}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(`resource_metadata="${serverUrl}/.well-known/oauth-protected-resource/mcp"`);
  });

  it("the MCP SDK 1.x client signs in on the page as Ayse and sees only her data", async () => {
    const { client } = await connectSdkWithOAuth(
      browser,
      serverUrl,
      new MemoryOAuthProvider("http://127.0.0.1:53682/callback", "Passgage e2e (npm run dev)"),
    );
    try {
      await expectSignedInAsAyse(client);
      await expectOnlyAyseLeaves(client);
    } finally {
      await client.close();
    }
  });

  it("mcp-remote 0.15.1 signs in on the page as Ayse and sees only her data", async () => {
    const configDir = mkdtempSync(join(tmpdir(), "mcp-remote-dev-"));
    dirs.push(configDir);
    const bridge = await startMcpRemote(browser, serverUrl, configDir, true);
    try {
      expect(bridge.authorizationUrls, bridge.stderr()).toHaveLength(1);
      await expectSignedInAsAyse(bridge.client);
      await expectOnlyAyseLeaves(bridge.client);
    } finally {
      await bridge.client.close();
    }
  });
});
