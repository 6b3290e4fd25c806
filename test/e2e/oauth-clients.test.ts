/**
 * Registrations shaped like the hosted and desktop MCP clients' (facts in
 * /work/shared/OAUTH-CLIENTS.md), each taken through the whole authorization against
 * `wrangler dev`: DCR with the client's redirect URIs → the authorize page in headless
 * Chromium (it names the client and the redirect host; Ayse signs in) → the final redirect
 * (exact redirect URI, `code`, `state` echoed, `iss`) → the code exchange → a tool call with
 * the access token, as Ayse. The redirect targets that do not exist offline
 * (https://claude.ai/…, https://chatgpt.com/…, loopback ports nobody listens on) are
 * answered inside the browser; Cursor's `cursor://` redirect is read off the page's 302.
 * And a broken client's request (PKCE `plain`): an https redirect URI gets an error page
 * the browser stays on until the user follows its "Return to <host>" link; a loopback one
 * gets the error at once (F-A2).
 */
import { createServer } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";
import {
  AYSE,
  authorizeInBrowser,
  authorizeUrl,
  exchangeCode,
  launchChromium,
  mcpRequest,
  pkcePair,
  randomState,
  redirectParams,
  type RedirectHandling,
  registerClient,
  RUN_IN_BROWSER,
  toolText,
} from "./helpers/oauth.js";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  stack = await startStack({ anonymousAccess: "oauth", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** One client's registration and the authorization request it makes. */
interface ClientShape {
  readonly label: string;
  /** What the client sends to /oauth/register. */
  readonly registration: Record<string, unknown>;
  /** The redirect URI of this authorization (one of the registered, or a loopback on another port). */
  readonly redirectUri: string;
  /** The host the page must show. */
  readonly shownHost: string;
  /** Whether the client sends `resource` (all but the reconnecting ChatGPT case do) and `scope`. */
  readonly sendsResource: boolean;
  readonly scope?: string;
  readonly redirect: RedirectHandling;
}

const SHAPES: readonly ClientShape[] = [
  {
    label: "Claude (web, Desktop, mobile): DCR, claude.ai callback",
    registration: {
      client_name: "Claude",
      redirect_uris: ["https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "https://claude.ai/api/mcp/auth_callback",
    shownHost: "claude.ai",
    sendsResource: true,
    scope: "passgage",
    redirect: { stub: "https://claude.ai/" },
  },
  {
    label: "Claude Code: DCR, http://localhost:<port>/callback",
    registration: {
      client_name: "Claude Code (passgage)",
      redirect_uris: ["http://localhost:54545/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "http://localhost:54545/callback",
    shownHost: "localhost:54545",
    sendsResource: true,
    scope: "passgage",
    redirect: { stub: "http://localhost:54545/" },
  },
  {
    label: "ChatGPT: DCR, connector redirect, reconnect without scope",
    registration: {
      client_name: "ChatGPT",
      redirect_uris: ["https://chatgpt.com/connector_platform_oauth_redirect"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "https://chatgpt.com/connector_platform_oauth_redirect",
    shownHost: "chatgpt.com",
    sendsResource: true,
    redirect: { stub: "https://chatgpt.com/" },
  },
  {
    label: "VS Code: DCR, loopback 33418 registered, used on port 33419 (busy port)",
    registration: {
      client_name: "Visual Studio Code",
      redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "http://127.0.0.1:33419/",
    shownHost: "127.0.0.1:33419",
    sendsResource: true,
    scope: "passgage",
    redirect: { stub: "http://127.0.0.1:33419/" },
  },
  {
    label: "VS Code for the web: DCR, https://vscode.dev/redirect",
    registration: {
      client_name: "Visual Studio Code",
      redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "https://vscode.dev/redirect",
    shownHost: "vscode.dev",
    sendsResource: true,
    scope: "passgage",
    redirect: { stub: "https://vscode.dev/" },
  },
  {
    label: "Cursor: DCR, cursor:// private-use scheme",
    registration: {
      client_name: "Cursor",
      redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
    redirectUri: "cursor://anysphere.cursor-mcp/oauth/callback",
    shownHost: "cursor://anysphere.cursor-mcp",
    sendsResource: true,
    scope: "passgage",
    redirect: "none",
  },
];

describe.skipIf(!RUN_IN_BROWSER)("client-shaped registrations through the final redirect and the code exchange", () => {
  it.each(SHAPES)("$label", async (shape) => {
    const registered = await registerClient(stack.serverUrl, shape.registration);
    expect(registered.client_id).toMatch(/^pgmc_/);
    expect(registered.redirect_uris).toEqual(shape.registration.redirect_uris);
    // Absent fields are omitted, never null (Claude Code refuses nulls).
    expect(Object.values(registered)).not.toContain(null);
    const pkce = pkcePair();
    const state = randomState();
    const resource = `${stack.serverUrl}/mcp`;
    const url = authorizeUrl(stack.serverUrl, {
      clientId: registered.client_id,
      redirectUri: shape.redirectUri,
      challenge: pkce.challenge,
      state,
      ...(shape.sendsResource ? { resource } : {}),
      ...(shape.scope !== undefined ? { scope: shape.scope } : {}),
    });
    const outcome = await authorizeInBrowser(browser, url, AYSE, shape.redirect);
    expect(outcome.heading).toContain(String(shape.registration.client_name));
    expect(outcome.shownHost).toBe(shape.shownHost);
    // The final redirect: the exact redirect URI, with code, the state echoed and the issuer (RFC 9207).
    expect(outcome.location.startsWith(`${shape.redirectUri}?`), outcome.location).toBe(true);
    const back = redirectParams(outcome.location);
    expect(back.get("error")).toBeNull();
    expect(back.get("state")).toBe(state);
    expect(back.get("iss")).toBe(stack.serverUrl);
    const code = back.get("code") ?? "";
    expect(code).toMatch(/^pgm_code_/);

    const token = await exchangeCode(stack.serverUrl, {
      code,
      verifier: pkce.verifier,
      clientId: registered.client_id,
      redirectUri: shape.redirectUri,
      ...(shape.sendsResource ? { resource } : {}),
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(token.contentType).toContain("application/json");
    expect(token.cacheControl).toContain("no-store");
    expect(String(token.body.token_type).toLowerCase()).toBe("bearer");
    expect(token.body.scope).toBe("passgage");
    // Hours, not minutes (Claude often does not refresh).
    expect(Number(token.body.expires_in)).toBeGreaterThanOrEqual(3600);
    const access = String(token.body.access_token);
    expect(access).toMatch(/^pgm_at_/);
    expect(String(token.body.refresh_token)).toMatch(/^pgm_rt_/);

    const status = await mcpRequest(stack.serverUrl, access, "tools/call", { name: "passgage_session_status", arguments: {} });
    expect(status.status).toBe(200);
    expect(toolText(status)).toContain(AYSE.email);

    // The code was single-use: a second exchange is refused and ends the grant.
    const replay = await exchangeCode(stack.serverUrl, {
      code,
      verifier: pkce.verifier,
      clientId: registered.client_id,
      redirectUri: shape.redirectUri,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    expect((await mcpRequest(stack.serverUrl, access, "tools/list")).status).toBe(401);
  });
});

describe.skipIf(!RUN_IN_BROWSER)("an authorization error in the browser (RFC 9700 §4.11.2, F-A2)", () => {
  /** Registers a client for `redirectUri` and the authorize URL of a request without PKCE S256 (`plain`). */
  async function badRequest(redirectUri: string): Promise<{ url: string; state: string }> {
    const registered = await registerClient(stack.serverUrl, { client_name: "Broken client", redirect_uris: [redirectUri] });
    const state = randomState();
    const url = new URL(
      authorizeUrl(stack.serverUrl, { clientId: registered.client_id, redirectUri, challenge: pkcePair().challenge, state }),
    );
    url.searchParams.set("code_challenge_method", "plain");
    return { url: url.toString(), state };
  }

  it("stays on an error page for an https redirect URI until the user follows its Return link", async () => {
    const redirectUri = "https://phish.example/callback";
    const { url, state } = await badRequest(redirectUri);
    const context = await browser.newContext();
    try {
      const reached: string[] = [];
      await context.route(
        (u) => u.href.startsWith(redirectUri),
        (route) => {
          reached.push(route.request().url());
          return route.fulfill({ status: 200, contentType: "text/plain", body: "callback reached" });
        },
      );
      const page = await context.newPage();
      const first = await page.goto(url);
      expect(first?.status()).toBe(400);
      expect(first?.headers().location).toBeUndefined();
      expect(new URL(page.url()).origin).toBe(stack.serverUrl);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("cannot be used");
      expect(await page.getByRole("alert").textContent()).toContain("missing PKCE");
      // Nothing navigates by itself (no refresh, no script): still here, the callback never asked.
      expect(await page.locator("meta[http-equiv], script").count()).toBe(0);
      expect(reached).toEqual([]);
      await page.getByRole("link", { name: "Return to phish.example" }).click();
      await page.waitForURL((u) => u.href.startsWith(`${redirectUri}?`), { timeout: 20_000 });
      expect(reached.length).toBe(1);
      const back = redirectParams(reached[0] ?? "");
      expect(back.get("error")).toBe("invalid_request");
      expect(back.get("state")).toBe(state);
      expect(back.get("iss")).toBe(stack.serverUrl);
    } finally {
      await context.close().catch(() => undefined);
    }
  });

  it("redirects a loopback redirect URI's error at once to the app listening there (native apps)", async () => {
    // The native app's callback listener, as mcp-remote runs one.
    const reached: string[] = [];
    const listener = createServer((req, res) => {
      reached.push(req.url ?? "");
      res.writeHead(200, { "content-type": "text/plain" }).end("callback reached");
    });
    await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
    const address = listener.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const redirectUri = `http://127.0.0.1:${port}/oauth/callback`;
    const context = await browser.newContext();
    try {
      const { url, state } = await badRequest(redirectUri);
      const page = await context.newPage();
      await page.goto(url);
      expect(page.url().startsWith(`${redirectUri}?`), page.url()).toBe(true);
      // (Chromium may also ask the listener for /favicon.ico.)
      const callbacks = reached.filter((u) => u.startsWith("/oauth/callback?"));
      expect(callbacks.length).toBe(1);
      const back = new URLSearchParams((callbacks[0] ?? "").split("?")[1] ?? "");
      expect(back.get("error")).toBe("invalid_request");
      expect(back.get("state")).toBe(state);
      expect(back.get("iss")).toBe(stack.serverUrl);
    } finally {
      await context.close().catch(() => undefined);
      await new Promise((done) => listener.close(done));
    }
  });
});
