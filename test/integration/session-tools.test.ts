/**
 * The session tools end to end through the Worker's own fetch: login results, status,
 * switch, list (company scope), logout, unknown IDs, and two users / two companies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionHash, shortHash } from "../../src/crypto/session-id";
import { callTool, loginAs, loginWithKey, SEED, textOf } from "../helpers/mcp";
import { dumpStorage } from "../durable-objects/session-fixtures";

const RUN = crypto.randomUUID().slice(0, 4);
let ipCounter = 0;
/** A fresh client (its own IPv6 /64, the unit of per-IP limits) per test and run (limiter storage may be shared with other test files). */
function clientIp(): Record<string, string> {
  ipCounter += 1;
  return { "cf-connecting-ip": `2001:db8:${RUN}:${ipCounter.toString(16)}::5e55` };
}

function withSession(id: string, ip: Record<string, string>): Record<string, string> {
  return { ...ip, "x-session-id": id };
}

describe("passgage_session_login", () => {
  it("returns sessionId, authMode user, expiresAt, the user and instructions, as text and structuredContent", async () => {
    const r = await callTool("passgage_session_login", { email: SEED.ayse.email, password: SEED.ayse.password }, clientIp());
    expect(r.isError).toBeFalsy();
    const sc = r.structuredContent ?? {};
    expect(sc.sessionId).toMatch(/^sess_[A-Za-z0-9_-]{43}$/);
    expect(sc.authMode).toBe("user");
    expect(Number.isNaN(Date.parse(String(sc.expiresAt)))).toBe(false);
    expect(sc.user).toMatchObject({ email: SEED.ayse.email });
    expect(typeof sc.instructions).toBe("string");
    const text = textOf(r);
    expect(text).toContain(String(sc.sessionId));
    expect(text).toContain("X-Session-ID");
    expect(text).not.toContain(SEED.ayse.password);
    expect(JSON.stringify(sc)).not.toContain(SEED.ayse.password);
  });

  it("the API-key login validates the key upstream: company mode for a good key, refused for a bad one", async () => {
    const ip = clientIp();
    const good = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey }, ip);
    expect(good.structuredContent).toMatchObject({ authMode: "company", availableModes: ["company"], user: null });
    expect(JSON.stringify(good)).not.toContain(SEED.acmeKey);
    const bad = await callTool("passgage_session_login_api_key", { apiKey: "psg_cmp_sandbox_unknown_0000000000000" }, ip);
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).not.toContain("psg_cmp_sandbox_unknown");
  });

  it("a login inside a session mints a new session with only the new login; the presented one is unchanged and carry is named", async () => {
    const ip = clientIp();
    const id = await loginAs(SEED.admin, ip);
    const r = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey }, withSession(id, ip));
    expect(r.structuredContent).toMatchObject({ created: true, availableModes: ["company"], authMode: "company", user: null });
    expect(r.structuredContent?.sessionId).not.toBe(id);
    expect(textOf(r)).toContain("was left unchanged; its login was not carried");
    expect(textOf(r)).toContain("carry: true");
    const old = await callTool("passgage_session_status", {}, withSession(id, ip));
    expect(old.structuredContent).toMatchObject({ session: { availableModes: ["user"], authMode: "user" } });
  });

  it("with carry: true, a login inside a session mints a new session carrying the presented one's login; the presented one is unchanged", async () => {
    const ip = clientIp();
    const id = await loginAs(SEED.admin, ip);
    const r = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey, carry: true }, withSession(id, ip));
    expect(r.structuredContent).toMatchObject({ created: true, availableModes: ["user", "company"], authMode: "company" });
    expect(r.structuredContent?.sessionId).not.toBe(id);
    expect(textOf(r)).toContain(`user-mode login of ${SEED.admin.email}`);
    const status = await callTool("passgage_session_status", {}, withSession(String(r.structuredContent?.sessionId), ip));
    expect(textOf(status)).toContain("user-mode login was carried from the session presented at sign-in");
    const old = await callTool("passgage_session_status", {}, withSession(id, ip));
    expect(old.structuredContent).toMatchObject({ session: { availableModes: ["user"], authMode: "user" } });
  });

  it("carry: true without a presented session of the same company carries nothing and says so", async () => {
    const ip = clientIp();
    const r = await callTool("passgage_session_login", { ...SEED.ayse, carry: true }, ip);
    expect(r.structuredContent).toMatchObject({ availableModes: ["user"] });
    expect(textOf(r)).toContain("Nothing was carried");
    const bad = await callTool("passgage_session_login", { ...SEED.ayse, carry: "yes" }, ip);
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toContain("carry");
  });
});

describe("status, switch_mode, logout", () => {
  it("status shows mode, available modes, user, company, created, expires, last seen", async () => {
    const ip = clientIp();
    const id = await loginAs(SEED.ayse, ip);
    const r = await callTool("passgage_session_status", {}, withSession(id, ip));
    expect(r.structuredContent).toMatchObject({
      signedIn: true,
      session: {
        authMode: "user",
        availableModes: ["user"],
        user: { email: SEED.ayse.email },
        sessionHash: shortHash(await sessionHash(id)),
      },
    });
    const text = textOf(r);
    for (const word of ["Mode: user", "available: user", "Created", "expires", "last seen"]) expect(text).toContain(word);
    expect(text).not.toContain(id);
  });

  it("switch_mode to a missing mode names the login that adds it; with both credentials it switches", async () => {
    const ip = clientIp();
    const id = await loginAs(SEED.admin, ip);
    const refused = await callTool("passgage_session_switch_mode", { mode: "company" }, withSession(id, ip));
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain("passgage_session_login_api_key");
    expect(textOf(refused)).toContain("carry: true");
    // A key sign-in presenting the session with carry: true makes a new session holding both credentials.
    const both = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey, carry: true }, withSession(id, ip));
    const bothId = String(both.structuredContent?.sessionId);
    const toUser = await callTool("passgage_session_switch_mode", { mode: "user" }, withSession(bothId, ip));
    expect(toUser.structuredContent).toMatchObject({ authMode: "user", availableModes: ["user", "company"] });
  });

  it("logout: the ID is refused on the very next request, and the object holds nothing", async () => {
    const ip = clientIp();
    const id = await loginAs(SEED.mehmet, ip);
    const out = await callTool("passgage_session_logout", {}, withSession(id, ip));
    expect(out.structuredContent).toEqual({ loggedOut: true, upstreamLoggedOut: true });
    const next = await callTool("passgage_session_status", {}, withSession(id, ip));
    expect(next.structuredContent).toMatchObject({ signedIn: false });
    expect(textOf(next)).toContain("not found");
    const hash = await sessionHash(id);
    expect(await dumpStorage(env.SESSION.getByName(hash))).toEqual({ kv: [], sql: [], alarm: null });
  });
});

describe("unknown and malformed X-Session-ID", () => {
  it("an unknown (well-formed) ID gets sign-in guidance and never creates state", async () => {
    const ip = clientIp();
    const unknown = `sess_${"A".repeat(43)}`;
    const r = await callTool("passgage_session_status", {}, withSession(unknown, ip));
    expect(r.structuredContent).toMatchObject({ signedIn: false });
    const list = await callTool("passgage_list_leaves", {}, withSession(unknown, ip));
    expect(list.isError).toBe(true);
    expect(await dumpStorage(env.SESSION.getByName(await sessionHash(unknown)))).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("a login presenting an unknown ID starts a new session under a new ID; the unknown one stays empty", async () => {
    const ip = clientIp();
    const unknown = `sess_${"B".repeat(43)}`;
    const r = await callTool("passgage_session_login", { email: SEED.ayse.email, password: SEED.ayse.password }, withSession(unknown, ip));
    const id = String(r.structuredContent?.sessionId);
    expect(id).toMatch(/^sess_/);
    expect(id).not.toBe(unknown);
    expect(await dumpStorage(env.SESSION.getByName(await sessionHash(unknown)))).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("a malformed ID is named as such", async () => {
    const r = await callTool("passgage_session_status", {}, withSession("not-a-session", clientIp()));
    expect(r.structuredContent).toMatchObject({ signedIn: false });
    expect(textOf(r)).toContain("not a valid session ID");
  });
});

describe("two users, two companies: never mixed", () => {
  it("each session sees only its own user and company; a login of another company into a session is refused", async () => {
    const ip = clientIp();
    const ayse = await loginAs(SEED.ayse, ip);
    const john = await loginAs(SEED.john, ip);
    const a = await callTool("passgage_session_status", {}, withSession(ayse, ip));
    const j = await callTool("passgage_session_status", {}, withSession(john, ip));
    expect(a.structuredContent).toMatchObject({ session: { user: { email: SEED.ayse.email } } });
    expect(j.structuredContent).toMatchObject({ session: { user: { email: SEED.john.email } } });
    const companyA = (a.structuredContent?.session as { company: { id: string } } | undefined)?.company.id;
    const companyJ = (j.structuredContent?.session as { company: { id: string } } | undefined)?.company.id;
    expect(companyA).toBeTypeOf("string");
    expect(companyA).not.toBe(companyJ);

    // Sign-ins presenting ayse's session each mint a separate new session; nothing is carried across companies.
    const cross = await callTool("passgage_session_login", { email: SEED.john.email, password: SEED.john.password }, withSession(ayse, ip));
    expect(cross.structuredContent).toMatchObject({ user: { email: SEED.john.email }, availableModes: ["user"] });
    const crossKey = await callTool("passgage_session_login_api_key", { apiKey: SEED.globexKey }, withSession(ayse, ip));
    expect(crossKey.structuredContent).toMatchObject({ user: null, availableModes: ["company"] });
    const otherUser = await callTool(
      "passgage_session_login",
      { email: SEED.mehmet.email, password: SEED.mehmet.password },
      withSession(ayse, ip),
    );
    expect(otherUser.structuredContent).toMatchObject({ user: { email: SEED.mehmet.email }, availableModes: ["user"] });
    for (const r of [cross, crossKey, otherUser]) expect(r.structuredContent?.sessionId).not.toBe(ayse);
    const after = await callTool("passgage_session_status", {}, withSession(ayse, ip));
    expect(after.structuredContent).toMatchObject({
      session: { user: { email: SEED.ayse.email }, availableModes: ["user"], company: { id: companyA } },
    });
  });
});

describe("passgage_session_list", () => {
  it("company mode: own company only; user mode: own sessions only; e-mail, mode, client, times and a handle, never session IDs", async () => {
    const ip = clientIp();
    const ayse = await loginAs(SEED.ayse, ip);
    const admin = await loginAs(SEED.admin, ip);
    const john = await loginAs(SEED.john, ip);
    const acme = await loginWithKey(SEED.acmeKey, ip);
    const globex = await loginWithKey(SEED.globexKey, ip);

    const waitFor = async (id: string, hashes: string[]): Promise<Record<string, unknown>[]> => {
      for (let i = 0; i < 100; i++) {
        const r = await callTool("passgage_session_list", {}, withSession(id, ip));
        const sessions = (r.structuredContent?.sessions ?? []) as Record<string, unknown>[];
        if (hashes.every((h) => sessions.some((s) => s.handle === h))) return sessions;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("registry entries did not appear");
    };
    const h = async (id: string) => shortHash(await sessionHash(id));

    const [hAyse, hAdmin, hJohn, hAcme, hGlobex] = await Promise.all([ayse, admin, john, acme, globex].map(h));
    const acmeList = await waitFor(acme, [hAyse ?? "", hAdmin ?? "", hAcme ?? ""]);
    expect(acmeList.some((s) => s.handle === hJohn || s.handle === hGlobex)).toBe(false);
    const ayseRow = acmeList.find((s) => s.email === SEED.ayse.email);
    expect(ayseRow).toMatchObject({ mode: "user" });
    for (const k of ["createdAt", "lastSeenAt", "expiresAt"]) expect(Number.isNaN(Date.parse(String(ayseRow?.[k])))).toBe(false);

    const globexList = await waitFor(globex, [hJohn ?? "", hGlobex ?? ""]);
    expect(globexList.some((s) => s.handle === hAyse || s.handle === hAdmin || s.handle === hAcme)).toBe(false);
    expect(globexList.every((s) => s.email === null || (typeof s.email === "string" && s.email.endsWith("@globex.example")))).toBe(true);

    const acmeRaw = JSON.stringify(await callTool("passgage_session_list", {}, withSession(acme, ip)));
    for (const id of [ayse, admin, john, acme, globex]) expect(acmeRaw).not.toContain(id);
    expect(acmeRaw).not.toContain("sess_");

    expect(ayseRow).toMatchObject({ client: "header session", current: false });
    expect(acmeList.find((s) => s.handle === hAcme)).toMatchObject({ current: true });

    // User mode lists the user's own sessions only, even for a company admin.
    const asUser = await callTool("passgage_session_list", {}, withSession(admin, ip));
    expect(asUser.isError ?? false).toBe(false);
    const own = (asUser.structuredContent?.sessions ?? []) as Record<string, unknown>[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((s) => s.email === SEED.admin.email)).toBe(true);
    expect(textOf(asUser)).not.toContain(SEED.ayse.email);
  });
});
