/**
 * The two OAuth clients the end-to-end tests drive with only the server's URL, shared by
 * the tests against the stack helper and against `npm run dev`:
 * - the MCP SDK 1.x client with an `OAuthClientProvider` ({@link connectSdkWithOAuth});
 * - mcp-remote 0.15.1 (the installed, pinned copy) as a stdio server, the SDK client on
 *   its stdio, its authorization URL read off its stderr ({@link startMcpRemote}).
 * In both, Ayse signs in on the authorize page in headless Chromium. Plus the checks that
 * a connection acts as Ayse and sees only her data.
 */
import { resolve } from "node:path";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import { AYSE, authorizeInBrowser, MEHMET_EMAIL, type MemoryOAuthProvider, redirectParams } from "./oauth.js";

const MCP_REMOTE = resolve("node_modules/mcp-remote/dist/proxy.js");
/** What mcp-remote prints on stderr when the user must open the authorization URL. */
const AUTHORIZE_LINE = /Please authorize this client by visiting:\s*\n(\S+)/;

/** The text of a tools/call result's content blocks. */
export function resultText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

/** A connected SDK client and the provider holding its registration and tokens. */
export interface SdkConnection {
  readonly client: Client;
  readonly provider: MemoryOAuthProvider;
}

/**
 * Connects the SDK 1.x client to `${serverUrl}/mcp` the way an app does: the first connect
 * fails with UnauthorizedError after asking to open the authorize URL (checked: S256,
 * resource, scope); Ayse signs in on the page (the provider's redirect URI is stubbed in the
 * browser); the redirect is checked (state, iss); `finishAuth(code)`; connect again.
 */
export async function connectSdkWithOAuth(browser: Browser, serverUrl: string, provider: MemoryOAuthProvider): Promise<SdkConnection> {
  const url = new URL("/mcp", serverUrl);
  const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
  const client = new Client({ name: "passgage-oauth-e2e", version: "1.0.0" }, { capabilities: {} });
  await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  const authUrl = provider.authorizationUrl;
  if (authUrl === null) throw new Error("the SDK did not ask to open an authorization URL");
  expect(authUrl.origin + authUrl.pathname).toBe(`${serverUrl}/oauth/authorize`);
  expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authUrl.searchParams.get("resource")).toBe(`${serverUrl}/mcp`);
  expect(authUrl.searchParams.get("scope")).toBe("passgage");
  const redirect = provider.redirectUrl;
  const outcome = await authorizeInBrowser(browser, authUrl.href, AYSE, { stub: redirect });
  expect(outcome.shownHost).toBe(new URL(redirect).host);
  expect(outcome.location.startsWith(`${redirect}?`)).toBe(true);
  const back = redirectParams(outcome.location);
  expect(back.get("state")).toBe(provider.state());
  expect(back.get("iss")).toBe(serverUrl);
  const code = back.get("code");
  expect(code).toMatch(/^pgm_code_[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
  await first.finishAuth(code ?? "");
  await client.close();
  const connected = new Client({ name: "passgage-oauth-e2e", version: "1.0.0" }, { capabilities: {} });
  await connected.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return { client: connected, provider };
}

/** Checks that `client` acts as Ayse: passgage_session_status names her (and not Mehmet). */
export async function expectSignedInAsAyse(client: Client): Promise<void> {
  const status = await client.callTool({ name: "passgage_session_status", arguments: {} });
  expect(status.isError, resultText(status)).toBeFalsy();
  expect(resultText(status)).toContain(AYSE.email);
  expect(resultText(status)).not.toContain(MEHMET_EMAIL);
  expect((status.structuredContent as { signedIn?: unknown } | undefined)?.signedIn).toBe(true);
}

/** Checks that `client` sees only Ayse's data: every leave listed (at least one) is hers. */
export async function expectOnlyAyseLeaves(client: Client): Promise<void> {
  const leaves = await client.callTool({ name: "passgage_list_leaves", arguments: { per_page: 50 } });
  expect(leaves.isError, resultText(leaves)).toBeFalsy();
  const owners = [...resultText(leaves).matchAll(/; user: ([^ ;]+) \[/g)].map((m) => m[1]);
  expect(owners.length, resultText(leaves)).toBeGreaterThan(0);
  expect(new Set(owners)).toEqual(new Set(["ayse_yilmaz"]));
}

/** A running mcp-remote with the SDK client on its stdio, and everything it printed. */
export interface McpRemoteBridge {
  readonly client: Client;
  readonly stderr: () => string;
  /** The authorization URLs mcp-remote asked the user to open. */
  readonly authorizationUrls: readonly string[];
}

/**
 * Starts mcp-remote with only `${serverUrl}/mcp` (`--transport http-only`, no header) as
 * Claude Desktop would (stdio), its state in `configDir` (MCP_REMOTE_CONFIG_DIR), and
 * connects the SDK client through it. When mcp-remote asks for authorization the URL is
 * recorded and, if `signIn`, opened in Chromium where Ayse signs in and the browser lands on
 * mcp-remote's callback. Its own attempt to open a browser is a no-op (BROWSER=true).
 */
export async function startMcpRemote(browser: Browser, serverUrl: string, configDir: string, signIn: boolean): Promise<McpRemoteBridge> {
  let stderr = "";
  const authorizationUrls: string[] = [];
  // A holder, not a `let`: the stderr callback sets it, which control-flow narrowing cannot see.
  const pending: { signIn: Promise<unknown> | null } = { signIn: null };
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MCP_REMOTE, `${serverUrl}/mcp`, "--transport", "http-only"],
    env: { ...getDefaultEnvironment(), MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: "true" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    const match = AUTHORIZE_LINE.exec(stderr.slice(stderr.lastIndexOf("Please authorize")));
    if (match?.[1] !== undefined && pending.signIn === null) {
      authorizationUrls.push(match[1]);
      pending.signIn = signIn ? authorizeInBrowser(browser, match[1], AYSE, "follow") : Promise.resolve();
      pending.signIn.catch((e: unknown) => (stderr += `\n[test] sign-in failed: ${String(e)}\n`));
    }
  });
  const client = new Client({ name: "claude-desktop-like", version: "1.0.0" }, { capabilities: {} });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(`mcp-remote did not connect: ${String(e)}\n--- stderr ---\n${stderr}`);
  }
  if (pending.signIn !== null) await pending.signIn;
  return { client, stderr: () => stderr, authorizationUrls };
}
