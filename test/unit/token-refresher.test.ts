import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log";
import { err, ok, type Result } from "../../src/result";
import { REFRESH_RETRY_COOLDOWN_MS, TOKEN_REFRESH_AHEAD_MS, type UserCredential } from "../../src/session/state";
import { type RefresherHost, TokenRefresher } from "../../src/session/token-refresher";

const logger = createLogger({}, "error");
const HOUR = 3_600_000;

/** A host whose clock and upstream are scripted; records refresh calls and revocations. */
function host(start: UserCredential, answers: Result<UserCredential, { code: string }>[]) {
  const state = { now: 1_000_000, current: start as UserCredential | null, refreshCalls: 0, revoked: [] as string[] };
  const h: RefresherHost = {
    current: () => state.current,
    refresh: async () => {
      state.refreshCalls++;
      const next = answers.shift();
      if (!next) throw new Error("unexpected refresh");
      return next;
    },
    revoke: (token) => {
      state.revoked.push(token);
    },
    now: () => state.now,
  };
  return { state, h };
}

const keep = (state: { current: UserCredential | null }) => async (_stale: UserCredential, fresh: UserCredential) => {
  state.current = fresh;
  return true;
};

describe("TokenRefresher", () => {
  it("shares one upstream refresh between concurrent callers and revokes the old token", async () => {
    const stale = { token: "old", expiresAt: 1_000_000 + HOUR };
    const fresh = { token: "new", expiresAt: 1_000_000 + 2 * HOUR };
    const { state, h } = host(stale, [ok(fresh)]);
    const r = new TokenRefresher(h);
    const got = await Promise.all([r.refresh(stale, logger, keep(state)), r.refresh(stale, logger, keep(state))]);
    expect(got).toEqual([fresh, fresh]);
    expect(state.refreshCalls).toBe(1);
    expect(state.revoked).toEqual(["old"]);
    // A caller that comes after the refresh sees the new token without refreshing again.
    expect(await r.refresh(stale, logger, keep(state))).toEqual(fresh);
    expect(state.refreshCalls).toBe(1);
  });

  it("does not retry a refused token, and waits the cooldown after a transient failure", async () => {
    const stale = { token: "old", expiresAt: 1_000_000 + HOUR };
    const refused = host(stale, [err({ code: "unauthorized" })]);
    const r1 = new TokenRefresher(refused.h);
    expect(await r1.refresh(stale, logger, keep(refused.state))).toBeNull();
    refused.state.now += 10 * HOUR;
    expect(await r1.refresh(stale, logger, keep(refused.state))).toBeNull();
    expect(refused.state.refreshCalls).toBe(1);

    const fresh = { token: "new", expiresAt: 1_000_000 + 2 * HOUR };
    const flaky = host(stale, [err({ code: "timeout" }), ok(fresh)]);
    const r2 = new TokenRefresher(flaky.h);
    expect(await r2.refresh(stale, logger, keep(flaky.state))).toBeNull();
    expect(await r2.refresh(stale, logger, keep(flaky.state))).toBeNull();
    expect(flaky.state.refreshCalls).toBe(1);
    flaky.state.now += REFRESH_RETRY_COOLDOWN_MS;
    expect(await r2.refresh(stale, logger, keep(flaky.state))).toEqual(fresh);
    expect(flaky.state.refreshCalls).toBe(2);
  });

  it("revokes a fresh token the session could not keep and answers with what it holds", async () => {
    const stale = { token: "old", expiresAt: 1_000_000 + HOUR };
    const { state, h } = host(stale, [ok({ token: "new", expiresAt: 1_000_000 + 2 * HOUR })]);
    const r = new TokenRefresher(h);
    expect(await r.refresh(stale, logger, async () => false)).toEqual(stale);
    expect(state.revoked).toEqual(["new"]);
  });

  it("refreshes ahead near expiry, but not a token that was issued inside the window", async () => {
    const stale = { token: "old", expiresAt: 1_000_000 + TOKEN_REFRESH_AHEAD_MS - 1 };
    const shortLived = { token: "short", expiresAt: 1_000_000 + TOKEN_REFRESH_AHEAD_MS - 1 };
    const { state, h } = host(stale, [ok(shortLived)]);
    const r = new TokenRefresher(h);
    expect(r.dueAhead(stale)).toBe(true);
    expect(r.dueAhead({ token: "far", expiresAt: 1_000_000 + TOKEN_REFRESH_AHEAD_MS + HOUR })).toBe(false);
    expect(await r.refresh(stale, logger, keep(state))).toEqual(shortLived);
    expect(r.dueAhead(shortLived)).toBe(false);
  });
});
