/**
 * A session ID that was signed out never names a session again: signing in again on a
 * connection yields a new ID (and a new bound Mcp-Session-Id), and the login result
 * says how the client reaches the session.
 */
import { describe, expect, it } from "vitest";
import { callTool, initializeConnection, randomIp, SEED, textOf } from "../helpers/mcp";

/** A tool call from a fresh client IP (the failed-login limits are per IP). */
async function call(name: string, args: Record<string, unknown>, headers: Record<string, string>) {
  const sent: Record<string, string> = { "cf-connecting-ip": randomIp(), ...headers };
  const r = await callTool(name, args, sent);
  // The client adopts a new Mcp-Session-Id (a sign-in on a connection answers with one).
  if (headers["mcp-session-id"] !== undefined && sent["mcp-session-id"] !== undefined) headers["mcp-session-id"] = sent["mcp-session-id"];
  return r;
}

const connect = initializeConnection;

describe("retired session IDs", () => {
  it("signing in again on a connection after logout gives a new ID; the old one stays dead", async () => {
    const conn = await connect();
    const first = await call("passgage_session_login", SEED.ayse, conn);
    expect(first.isError).toBeFalsy();
    const firstId = first.structuredContent?.sessionId as string;
    expect(textOf(first)).toContain("uses the new session from its next request");

    const out = await call("passgage_session_logout", {}, conn);
    expect(out.isError).toBeFalsy();

    const second = await call("passgage_session_login", SEED.ayse, conn);
    expect(second.isError, textOf(second)).toBeFalsy();
    const secondId = second.structuredContent?.sessionId as string;
    expect(secondId).toMatch(/^sess_/);
    expect(secondId).not.toBe(firstId);
    expect(textOf(second)).toContain("uses the new session from its next request");

    const old = await call("passgage_session_status", {}, { "x-session-id": firstId });
    expect(old.structuredContent?.signedIn).toBe(false);
    const fresh = await call("passgage_session_status", {}, { "x-session-id": secondId });
    expect(fresh.structuredContent?.signedIn).toBe(true);
  });

  it("a login with carry: true and an X-Session-ID that names a live session mints a new ID and says what it carried (changed: it used to sign into the named session)", async () => {
    const conn = await connect();
    const first = await call("passgage_session_login", SEED.ayse, conn);
    const id = first.structuredContent?.sessionId as string;
    const again = await call("passgage_session_login_api_key", { apiKey: SEED.acmeKey, carry: true }, { "x-session-id": id });
    expect(again.isError, textOf(again)).toBeFalsy();
    expect(again.structuredContent?.sessionId).toMatch(/^sess_/);
    expect(again.structuredContent?.sessionId).not.toBe(id);
    expect(textOf(again)).toContain(`user-mode login of ${SEED.ayse.email} from the session your client presented`);
    expect(textOf(again)).toContain("X-Session-ID header this client sends names another session");
    const old = await call("passgage_session_status", {}, { "x-session-id": id });
    expect(old.structuredContent?.session).toMatchObject({ availableModes: ["user"] });
  });
});

describe("retirement marker in the SessionDO", () => {
  it("logout leaves only a time-limited marker, and the object refuses a new login under the ended ID", async () => {
    const { env } = await import("cloudflare:workers");
    const { runInDurableObject } = await import("cloudflare:test");
    const { sessionHash } = await import("../../src/crypto/session-id");
    const conn = await connect();
    const login = await call("passgage_session_login", SEED.ayse, conn);
    const id = login.structuredContent?.sessionId as string;
    await call("passgage_session_logout", {}, { "x-session-id": id });
    const stub = env.SESSION.getByName(await sessionHash(id));
    const dump = await runInDurableObject(stub, async (_i, state) => ({
      kv: [...state.storage.kv.list()],
      alarm: await state.storage.getAlarm(),
    }));
    expect(dump.kv.map(([k]) => k)).toEqual(["retired"]);
    const until = (dump.kv[0]?.[1] as { until: number } | undefined)?.until;
    expect(until).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(dump.alarm).toBe(until);
    expect(await stub.isRetired()).toBe(true);
    const again = await stub.login({
      sessionId: id,
      kind: "password",
      email: SEED.ayse.email,
      password: SEED.ayse.password,
      requestId: "t",
    });
    expect(again.ok).toBe(false);
  });
});
