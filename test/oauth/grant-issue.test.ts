import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issueAuthorizationCode } from "../../src/oauth/grant-client";
import { parseToken } from "../../src/oauth/oauth-token";
import { dumpStorage, freshSession, rid, SEED } from "../durable-objects/session-fixtures";
import { CLIENT_ID, codeGrant, pkcePair, REDIRECT_URI, RESOURCE } from "./oauth-fixtures";

describe("issueAuthorizationCode", () => {
  it("issues a code naming the session's object; storage keeps only its digest, never the code or the session ID", async () => {
    const g = await codeGrant(SEED.ayse);
    expect(g.code).toMatch(/^pgm_code_[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
    expect(parseToken(g.code)).toEqual({ kind: "code", sessionHash: g.session.hash });
    const dump = await dumpStorage(g.session.stub);
    const grant = dump.kv.find(([k]) => k === "oauth:grant");
    expect(grant).toBeDefined();
    const text = JSON.stringify(dump);
    expect(text).not.toContain(g.code.split(".")[1]);
    expect(text).not.toContain(g.session.id);
    expect(grant?.[1]).toMatchObject({ clientId: CLIENT_ID, redirectUri: REDIRECT_URI, resource: RESOURCE, scope: "passgage" });
  });

  it("returns null for a session that is not live, and stores nothing", async () => {
    const s = await freshSession();
    const { challenge } = await pkcePair();
    const code = await issueAuthorizationCode(env, {
      sessionId: s.id,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      codeChallenge: challenge,
      resource: RESOURCE,
      scope: "passgage",
      requestId: rid(),
    });
    expect(code).toBeNull();
    expect((await dumpStorage(s.stub)).kv).toEqual([]);
  });
});
