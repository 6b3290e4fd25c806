/**
 * The whole authorization code flow through the Worker, as the MCP clients run it:
 * register (DCR, or a metadata document), open the authorize page, sign in as Ayşe, follow
 * the redirect, exchange the code at /oauth/token, then call tools with the access token:
 * they act as Ayşe and see only her data. The session records the client it serves.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { cimdTransport } from "../../src/oauth/cimd";
import { parseToken } from "../../src/oauth/oauth-token";
import { dumpStorage, SEED } from "../durable-objects/session-fixtures";
import { BASE } from "../helpers/mcp";
import { settleAfterEach } from "../security/route-fetch";
import { type Flow, flowFor, signInThrough } from "./authorize-fixtures";
import { freshIp } from "./client-fixtures";
import { bearerCall, postForm, type TokenBody } from "./oauth-fixtures";

settleAfterEach();
afterEach(() => {
  cimdTransport.fetch = (request) => fetch(request);
});

/** Runs the page as `who`, returns the code from the redirect (asserting state and iss). */
async function codeFor(flow: Flow, who: { email: string; password: string }): Promise<string> {
  const r = await signInThrough(flow, who);
  expect(r.res.status).toBe(302);
  const location = new URL(r.res.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe(flow.state);
  expect(location.searchParams.get("iss")).toBe(BASE);
  const code = location.searchParams.get("code");
  if (code === null) throw new Error("no code in the redirect");
  return code;
}

/** Exchanges a code at /oauth/token for `flow`'s client. */
async function exchange(flow: Flow, code: string, overrides: Record<string, string> = {}): Promise<{ status: number; body: TokenBody }> {
  const res = await postForm("/oauth/token", {
    grant_type: "authorization_code",
    code,
    code_verifier: flow.verifier,
    client_id: flow.clientId,
    redirect_uri: flow.redirectUri,
    resource: `${BASE}/mcp`,
    ...overrides,
  });
  return { status: res.status, body: await res.json<TokenBody>() };
}

describe("authorization code flow, end to end", () => {
  it.each([
    ["Claude", { client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] }, undefined],
    [
      "VS Code on a busy port",
      { client_name: "Visual Studio Code", redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"] },
      "http://127.0.0.1:33500/",
    ],
    ["mcp-remote", { client_name: "MCP CLI Client", redirect_uris: ["http://localhost:3334/oauth/callback"] }, undefined],
    ["Cursor", { client_name: "Cursor", redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"] }, undefined],
  ])("%s: the code exchanges for a token that calls tools as Ayşe, and the session records the client", async (_label, metadata, uri) => {
    const flow = await flowFor(metadata, uri);
    const code = await codeFor(flow, SEED.ayse);
    const tokens = await exchange(flow, code);
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe("Bearer");
    const access = tokens.body.access_token ?? "";
    expect(access).toMatch(/^pgm_at_/);

    const status = await bearerCall(access, "passgage_session_status");
    expect(status.status).toBe(200);
    expect(status.isError).toBe(false);
    expect(status.text).toContain(SEED.ayse.email);
    expect(status.text).not.toContain(SEED.mehmet.email);

    const hash = parseToken(code)?.sessionHash ?? "";
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = await dumpStorage(env.SESSION.getByName(hash));
    const meta = dump.kv.find(([k]) => k === "meta")?.[1];
    expect(meta).toMatchObject({ client: { id: flow.clientId, name: metadata.client_name } });
  });

  it("the code is bound to the redirect URI actually used and to the PKCE verifier", async () => {
    const flow = await flowFor({ client_name: "VS Code", redirect_uris: ["http://127.0.0.1:33418/"] }, "http://127.0.0.1:33601/");
    const code = await codeFor(flow, SEED.ayse);
    // The registered port is not the one the code was issued for.
    const wrong = await exchange(flow, code, { redirect_uri: "http://127.0.0.1:33418/" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
  });

  it("a client identified by a metadata document signs in and gets a working token", async () => {
    const url = `https://client.example/oauth/${crypto.randomUUID()}.json`;
    cimdTransport.fetch = async () =>
      Response.json({ client_id: url, client_name: "Doc Client", redirect_uris: ["https://client.example/cb"] });
    const base = await flowFor({ client_name: "unused", redirect_uris: ["https://unused.example/cb"] });
    const flow: Flow = {
      ...base,
      clientId: url,
      redirectUri: "https://client.example/cb",
      ip: freshIp(),
      params: { ...base.params, client_id: url, redirect_uri: "https://client.example/cb" },
    };
    const code = await codeFor(flow, SEED.ayse);
    const tokens = await exchange(flow, code);
    expect(tokens.status).toBe(200);
    const status = await bearerCall(tokens.body.access_token ?? "", "passgage_session_status");
    expect(status.text).toContain(SEED.ayse.email);
  });

  it("each sign-in on the page is a new session: two grants for the same user are independent", async () => {
    const flow = await flowFor({ client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] });
    const a = await codeFor(flow, SEED.ayse);
    const b = await codeFor({ ...flow, ip: freshIp() }, SEED.ayse);
    expect(parseToken(a)?.sessionHash).not.toBe(parseToken(b)?.sessionHash);
  });
});
