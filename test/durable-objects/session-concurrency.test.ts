/**
 * Interleavings across awaits: concurrent logins, logout racing calls and logins,
 * refresh racing logout. Each RPC is a separate event delivered to the object, so
 * these are the interleavings production sees.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectErr } from "../helpers/result";
import {
  armFault,
  call,
  captureUpstream,
  dumpStorage,
  eventually,
  freshSession,
  loginKey,
  loginPassword,
  mirrorOf,
  registered,
  SEED,
  signedIn,
  signedInWithKey,
  tokenWorks,
} from "./session-fixtures";

const EMPTY = { kv: [], sql: [], alarm: null };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("concurrent logins", () => {
  it("a password and a key login racing into a new session both land in it (no lost credential)", async () => {
    for (let round = 0; round < 5; round++) {
      const s = await freshSession();
      const [a, b] = await Promise.all([loginPassword(s, SEED.admin), loginKey(s, SEED.acmeKey)]);
      expect(a.ok && b.ok).toBe(true);
      const created = [a, b].filter((r) => r.ok && r.value.created);
      expect(created).toHaveLength(1);
      const view = await s.stub.view(s.id);
      expect(view?.modes).toEqual(["user", "company"]);
      expect(view?.user?.email).toBe(SEED.admin.email);
      const kv = (await dumpStorage(s.stub)).kv.map(([k]) => k).sort();
      expect(kv).toEqual(["meta", "secret:company", "secret:user"]);
    }
  });

  it("two users racing into one session: exactly one wins, the other is refused and its token revoked upstream", async () => {
    const upstream = captureUpstream();
    try {
      const s = await freshSession();
      const [a, b] = await Promise.all([loginPassword(s, SEED.ayse), loginPassword(s, SEED.mehmet)]);
      const oks = [a, b].filter((r) => r.ok);
      const refused = [a, b].filter((r) => !r.ok);
      expect(oks).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const loser = refused[0];
      expect(loser && !loser.ok ? loser.error.code : undefined).toBe("wrong_account");
      const view = await s.stub.view(s.id);
      const winner = view?.user?.email;
      expect([SEED.ayse.email, SEED.mehmet.email]).toContain(winner);
      // Two tokens were issued; only the winner's still works.
      expect(upstream.tokens).toHaveLength(2);
      await eventually(
        async () => (await Promise.all(upstream.tokens.map(tokenWorks))).filter(Boolean).length === 1,
        "refused login's token revoked",
      );
    } finally {
      upstream.restore();
    }
  });

  it("two companies never mix: a key of another company is refused and the session is unchanged", async () => {
    const s = await signedInWithKey(SEED.acmeKey);
    const before = await dumpStorage(s.stub);
    const r = await loginKey(s, SEED.globexKey);
    expect(expectErr(r).code).toBe("wrong_account");
    const j = await loginPassword(s, SEED.john);
    expect(j.ok).toBe(false);
    expect(await dumpStorage(s.stub)).toEqual(before);
    expect((await s.stub.view(s.id))?.modes).toEqual(["company"]);
  });

  it("a second user never joins a session: the refused login leaves the first user's state as it was", async () => {
    const s = await signedIn(SEED.ayse);
    const before = await dumpStorage(s.stub);
    const r = await loginPassword(s, SEED.admin);
    expect(expectErr(r).message).toContain(SEED.ayse.email);
    expect(await dumpStorage(s.stub)).toEqual(before);
  });
});

describe("logout racing other work", () => {
  it("logout racing tool calls: calls either finish or get no session; afterwards nothing is left", async () => {
    for (let round = 0; round < 5; round++) {
      const s = await signedInWithKey(SEED.acmeKey);
      const calls = Array.from({ length: 10 }, () => call(s, "passgage_list_users", { per_page: 1 }));
      const logout = call(s, "passgage_session_logout");
      const outcomes = await Promise.all([...calls, logout]);
      for (const o of outcomes.slice(0, 10)) expect(["result", "no_session"]).toContain(o.kind);
      expect(outcomes[10]?.structured).toMatchObject({ loggedOut: true });
      expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
      expect(await dumpStorage(s.stub)).toEqual(EMPTY);
      expect(await mirrorOf(s.hash)).toBeNull();
    }
  });

  it("a login in flight when the session is logged out does not bring it back", async () => {
    for (let round = 0; round < 5; round++) {
      const s = await signedInWithKey(SEED.acmeKey);
      const companyId = (await s.stub.view(s.id))?.company.id ?? "";
      const login = loginPassword(s, SEED.admin); // awaits the upstream login
      const logout = call(s, "passgage_session_logout");
      const [l, o] = await Promise.all([login, logout]);
      expect(o.structured).toMatchObject({ loggedOut: true });
      // Either order is possible; a refused login says there is no session any more.
      expect(l.ok ? "not_signed_in" : l.error.code).toBe("not_signed_in");
      // Whatever the order, the logout wins: nothing stored, nothing mirrored, nothing registered.
      // If the logout finished before the login began, the login made a brand-new user session, not the old one.
      const fresh = l.ok && l.value.created;
      expect(l.ok && l.value.created ? l.value.view.modes : ["user"]).toEqual(["user"]);
      if (fresh) continue;
      // The login was in flight (refused) or committed before the logout began (then wiped).
      expect(await dumpStorage(s.stub)).toEqual(EMPTY);
      expect(await mirrorOf(s.hash)).toBeNull();
      expect(await registered(companyId, s.hash)).toBe(false);
      expect(await s.stub.view(s.id)).toBeNull();
    }
  });

  it("a token refresh in flight when the session is logged out writes nothing and revokes the new token", async () => {
    const upstream = captureUpstream();
    try {
      const s = await signedIn(SEED.ayse);
      const token = upstream.tokens.at(-1) ?? "";
      // The next read with this token gets 401: the call refreshes, racing the logout.
      await armFault("expired", 1, { method: "GET", pathPrefix: "/api/public/v1/leaves", credential: token });
      const read = call(s, "passgage_list_leaves", { per_page: 1 });
      const logout = call(s, "passgage_session_logout");
      await Promise.all([read, logout]);
      expect(await dumpStorage(s.stub)).toEqual(EMPTY);
      expect(await s.stub.view(s.id)).toBeNull();
      // Every token the sandbox issued to this session is dead.
      await eventually(async () => (await Promise.all(upstream.tokens.map(tokenWorks))).every((w) => !w), "all tokens revoked");
    } finally {
      upstream.restore();
    }
  });
});
