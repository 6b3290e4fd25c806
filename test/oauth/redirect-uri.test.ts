/**
 * The redirect URI policy: what may be registered (https, loopback http, private-use app
 * schemes) and what an authorization request may name (an exact match, any port on loopback).
 */
import { describe, expect, it } from "vitest";
import { checkRedirectUri, matchRedirectUri } from "../../src/oauth/redirect-uri";

describe("checkRedirectUri", () => {
  it.each([
    ["https://claude.ai/api/mcp/auth_callback", "https"],
    ["https://chatgpt.com/connector_platform_oauth_redirect", "https"],
    ["https://vscode.dev/redirect", "https"],
    ["http://127.0.0.1:33418/", "loopback"],
    ["http://localhost:53682/oauth/callback", "loopback"],
    ["http://[::1]:8080/cb", "loopback"],
    ["cursor://anysphere.cursor-mcp/oauth/callback", "app"],
    ["com.example.app:/oauth2redirect", "app"],
    ["https://app.example/cb/%E2%82%AC", "https"],
    ["https://xn--bcher-kva.example/cb", "https"],
  ])("accepts %s as %s", (uri, kind) => {
    expect(checkRedirectUri(uri)).toEqual({ ok: true, value: kind });
  });

  it.each([
    ["javascript:alert(document.cookie)", "javascript:"],
    ["JavaScript:alert(1)", "lowercase scheme"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["file:///etc/passwd", "file:"],
    ["vbscript:msgbox(1)", "vbscript:"],
    ["blob:https://claude.ai/1234", "blob:"],
    ["about:blank", "about:"],
    ["myapp://callback", "private-use scheme myapp:"],
    ["http://evil.example/cb", "loopback"],
    ["http://127.0.0.1.evil.example/cb", "loopback"],
    ["https://claude.ai/cb#frag", "fragment"],
    ["https://user:pw@claude.ai/cb", "user information"],
    ["/relative/callback", "absolute"],
    [" https://claude.ai/cb", "spaces"],
    ["https://claude.ai/c\tb", "control"],
    ["https:\\\\evil.example\\cb", "backslashes"],
    [`https://claude.ai/${"a".repeat(2000)}`, "longer than 2000"],
    ["", "empty"],
    // RFC 3986 URIs are ASCII; the URL parser maps fullwidth letters to ASCII ones.
    ["http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:9/cb", "outside printable ASCII"],
    ["http://127.0.0.1:9/cb?x=\u20ac", "outside printable ASCII"],
    ["https://app.example/cb/\u20ac", "outside printable ASCII"],
    ["https://b\u00fccher.example/cb", "outside printable ASCII"],
    ["https://app.example/cb\u00a0", "outside printable ASCII"],
    ["com.example.\u0430pp:/cb", "outside printable ASCII"],
  ])("refuses %s (%s)", (uri, why) => {
    const r = checkRedirectUri(uri);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.error).toContain(why);
  });
});

describe("matchRedirectUri", () => {
  it("matches a registered URI exactly and nothing that merely resembles it", () => {
    const reg = ["https://claude.ai/api/mcp/auth_callback"];
    expect(matchRedirectUri("https://claude.ai/api/mcp/auth_callback", reg)).toBe(true);
    for (const other of [
      "https://claude.ai/api/mcp/auth_callback/",
      "https://claude.ai/api/mcp/auth_callback?x=1",
      "https://CLAUDE.ai/api/mcp/auth_callback",
      "https://claude.ai:443/api/mcp/auth_callback",
      "https://claude.ai.evil.example/api/mcp/auth_callback",
      "https://claude.ai/api/mcp/auth_callback#x",
      "https://claude.ai/api/mcp/%61uth_callback",
    ]) {
      expect(matchRedirectUri(other, reg), other).toBe(false);
    }
  });

  it("matches a loopback URI on any port with the same host, path and query (RFC 8252 §7.3)", () => {
    expect(matchRedirectUri("http://127.0.0.1:33419/", ["http://127.0.0.1:33418/"])).toBe(true);
    expect(matchRedirectUri("http://localhost:5555/oauth/callback", ["http://localhost:3334/oauth/callback"])).toBe(true);
    expect(matchRedirectUri("http://localhost:5555/oauth/callback", ["http://localhost/oauth/callback"])).toBe(true);
    expect(matchRedirectUri("http://[::1]:9/cb", ["http://[::1]:8/cb"])).toBe(true);
    // Port 80 written out is a port like any other (hostile-client finding I-3), requested or registered.
    expect(matchRedirectUri("http://127.0.0.1:80/cb", ["http://127.0.0.1:5555/cb"])).toBe(true);
    expect(matchRedirectUri("http://127.0.0.1:5555/cb", ["http://127.0.0.1:80/cb"])).toBe(true);
    expect(matchRedirectUri("http://127.0.0.1:80/other", ["http://127.0.0.1:5555/cb"])).toBe(false);
    // Another host, path or query is no match, nor is https.
    expect(matchRedirectUri("http://localhost:33419/", ["http://127.0.0.1:33418/"])).toBe(false);
    expect(matchRedirectUri("http://127.0.0.1:33419/other", ["http://127.0.0.1:33418/"])).toBe(false);
    expect(matchRedirectUri("http://127.0.0.1:33419/?next=x", ["http://127.0.0.1:33418/"])).toBe(false);
    expect(matchRedirectUri("https://127.0.0.1:33419/", ["http://127.0.0.1:33418/"])).toBe(false);
    expect(matchRedirectUri("http://evil@127.0.0.1:33419/", ["http://127.0.0.1:33418/"])).toBe(false);
  });

  it("never matches a forbidden scheme, even if it were in the list", () => {
    expect(matchRedirectUri("javascript:alert(1)", ["javascript:alert(1)"])).toBe(false);
    expect(matchRedirectUri("data:text/html,x", ["data:text/html,x"])).toBe(false);
    expect(matchRedirectUri("myapp://cb", ["myapp://cb"])).toBe(false);
  });

  it("matches a registered custom scheme only exactly", () => {
    const reg = ["cursor://anysphere.cursor-mcp/oauth/callback"];
    expect(matchRedirectUri("cursor://anysphere.cursor-mcp/oauth/callback", reg)).toBe(true);
    expect(matchRedirectUri("cursor://anysphere.cursor-mcp/oauth/callback2", reg)).toBe(false);
    expect(matchRedirectUri("cursor://evil/oauth/callback", reg)).toBe(false);
  });
});
