/**
 * The MCP resource under OAuth (ANONYMOUS_ACCESS "oauth", the default): the 401 challenge
 * for a request without any credential and for a dead or foreign bearer token (a Passgage
 * JWT included), bearer calls reaching only their own session, and revocation, sign-out
 * and session expiry taking effect on the next request.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { BASE, mcpHeaders, type RpcBody } from "../helpers/mcp";
import { captureUpstream, SEED } from "../durable-objects/session-fixtures";
import { send, settleAfterEach } from "../security/route-fetch";
import { bearerCall, CLIENT_NAME, codeGrant, exchanged, mcpPost, OAUTH_ENV, postForm } from "./oauth-fixtures";

settleAfterEach();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const loaded = loadConfig(env);
if (!loaded.ok) throw new Error(loaded.errors.join("; "));
const ACCESS_TTL_MS = loaded.config.oauthAccessTokenTtlMs;
const METADATA = `${BASE}/.well-known/oauth-protected-resource/mcp`;
const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } };

describe("the 401 challenge", () => {
  it.each(["/mcp", "/mcp/readonly", "/mcp/x/leaves"])(
    "%s without any credential: 401 with resource_metadata and scope, initialize included",
    async (path) => {
      const res = await mcpPost("initialize", INIT, {}, path);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${METADATA}", scope="passgage"`);
      const body = await res.json<RpcBody>();
      expect(body.error?.message).toContain("Unauthorized");
    },
  );

  it("GET /mcp without a credential is 401 (mcp-remote's probe); with a credential it stays 405", async () => {
    const bare = await send(new Request(`${BASE}/mcp`, { method: "GET", headers: { accept: "text/event-stream" } }), OAUTH_ENV);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toContain("resource_metadata=");
    const g = await codeGrant(SEED.ayse);
    const { access } = await exchanged(g);
    const withToken = await send(
      new Request(`${BASE}/mcp`, { method: "GET", headers: { accept: "text/event-stream", authorization: `Bearer ${access}` } }),
      OAUTH_ENV,
    );
    expect(withToken.status).toBe(405);
  });

  it("a header client (X-Session-ID, even a dead one) never gets the challenge", async () => {
    const res = await mcpPost("initialize", INIT, { "x-session-id": "sess_" + "A".repeat(43) });
    expect(res.status).toBe(200);
    expect(res.headers.get("www-authenticate")).toBeNull();
  });

  it("ANONYMOUS_ACCESS open keeps the anonymous catalog (no 401)", async () => {
    const res = await send(
      new Request(`${BASE}/mcp`, {
        method: "POST",
        headers: mcpHeaders(),
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: INIT }),
      }),
      { ANONYMOUS_ACCESS: "open" },
    );
    expect(res.status).toBe(200);
  });

  it("a Passgage JWT, a session ID, a refresh token or garbage as bearer: 401 invalid_token, nothing sent upstream", async () => {
    const g = await codeGrant(SEED.ayse);
    const tokens = await exchanged(g);
    const upstream = captureUpstream();
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJheXNlIn0.c2lnbmF0dXJl";
    const values = [jwt, g.session.id, tokens.refresh, "pgm_at_" + "0".repeat(64) + "." + "A".repeat(43), "x"];
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      const r = await bearerCall(value, "passgage_session_status");
      expect(r.status).toBe(401);
      expect(r.www).toBe(`Bearer error="invalid_token", resource_metadata="${METADATA}", scope="passgage"`);
    }
    const basic = await mcpPost("initialize", INIT, { authorization: "Basic dXNlcjpwYXNz" });
    expect(basic.status).toBe(401);
    expect(upstream.calls).toEqual([]);
  });

  it("an access token in X-Session-ID is not a credential (anonymous guidance, no session)", async () => {
    const g = await codeGrant(SEED.ayse);
    const { access } = await exchanged(g);
    const res = await mcpPost("tools/call", { name: "passgage_session_status", arguments: {} }, { "x-session-id": access });
    expect(res.status).toBe(200);
    const text = ((await res.json<RpcBody>()).result?.content ?? []).map((c) => c.text).join("\n");
    expect(text).toContain("not a valid session ID");
    expect(text).not.toContain(SEED.ayse.email);
  });
});

describe("bearer calls", () => {
  it("initialize, tools/list and tools/call work with a live access token; the status says OAuth", async () => {
    const g = await codeGrant(SEED.ayse);
    const { access } = await exchanged(g);
    const init = await mcpPost("initialize", INIT, { authorization: `Bearer ${access}` });
    expect(init.status).toBe(200);
    const list = await mcpPost("tools/list", {}, { authorization: `Bearer ${access}` });
    expect(list.status).toBe(200);
    expect(((await list.json<RpcBody>()).result?.tools ?? []).length).toBeGreaterThan(0);
    const status = await bearerCall(access, "passgage_session_status");
    expect(status.status).toBe(200);
    expect(status.text).toContain(SEED.ayse.email);
    expect(status.text).toContain(`Connected through OAuth by ${CLIENT_NAME}`);
  });

  it("an access token of user A never reaches user B's data", async () => {
    const a = await codeGrant(SEED.ayse);
    const b = await codeGrant(SEED.mehmet);
    const tokenA = (await exchanged(a)).access;
    const tokenB = (await exchanged(b)).access;
    const asA = await bearerCall(tokenA, "passgage_session_status");
    const asB = await bearerCall(tokenB, "passgage_session_status");
    expect(asA.text).toContain(SEED.ayse.email);
    expect(asA.text).not.toContain(SEED.mehmet.email);
    expect(asB.text).toContain(SEED.mehmet.email);
    expect(asB.text).not.toContain(SEED.ayse.email);
    // A's token with B's session ID in X-Session-ID: refused, nothing runs.
    const both = await bearerCall(tokenA, "passgage_session_status", {}, { "x-session-id": b.session.id });
    expect(both.isError).toBe(true);
    expect(both.text).toContain("two different live sessions");
    expect(both.text).not.toContain(SEED.mehmet.email);
    // A token whose hash part names B's object but whose secret is A's: B's object cannot open it.
    const forged = tokenA.replace(a.session.hash, b.session.hash);
    expect((await bearerCall(forged, "passgage_session_status")).status).toBe(401);
  });

  it("a sign-in tool under a bearer mints a new session and leaves the token's session as it was", async () => {
    const g = await codeGrant(SEED.ayse);
    const { access } = await exchanged(g);
    const r = await bearerCall(access, "passgage_session_login", SEED.mehmet);
    expect(r.status).toBe(200);
    expect(r.text).toContain("connected through OAuth");
    const after = await bearerCall(access, "passgage_session_status");
    expect(after.text).toContain(SEED.ayse.email);
  });
});

describe("revocation, sign-out and expiry take effect on the next request", () => {
  it("revoking the access token (RFC 7009) ends the grant: the next request is 401, the refresh token is dead", async () => {
    const g = await codeGrant(SEED.ayse);
    const t = await exchanged(g);
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(200);
    const res = await postForm("/oauth/revoke", { token: t.access, token_type_hint: "access_token" });
    expect(res.status).toBe(200);
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(401);
    expect(
      (await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: t.refresh, client_id: "pgmc_test-client" })).status,
    ).toBe(400);
  });

  it("revoking the refresh token ends the grant too; unknown and malformed tokens are 200; a missing token is 400", async () => {
    const g = await codeGrant(SEED.ayse);
    const t = await exchanged(g);
    expect((await postForm("/oauth/revoke", { token: t.refresh })).status).toBe(200);
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(401);
    expect((await postForm("/oauth/revoke", { token: "pgm_rt_" + "0".repeat(64) + "." + "A".repeat(43) })).status).toBe(200);
    expect((await postForm("/oauth/revoke", { token: "garbage" })).status).toBe(200);
    expect((await postForm("/oauth/revoke", {})).status).toBe(400);
  });

  it("a revocation by another client_id is refused and revokes nothing", async () => {
    const g = await codeGrant(SEED.ayse);
    const t = await exchanged(g);
    const res = await postForm("/oauth/revoke", { token: t.access, client_id: "pgmc_someone-else" });
    expect(res.status).toBe(400);
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(200);
  });

  it("passgage_session_logout with a bearer ends the session: the next request is 401", async () => {
    const g = await codeGrant(SEED.ayse);
    const { access } = await exchanged(g);
    const out = await bearerCall(access, "passgage_session_logout");
    expect(out.status).toBe(200);
    expect(out.text).toContain(`OAuth access of ${CLIENT_NAME} has ended`);
    const next = await mcpPost("tools/list", {}, { authorization: `Bearer ${access}` });
    expect(next.status).toBe(401);
    expect(next.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("an expired access token is 401 (the client refreshes); once the session expired, refresh is invalid_grant", async () => {
    const g = await codeGrant(SEED.ayse);
    const t = await exchanged(g);
    const view = await g.session.stub.view(g.session.id);
    vi.useFakeTimers({ now: Date.now() + ACCESS_TTL_MS + 1_000, toFake: ["Date"] });
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(401);
    vi.setSystemTime((view?.expiresAt ?? 0) + 1);
    const res = await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: t.refresh, client_id: "pgmc_test-client" });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe("invalid_grant");
    expect((await bearerCall(t.access, "passgage_session_status")).status).toBe(401);
  });
});
