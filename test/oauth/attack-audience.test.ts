/**
 * Hostile-client review, F-A4 (low): with OAUTH_ISSUER unset the issuer is the request's
 * origin, and a token is minted for `<that origin>/mcp` (RFC 8707), but `/mcp` never
 * compares the grant's resource with the origin the bearer is presented at: a token minted
 * at one host name was accepted at any other host name of the same Worker. Fixed: the
 * transport passes the resource the request addresses (`resourceOf(issuerOf(...))`) with the
 * bearer, and the SessionDO accepts the token only for its grant's `resource`.
 */
import { describe, expect, it } from "vitest";
import { mcpHeaders } from "../helpers/mcp";
import { SEED } from "../durable-objects/session-fixtures";
import { send, settleAfterEach } from "../security/route-fetch";
import { codeGrant, exchanged, mcpPost, OAUTH_ENV } from "./oauth-fixtures";

settleAfterEach();

const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } };

describe("a token's audience is the origin it was minted for", () => {
  it("the token works at its own origin (control)", async () => {
    const { access } = await exchanged(await codeGrant(SEED.ayse));
    const res = await mcpPost("initialize", INIT, { authorization: `Bearer ${access}` });
    expect(res.status).toBe(200);
  });

  // F-A4: was accepted (200) at a host it was not minted for.
  it("the same token presented at another host name is 401 invalid_token", async () => {
    const { access } = await exchanged(await codeGrant(SEED.ayse));
    const res = await send(
      new Request("http://other-host.example/mcp", {
        method: "POST",
        headers: mcpHeaders({ authorization: `Bearer ${access}` }),
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: INIT }),
      }),
      OAUTH_ENV,
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("a tools/call with that token at another host name runs nothing in the session: 401 invalid_token", async () => {
    const { access } = await exchanged(await codeGrant(SEED.ayse));
    const res = await send(
      new Request("http://other-host.example/mcp", {
        method: "POST",
        headers: mcpHeaders({ authorization: `Bearer ${access}` }),
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "passgage_session_status", arguments: {} } }),
      }),
      OAUTH_ENV,
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await res.text()).not.toContain(SEED.ayse.email);
  });
});
