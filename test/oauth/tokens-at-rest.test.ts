/**
 * OAuth tokens at rest: after an exchange, a refresh, tool calls and a revocation, no
 * code, access or refresh token (whole, or its random part) and no session ID appears in
 * the SessionDO's storage, the KV namespace or the log lines.
 */
import { describe, expect, it } from "vitest";
import { shortHash } from "../../src/crypto/session-id";
import { captureLogs, dumpKv, dumpStorage, SEED } from "../durable-objects/session-fixtures";
import { settleAfterEach } from "../security/route-fetch";
import { bearerCall, CLIENT_ID, codeGrant, exchanged, postForm, refreshWith, type TokenBody } from "./oauth-fixtures";

settleAfterEach();
const logs = captureLogs();

/** The forms a secret may take in a dump: as is, its random part, base64 of it. */
function needles(secret: string): string[] {
  const random = secret.includes(".") ? (secret.split(".").at(-1) ?? secret) : secret;
  return [secret, random, btoa(secret)];
}

describe("OAuth tokens are never written in clear", () => {
  it("storage, KV and logs hold no token and no session ID, across exchange, refresh, calls and revocation", async () => {
    const g = await codeGrant(SEED.ayse);
    const first = await exchanged(g);
    expect((await bearerCall(first.access, "passgage_session_status")).status).toBe(200);
    const second = await (await refreshWith(first.refresh)).json<TokenBody>();
    const access = second.access_token ?? "";
    const refresh = second.refresh_token ?? "";
    expect((await bearerCall(access, "passgage_session_status")).status).toBe(200);
    const whileLive = JSON.stringify(await dumpStorage(g.session.stub));
    const kvLive = await dumpKv();
    expect((await postForm("/oauth/revoke", { token: refresh })).status).toBe(200);
    const afterRevoke = JSON.stringify(await dumpStorage(g.session.stub));
    const haystacks = [whileLive, kvLive, afterRevoke, await dumpKv(), logs.raw.join("\n")];
    const secrets = [g.code, first.access, first.refresh, access, refresh, g.session.id, g.verifier].flatMap(needles);
    expect(secrets.length).toBeGreaterThan(0);
    expect(whileLive).toContain("oauth:grant");
    for (const needle of secrets) for (const hay of haystacks) expect(hay.includes(needle), needle.slice(0, 12)).toBe(false);
    // The haystacks are the real ones: they hold what they should (the grant's client, the session's short hash).
    expect(whileLive).toContain(CLIENT_ID);
    expect(logs.raw.join("\n")).toContain(shortHash(g.session.hash));
    logs.restore();
  });
});
