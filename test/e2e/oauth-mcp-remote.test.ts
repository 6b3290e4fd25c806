/**
 * mcp-remote 0.15.1 (the installed, pinned copy) doing its own OAuth flow against
 * `wrangler dev` with only the URL: `mcp-remote <url>/mcp --transport http-only`, no
 * header. It gets the 401 challenge, discovers the metadata, registers (DCR, "MCP CLI
 * Client", `http://localhost:<port>/oauth/callback`), prints "Please authorize this client
 * by visiting: …" on stderr; the test opens that URL in headless Chromium and signs in as
 * ayse@acme.example; the browser lands on mcp-remote's callback listener; the MCP SDK 1.x
 * client on mcp-remote's stdio then calls tools as Ayse. Restarted with the same
 * MCP_REMOTE_CONFIG_DIR, mcp-remote reuses the stored token (no new authorization). After
 * the token is revoked, the next start gets 401, cannot refresh, asks again, and the user
 * signs in again.
 *
 * mcp-remote would also try to open a browser itself: BROWSER=true makes that a no-op.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";
import { launchChromium, revokeToken, RUN_IN_BROWSER } from "./helpers/oauth.js";
import { expectOnlyAyseLeaves, expectSignedInAsAyse, type McpRemoteBridge, startMcpRemote } from "./helpers/oauth-clients.js";

let stack: Stack;
let browser: Browser;
let configDir = "";

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  stack = await startStack({ anonymousAccess: "oauth", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  browser = await launchChromium();
  configDir = mkdtempSync(join(tmpdir(), "mcp-remote-oauth-"));
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** Starts mcp-remote against the stack with the shared config directory. */
function startBridge(signIn: boolean): Promise<McpRemoteBridge> {
  return startMcpRemote(browser, stack.serverUrl, configDir, signIn);
}

/** The tokens mcp-remote stored (`<hash>_tokens.json` under the config directory). */
async function storedTokens(): Promise<{ access_token: string; refresh_token?: string }> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith("_tokens.json")) found.push(path);
    }
  }
  await walk(configDir);
  expect(found).toHaveLength(1);
  return JSON.parse(await readFile(found[0] ?? "", "utf8")) as { access_token: string; refresh_token?: string };
}

/** The client_id mcp-remote registered (`<hash>_client_info.json`). */
async function storedClientId(): Promise<string> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith("_client_info.json")) found.push(path);
    }
  }
  await walk(configDir);
  expect(found).toHaveLength(1);
  return (JSON.parse(await readFile(found[0] ?? "", "utf8")) as { client_id: string }).client_id;
}

describe.skipIf(!RUN_IN_BROWSER)("mcp-remote 0.15.1 with its OAuth flow, against wrangler dev", () => {
  it("connects with only the URL: 401, DCR, sign-in on the page in Chromium, then tools as Ayse", async () => {
    const bridge = await startBridge(true);
    try {
      expect(bridge.authorizationUrls).toHaveLength(1);
      const url = new URL(bridge.authorizationUrls[0] ?? "");
      expect(url.origin + url.pathname).toBe(`${stack.serverUrl}/oauth/authorize`);
      expect(url.searchParams.get("client_id")).toMatch(/^pgmc_/);
      expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+\/oauth\/callback$/);
      expect(url.searchParams.get("code_challenge_method")).toBe("S256");
      expect(url.searchParams.get("resource")).toBe(`${stack.serverUrl}/mcp`);
      expect(bridge.client.getServerVersion()?.name).toBe("passgage-mcp");
      await expectSignedInAsAyse(bridge.client);
      await expectOnlyAyseLeaves(bridge.client);
      expect((await storedTokens()).access_token).toMatch(/^pgm_at_/);
    } finally {
      await bridge.client.close();
    }
  });

  it("restarted with the same config directory, reuses the stored token: no new authorization", async () => {
    const bridge = await startBridge(false);
    try {
      expect(bridge.authorizationUrls, bridge.stderr()).toEqual([]);
      await expectSignedInAsAyse(bridge.client);
    } finally {
      await bridge.client.close();
    }
  });

  it("after the token is revoked, the next start is refused (401), asks again, and Ayse signs in again", async () => {
    const before = await storedTokens();
    expect(await revokeToken(stack.serverUrl, before.access_token, await storedClientId())).toBe(200);
    const res = await fetch(`${stack.serverUrl}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${before.access_token}`,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    const bridge = await startBridge(true);
    try {
      expect(bridge.authorizationUrls, bridge.stderr()).toHaveLength(1);
      await expectSignedInAsAyse(bridge.client);
      expect((await storedTokens()).access_token).not.toBe(before.access_token);
    } finally {
      await bridge.client.close();
    }
  });
});
