/**
 * Key rotation (ENCRYPTION_KEY_PREVIOUS). The Worker under test runs with the default
 * (development) key; a rotated deployment is simulated by constructing the SessionDO
 * class over the same object state with a different environment, inside the object
 * (runInDurableObject), which is what a redeploy with new secrets amounts to.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SessionDO } from "../../durable-objects/session";
import { loadConfig } from "../../src/config";
import { importMasterKey, kidOf } from "../../src/crypto/sealing";
import { KvMirrorValueSchema } from "../../src/session/kv-mirror";
import type { SessionView } from "../../src/session/types";
import { dumpStorage, eventually, type Fresh, loginKey, mirrorOf, SEED, signedIn } from "./session-fixtures";

const NEW_KEY = "5a".repeat(32);
const OTHER_KEY = "c3".repeat(32);

const cfg = loadConfig(env);
if (!cfg.ok || !cfg.config.encryptionKeyHex) throw new Error("tests need an encryption key");
const OLD_KEY = cfg.config.encryptionKeyHex;

/** Runs `view` through a SessionDO built over the object's state with other keys. */
function viewWithKeys(s: Fresh, keys: { current: string; previous?: string }): Promise<SessionView | null> {
  return runInDurableObject(s.stub, async (_instance, state) => {
    const rotatedEnv: Env = {
      ...env,
      ENCRYPTION_KEY: keys.current,
      ...(keys.previous ? { ENCRYPTION_KEY_PREVIOUS: keys.previous } : {}),
    } as Env;
    const rotated = new SessionDO(state, rotatedEnv);
    return rotated.view(s.id);
  });
}

async function storedKids(s: Fresh): Promise<string[]> {
  const kv = new Map((await dumpStorage(s.stub)).kv);
  return ["secret:user", "secret:company"].flatMap((k) => {
    const v = kv.get(k);
    return typeof v === "string" ? [kidOf(v) ?? "malformed"] : [];
  });
}

describe("ENCRYPTION_KEY rotation", () => {
  it("the previous key still decrypts, the state is re-encrypted under the new key at once, and the old key is then not needed", async () => {
    const oldKid = (await importMasterKey(OLD_KEY)).kid;
    const newKid = (await importMasterKey(NEW_KEY)).kid;
    const s = await signedIn(SEED.admin);
    expect((await loginKey(s, SEED.acmeKey)).ok).toBe(true);
    const before = await s.stub.view(s.id);
    expect(await storedKids(s)).toEqual([oldKid, oldKid]);

    // Deploy: ENCRYPTION_KEY = new, ENCRYPTION_KEY_PREVIOUS = old.
    const rotated = await viewWithKeys(s, { current: NEW_KEY, previous: OLD_KEY });
    expect(rotated?.modes).toEqual(before?.modes);
    expect(rotated?.user?.email).toBe(SEED.admin.email);
    expect(await storedKids(s)).toEqual([newKid, newKid]);

    // The KV mirror follows (sealed under the new key).
    await eventually(async () => {
      const m = KvMirrorValueSchema.safeParse(JSON.parse((await mirrorOf(s.hash))?.value ?? "null"));
      return m.success && kidOf(m.data.secrets.user ?? "") === newKid && kidOf(m.data.secrets.company ?? "") === newKid;
    }, "mirror re-sealed under the new key");

    // Next deploy drops the previous key: still readable.
    expect((await viewWithKeys(s, { current: NEW_KEY }))?.user?.email).toBe(SEED.admin.email);
  });

  it("without the previous key, old ciphertext is unreadable: the session is refused, and left as it was (not wiped, not overwritten)", async () => {
    const s = await signedIn(SEED.ayse);
    const before = await dumpStorage(s.stub);
    expect(await viewWithKeys(s, { current: OTHER_KEY })).toBeNull();
    expect(await dumpStorage(s.stub)).toEqual(before);
    // Putting the key back as ENCRYPTION_KEY_PREVIOUS recovers the session.
    expect((await viewWithKeys(s, { current: OTHER_KEY, previous: OLD_KEY }))?.user?.email).toBe(SEED.ayse.email);
  });

  it("a write under the new key (a login adding a credential) seals everything under it", async () => {
    const newKid = (await importMasterKey(NEW_KEY)).kid;
    const s = await signedIn(SEED.admin);
    const kids = await runInDurableObject(s.stub, async (_instance, state) => {
      const rotated = new SessionDO(state, { ...env, ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_KEY_PREVIOUS: OLD_KEY } as Env);
      const r = await rotated.login({ sessionId: s.id, kind: "api_key", apiKey: SEED.acmeKey, requestId: "rotation" });
      if (!r.ok) throw new Error(r.error.message);
      return ["secret:user", "secret:company"].map((k) => kidOf(String(state.storage.kv.get(k))));
    });
    expect(kids).toEqual([newKid, newKid]);
    // The object as deployed in this test (old key only) can no longer read it.
    await evictDurableObject(s.stub);
    expect(await s.stub.view(s.id)).toBeNull();
  });
});
