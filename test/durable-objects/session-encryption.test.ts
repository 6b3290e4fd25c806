import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { aadFor, deriveSessionKey, importMasterKey, kidOf, open } from "../../src/crypto/sealing";
import { KvMirrorValueSchema } from "../../src/session/kv-mirror";
import {
  call,
  captureLogs,
  captureUpstream,
  dumpKv,
  dumpStorage,
  eventually,
  freshSession,
  loginKey,
  loginPassword,
  mirrorOf,
  SEED,
  type StorageDump,
} from "./session-fixtures";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function text(dump: StorageDump): string {
  return JSON.stringify(dump);
}

describe("encryption at rest", () => {
  it("no password, company key, JWT or session ID in clear: DO storage, KV mirror (keys, values, metadata), logs", async () => {
    const upstream = captureUpstream();
    const logs = captureLogs();
    try {
      const s = await freshSession();
      const login = await loginPassword(s, SEED.admin);
      expect(login.ok).toBe(true);
      expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
      const jwt = upstream.tokens.at(-1) ?? "";
      expect(jwt.length).toBeGreaterThan(10);
      // Use the session (user mode too), so every write path has run.
      await call(s, "passgage_list_users", { per_page: 1 });
      await call(s, "passgage_session_switch_mode", { mode: "user" });
      await call(s, "passgage_list_leaves", { per_page: 1 });
      await eventually(async () => (await mirrorOf(s.hash)) !== null, "KV mirror");
      await evictDurableObject(s.stub);
      expect((await s.stub.view(s.id))?.modes).toEqual(["user", "company"]);

      const storage = text(await dumpStorage(s.stub));
      const kv = await dumpKv();
      const logText = logs.raw.join("\n");
      const jwtParts = jwt.split(".").filter((p) => p.length >= 16);
      const needles: [string, string][] = [
        ["seed password", SEED.admin.password],
        ["company key", SEED.acmeKey],
        ["company key body", SEED.acmeKey.slice("psg_cmp_".length)],
        ["JWT", jwt],
        ["raw session ID", s.id],
        ["session ID body", s.id.slice("sess_".length)],
        ...jwtParts.map((p, i): [string, string] => [`JWT part ${i}`, p]),
      ];
      for (const [what, needle] of needles) {
        expect(storage.includes(needle), `${what} in DO storage`).toBe(false);
        expect(kv.includes(needle), `${what} in KV`).toBe(false);
        expect(logText.includes(needle), `${what} in logs`).toBe(false);
      }
      // Logs name the session only by its short hash.
      const named = logs.lines.filter((line) => line.sessionId !== undefined).map((line) => line.sessionId);
      expect(named.length).toBeGreaterThan(0);
      for (const sessionId of named) expect(sessionId).toMatch(/^[0-9a-f]{12}$/);
    } finally {
      upstream.restore();
      logs.restore();
    }
  });

  it("stored secrets are AES-GCM envelopes under a key id, bound to their session and field", async () => {
    const s = await freshSession();
    expect((await loginPassword(s, SEED.admin)).ok).toBe(true);
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    const dump = await dumpStorage(s.stub);
    const stored = new Map(dump.kv);
    const user = stored.get("secret:user");
    const company = stored.get("secret:company");
    expect(typeof user).toBe("string");
    expect(typeof company).toBe("string");
    const cfg = loadConfig(env);
    if (!cfg.ok || !cfg.config.encryptionKeyHex) throw new Error("no key in tests");
    const key = await deriveSessionKey(await importMasterKey(cfg.config.encryptionKeyHex), s.id);
    for (const [field, sealed] of [
      ["secret:user", user],
      ["secret:company", company],
    ] as const) {
      expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(kidOf(String(sealed))).toBe(key.kid);
      expect(await open([key], String(sealed), aadFor(s.hash, field))).not.toBeNull();
      // Not under the other field's AAD, nor with a key derived without the raw ID.
      expect(await open([key], String(sealed), aadFor(s.hash, field === "secret:user" ? "secret:company" : "secret:user"))).toBeNull();
      expect(
        await open(
          [await deriveSessionKey(await importMasterKey(cfg.config.encryptionKeyHex), s.hash)],
          String(sealed),
          aadFor(s.hash, field),
        ),
      ).toBeNull();
    }
    expect(await open([key], String(company), aadFor(s.hash, "secret:company"))).toBe(SEED.acmeKey);
    // The mirror carries the same kind of envelopes, never plaintext.
    await eventually(async () => (await mirrorOf(s.hash)) !== null, "KV mirror");
    const mirror = KvMirrorValueSchema.parse(JSON.parse((await mirrorOf(s.hash))?.value ?? "null"));
    expect(kidOf(mirror.secrets.company ?? "")).toBe(key.kid);
    expect(await open([key], mirror.secrets.company ?? "", aadFor(s.hash, "secret:company"))).toBe(SEED.acmeKey);
  });

  it("every write uses a fresh IV: re-sealing the same secret never repeats a ciphertext", async () => {
    const s = await freshSession();
    const seen = new Set<string>();
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      const stored = new Map((await dumpStorage(s.stub)).kv).get("secret:company");
      seen.add(String(stored));
      expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    }
    expect(seen.size).toBe(4);
  });

  it("the raw password never reaches storage even when the login is refused", async () => {
    const s = await freshSession();
    const logs = captureLogs();
    try {
      const wrong = "Wr0ng-but-secret-password!";
      expect((await loginPassword(s, { email: SEED.ayse.email, password: wrong })).ok).toBe(false);
      expect(text(await dumpStorage(s.stub))).not.toContain(wrong);
      expect(logs.raw.join("\n")).not.toContain(wrong);
      expect(await dumpKv()).not.toContain(wrong);
    } finally {
      logs.restore();
    }
  });
});
