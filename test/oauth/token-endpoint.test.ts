/**
 * POST /oauth/token with raw requests: the authorization_code grant (PKCE S256, client,
 * redirect URI and resource bound to the code, single use, replay revokes), the
 * refresh_token grant (rotation, reuse revokes, a concurrent race has one winner), and
 * the form rules (content type, body cap, repeated parameters, grant types).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { parseToken } from "../../src/oauth/oauth-token";
import { s256Challenge } from "../../src/oauth/pkce";
import { SEED } from "../durable-objects/session-fixtures";
import { send, settleAfterEach } from "../security/route-fetch";
import {
  bearerCall,
  type CodeGrant,
  codeGrant,
  exchanged,
  exchangeForm,
  OAUTH_ENV,
  postForm,
  refreshWith,
  type TokenBody,
} from "./oauth-fixtures";

settleAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

const config = loadConfig(env);
if (!config.ok) throw new Error(config.errors.join("; "));

describe("authorization_code grant", () => {
  it("exchanges a code for a Bearer access token and a refresh token, not cached, scope passgage", async () => {
    const g = await codeGrant(SEED.ayse);
    const res = await postForm("/oauth/token", exchangeForm(g));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await res.json<TokenBody>();
    expect(body.token_type).toBe("Bearer");
    expect(body.scope).toBe("passgage");
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(config.config.oauthAccessTokenTtlMs / 1000);
    expect(parseToken(body.access_token ?? "")).toEqual({ kind: "access", sessionHash: g.session.hash });
    expect(parseToken(body.refresh_token ?? "")).toEqual({ kind: "refresh", sessionHash: g.session.hash });
    const call = await bearerCall(body.access_token ?? "", "passgage_session_status");
    expect(call.status).toBe(200);
    expect(call.text).toContain(SEED.ayse.email);
  });

  it("a code works once: a replay is refused and revokes the grant (the first tokens stop working)", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    const replay = await postForm("/oauth/token", exchangeForm(g));
    expect(replay.status).toBe(400);
    expect((await replay.json<TokenBody>()).error).toBe("invalid_grant");
    expect(await g.session.stub.view(g.session.id)).toBeNull();
    const call = await bearerCall(first.access, "passgage_session_status");
    expect(call.status).toBe(401);
    expect(call.www).toContain('error="invalid_token"');
    expect((await refreshWith(first.refresh)).status).toBe(400);
  });

  const withoutVerifier = (form: Record<string, string>): Record<string, string> => {
    const { code_verifier: _dropped, ...rest } = form;
    return rest;
  };
  it.each<[string, (g: CodeGrant) => Record<string, string>, string]>([
    ["a wrong verifier", (g) => exchangeForm(g, { code_verifier: "x".repeat(43) }), "invalid_grant"],
    ["no verifier (PKCE downgrade)", (g) => withoutVerifier(exchangeForm(g)), "invalid_request"],
    ["the challenge itself as verifier (plain downgrade)", (g) => exchangeForm(g, { code_verifier: g.challenge }), "invalid_grant"],
    ["another client_id", (g) => exchangeForm(g, { client_id: "pgmc_other-client" }), "invalid_grant"],
    ["another redirect_uri", (g) => exchangeForm(g, { redirect_uri: "http://127.0.0.1:33418/other" }), "invalid_grant"],
  ])("refuses %s, and the code is spent and the grant ended (a retry with the right values fails too)", async (_what, formOf, error) => {
    const g = await codeGrant(SEED.ayse);
    const form = formOf(g);
    const res = await postForm("/oauth/token", form);
    expect(res.status).toBe(400);
    expect((await res.json<TokenBody>()).error).toBe(error);
    const retry = await postForm("/oauth/token", exchangeForm(g));
    expect(retry.status).toBe(400);
    expect((await retry.json<TokenBody>()).error).toBe("invalid_grant");
    expect(await g.session.stub.view(g.session.id)).toBeNull();
  });

  it("refuses a token for another resource (invalid_target), before the code is touched", async () => {
    const g = await codeGrant(SEED.ayse);
    const res = await postForm("/oauth/token", exchangeForm(g, { resource: "https://other.example/mcp" }));
    expect(res.status).toBe(400);
    expect((await res.json<TokenBody>()).error).toBe("invalid_target");
    expect((await postForm("/oauth/token", exchangeForm(g))).status).toBe(200);
  });

  it("accepts an exchange without resource (absent means this server)", async () => {
    const g = await codeGrant(SEED.ayse);
    const form = exchangeForm(g);
    delete form.resource;
    expect((await postForm("/oauth/token", form)).status).toBe(200);
  });

  it("refuses an expired code (60 s) and ends the grant", async () => {
    const g = await codeGrant(SEED.ayse);
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    const res = await postForm("/oauth/token", exchangeForm(g));
    expect(res.status).toBe(400);
    expect((await res.json<TokenBody>()).error).toBe("invalid_grant");
  });

  it("refuses a code of the wrong shape, a session ID or a refresh token as code", async () => {
    const g = await codeGrant(SEED.ayse);
    for (const code of ["nonsense", g.session.id, g.code.replace("pgm_code_", "pgm_rt_")]) {
      const res = await postForm("/oauth/token", exchangeForm(g, { code }));
      expect(res.status).toBe(400);
      expect((await res.json<TokenBody>()).error).toBe("invalid_grant");
    }
    expect((await postForm("/oauth/token", exchangeForm(g))).status).toBe(200);
  });

  it("the S256 helper matches RFC 7636 appendix B", async () => {
    expect(await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});

describe("refresh_token grant", () => {
  it("rotates: new access and refresh tokens; the old access token stops working; the new one works", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    const res = await refreshWith(first.refresh, { resource: "https://mcp.test/mcp", scope: "passgage openid" });
    expect(res.status).toBe(200);
    const body = await res.json<TokenBody>();
    expect(body.refresh_token).not.toBe(first.refresh);
    expect(body.access_token).not.toBe(first.access);
    expect((await bearerCall(first.access, "passgage_session_status")).status).toBe(401);
    expect((await bearerCall(body.access_token ?? "", "passgage_session_status")).status).toBe(200);
  });

  it("reuse of a rotated refresh token revokes the grant: every token of it stops working", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    const second = await (await refreshWith(first.refresh)).json<TokenBody>();
    const reuse = await refreshWith(first.refresh);
    expect(reuse.status).toBe(400);
    expect((await reuse.json<TokenBody>()).error).toBe("invalid_grant");
    expect((await bearerCall(second.access_token ?? "", "passgage_session_status")).status).toBe(401);
    expect((await refreshWith(second.refresh_token ?? "")).status).toBe(400);
    expect(await g.session.stub.view(g.session.id)).toBeNull();
  });

  it("two concurrent refreshes with the same token: exactly one wins", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    const results = await Promise.all([refreshWith(first.refresh), refreshWith(first.refresh)]);
    const statuses = results.map((r) => r.status).sort((a, b) => a - b);
    expect(statuses).toEqual([200, 400]);
  });

  it("refuses another client_id and another resource", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    const other = await refreshWith(first.refresh, { client_id: "pgmc_other" });
    expect((await other.json<TokenBody>()).error).toBe("invalid_grant");
    const target = await refreshWith(first.refresh, { resource: "https://evil.example/mcp" });
    expect((await target.json<TokenBody>()).error).toBe("invalid_target");
    expect((await refreshWith(first.refresh)).status).toBe(200);
  });

  it("answers invalid_grant once the session has ended (signed out)", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    expect((await bearerCall(first.access, "passgage_session_logout")).status).toBe(200);
    const res = await refreshWith(first.refresh);
    expect(res.status).toBe(400);
    expect((await res.json<TokenBody>()).error).toBe("invalid_grant");
  });
});

describe("token endpoint request rules", () => {
  it("refuses a JSON body (400), a body over the cap (413), repeated parameters and unknown grant types", async () => {
    const json = await postForm("/oauth/token", {}, { "content-type": "application/json" });
    expect(json.status).toBe(400);
    expect((await json.json<TokenBody>()).error).toBe("invalid_request");
    const big = await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: "x".repeat(20_000), client_id: "c" });
    expect(big.status).toBe(413);
    const res = await postForm("/oauth/token", {}, {});
    expect((await res.json<TokenBody>()).error).toBe("invalid_request");
    const repeated = await rawToken("POST", "grant_type=authorization_code&grant_type=refresh_token&client_id=c");
    expect(repeated.status).toBe(400);
    expect((await repeated.json<TokenBody>()).error).toBe("invalid_request");
    const unsupported = await postForm("/oauth/token", { grant_type: "client_credentials", client_id: "c" });
    expect(unsupported.status).toBe(400);
    expect((await unsupported.json<TokenBody>()).error).toBe("unsupported_grant_type");
    const noClient = await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: "x" });
    expect((await noClient.json<TokenBody>()).error).toBe("invalid_request");
  });

  it("GET is 405; a preflight from any origin gets open CORS; a cross-origin POST is not refused by the Origin check", async () => {
    const pre = await rawToken("OPTIONS");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect((await rawToken("GET")).status).toBe(405);
    const cross = await postForm(
      "/oauth/token",
      { grant_type: "refresh_token", refresh_token: "x", client_id: "c" },
      { origin: "https://app.example" },
    );
    expect(cross.status).toBe(400);
    expect((await cross.json<TokenBody>()).error).toBe("invalid_grant");
  });
});

/** A raw request to /oauth/token (any method, a literal body), from a foreign Origin. */
function rawToken(method: string, body?: string): Promise<Response> {
  const headers = {
    "content-type": "application/x-www-form-urlencoded",
    origin: "https://app.example",
    "cf-connecting-ip": "203.0.113.91",
  };
  return send(new Request("https://mcp.test/oauth/token", { method, headers, ...(body === undefined ? {} : { body }) }), OAUTH_ENV);
}
