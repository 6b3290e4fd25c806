import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectErr } from "../helpers/result";
import { CONNECTION_TOMBSTONE_TTL_MS, LAST_SEEN_PERSIST_INTERVAL_MS } from "../../durable-objects/session";
import { loadConfig } from "../../src/config";
import { shortHash } from "../../src/crypto/session-id";
import { KvMirrorMetadataSchema, KvMirrorValueSchema } from "../../src/session/kv-mirror";
import {
  call,
  captureLogs,
  captureUpstream,
  dumpStorage,
  eventually,
  freshSession,
  loginKey,
  loginPassword,
  mirrorOf,
  registered,
  registryOf,
  SEED,
  signedIn,
  signedInWithKey,
  tokenWorks,
} from "./session-fixtures";

const config = loadConfig(env);
if (!config.ok) throw new Error(config.errors.join("; "));
const TTL_MS = config.config.sessionTtlMs;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("SessionDO login", () => {
  it("a password login creates the session: view, encrypted storage, alarm at expiry, KV mirror and registry entry", async () => {
    const s = await freshSession();
    const before = Date.now();
    const r = await loginPassword(s, SEED.ayse);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.sessionId).toBe(s.id);
    expect(r.value.created).toBe(true);
    expect(r.value.view).toMatchObject({ mode: "user", modes: ["user"], hash: shortHash(s.hash), user: { email: SEED.ayse.email } });
    expect(r.value.view.expiresAt - r.value.view.createdAt).toBe(TTL_MS);
    expect(r.value.view.createdAt).toBeGreaterThanOrEqual(before);

    const view = await s.stub.view(s.id);
    expect(view?.user?.email).toBe(SEED.ayse.email);

    const dump = await dumpStorage(s.stub);
    expect(dump.kv.map(([k]) => k).sort()).toEqual(["meta", "secret:user"]);
    expect(dump.alarm).toBe(r.value.view.expiresAt);

    await eventually(async () => (await mirrorOf(s.hash)) !== null, "KV mirror");
    const mirror = await mirrorOf(s.hash);
    const value = KvMirrorValueSchema.parse(JSON.parse(mirror?.value ?? "null"));
    expect(value.meta.hash).toBe(s.hash);
    expect(value.secrets.user).toMatch(/^v1\./);
    expect(value.secrets.company).toBeNull();
    expect(KvMirrorMetadataSchema.parse(mirror?.metadata)).toEqual({
      companyId: r.value.view.company.id,
      mode: "user",
      expiresAt: r.value.view.expiresAt,
    });

    await eventually(() => registered(r.value.view.company.id, s.hash), "registry entry");
  });

  it("a company-key login gives company mode; a bad key is refused and creates nothing", async () => {
    const s = await signedInWithKey(SEED.acmeKey);
    expect((await s.stub.view(s.id))?.mode).toBe("company");

    const bad = await freshSession();
    const r = await loginKey(bad, "psg_cmp_sandbox_nobody_000000000000000");
    expect(expectErr(r).code).toBe("invalid_credentials");
    expect(await dumpStorage(bad.stub)).toEqual({ kv: [], sql: [], alarm: null });
    expect(await mirrorOf(bad.hash)).toBeNull();
  });

  it("a wrong password is refused and creates nothing", async () => {
    const s = await freshSession();
    const r = await loginPassword(s, { email: SEED.ayse.email, password: "not-the-password" });
    expect(expectErr(r).code).toBe("invalid_credentials");
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("a login inside a session adds to it: both credentials, same lifetime, mode of the new credential", async () => {
    const s = await signedIn(SEED.admin);
    const first = await s.stub.view(s.id);
    const r = await loginKey(s, SEED.acmeKey);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.created).toBe(false);
    expect(r.value.view.modes).toEqual(["user", "company"]);
    expect(r.value.view.mode).toBe("company");
    expect(r.value.view.user?.email).toBe(SEED.admin.email);
    expect(r.value.view.createdAt).toBe(first?.createdAt);
    expect(r.value.view.expiresAt).toBe(first?.expiresAt);
    const dump = await dumpStorage(s.stub);
    expect(dump.kv.map(([k]) => k).sort()).toEqual(["meta", "secret:company", "secret:user"]);
  });
});

describe("SessionDO unknown and wrong IDs", () => {
  it("an unknown ID gets no session and never creates state (storage, alarm, KV)", async () => {
    const s = await freshSession();
    expect(await s.stub.view(s.id)).toBeNull();
    expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
    expect((await call(s, "passgage_session_logout")).kind).toBe("no_session");
    expect((await call(s, "passgage_session_switch_mode", { mode: "company" })).kind).toBe("no_session");
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    expect(await mirrorOf(s.hash)).toBeNull();
  });

  it("a live session's object refuses any other ID presented to it", async () => {
    const s = await signedIn(SEED.ayse);
    const other = await freshSession();
    const o = await s.stub.callTool({ sessionId: other.id, name: "passgage_session_status", args: {}, requestId: "x" });
    expect(o.kind).toBe("no_session");
    expect(await s.stub.view(other.id)).toBeNull();
    const r = await s.stub.login({ sessionId: other.id, kind: "api_key", apiKey: SEED.acmeKey, requestId: "x" });
    expect(r.ok).toBe(false);
    expect((await s.stub.view(s.id))?.modes).toEqual(["user"]);
  });
});

describe("SessionDO status and switch_mode", () => {
  it("status shows mode, available modes, user, company and the three times", async () => {
    const s = await signedIn(SEED.ayse);
    const a = await call(s, "passgage_session_status");
    expect(a.isError).toBe(false);
    expect(a.structured).toMatchObject({
      signedIn: true,
      session: { authMode: "user", availableModes: ["user"], user: { email: SEED.ayse.email }, sessionHash: shortHash(s.hash) },
    });
    const session = (a.structured?.session ?? {}) as Record<string, unknown>;
    for (const k of ["createdAt", "expiresAt", "lastSeenAt"]) expect(Number.isNaN(Date.parse(String(session[k])))).toBe(false);
    expect(a.text).not.toContain(s.id);
  });

  it("switching to a mode without its credential names the login that adds it", async () => {
    const user = await signedIn(SEED.ayse);
    const toCompany = await call(user, "passgage_session_switch_mode", { mode: "company" });
    expect(toCompany.isError).toBe(true);
    expect(toCompany.text).toContain("passgage_session_login_api_key");

    const company = await signedInWithKey(SEED.acmeKey);
    const toUser = await call(company, "passgage_session_switch_mode", { mode: "user" });
    expect(toUser.isError).toBe(true);
    expect(toUser.text).toContain("passgage_session_login {email, password}");
  });

  it("switches between user and company when both credentials are held, and persists the mode", async () => {
    const s = await signedIn(SEED.admin);
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    const toUser = await call(s, "passgage_session_switch_mode", { mode: "user" });
    expect(toUser.isError).toBe(false);
    expect(toUser.structured).toMatchObject({ authMode: "user", availableModes: ["user", "company"] });
    await evictDurableObject(s.stub);
    expect((await s.stub.view(s.id))?.mode).toBe("user");
    expect((await call(s, "passgage_session_switch_mode", { mode: "company" })).structured).toMatchObject({ authMode: "company" });
    await eventually(async () => {
      const m = await mirrorOf(s.hash);
      return KvMirrorMetadataSchema.safeParse(m?.metadata).data?.mode === "company";
    }, "mirror metadata follows the mode");
  });
});

describe("SessionDO logout", () => {
  it("logs out upstream, wipes storage, KV mirror and registry entry; the ID is refused on the very next request", async () => {
    const upstream = captureUpstream();
    const logs = captureLogs();
    try {
      const s = await signedIn(SEED.mehmet);
      const token = upstream.tokens.at(-1) ?? "";
      expect(token).not.toBe("");
      expect(await tokenWorks(token)).toBe(true);
      const companyId = (await s.stub.view(s.id))?.company.id ?? "";
      await eventually(() => registered(companyId, s.hash), "registry entry");
      await eventually(async () => (await mirrorOf(s.hash)) !== null, "KV mirror");

      const out = await call(s, "passgage_session_logout");
      expect(out.isError).toBe(false);
      expect(out.structured).toEqual({ loggedOut: true, upstreamLoggedOut: true });

      expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
      expect(await s.stub.view(s.id)).toBeNull();
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
      expect(await mirrorOf(s.hash)).toBeNull();
      expect(await registered(companyId, s.hash)).toBe(false);
      expect(await tokenWorks(token)).toBe(false);
      expect(logs.events()).toContain("session.logout");
      // Logout twice: nothing to do, nothing created.
      expect((await call(s, "passgage_session_logout")).kind).toBe("no_session");
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    } finally {
      upstream.restore();
      logs.restore();
    }
  });

  it("a company-only session logs out without an upstream call and still wipes everything", async () => {
    const s = await signedInWithKey(SEED.globexKey);
    const out = await call(s, "passgage_session_logout");
    expect(out.structured).toEqual({ loggedOut: true, upstreamLoggedOut: false });
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    // The key itself is not revoked (company keys are long-lived): a new session can use it.
    expect((await loginKey(await freshSession(), SEED.globexKey)).ok).toBe(true);
  });
});

describe("SessionDO expiry (absolute lifetime, by alarm)", () => {
  it("the alarm at expiry wipes storage, KV mirror and registry entry, and logs session.expired", async () => {
    const logs = captureLogs();
    try {
      const s = await signedIn(SEED.ayse);
      const view = await s.stub.view(s.id);
      const companyId = view?.company.id ?? "";
      await eventually(() => registered(companyId, s.hash), "registry entry");
      await eventually(async () => (await mirrorOf(s.hash)) !== null, "KV mirror");
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime((view?.expiresAt ?? 0) + 1);
      expect(await runDurableObjectAlarm(s.stub)).toBe(true);
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
      expect(await mirrorOf(s.hash)).toBeNull();
      expect(await registered(companyId, s.hash)).toBe(false);
      expect(logs.lines.find((l) => l.event === "session.expired")).toMatchObject({ sessionId: shortHash(s.hash) });
      expect(await s.stub.view(s.id)).toBeNull();
      // Idempotent: nothing left to run, and a repeated run changes nothing.
      await runDurableObjectAlarm(s.stub); // only the retirement marker's alarm remains; running it early changes nothing
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    } finally {
      logs.restore();
    }
  });

  it("an early alarm (before expiry) wipes nothing and re-arms at the expiry", async () => {
    const s = await signedIn(SEED.ayse);
    const view = await s.stub.view(s.id);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect((await s.stub.view(s.id))?.user?.email).toBe(SEED.ayse.email);
    expect((await dumpStorage(s.stub)).alarm).toBe(view?.expiresAt);
  });

  it("a late alarm: a request after expiry is refused and wipes the session before the alarm runs", async () => {
    const s = await signedIn(SEED.ayse);
    const view = await s.stub.view(s.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((view?.expiresAt ?? 0) + 60_000);
    expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    // The late alarm finds nothing to do.
    await runDurableObjectAlarm(s.stub); // only the retirement marker's alarm remains; running it early changes nothing
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("the lifetime is absolute: use and later logins never extend it", async () => {
    const s = await signedIn(SEED.admin);
    const view = await s.stub.view(s.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((view?.createdAt ?? 0) + TTL_MS / 2);
    await call(s, "passgage_session_status");
    const added = await loginKey(s, SEED.acmeKey);
    expect(added.ok && added.value.view.expiresAt).toBe(view?.expiresAt);
    vi.setSystemTime((view?.expiresAt ?? 0) + 1);
    expect(await s.stub.view(s.id)).toBeNull();
  });

  it("expiry after an eviction: the re-hydrated object's alarm wipes it", async () => {
    const s = await signedIn(SEED.ayse);
    const view = await s.stub.view(s.id);
    await evictDurableObject(s.stub);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((view?.expiresAt ?? 0) + 1);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("a login into an expired (not yet wiped) session neither revives it nor reuses its ID", async () => {
    const s = await signedIn(SEED.ayse);
    const view = await s.stub.view(s.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((view?.expiresAt ?? 0) + 1);
    // The edge asks first and picks a fresh ID for the sign-in.
    expect(await s.stub.isRetired()).toBe(true);
    const r = await loginKey(s, SEED.acmeKey);
    expect(r.ok).toBe(false);
    expect(await s.stub.view(s.id)).toBeNull();
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });
});

describe("SessionDO eviction and re-hydration", () => {
  it("re-hydrates after eviction: decrypts its credentials and keeps working in both modes", async () => {
    const s = await signedIn(SEED.admin);
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    const before = await s.stub.view(s.id);
    await evictDurableObject(s.stub);
    const after = await s.stub.view(s.id);
    expect(after).toEqual(before);
    const list = await call(s, "passgage_list_users", { per_page: 1 });
    expect(list.kind).toBe("result");
    expect(list.isError).toBe(false);
    await call(s, "passgage_session_switch_mode", { mode: "user" });
    await evictDurableObject(s.stub);
    const leaves = await call(s, "passgage_session_status");
    expect(leaves.structured).toMatchObject({ session: { authMode: "user" } });
  });

  it("touch: lastSeenAt moves on every call, is persisted at most once per interval, and survives eviction once persisted", async () => {
    const s = await signedIn(SEED.ayse);
    const created = (await s.stub.view(s.id))?.createdAt ?? 0;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(created + 1_000);
    await call(s, "passgage_session_status");
    expect((await s.stub.view(s.id))?.lastSeenAt).toBe(created + 1_000);
    const stored = (await dumpStorage(s.stub)).kv.find(([k]) => k === "meta")?.[1] as { lastSeenAt: number };
    expect(stored.lastSeenAt).toBe(created); // within the interval: memory only
    vi.setSystemTime(created + LAST_SEEN_PERSIST_INTERVAL_MS + 5_000);
    await call(s, "passgage_session_status");
    await evictDurableObject(s.stub);
    expect((await s.stub.view(s.id))?.lastSeenAt).toBe(created + LAST_SEEN_PERSIST_INTERVAL_MS + 5_000);
    const companyId = (await s.stub.view(s.id))?.company.id ?? "";
    await eventually(
      async () =>
        (await registryOf(companyId)).find((e) => e.hash === shortHash(s.hash))?.lastSeenAt ===
        created + LAST_SEEN_PERSIST_INTERVAL_MS + 5_000,
      "registry lastSeenAt",
    );
  });
});

describe("SessionDO connection tombstones", () => {
  it("keeps a tombstone across logout, and the alarm drops it after its lifetime", async () => {
    const s = await signedIn(SEED.ayse);
    await s.stub.terminateConnection("conn-abcdefghijklmnop");
    expect(await s.stub.isConnectionTerminated("conn-abcdefghijklmnop")).toBe(true);
    await call(s, "passgage_session_logout");
    expect(await s.stub.isConnectionTerminated("conn-abcdefghijklmnop")).toBe(true);
    const dump = await dumpStorage(s.stub);
    expect(dump.kv.map(([k]) => k)).toEqual(["conn:conn-abcdefghijklmnop"]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + CONNECTION_TOMBSTONE_TTL_MS + 1);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });
});

describe("SessionDO leftovers", () => {
  it("metadata it cannot read is not a session, and the next alarm removes it with its ciphertext", async () => {
    const s = await signedIn(SEED.ayse);
    await runInDurableObject(s.stub, (_i, state) => {
      state.storage.kv.put("meta", { v: 999, something: "else" });
    });
    await evictDurableObject(s.stub);
    expect(await s.stub.view(s.id)).toBeNull();
    expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });
});
