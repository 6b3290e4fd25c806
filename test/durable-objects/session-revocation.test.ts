/**
 * Revocation (issue 13) against the real Durable Objects: a company shard ends a session by
 * its handle through `SessionDO.revoke` (the normal end path: its next call is refused, storage
 * wiped, KV mirror purged, registry row gone, the Passgage token logged out, forks ended), the
 * SessionDO re-checks the scope it is given against its own metadata, a user's scope never
 * reaches another user's session, the revoker's own session is never ended, and the company's
 * audit trail names who ended what.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { shortHash } from "../../src/crypto/session-id";
import { auditTrailPage, registerSession, revokeSessions } from "../../src/registry/registry-client";
import {
  call,
  captureUpstream,
  dumpStorage,
  eventually,
  freshSession,
  loginKey,
  mirrorOf,
  registered,
  rid,
  SEED,
  signedIn,
  signedInWithKey,
  tokenWorks,
  type UpstreamCapture,
} from "./session-fixtures";

let upstream: UpstreamCapture | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

async function companyOf(s: Awaited<ReturnType<typeof signedIn>>): Promise<{ id: string; userId: string | null }> {
  const status = await call(s, "passgage_session_status");
  const session = status.structured?.session as { company: { id: string }; user: { id: string } | null };
  return { id: session.company.id, userId: session.user?.id ?? null };
}

describe("revocation through the registry shard", () => {
  it("ends the session by its handle: next call refused, storage, mirror and registry row gone, Passgage token logged out", async () => {
    upstream = captureUpstream();
    const ayse = await signedIn(SEED.ayse);
    const token = upstream.tokens.at(-1) ?? "";
    expect(token).not.toBe("");
    expect(await tokenWorks(token)).toBe(true);
    const company = await companyOf(ayse);
    await eventually(() => registered(company.id, ayse.hash), "registry row");
    expect(await mirrorOf(ayse.hash)).not.toBeNull();

    const result = await revokeSessions(env, company.id, {
      target: { handle: shortHash(ayse.hash) },
      scopeUserId: null,
      except: null,
      actor: "admin@acme.example",
    });
    expect(result.revoked.map((e) => e.hash)).toEqual([shortHash(ayse.hash)]);
    expect(JSON.stringify(result)).not.toContain(ayse.hash); // the routing hash never leaves the shard
    expect((await call(ayse, "passgage_session_status")).kind).toBe("no_session");
    expect(await registered(company.id, ayse.hash)).toBe(false);
    expect(await mirrorOf(ayse.hash)).toBeNull();
    await eventually(async () => !(await tokenWorks(token)), "upstream logout");

    const audit = await auditTrailPage(env, company.id, null, 50, null);
    expect(audit.length).toBeGreaterThan(0);
    const record = audit.find((r) => r.event === "revoked" && r.handle === shortHash(ayse.hash));
    expect(record).toMatchObject({ actor: "admin@acme.example", subject: SEED.ayse.email, client: null });
  });

  it("a revocation racing tool calls: nothing in flight resurrects the session (storage, mirror, registry row)", async () => {
    const ayse = await signedIn(SEED.ayse);
    const company = await companyOf(ayse);
    await eventually(() => registered(company.id, ayse.hash), "registry row");
    const names = ["passgage_list_leaves", "passgage_session_status", "passgage_list_approvals", "passgage_session_switch_mode"];
    const calls = Array.from({ length: 24 }, (_, i) =>
      call(ayse, names[i % names.length] ?? "passgage_session_status", i % 4 === 3 ? { mode: "user" } : {}),
    );
    const revocation = revokeSessions(env, company.id, {
      target: { handle: shortHash(ayse.hash) },
      scopeUserId: null,
      except: null,
      actor: "operator",
    });
    const [result] = await Promise.all([revocation, ...calls]);
    expect(result.revoked.map((e) => e.hash)).toEqual([shortHash(ayse.hash)]);
    expect((await call(ayse, "passgage_session_status")).kind).toBe("no_session");
    // Let any background effect of the raced calls run, then nothing of the session is back.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await registered(company.id, ayse.hash)).toBe(false);
    expect(await mirrorOf(ayse.hash)).toBeNull();
    const dump = await dumpStorage(ayse.stub);
    expect(dump.kv.map(([k]) => k)).not.toContain("meta");
    expect((await call(ayse, "passgage_list_leaves")).kind).toBe("no_session");
  });

  it("the SessionDO re-checks the scope: another company or another user is refused and the session lives on", async () => {
    const ayse = await signedIn(SEED.ayse);
    const company = await companyOf(ayse);
    expect(await ayse.stub.revoke({ companyId: "some-other-company", userId: null })).toBe("forbidden");
    expect(await ayse.stub.revoke({ companyId: company.id, userId: "someone-else" })).toBe("forbidden");
    expect((await call(ayse, "passgage_session_status")).structured?.signedIn).toBe(true);
    const nobody = await freshSession();
    expect(await nobody.stub.revoke({ companyId: company.id, userId: null })).toBe("not_found");
    expect(await ayse.stub.revoke({ companyId: company.id, userId: company.userId })).toBe("revoked");
    expect((await call(ayse, "passgage_session_status")).kind).toBe("no_session");
    // A second revocation finds nothing: idempotent.
    expect(await ayse.stub.revoke({ companyId: company.id, userId: null })).toBe("not_found");
  });

  it("a user's scope never reaches another user's session; the revoker's own session is never ended", async () => {
    const ayse = await signedIn(SEED.ayse);
    const mehmet = await signedIn(SEED.mehmet);
    const company = await companyOf(ayse);
    const mehmetId = (await companyOf(mehmet)).userId ?? "";
    await eventually(() => registered(company.id, ayse.hash), "registry row");
    const asMehmet = await revokeSessions(env, company.id, {
      target: { handle: shortHash(ayse.hash) },
      scopeUserId: mehmetId,
      except: shortHash(mehmet.hash),
      actor: SEED.mehmet.email,
    });
    expect(asMehmet).toEqual({ revoked: [], skipped: 0 }); // out of scope: not even counted
    expect((await call(ayse, "passgage_session_status")).structured?.signedIn).toBe(true);
    const self = await revokeSessions(env, company.id, {
      target: { handle: shortHash(mehmet.hash) },
      scopeUserId: mehmetId,
      except: shortHash(mehmet.hash),
      actor: SEED.mehmet.email,
    });
    expect(self).toEqual({ revoked: [], skipped: 1 });
    expect((await call(mehmet, "passgage_session_status")).structured?.signedIn).toBe(true);
  });

  it("ends every session of a user (by e-mail, any case) but the revoker's own", async () => {
    const sessions = [await signedIn(SEED.mehmet), await signedIn(SEED.mehmet), await signedIn(SEED.mehmet)];
    const [own, ...others] = sessions;
    if (!own) throw new Error("no session");
    const company = await companyOf(own);
    for (const s of sessions) await eventually(() => registered(company.id, s.hash), "registry rows");
    const r = await revokeSessions(env, company.id, {
      target: { user: SEED.mehmet.email.toUpperCase() },
      scopeUserId: null,
      except: shortHash(own.hash),
      actor: "company key",
    });
    expect(r.revoked.length).toBeGreaterThanOrEqual(others.length);
    for (const s of others) expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
    expect((await call(own, "passgage_session_status")).structured?.signedIn).toBe(true);
  });

  it("a row written before revocation existed (no SessionDO name) is skipped, never guessed", async () => {
    const companyId = `co-${crypto.randomUUID()}`;
    const now = Date.now();
    const hash = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
    await registerSession(env, {
      hash,
      companyId,
      companyName: "Old",
      email: "old@example.com",
      userId: "u-old",
      mode: "user",
      modes: ["user"],
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + 3_600_000,
    });
    const r = await revokeSessions(env, companyId, { target: { handle: hash }, scopeUserId: null, except: null, actor: "operator" });
    expect(r).toEqual({ revoked: [], skipped: 1 });
  });

  it("ending a session ends what its forks carried (a key sign-in that carried its user login keeps only its own key)", async () => {
    const ayse = await signedIn(SEED.ayse);
    const fork = await freshSession();
    const forked = await fork.stub.login({
      sessionId: fork.id,
      kind: "api_key",
      apiKey: SEED.acmeKey,
      requestId: rid(),
      carryFrom: ayse.id,
    });
    expect(forked.ok).toBe(true);
    const company = await companyOf(ayse);
    await eventually(() => registered(company.id, ayse.hash), "registry row");
    expect((await fork.stub.view(fork.id))?.modes.toSorted()).toEqual(["company", "user"]);
    await revokeSessions(env, company.id, { target: { handle: shortHash(ayse.hash) }, scopeUserId: null, except: null, actor: "operator" });
    // The fork loses exactly the carried user login (src/session/fork.ts) and lives on with its own key.
    const after = await fork.stub.view(fork.id);
    expect(after?.modes).toEqual(["company"]);
    expect(after?.user ?? null).toBeNull();
  });

  it("a key session's sign-in, sign-out and revocation are in the audit trail; a user reads only records about them", async () => {
    const key = await signedInWithKey(SEED.acmeKey);
    const company = await companyOf(key);
    const other = await freshSession();
    expect((await loginKey(other, SEED.acmeKey)).ok).toBe(true);
    await call(other, "passgage_session_logout");
    const audit = await auditTrailPage(env, company.id, null, 200, null);
    expect(audit.length).toBeGreaterThan(0);
    const mine = audit.filter((r) => r.handle === shortHash(other.hash)).map((r) => r.event);
    expect(mine).toEqual(["signed_out", "signed_in"]); // newest first
    const ayse = await signedIn(SEED.ayse);
    const ayseId = (await companyOf(ayse)).userId;
    const asAyse = await auditTrailPage(env, company.id, null, 200, ayseId);
    expect(asAyse.length).toBeGreaterThan(0);
    for (const r of asAyse) expect(r.subjectUserId).toBe(ayseId);
    expect(JSON.stringify(audit)).not.toMatch(/sess_[A-Za-z0-9_-]{43}|psg_cmp_/);
  });
});
