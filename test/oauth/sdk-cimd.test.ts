/**
 * The MCP SDK 1.x client with an `OAuthClientProvider` that identifies itself by a Client ID
 * Metadata Document (`clientMetadataUrl`, VS Code's document URL and shape), run inside
 * workerd against the Worker's fetch handler (ANONYMOUS_ACCESS "oauth"). The end-to-end
 * tests under `wrangler dev` cannot serve an https document to the Worker offline (wrangler
 * 4.86's dev server has no hook for the Worker's outbound fetch), so the document comes
 * from the injected CIMD fetcher here; everything else is the SDK's own flow: 401 challenge,
 * metadata discovery, the metadata URL sent as `client_id` (no registration), the authorize
 * page, `finishAuth(code)`, tool calls as Ayşe.
 */
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker-provider.js";
import { afterEach, describe, expect, it } from "vitest";
import { cimdTransport } from "../../src/oauth/cimd";
import { SEED } from "../durable-objects/session-fixtures";
import { BASE } from "../helpers/mcp";
import { MemoryOAuthProvider } from "../helpers/memory-oauth-provider";
import { send, settleAfterEach } from "../security/route-fetch";
import { openPage, postPage } from "./authorize-fixtures";
import { freshIp } from "./client-fixtures";
import { OAUTH_ENV } from "./oauth-fixtures";

settleAfterEach();
afterEach(() => {
  cimdTransport.fetch = (request) => fetch(request);
});

/** VS Code's metadata document URL (MCP clients documentation) and its loopback redirect. */
const DOCUMENT_URL = "https://vscode.dev/oauth/client-metadata.json";
const REDIRECT = "http://127.0.0.1:33418/";

describe("MCP SDK 1.x with a Client ID Metadata Document", () => {
  it("sends the document URL as client_id, signs in on the page, and calls tools as Ayşe", async () => {
    const fetched: string[] = [];
    cimdTransport.fetch = async (request) => {
      fetched.push(request.url);
      return Response.json({
        client_id: DOCUMENT_URL,
        client_name: "Visual Studio Code",
        redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "none",
      });
    };
    const ip = freshIp();
    const seen: string[] = [];
    // The SDK's every request (discovery, token, MCP) goes to the Worker, as from one client address.
    const workerFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      request.headers.set("cf-connecting-ip", ip);
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return send(request, OAUTH_ENV);
    };
    const provider = new MemoryOAuthProvider(REDIRECT, "Visual Studio Code", DOCUMENT_URL, "sdk-cimd-state");
    const url = new URL(`${BASE}/mcp`);
    const client = new Client(
      { name: "vscode-like", version: "1.0.0" },
      { capabilities: {}, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
    );
    await expect(
      client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider, fetch: workerFetch })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const auth = provider.authorizationUrl;
    if (auth === null) throw new Error("the SDK did not ask to open an authorization URL");
    expect(auth.searchParams.get("client_id")).toBe(DOCUMENT_URL);
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    expect(auth.searchParams.get("resource")).toBe(`${BASE}/mcp`);
    // CIMD: the SDK did not register.
    expect(seen).not.toContain("POST /oauth/register");

    const params = Object.fromEntries(auth.searchParams.entries());
    const page = await openPage(ip, params);
    expect(page.res.status).toBe(200);
    expect(fetched).toEqual([DOCUMENT_URL]);
    expect(page.html).toContain("Visual Studio Code");
    expect(page.html).toContain(DOCUMENT_URL);
    const posted = await postPage(
      ip,
      { csrf: page.csrf, oauth: page.ticket, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: page.cookie },
    );
    expect(posted.res.status).toBe(302);
    const back = new URL(posted.res.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("sdk-cimd-state");
    expect(back.searchParams.get("iss")).toBe(BASE);

    const first = new StreamableHTTPClientTransport(url, { authProvider: provider, fetch: workerFetch });
    await first.finishAuth(back.searchParams.get("code") ?? "");
    expect(provider.tokens()?.access_token).toMatch(/^pgm_at_/);
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider, fetch: workerFetch }));
    try {
      const status = await client.callTool({ name: "passgage_session_status", arguments: {} });
      const text = (status.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");
      expect(status.isError ?? false).toBe(false);
      expect(text).toContain(SEED.ayse.email);
      expect(text).not.toContain(SEED.mehmet.email);
    } finally {
      await client.close();
    }
  });
});
