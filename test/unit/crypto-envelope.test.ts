import { describe, expect, it } from "vitest";
import { aadFor, deriveSessionKey, importMasterKey, kidOf, open, seal } from "../../src/crypto/sealing";
import { fromBase64Url, fromHex, toBase64Url, toHex } from "../../src/crypto/encoding";
import { generateSessionId, sessionHash } from "../../src/crypto/session-id";

const KEY_A = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const KEY_B = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const SECRET = "psg_cmp_sandbox_acme_0000000000000000";

async function keyFor(masterHex: string, sessionId: string) {
  return deriveSessionKey(await importMasterKey(masterHex), sessionId);
}

describe("encoding", () => {
  it("round-trips hex and base64url", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(33));
    expect(fromHex(toHex(bytes))).toEqual(bytes);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(toBase64Url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("rejects malformed input", () => {
    expect(() => fromHex("abc")).toThrow("invalid hex");
    expect(() => fromHex("zz")).toThrow("invalid hex");
    expect(fromBase64Url("a+b/")).toBeNull();
  });
});

describe("AES-256-GCM envelope", () => {
  it("round-trips and carries format, key id, 96-bit IV", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    const key = await keyFor(KEY_A, id);
    const sealed = await seal(key, SECRET, aadFor(hash, "secret:company"));
    const parts = sealed.split(".");
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("v1");
    expect(parts[1]).toBe(key.kid);
    expect(kidOf(sealed)).toBe(key.kid);
    expect(fromBase64Url(parts[2] ?? "")?.byteLength).toBe(12);
    expect(sealed).not.toContain(SECRET);
    expect(await open([key], sealed, aadFor(hash, "secret:company"))).toBe(SECRET);
  });

  it("uses a fresh random IV on every write (same plaintext, different ciphertexts)", async () => {
    const id = generateSessionId();
    const key = await keyFor(KEY_A, id);
    const aad = aadFor(await sessionHash(id), "secret:user");
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const sealed = await seal(key, SECRET, aad);
      seen.add(sealed);
      ivs.add(sealed.split(".")[2] ?? "");
    }
    expect(seen.size).toBe(200);
    expect(ivs.size).toBe(200);
  });

  it("binds the ciphertext to its session and field (AAD): moved ciphertext does not open", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    const key = await keyFor(KEY_A, id);
    const sealed = await seal(key, SECRET, aadFor(hash, "secret:company"));
    expect(await open([key], sealed, aadFor(hash, "secret:user"))).toBeNull();
    expect(await open([key], sealed, aadFor(await sessionHash(generateSessionId()), "secret:company"))).toBeNull();
  });

  it("derives a different key per session ID (HKDF salt): another session's key does not open", async () => {
    const a = generateSessionId();
    const b = generateSessionId();
    const hash = await sessionHash(a);
    const sealed = await seal(await keyFor(KEY_A, a), SECRET, aadFor(hash, "f"));
    expect(await open([await keyFor(KEY_A, b)], sealed, aadFor(hash, "f"))).toBeNull();
  });

  it("a storage dump plus ENCRYPTION_KEY is not enough without the raw session ID", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    const sealed = await seal(await keyFor(KEY_A, id), SECRET, aadFor(hash, "f"));
    // The attacker knows the hash (the object name) and the master key, not the ID.
    expect(await open([await keyFor(KEY_A, hash)], sealed, aadFor(hash, "f"))).toBeNull();
  });

  it("detects tampering with any part", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    const key = await keyFor(KEY_A, id);
    const sealed = await seal(key, SECRET, aadFor(hash, "f"));
    const [v, kid, iv, ct] = sealed.split(".") as [string, string, string, string];
    const flip = (s: string): string => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const bad of [
      `${v}.${kid}.${flip(iv)}.${ct}`,
      `${v}.${kid}.${iv}.${flip(ct)}`,
      `${v}.${kid}.${iv}.${ct.slice(0, -2)}`,
      `v2.${kid}.${iv}.${ct}`,
      `${v}.${kid}.${iv}`,
      "",
      "garbage",
    ]) {
      expect(await open([key], bad, aadFor(hash, "f"))).toBeNull();
    }
  });

  it("key rotation: the key id selects the key; a previous key still opens, an unknown one does not", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    const oldKey = await keyFor(KEY_A, id);
    const newKey = await keyFor(KEY_B, id);
    expect(oldKey.kid).not.toBe(newKey.kid);
    const underOld = await seal(oldKey, SECRET, aadFor(hash, "f"));
    // After rotation: ENCRYPTION_KEY = B, ENCRYPTION_KEY_PREVIOUS = A.
    expect(await open([newKey, oldKey], underOld, aadFor(hash, "f"))).toBe(SECRET);
    // Re-encrypted under the new key, it no longer needs the old one.
    const underNew = await seal(newKey, SECRET, aadFor(hash, "f"));
    expect(kidOf(underNew)).toBe(newKey.kid);
    expect(await open([newKey], underNew, aadFor(hash, "f"))).toBe(SECRET);
    // Without the previous key, old ciphertext is unreadable.
    expect(await open([newKey], underOld, aadFor(hash, "f"))).toBeNull();
  });

  it("the key id does not reveal the key", async () => {
    const master = await importMasterKey(KEY_A);
    expect(master.kid).toMatch(/^[0-9a-f]{8}$/);
    expect(KEY_A).not.toContain(master.kid);
  });
});
