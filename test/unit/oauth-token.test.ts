import { describe, expect, it } from "vitest";
import { accessExpiry, isRotatedRefresh, MAX_ROTATED_REFRESH, parseGrant, withRotated } from "../../src/oauth/grant-state";
import { issuerOf, resourceMetadataUrl, resourceOf } from "../../src/oauth/issuer";
import { mintToken, parseToken, tokenDigest } from "../../src/oauth/oauth-token";
import { verifyS256 } from "../../src/oauth/pkce";
import { bearerOf, challengeHeader } from "../../src/oauth/challenge";

const HASH = "a".repeat(64);

describe("OAuth tokens", () => {
  it("mints each kind with its prefix, the session hash and 256 random bits; parses them back", () => {
    const kinds = ["code", "access", "refresh"] as const;
    expect(kinds.length).toBe(3);
    for (const kind of kinds) {
      const t = mintToken(kind, HASH);
      expect(t).toMatch(/^pgm_(code|at|rt)_a{64}\.[A-Za-z0-9_-]{43}$/);
      expect(parseToken(t)).toEqual({ kind, sessionHash: HASH });
      expect(mintToken(kind, HASH)).not.toBe(t);
    }
  });

  it("parses nothing else: session IDs, JWTs, truncated or padded tokens, upper-case hashes", () => {
    const t = mintToken("access", HASH);
    for (const v of [
      "sess_" + "A".repeat(43),
      "eyJ.eyJ.sig",
      t.slice(0, -1),
      `${t}x`,
      t.replace(HASH, HASH.toUpperCase()),
      `pgm_xx_${HASH}.${"A".repeat(43)}`,
    ]) {
      expect(parseToken(v), v).toBeNull();
    }
  });

  it("digests are stable per token and differ between tokens", async () => {
    const a = mintToken("access", HASH);
    expect(await tokenDigest(a)).toBe(await tokenDigest(a));
    expect(await tokenDigest(a)).not.toBe(await tokenDigest(mintToken("access", HASH)));
    expect(await tokenDigest(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("grant decisions", () => {
  it("access tokens never outlive the session", () => {
    expect(accessExpiry(1_000, 500, 10_000)).toBe(1_500);
    expect(accessExpiry(1_000, 50_000, 10_000)).toBe(10_000);
  });

  it("remembers a bounded number of rotated refresh tokens, newest last", () => {
    let rotated: string[] = [];
    for (let i = 0; i < MAX_ROTATED_REFRESH + 5; i++) rotated = withRotated(rotated, i.toString(16).padStart(64, "0"));
    expect(rotated).toHaveLength(MAX_ROTATED_REFRESH);
    expect(rotated.at(-1)).toBe((MAX_ROTATED_REFRESH + 4).toString(16).padStart(64, "0"));
    const grant = parseGrant({
      v: 1,
      clientId: "c",
      redirectUri: "r",
      resource: "x",
      scope: "passgage",
      code: null,
      usedCode: null,
      access: null,
      refresh: null,
      rotated,
    });
    expect(grant).not.toBeNull();
    expect(grant && isRotatedRefresh(grant, rotated[0] ?? "")).toBe(true);
    expect(grant && isRotatedRefresh(grant, "f".repeat(64))).toBe(false);
    expect(parseGrant({ v: 2 })).toBeNull();
  });

  it("PKCE: only a verifier of 43–128 unreserved characters whose S256 matches", async () => {
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    expect(await verifyS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge)).toBe(true);
    expect(await verifyS256(challenge, challenge)).toBe(false);
    expect(await verifyS256("short", challenge)).toBe(false);
    expect(await verifyS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX!", challenge)).toBe(false);
  });
});

describe("issuer and challenge", () => {
  it("the issuer is OAUTH_ISSUER or the request's origin; the resource is <issuer>/mcp", () => {
    expect(issuerOf({ oauthIssuer: null }, "http://127.0.0.1:8787/mcp/x/leaves?a=1")).toBe("http://127.0.0.1:8787");
    expect(issuerOf({ oauthIssuer: "https://mcp.example.com" }, "http://127.0.0.1:8787/mcp")).toBe("https://mcp.example.com");
    expect(resourceOf("https://mcp.example.com")).toBe("https://mcp.example.com/mcp");
    expect(resourceMetadataUrl("https://mcp.example.com")).toBe("https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
  });

  it("the challenge names the metadata and the scope; invalid_token only for a presented token", () => {
    const url = "https://mcp.example.com/mcp";
    expect(challengeHeader({ oauthIssuer: null }, url, "no_credential")).toBe(
      'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="passgage"',
    );
    expect(challengeHeader({ oauthIssuer: null }, url, "invalid_token")).toMatch(/^Bearer error="invalid_token", resource_metadata=/);
  });

  it("reads Bearer tokens case-insensitively; any other Authorization is an unusable (empty) token", () => {
    const req = (v?: string): Request => new Request("https://x/", v === undefined ? {} : { headers: { authorization: v } });
    expect(bearerOf(req())).toBeNull();
    expect(bearerOf(req("Bearer abc"))).toBe("abc");
    expect(bearerOf(req("bearer abc"))).toBe("abc");
    expect(bearerOf(req("Basic dXNlcjpwYXNz"))).toBe("");
    expect(bearerOf(req("Bearer a b"))).toBe("");
  });
});
