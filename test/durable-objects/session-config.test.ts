/**
 * The SessionDO under other configurations, built over the object's state with another
 * environment (runInDurableObject): production without ENCRYPTION_KEY refuses loudly,
 * an invalid configuration creates nothing, PASSGAGE_DEBUG logs upstream method, path and
 * status but never a secret.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectErr } from "../helpers/result";
import { SessionDO } from "../../durable-objects/session";
import { armFault, call, captureLogs, captureUpstream, dumpStorage, freshSession, SEED, signedInWithKey } from "./session-fixtures";
import { fromWire } from "../../src/session/wire-outcome";

function withEnv(overrides: Record<string, string | undefined>): Env {
  const next: Record<string, unknown> = { ...env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return next as unknown as Env;
}

describe("SessionDO configuration", () => {
  it("production without ENCRYPTION_KEY: sign-in is refused with a message pointing at /health, nothing is stored", async () => {
    const s = await freshSession();
    const r = await runInDurableObject(s.stub, (_i, state) =>
      new SessionDO(
        state,
        withEnv({ ENVIRONMENT: "production", ENCRYPTION_KEY: undefined, PASSGAGE_BASE_URL: "https://api.passgage.invalid" }),
      ).login({
        sessionId: s.id,
        kind: "api_key",
        apiKey: SEED.acmeKey,
        requestId: "cfg",
      }),
    );
    const error = expectErr(r);
    expect(error.code).toBe("misconfigured");
    expect(error.message).toContain("ENCRYPTION_KEY");
    expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
  });

  it("an invalid configuration: refused, nothing stored, no upstream call", async () => {
    const upstream = captureUpstream();
    try {
      const s = await freshSession();
      const r = await runInDurableObject(s.stub, (_i, state) =>
        new SessionDO(state, withEnv({ SESSION_TIMEOUT_HOURS: "forever" })).login({
          sessionId: s.id,
          kind: "api_key",
          apiKey: SEED.acmeKey,
          requestId: "cfg",
        }),
      );
      expect(expectErr(r).code).toBe("misconfigured");
      expect(upstream.calls).toEqual([]);
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    } finally {
      upstream.restore();
    }
  });

  it("SESSION_TIMEOUT_HOURS sets the absolute lifetime", async () => {
    const s = await freshSession();
    const r = await runInDurableObject(s.stub, (_i, state) =>
      new SessionDO(state, withEnv({ SESSION_TIMEOUT_HOURS: "1" })).login({
        sessionId: s.id,
        kind: "api_key",
        apiKey: SEED.acmeKey,
        requestId: "cfg",
      }),
    );
    expect(r.ok && r.value.view.expiresAt - r.value.view.createdAt).toBe(3_600_000);
    expect((await dumpStorage(s.stub)).alarm).toBe(r.ok ? r.value.view.expiresAt : -1);
  });

  it("PASSGAGE_DEBUG logs upstream method, path and status as JSON lines, never the password, token, key or session ID", async () => {
    const logs = captureLogs();
    const upstream = captureUpstream();
    try {
      const s = await freshSession();
      await runInDurableObject(s.stub, async (_i, state) => {
        const debug = new SessionDO(state, withEnv({ PASSGAGE_DEBUG: "true" }));
        const a = await debug.login({
          sessionId: s.id,
          kind: "password",
          email: SEED.admin.email,
          password: SEED.admin.password,
          requestId: "dbg",
        });
        if (!a.ok) throw new Error(a.error.message);
        const b = await debug.login({ sessionId: s.id, kind: "api_key", apiKey: SEED.acmeKey, requestId: "dbg" });
        if (!b.ok) throw new Error(b.error.message);
        await debug.callTool({ sessionId: s.id, name: "passgage_list_users", args: { per_page: 1 }, requestId: "dbg" });
      });
      const calls = logs.lines.filter((l) => l.event === "upstream.call");
      expect(calls.length).toBeGreaterThanOrEqual(3);
      for (const c of calls) {
        expect(typeof c.method).toBe("string");
        expect(String(c.path)).toMatch(/^\/api\/public\//);
        expect(typeof c.status).toBe("number");
      }
      expect(calls.some((c) => c.path === "/api/public/auth/login" && c.method === "POST" && c.status === 200)).toBe(true);
      const raw = logs.raw.join("\n");
      for (const secret of [SEED.admin.password, SEED.acmeKey, s.id, ...upstream.tokens]) expect(raw).not.toContain(secret);
      for (const line of logs.raw) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      logs.restore();
      upstream.restore();
    }
  });

  it("PASSGAGE_TIMEOUT aborts a slow upstream call: the tool fails fast and upstream.error (timeout) is logged", async () => {
    const logs = captureLogs();
    try {
      const s = await signedInWithKey(SEED.acmeKey);
      // Slow every attempt (the first and the client's two GET retries).
      await armFault("slow:5000", 3, { method: "GET", pathPrefix: "/api/public/v1/leaves", credential: SEED.acmeKey });
      const started = Date.now();
      const out = await runInDurableObject(s.stub, (_i, state) =>
        new SessionDO(state, withEnv({ PASSGAGE_TIMEOUT: "200" })).callTool({
          sessionId: s.id,
          name: "passgage_list_leaves",
          args: { per_page: 1 },
          requestId: "timeout",
        }),
      );
      const elapsed = Date.now() - started;
      expect(fromWire(out)).toMatchObject({ kind: "result", result: { isError: true } });
      expect(elapsed).toBeLessThan(4_000);
      expect(logs.lines.some((l) => l.event === "upstream.error" && l.code === "timeout")).toBe(true);
    } finally {
      logs.restore();
    }
  });

  it("an object that just called upstream can be evicted at once (no timeout timer left pending)", async () => {
    const s = await signedInWithKey(SEED.globexKey);
    expect((await call(s, "passgage_list_users", { per_page: 1 })).isError).toBe(false);
    const started = Date.now();
    await evictDurableObject(s.stub);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await s.stub.view(s.id))?.mode).toBe("company");
  });
});
