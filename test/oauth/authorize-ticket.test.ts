/**
 * The authorize page's signed parameters and the pure request checks: a ticket verifies
 * only unchanged, under this server's key and within its lifetime; parameters are checked
 * in the documented order.
 */
import { describe, expect, it } from "vitest";
import { authorizationRedirectUrl, checkAuthorizeParams, errorDelivery, readClientParams } from "../../src/oauth/authorize-request";
import { AUTHORIZE_TICKET_TTL_SECONDS, type AuthorizeTicket, openTicket, sealTicket } from "../../src/oauth/authorize-ticket";
import type { OAuthClient } from "../../src/oauth/clients";
import { forgeSignature } from "../helpers/forge";
import { KEYS } from "./client-fixtures";

const NOW = 1_800_000_000_000;
const TICKET: AuthorizeTicket = {
  clientId: "pgmc_x.y",
  clientName: "Claude",
  redirectUri: "https://claude.ai/api/mcp/auth_callback",
  codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  resource: "https://mcp.test/mcp",
  scope: "passgage",
  state: "s",
  iat: Math.floor(NOW / 1000),
};

describe("authorize tickets", () => {
  it("opens an unchanged ticket within its lifetime, and refuses it after", async () => {
    const sealed = await sealTicket(KEYS, TICKET);
    expect(await openTicket(KEYS, sealed, NOW + 1000)).toEqual({ ok: true, value: TICKET });
    expect(await openTicket(KEYS, sealed, NOW + AUTHORIZE_TICKET_TTL_SECONDS * 1000 + 1000)).toEqual({ ok: false, error: "expired" });
    expect(await openTicket(KEYS, sealed, NOW - 120_000)).toEqual({ ok: false, error: "expired" });
  });

  it("refuses a forged signature, another key, a missing or malformed ticket", async () => {
    const sealed = await sealTicket(KEYS, TICKET);
    expect(await openTicket(KEYS, forgeSignature(sealed), NOW)).toEqual({ ok: false, error: "bad_signature" });
    expect(await openTicket({ current: "cd".repeat(32), previous: null }, sealed, NOW)).toEqual({ ok: false, error: "bad_signature" });
    expect(await openTicket(KEYS, null, NOW)).toEqual({ ok: false, error: "missing" });
    expect(await openTicket(KEYS, "v2.a.b", NOW)).toEqual({ ok: false, error: "malformed" });
  });
});

describe("authorization request checks", () => {
  const client: OAuthClient = { id: "pgmc_x.y", name: "Claude", redirectUris: [TICKET.redirectUri], kind: "dcr" };
  const base = {
    response_type: "code",
    client_id: client.id,
    redirect_uri: TICKET.redirectUri,
    code_challenge: TICKET.codeChallenge,
    code_challenge_method: "S256",
    state: "s",
  };
  const check = (params: Record<string, string>): ReturnType<typeof checkAuthorizeParams> =>
    checkAuthorizeParams(new URLSearchParams(params), { client, redirectUri: TICKET.redirectUri, issuer: "https://mcp.test", nowMs: NOW });

  it("produces the ticket of a valid request: resource and scope are this server's whatever was asked", () => {
    expect(check({ ...base, scope: "openid email profile" })).toEqual({ ok: true, value: TICKET });
  });

  it("refuses a repeated state without echoing it, and a state over 2,048 characters", () => {
    const q = new URLSearchParams(base);
    q.append("state", "t");
    const repeated = checkAuthorizeParams(q, { client, redirectUri: TICKET.redirectUri, issuer: "https://mcp.test", nowMs: NOW });
    expect(repeated).toEqual({
      ok: false,
      error: { error: "invalid_request", description: "state is repeated.", summary: expect.stringContaining("state"), state: null },
    });
    const long = check({ ...base, state: "x".repeat(2049) });
    expect(long.ok ? null : long.error.state).toBeNull();
  });

  it("refuses two resources even if one is right", () => {
    const q = new URLSearchParams(base);
    q.append("resource", "https://mcp.test/mcp");
    q.append("resource", "https://other.example/mcp");
    const r = checkAuthorizeParams(q, { client, redirectUri: TICKET.redirectUri, issuer: "https://mcp.test", nowMs: NOW });
    expect(r.ok ? "ok" : r.error.error).toBe("invalid_target");
  });

  it("reads client_id and redirect_uri first, refusing repeats", () => {
    expect(readClientParams(new URLSearchParams(base)).ok).toBe(true);
    const q = new URLSearchParams(base);
    q.append("client_id", "pgmc_other");
    expect(readClientParams(q).ok).toBe(false);
    expect(readClientParams(new URLSearchParams({ ...base, client_id: "x".repeat(4097) })).ok).toBe(false);
  });

  it("builds redirects with iss always and state only when present", () => {
    expect(authorizationRedirectUrl("https://a.example/cb", { code: "c", state: null }, "https://mcp.test")).toBe(
      "https://a.example/cb?code=c&iss=https%3A%2F%2Fmcp.test",
    );
    expect(authorizationRedirectUrl("cursor://x.y/cb?a=1", { error: "invalid_request", state: "s t" }, "https://mcp.test")).toBe(
      "cursor://x.y/cb?a=1&error=invalid_request&state=s+t&iss=https%3A%2F%2Fmcp.test",
    );
  });

  it("redirects errors at once only to loopback redirect URIs; https and private-use schemes get the page (F-A2)", () => {
    const cases: ReadonlyArray<readonly [string, "redirect" | "page"]> = [
      ["http://127.0.0.1:33418/", "redirect"],
      ["http://localhost:3334/oauth/callback", "redirect"],
      ["http://[::1]:5555/cb", "redirect"],
      ["https://claude.ai/api/mcp/auth_callback", "page"],
      ["https://127.0.0.1/cb", "page"],
      ["cursor://anysphere.cursor-mcp/oauth/callback", "page"],
      ["com.example.app:/oauth", "page"],
      ["http://evil.example/cb", "page"],
    ];
    expect(cases.length).toBeGreaterThan(0);
    for (const [uri, delivery] of cases) expect(errorDelivery(uri), uri).toBe(delivery);
  });

  it("names every refusal in plain words besides its error_description", () => {
    const changes: Record<string, string>[] = [
      { response_type: "token" },
      { code_challenge_method: "plain" },
      { resource: "https://x.example/mcp" },
    ];
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      const r = check({ ...base, ...change });
      expect(r.ok, JSON.stringify(change)).toBe(false);
      expect(r.ok ? "" : r.error.summary).toMatch(/^The app's request /);
    }
    const pkce = check({ ...base, code_challenge_method: "plain" });
    expect(pkce.ok ? "" : pkce.error.summary).toContain("missing PKCE (a valid code_challenge with code_challenge_method=S256)");
  });
});
