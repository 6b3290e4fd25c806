/**
 * KV is a mirror, never the authority: when the PASSGAGE_SESSIONS binding (or the
 * registry) fails, the SessionDO still signs in, serves, and signs out, and says so in
 * the logs. The object's env is replaced inside the object (runInDurableObject) with
 * bindings that throw, synchronously or by rejecting.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionDO } from "../../durable-objects/session";
import {
  call,
  captureLogs,
  dumpStorage,
  eventually,
  type Fresh,
  freshSession,
  loginKey,
  loginPassword,
  mirrorOf,
  SEED,
} from "./session-fixtures";

function brokenKv(style: "throw" | "reject"): KVNamespace {
  const fail = (): never => {
    throw new Error("KV unavailable");
  };
  const op = style === "throw" ? fail : () => Promise.reject(new Error("KV unavailable"));
  return new Proxy({} as KVNamespace, { get: () => op });
}

async function breakBindings(s: Fresh, bindings: Partial<Env>): Promise<void> {
  await runInDurableObject(s.stub, (instance: SessionDO) => {
    const holder = instance as unknown as { env: Env };
    holder.env = { ...env, ...bindings };
  });
}

describe("KV mirror failures", () => {
  for (const style of ["throw", "reject"] as const) {
    it(`a KV binding that ${style}s: login, calls, switch and logout still work; the DO stays authoritative`, async () => {
      const logs = captureLogs();
      try {
        const s = await freshSession();
        await breakBindings(s, { PASSGAGE_SESSIONS: brokenKv(style) });
        const r = await loginPassword(s, SEED.admin);
        expect(r.ok).toBe(true);
        expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
        expect((await call(s, "passgage_list_users", { per_page: 1 })).isError).toBe(false);
        expect((await call(s, "passgage_session_switch_mode", { mode: "user" })).isError).toBe(false);
        await eventually(async () => logs.events().includes("kv_mirror.write_failed"), "write failure logged");
        expect(await mirrorOf(s.hash)).toBeNull();
        expect((await dumpStorage(s.stub)).kv.map(([k]) => k).sort()).toEqual(["meta", "secret:company", "secret:user"]);

        const out = await call(s, "passgage_session_logout");
        expect(out.structured).toMatchObject({ loggedOut: true });
        expect(logs.events()).toContain("kv_mirror.delete_failed");
        expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
        expect((await call(s, "passgage_session_status")).kind).toBe("no_session");
      } finally {
        logs.restore();
      }
    });
  }

  it("a failing registry does not block login or logout", async () => {
    const logs = captureLogs();
    try {
      const s = await freshSession();
      const brokenRegistry = new Proxy({} as Env["REGISTRY"], {
        get: () => () => {
          throw new Error("registry unavailable");
        },
      });
      await breakBindings(s, { REGISTRY: brokenRegistry });
      expect((await loginKey(s, SEED.globexKey)).ok).toBe(true);
      await eventually(async () => logs.events().includes("registry.write_failed"), "registry failure logged");
      expect((await call(s, "passgage_session_logout")).structured).toMatchObject({ loggedOut: true });
      expect(logs.events()).toContain("registry.delete_failed");
      expect(await dumpStorage(s.stub)).toEqual({ kv: [], sql: [], alarm: null });
    } finally {
      logs.restore();
    }
  });
});
