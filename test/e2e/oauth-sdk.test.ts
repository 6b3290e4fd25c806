/**
 * The MCP SDK 1.x client connecting with only the URL, end to end against `wrangler dev`
 * (ANONYMOUS_ACCESS "oauth", the default): its first request gets the 401 challenge, it
 * discovers the metadata, registers itself (DCR), opens the authorize page (driven here in
 * headless Chromium, signing in as ayse@acme.example), exchanges the code, and calls tools
 * as Ayse, seeing only her data. Then the grant ends three ways (revoking the token,
 * signing out with the session tool, the refresh token's reuse after rotation) and each
 * time the next request is 401 and the client signs in again.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";
import { AYSE, launchChromium, MemoryOAuthProvider, mcpRequest, revokeToken, RUN_IN_BROWSER, tokenRequest } from "./helpers/oauth.js";
import {
  connectSdkWithOAuth,
  expectOnlyAyseLeaves,
  expectSignedInAsAyse,
  resultText,
  type SdkConnection,
} from "./helpers/oauth-clients.js";

/** A loopback redirect URI (any port matches, RFC 8252); the browser's visit to it is stubbed. */
const REDIRECT = "http://127.0.0.1:53682/callback";

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

/** Connects a fresh SDK client (its own registration) with the page sign-in as Ayse. */
function connectWithOAuth(name = "Passgage e2e (SDK 1.x)"): Promise<SdkConnection> {
  return connectSdkWithOAuth(browser, stack.serverUrl, new MemoryOAuthProvider(REDIRECT, name));
}

describe.skipIf(!RUN_IN_BROWSER)("MCP SDK 1.x with an OAuthClientProvider (DCR), against wrangler dev", () => {
  let first: SdkConnection;

  it("without a token, /mcp answers 401 with the challenge, and the metadata names this server", async () => {
    const res = await mcpRequest(stack.serverUrl, null, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    });
    expect(res.status).toBe(401);
    expect(res.wwwAuthenticate).toContain(`resource_metadata="${stack.serverUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(res.wwwAuthenticate).toContain('scope="passgage"');
    const prm = (await (await fetch(`${stack.serverUrl}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(prm.resource).toBe(`${stack.serverUrl}/mcp`);
    expect(prm.authorization_servers).toEqual([stack.serverUrl]);
    const as = (await (await fetch(`${stack.serverUrl}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as.issuer).toBe(stack.serverUrl);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.registration_endpoint).toBe(`${stack.serverUrl}/oauth/register`);
  });

  it("registers, signs in on the page as Ayse, and calls tools as her, seeing only her data", async () => {
    first = await connectWithOAuth();
    const info = first.provider.clientInformation();
    expect(info?.client_id).toMatch(/^pgmc_/);
    const tokens = first.provider.tokens();
    expect(tokens?.access_token).toMatch(/^pgm_at_[0-9a-f]{64}\./);
    expect(tokens?.refresh_token).toMatch(/^pgm_rt_[0-9a-f]{64}\./);
    expect(tokens?.token_type.toLowerCase()).toBe("bearer");
    expect(tokens?.expires_in).toBeGreaterThan(3600);
    expect(first.client.getServerVersion()?.name).toBe("passgage-mcp");
    await expectSignedInAsAyse(first.client);
    const profile = await first.client.readResource({ uri: "passgage://me/profile" });
    const item = profile.contents[0];
    const text = item && "text" in item ? String(item.text) : "";
    expect(text).toContain(AYSE.email);
    await expectOnlyAyseLeaves(first.client);
  });

  it("a second client signs in separately: two grants, two sessions", async () => {
    const other = await connectWithOAuth("Passgage e2e (second)");
    try {
      await expectSignedInAsAyse(other.client);
      expect(other.provider.tokens()?.access_token).not.toBe(first.provider.tokens()?.access_token);
      // Both stay valid side by side.
      await expectSignedInAsAyse(first.client);
    } finally {
      await other.client.close();
    }
  });

  it("revoking the access token ends the grant: the next request is 401, and the client signs in again", async () => {
    const access = first.provider.tokens()?.access_token ?? "";
    const clientId = first.provider.clientInformation()?.client_id ?? "";
    expect(await revokeToken(stack.serverUrl, access, clientId)).toBe(200);
    const raw = await mcpRequest(stack.serverUrl, access, "tools/list");
    expect(raw.status).toBe(401);
    expect(raw.wwwAuthenticate).toContain('error="invalid_token"');
    // The refresh token ended with the grant: the SDK cannot refresh its way back in.
    const refreshed = await tokenRequest(stack.serverUrl, {
      grant_type: "refresh_token",
      refresh_token: first.provider.tokens()?.refresh_token ?? "",
      client_id: clientId,
    });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");
    await first.client.close();
    first = await connectWithOAuth();
    await expectSignedInAsAyse(first.client);
  });

  it("signing out with passgage_session_logout ends the grant: the next request is 401, and the client signs in again", async () => {
    const access = first.provider.tokens()?.access_token ?? "";
    const out = await first.client.callTool({ name: "passgage_session_logout", arguments: {} });
    expect(out.isError, resultText(out)).toBeFalsy();
    const raw = await mcpRequest(stack.serverUrl, access, "tools/list");
    expect(raw.status).toBe(401);
    expect(raw.wwwAuthenticate).toContain('error="invalid_token"');
    await first.client.close();
    first = await connectWithOAuth();
    await expectSignedInAsAyse(first.client);
  });

  it("refresh rotates the tokens; presenting the old refresh token again revokes the grant", async () => {
    const before = first.provider.tokens();
    const clientId = first.provider.clientInformation()?.client_id ?? "";
    const rotated = await tokenRequest(stack.serverUrl, {
      grant_type: "refresh_token",
      refresh_token: before?.refresh_token ?? "",
      client_id: clientId,
      resource: `${stack.serverUrl}/mcp`,
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.cacheControl).toContain("no-store");
    const access = String(rotated.body.access_token);
    expect(access).not.toBe(before?.access_token);
    expect(rotated.body.refresh_token).not.toBe(before?.refresh_token);
    const works = await mcpRequest(stack.serverUrl, access, "tools/call", { name: "passgage_session_status", arguments: {} });
    expect(works.status).toBe(200);
    const reuse = await tokenRequest(stack.serverUrl, {
      grant_type: "refresh_token",
      refresh_token: before?.refresh_token ?? "",
      client_id: clientId,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    const after = await mcpRequest(stack.serverUrl, access, "tools/list");
    expect(after.status).toBe(401);
    await first.client.close();
  });
});
