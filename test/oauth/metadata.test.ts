/**
 * Discovery: Protected Resource Metadata (RFC 9728, path and root forms, and under the
 * toolset paths) and Authorization Server Metadata (RFC 8414), with the issuer from
 * OAUTH_ISSUER or the request's origin, open CORS and no OpenID document.
 */
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers/mcp";
import { send, settleAfterEach } from "../security/route-fetch";
import { OAUTH_ENV } from "./oauth-fixtures";

settleAfterEach();

function get(path: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return send(new Request(BASE + path, { headers: { "cf-connecting-ip": "203.0.113.95", ...headers } }), { ...OAUTH_ENV, ...overrides });
}

describe("OAuth metadata", () => {
  it.each([
    "/.well-known/oauth-protected-resource/mcp",
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp/readonly",
  ])("%s names the /mcp resource and this server as its authorization server", async (path) => {
    const res = await get(path, {}, { origin: "https://inspector.example" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({
      resource: `${BASE}/mcp`,
      authorization_servers: [BASE],
      scopes_supported: ["passgage"],
      bearer_methods_supported: ["header"],
      resource_name: "Passgage MCP",
    });
  });

  it("the authorization server metadata advertises S256 only, auth method none, CIMD and the iss parameter", async () => {
    const res = await get("/.well-known/oauth-authorization-server");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      issuer: BASE,
      authorization_endpoint: `${BASE}/oauth/authorize`,
      token_endpoint: `${BASE}/oauth/token`,
      registration_endpoint: `${BASE}/oauth/register`,
      revocation_endpoint: `${BASE}/oauth/revoke`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none"],
      revocation_endpoint_auth_methods_supported: ["none"],
      scopes_supported: ["passgage"],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it("OAUTH_ISSUER replaces the request's origin everywhere, the 401 challenge included", async () => {
    const issuer = "https://passgage-mcp.example.com";
    const as = await (
      await get("/.well-known/oauth-authorization-server", { OAUTH_ISSUER: issuer })
    ).json<{ issuer: string; token_endpoint: string }>();
    expect(as.issuer).toBe(issuer);
    expect(as.token_endpoint).toBe(`${issuer}/oauth/token`);
    const prm = await (await get("/.well-known/oauth-protected-resource/mcp", { OAUTH_ISSUER: `${issuer}/` })).json<{ resource: string }>();
    expect(prm.resource).toBe(`${issuer}/mcp`);
    const challenge = await send(new Request(`${BASE}/mcp`, { method: "GET", headers: { "cf-connecting-ip": "203.0.113.95" } }), {
      ...OAUTH_ENV,
      OAUTH_ISSUER: issuer,
    });
    expect(challenge.headers.get("www-authenticate")).toContain(`resource_metadata="${issuer}/.well-known/oauth-protected-resource/mcp"`);
  });

  it("no OpenID configuration is served; other well-known paths are a JSON 404; POST is 405", async () => {
    expect((await get("/.well-known/openid-configuration")).status).toBe(404);
    const post = await send(new Request(`${BASE}/.well-known/oauth-authorization-server`, { method: "POST" }), OAUTH_ENV);
    expect(post.status).toBe(405);
  });
});
