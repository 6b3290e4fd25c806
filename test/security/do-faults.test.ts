/**
 * Durable Object faults (issue 7): eviction between calls (state re-hydrated from
 * encrypted storage), the expiry alarm firing early, late or twice (idempotent),
 * concurrent logins and logouts on one session (randomised schedules, fast-check with
 * a fixed seed), and a failing KV mirror (the Durable Object stays authoritative; a
 * stale mirror entry never revives a session).
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionDO } from "../../durable-objects/session";
import { shortHash } from "../../src/crypto/session-id";
import { kvMirrorKey } from "../../src/session/kv-mirror";
import {
  call,
  captureLogs,
  dumpStorage,
  eventually,
  type Fresh,
  loginKey,
  loginPassword,
  mirrorOf,
  registered,
  SEED,
  signedIn,
  signedInWithKey,
} from "../durable-objects/session-fixtures";
import { figure, quietLogs } from "./figures";

quietLogs();

const EMPTY = { kv: [], sql: [], alarm: null };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("eviction between calls", () => {
  it("after each of 10 evictions the session re-hydrates: same view, credentials decrypted, calls served in both modes", async () => {
    const s = await signedIn(SEED.admin);
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    const EVICTIONS = 10;
    let served = 0;
    let sameView = 0;
    for (let i = 0; i < EVICTIONS; i++) {
      const before = await s.stub.view(s.id);
      await evictDurableObject(s.stub);
      const after = await s.stub.view(s.id);
      if (JSON.stringify({ ...after, lastSeenAt: 0 }) === JSON.stringify({ ...before, lastSeenAt: 0 })) sameView += 1;
      // Alternate modes: each needs its own decrypted credential (user JWT, company key).
      const mode = i % 2 === 0 ? "user" : "company";
      await call(s, "passgage_session_switch_mode", { mode });
      await evictDurableObject(s.stub);
      const r = await call(s, mode === "user" ? "passgage_list_my_leaves" : "passgage_list_users", { per_page: 1 });
      if (r.kind === "result" && !r.isError) served += 1;
    }
    expect(sameView).toBe(EVICTIONS);
    expect(served).toBe(EVICTIONS);
    figure(
      "DO faults",
      `eviction: ${EVICTIONS * 2} evictions between calls, ${sameView}/${EVICTIONS} views identical after re-hydration, ${served}/${EVICTIONS} calls served (modes alternating, credentials re-decrypted)`,
    );
  });
});

describe("the expiry alarm", () => {
  it("early (twice), late (by an hour), twice at expiry, and after an eviction: wipes exactly once, when due", async () => {
    const logs = captureLogs();
    try {
      const expiredLines = (hash: string) =>
        logs.lines.filter((l) => l.event === "session.expired" && l.sessionId === shortHash(hash)).length;

      // Early, twice: nothing wiped, re-armed at the expiry.
      const early = await signedIn(SEED.ayse);
      const earlyView = await early.stub.view(early.id);
      expect(await runDurableObjectAlarm(early.stub)).toBe(true);
      expect(await runDurableObjectAlarm(early.stub)).toBe(true);
      expect((await early.stub.view(early.id))?.user?.email).toBe(SEED.ayse.email);
      expect((await dumpStorage(early.stub)).alarm).toBe(earlyView?.expiresAt);

      // Late by an hour: wiped; another run finds nothing to do.
      const late = await signedIn(SEED.ayse);
      const lateView = await late.stub.view(late.id);
      await eventually(async () => (await mirrorOf(late.hash)) !== null, "mirror written");
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime((lateView?.expiresAt ?? 0) + 3_600_000);
      expect(await runDurableObjectAlarm(late.stub)).toBe(true);
      await runInDurableObject(late.stub, (instance: SessionDO) => instance.alarm());
      expect(await dumpStorage(late.stub)).toEqual(EMPTY);
      await eventually(async () => (await mirrorOf(late.hash)) === null, "mirror deleted");
      expect(expiredLines(late.hash)).toBe(1);
      vi.useRealTimers();

      // Twice at the same moment: one wipe.
      const twice = await signedInWithKey(SEED.globexKey);
      const twiceView = await twice.stub.view(twice.id);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(twiceView?.expiresAt ?? 0);
      await Promise.all([
        runInDurableObject(twice.stub, (instance: SessionDO) => instance.alarm()),
        runInDurableObject(twice.stub, (instance: SessionDO) => instance.alarm()),
      ]);
      expect(await dumpStorage(twice.stub)).toEqual(EMPTY);
      expect(expiredLines(twice.hash)).toBe(1);
      expect(await registered(twiceView?.company.id ?? "", twice.hash)).toBe(false);
      vi.useRealTimers();

      // After an eviction: the re-hydrated object's alarm wipes it.
      const evicted = await signedIn(SEED.mehmet);
      const evictedView = await evicted.stub.view(evicted.id);
      await evictDurableObject(evicted.stub);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime((evictedView?.expiresAt ?? 0) + 1);
      expect(await runDurableObjectAlarm(evicted.stub)).toBe(true);
      expect(await dumpStorage(evicted.stub)).toEqual(EMPTY);
      expect(expiredLines(evicted.hash)).toBe(1);
      expect(await evicted.stub.view(evicted.id)).toBeNull();

      figure(
        "DO faults",
        "alarm: early x2 (0 wipes, re-armed at expiry), late by 1 h (1 wipe; a repeat does nothing), twice concurrently at expiry (1 wipe, 1 session.expired line), after eviction (1 wipe): idempotent",
      );
    } finally {
      logs.restore();
    }
  });
});

/** Operations of a random schedule on one session. */
type Op = "login_password" | "login_key" | "login_other_user" | "logout" | "read" | "status" | "switch";

async function runOp(s: Fresh, op: Op): Promise<{ op: Op; loggedOut: boolean; ok: boolean }> {
  switch (op) {
    case "login_password":
      return { op, loggedOut: false, ok: (await loginPassword(s, SEED.admin)).ok };
    case "login_key":
      return { op, loggedOut: false, ok: (await loginKey(s, SEED.acmeKey)).ok };
    case "login_other_user":
      return { op, loggedOut: false, ok: (await loginPassword(s, SEED.ayse)).ok };
    case "logout": {
      const r = await call(s, "passgage_session_logout");
      return { op, loggedOut: r.structured?.loggedOut === true, ok: !r.isError };
    }
    case "read":
      return { op, loggedOut: false, ok: !(await call(s, "passgage_get_my_profile")).isError };
    case "status":
      return { op, loggedOut: false, ok: (await call(s, "passgage_session_status")).kind === "result" };
    case "switch":
      return { op, loggedOut: false, ok: !(await call(s, "passgage_session_switch_mode", { mode: "user" })).isError };
  }
}

describe("concurrent logins and logouts on one session", () => {
  it("random concurrent schedules: never a session after a logout, never two accounts in one, storage always consistent", async () => {
    const ROUNDS = 40;
    const schedules = fc.sample(
      fc.array(fc.constantFrom<Op>("login_password", "login_key", "login_other_user", "logout", "read", "status", "switch"), {
        minLength: 3,
        maxLength: 8,
      }),
      {
        numRuns: ROUNDS,
        seed: 7_000_007,
      },
    );
    let ops = 0;
    let logouts = 0;
    let resurrected = 0;
    let mixed = 0;
    let inconsistent = 0;
    let live = 0;
    for (const schedule of schedules) {
      const s = await signedIn(SEED.admin);
      const companyId = (await s.stub.view(s.id))?.company.id ?? "";
      const results = await Promise.all(schedule.map((op) => runOp(s, op)));
      ops += results.length;
      const loggedOut = results.some((r) => r.loggedOut);
      if (loggedOut) logouts += 1;
      const view = await s.stub.view(s.id);
      const dump = await dumpStorage(s.stub);
      const keys = dump.kv
        .map(([k]) => k)
        .filter((k) => !k.startsWith("conn:"))
        .sort();
      if (view === null) {
        if (keys.length > 0) inconsistent += 1;
        await eventually(async () => (await mirrorOf(s.hash)) === null, "no mirror of an ended session");
        await eventually(async () => !(await registered(companyId, s.hash)), "no registry entry of an ended session");
      } else {
        live += 1;
        if (loggedOut) resurrected += 1;
        if (view.user !== null && view.user.email !== SEED.admin.email) mixed += 1;
        const expected = [
          "meta",
          ...(view.modes.includes("company") ? ["secret:company"] : []),
          ...(view.modes.includes("user") ? ["secret:user"] : []),
        ].sort();
        if (JSON.stringify(keys) !== JSON.stringify(expected)) inconsistent += 1;
        await eventually(async () => {
          const m = await mirrorOf(s.hash);
          return m !== null && (m.metadata as { mode?: string } | null)?.mode === view.mode;
        }, "mirror follows the live session");
      }
    }
    expect({ resurrected, mixed, inconsistent }).toEqual({ resurrected: 0, mixed: 0, inconsistent: 0 });
    figure(
      "DO faults",
      `concurrent logins/logouts: ${ROUNDS} random schedules (fast-check seed 7000007), ${ops} concurrent ops, ${logouts} with a logout: ${resurrected} sessions alive after a logout, ${mixed} with two accounts, ${inconsistent} inconsistent storage; ${live} live sessions mirrored in KV`,
    );
  }, 60_000);

  // Found by this suite, fixed in 88d80de: a login arriving while a logout was wiping could
  // sign the ended, retired ID in anew (the marker was written after `await deleteAll()`;
  // about 1 random schedule in 40). Login now re-checks the marker inside its #exclusive
  // commit, which runs after the queued wipe.
  // Deterministic here: the login is started k microtasks after the logout, inside the object.
  it("a login started a few microtasks after a logout never signs the ended ID in again", async () => {
    const resurrectedAt: number[] = [];
    for (let k = 0; k <= 8; k++) {
      const s = await signedIn(SEED.admin);
      await runInDurableObject(s.stub, async (instance: SessionDO) => {
        const logout = instance.callTool({ sessionId: s.id, name: "passgage_session_logout", args: {}, requestId: `logout-${k}` });
        for (let i = 0; i < k; i++) await Promise.resolve();
        const login = instance.login({ sessionId: s.id, kind: "api_key", apiKey: SEED.acmeKey, requestId: `login-${k}` });
        await Promise.all([logout, login]);
      });
      const resurrected = (await s.stub.view(s.id)) !== null;
      if (resurrected) resurrectedAt.push(k);
      // Unless it was signed in again, nothing is left behind.
      expect(resurrected ? EMPTY : await dumpStorage(s.stub), `k = ${k}`).toEqual(EMPTY);
    }
    figure(
      "DO faults",
      `login k microtasks after a logout, k = 0..8: the ended ID signed in again at k = ${resurrectedAt.join(",") || "none"}`,
    );
    expect(resurrectedAt).toEqual([]);
  });
});

/** A KV namespace whose every operation fails (thrown or rejected). */
function brokenKv(style: "throw" | "reject"): KVNamespace {
  const fail = (): never => {
    throw new Error("KV unavailable");
  };
  const op = style === "throw" ? fail : () => Promise.reject(new Error("KV unavailable"));
  return new Proxy({} as KVNamespace, { get: () => op });
}

describe("a failing KV mirror", () => {
  it("KV writes failing (thrown or rejected): sign-in, calls, mode switch and logout work; the DO decides; a stale mirror never revives a session", async () => {
    const logs = captureLogs();
    try {
      let served = 0;
      for (const style of ["throw", "reject"] as const) {
        const s = await signedIn(SEED.admin);
        await runInDurableObject(s.stub, (instance: SessionDO) => {
          (instance as unknown as { env: Env }).env = { ...env, PASSGAGE_SESSIONS: brokenKv(style) };
        });
        expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
        for (const [tool, args] of [
          ["passgage_list_users", { per_page: 1 }],
          ["passgage_session_switch_mode", { mode: "user" }],
          ["passgage_list_my_leaves", {}],
        ] as const) {
          if (!(await call(s, tool, args)).isError) served += 1;
        }
        await eventually(async () => logs.events().includes("kv_mirror.write_failed"), "write failure logged");
        // The mirror holds what was written before KV broke (the user-only state); the DO has both credentials.
        expect((await s.stub.view(s.id))?.modes).toEqual(["user", "company"]);
        expect((await call(s, "passgage_session_logout")).structured).toMatchObject({ loggedOut: true });
        expect(logs.events()).toContain("kv_mirror.delete_failed");
        // KV could not delete the mirror: it is stale, and it must not matter.
        expect(await mirrorOf(s.hash)).not.toBeNull();
        expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
        expect(await s.stub.view(s.id)).toBeNull();
        expect(await dumpStorage(s.stub)).toEqual(EMPTY);
        await env.PASSGAGE_SESSIONS.delete(kvMirrorKey(s.hash));
      }
      expect(served).toBe(6);
      figure(
        "DO faults",
        `KV mirror failing (throw, reject): ${served}/6 calls served, logout effective with the mirror left stale (2/2 stale mirrors ignored), kv_mirror.write_failed and delete_failed logged`,
      );
    } finally {
      logs.restore();
    }
  });
});
