import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CODE_TTL_MS } from "../../src/oauth/grant-state";
import { settleAfterEach } from "../security/route-fetch";
import { issueAuthorizationCode } from "../../src/oauth/grant-client";
import { parseToken } from "../../src/oauth/oauth-token";
import { dumpStorage, type Fresh, freshSession, rid, SEED } from "../durable-objects/session-fixtures";
import { bearerCall, CLIENT_ID, codeGrant, exchanged, pkcePair, REDIRECT_URI, RESOURCE } from "./oauth-fixtures";

settleAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

function alarmOf(g: { session: { stub: Fresh["stub"] } }): Promise<number | null> {
  return runInDurableObject(g.session.stub, (_instance, state) => state.storage.getAlarm());
}

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

  it("a code never exchanged ends its session when it expires (the alarm is due then); an exchanged one does not", async () => {
    const before = Date.now();
    const abandoned = await codeGrant(SEED.ayse);
    const alarm = await alarmOf(abandoned);
    expect(alarm).not.toBeNull();
    expect(alarm ?? Infinity).toBeLessThanOrEqual(Date.now() + CODE_TTL_MS);
    expect(alarm ?? 0).toBeGreaterThanOrEqual(before + CODE_TTL_MS);
    const used = await codeGrant(SEED.ayse);
    const { access } = await exchanged(used);
    vi.useFakeTimers({ now: (alarm ?? 0) + 1_000, toFake: ["Date"] });
    await runDurableObjectAlarm(abandoned.session.stub);
    await runDurableObjectAlarm(used.session.stub);
    expect(await abandoned.session.stub.view(abandoned.session.id)).toBeNull();
    expect(await used.session.stub.view(used.session.id)).not.toBeNull();
    expect((await bearerCall(access, "passgage_session_status")).status).toBe(200);
  });
});
