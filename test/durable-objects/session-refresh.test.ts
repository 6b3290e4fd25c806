/**
 * The user JWT: refreshed once on 401 and the call retried; refreshed ahead of expiry;
 * never a refresh storm. Faults are armed in the sandbox (sandbox/README.md), keyed to
 * the session's current token, which the test learns by observing upstream traffic.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { TOKEN_REFRESH_AHEAD_MS } from "../../durable-objects/session";
import { REFRESH_RETRY_COOLDOWN_MS } from "../../src/session/state";
import {
  armFault,
  call,
  captureLogs,
  captureUpstream,
  dumpStorage,
  eventually,
  refreshCount,
  SEED,
  signedIn,
  tokenWorks,
} from "./session-fixtures";

const LEAVES = "/api/public/v1/leaves";
/** Lifetime of the short-lived tokens asked of the sandbox (s): longer than the test, shorter than the refresh-ahead margin plus slack. */
const TOKEN_TTL_S = 3_600;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function sealedUser(s: Awaited<ReturnType<typeof signedIn>>): Promise<unknown> {
  return new Map((await dumpStorage(s.stub)).kv).get("secret:user");
}

describe("user token refresh", () => {
  it("refreshes once on 401, retries the call with the new token, and persists it (encrypted)", async () => {
    const upstream = captureUpstream();
    try {
      const s = await signedIn(SEED.ayse);
      const token = upstream.tokens.at(-1) ?? "";
      const sealedBefore = await sealedUser(s);
      const before = await refreshCount(upstream.tokens);
      await armFault("expired", 1, { method: "GET", pathPrefix: LEAVES, credential: token });
      const r = await call(s, "passgage_list_leaves", { per_page: 1 });
      expect(r.isError).toBe(false);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
      const fresh = upstream.tokens.at(-1) ?? "";
      expect(fresh).not.toBe(token);
      const leaveCalls = upstream.calls.filter((c) => c.path.startsWith(LEAVES));
      expect(leaveCalls.map((c) => [c.status, c.credential])).toEqual([
        [401, token],
        [200, fresh],
      ]);
      expect(await sealedUser(s)).not.toEqual(sealedBefore);
      // The replaced token is revoked upstream; the new one works.
      await eventually(async () => !(await tokenWorks(token)), "old token revoked");
      expect(await tokenWorks(fresh)).toBe(true);
      expect(JSON.stringify(await dumpStorage(s.stub))).not.toContain(fresh);
      // The next call uses the new token directly.
      await call(s, "passgage_list_leaves", { per_page: 1 });
      expect(upstream.calls.filter((c) => c.path.startsWith(LEAVES)).at(-1)?.credential).toBe(fresh);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
    } finally {
      upstream.restore();
    }
  });

  it("20 concurrent calls that all get 401 share exactly one refresh, and all succeed", async () => {
    const upstream = captureUpstream();
    try {
      const s = await signedIn(SEED.mehmet);
      const token = upstream.tokens.at(-1) ?? "";
      const before = await refreshCount(upstream.tokens);
      await armFault("expired", 20, { method: "GET", pathPrefix: LEAVES, credential: token });
      const results = await Promise.all(Array.from({ length: 20 }, () => call(s, "passgage_list_leaves", { per_page: 1 })));
      expect(results.filter((r) => r.isError)).toEqual([]);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
      expect(upstream.calls.filter((c) => c.path.endsWith("/auth/refresh"))).toHaveLength(1);
    } finally {
      upstream.restore();
    }
  });

  it("a refused refresh is not retried for that token: the call fails once, no storm follows", async () => {
    const upstream = captureUpstream();
    try {
      const s = await signedIn(SEED.admin);
      const token = upstream.tokens.at(-1) ?? "";
      const before = await refreshCount(upstream.tokens);
      await armFault("expired", 100, { method: "GET", pathPrefix: LEAVES, credential: token });
      await armFault("expired", 100, { method: "POST", pathPrefix: "/api/public/auth/refresh", credential: token });
      const results = await Promise.all(Array.from({ length: 20 }, () => call(s, "passgage_list_leaves", { per_page: 1 })));
      expect(results.every((r) => r.isError)).toBe(true);
      for (let i = 0; i < 5; i++) expect((await call(s, "passgage_list_leaves", { per_page: 1 })).isError).toBe(true);
      expect(upstream.calls.filter((c) => c.path.endsWith("/auth/refresh"))).toHaveLength(1);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
      // The session itself lives on (company credential could be added; status works).
      expect((await call(s, "passgage_session_status")).isError).toBe(false);
    } finally {
      upstream.restore();
    }
  });

  it("refreshes ahead of expiry, once, even under concurrent calls", async () => {
    const upstream = captureUpstream({ tokenTtlSeconds: TOKEN_TTL_S });
    const logs = captureLogs();
    try {
      const s = await signedIn(SEED.ayse);
      const token = upstream.tokens.at(-1) ?? "";
      const exp = tokenExpiry(token);
      expect(exp).not.toBeNull();
      const before = await refreshCount(upstream.tokens);
      // Outside the refresh-ahead window: no refresh.
      await call(s, "passgage_list_leaves", { per_page: 1 });
      expect((await refreshCount(upstream.tokens)) - before).toBe(0);
      // Inside it (the token is still valid upstream): one shared refresh for 10 concurrent calls.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime((exp ?? 0) - TOKEN_REFRESH_AHEAD_MS / 2);
      const results = await Promise.all(Array.from({ length: 10 }, () => call(s, "passgage_list_leaves", { per_page: 1 })));
      expect(results.filter((r) => r.isError)).toEqual([]);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
      const fresh = upstream.tokens.at(-1) ?? "";
      expect(fresh).not.toBe(token);
      const reads = upstream.calls.filter((c) => c.path.startsWith(LEAVES));
      expect(reads.slice(1).every((c) => c.credential === fresh)).toBe(true);
      expect(logs.lines.some((l) => l.event === "session.token_refresh" && l.outcome === "ok")).toBe(true);
      // The new token is short-lived too (same TTL): it is used, not refreshed ahead on every call.
      for (let i = 0; i < 5; i++) expect((await call(s, "passgage_list_leaves", { per_page: 1 })).isError).toBe(false);
      expect((await refreshCount(upstream.tokens)) - before).toBe(1);
    } finally {
      upstream.restore();
      logs.restore();
    }
  });

  it("a transient refresh failure ahead of expiry keeps using the still-valid token and waits a cooldown before retrying", async () => {
    const upstream = captureUpstream({ tokenTtlSeconds: TOKEN_TTL_S });
    try {
      const s = await signedIn(SEED.ayse);
      const token = upstream.tokens.at(-1) ?? "";
      const exp = tokenExpiry(token) ?? 0;
      await armFault("500", 100, { method: "POST", pathPrefix: "/api/public/auth/refresh", credential: token });
      vi.useFakeTimers({ toFake: ["Date"] });
      const t0 = exp - TOKEN_REFRESH_AHEAD_MS / 2;
      vi.setSystemTime(t0);
      for (let i = 0; i < 5; i++) expect((await call(s, "passgage_list_leaves", { per_page: 1 })).isError).toBe(false);
      expect(upstream.calls.filter((c) => c.path.endsWith("/auth/refresh"))).toHaveLength(1);
      expect(upstream.calls.filter((c) => c.path.startsWith(LEAVES)).every((c) => c.credential === token)).toBe(true);
      vi.setSystemTime(t0 + REFRESH_RETRY_COOLDOWN_MS + 1);
      await call(s, "passgage_list_leaves", { per_page: 1 });
      expect(upstream.calls.filter((c) => c.path.endsWith("/auth/refresh"))).toHaveLength(2);
    } finally {
      upstream.restore();
    }
  });
});

/** The `exp` claim of a JWT in ms, if any. */
function tokenExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}
