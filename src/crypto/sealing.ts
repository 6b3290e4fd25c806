/**
 * Sealing (encryption at rest; a "sealed value" is never called an envelope here): AES-256-GCM under a per-session key derived with HKDF-SHA-256
 * from ENCRYPTION_KEY (input key material) and the raw session ID (salt), so a storage
 * dump plus the key is still not enough to decrypt. Every ciphertext carries a key id
 * (so ENCRYPTION_KEY_PREVIOUS still decrypts after a rotation), a fresh random 96-bit IV,
 * and is bound by additional authenticated data to its session hash and field name, so
 * ciphertext cannot be moved between sessions or fields.
 *
 * Wire form: `v1.<kid>.<iv base64url>.<ciphertext+tag base64url>`.
 */
import { fromBase64Url, fromHex, toBase64Url, toHex, utf8, utf8Decode } from "./encoding";

const HKDF_INFO = utf8.encode("passgage-mcp/session-state/v1");
const FORMAT = "v1";

/** A master key imported for HKDF, with its id. */
export interface MasterKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

/** A derived per-session key, with the id of the master key it came from. */
export interface SessionKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

const masterCache = new Map<string, Promise<MasterKey>>();

/** Imports a 64-hex-char master key once per isolate (cached). */
export function importMasterKey(hex: string): Promise<MasterKey> {
  let hit = masterCache.get(hex);
  if (!hit) {
    hit = (async () => {
      const raw = fromHex(hex);
      const kid = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", raw))).slice(0, 8);
      const key = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
      return { kid, key };
    })();
    masterCache.set(hex, hit);
  }
  return hit;
}

/** Derives the AES-256-GCM key of one session from a master key and the raw session ID. */
export async function deriveSessionKey(master: MasterKey, sessionId: string): Promise<SessionKey> {
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8.encode(sessionId), info: HKDF_INFO },
    master.key,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return { kid: master.kid, key };
}

/** Additional authenticated data binding a ciphertext to its session and field. */
export function aadFor(sessionHashHex: string, field: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(utf8.encode(`${sessionHashHex}|${field}`));
}

/** Encrypts a UTF-8 string. */
export async function seal(key: SessionKey, plaintext: string, aad: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key.key, utf8.encode(plaintext));
  return `${FORMAT}.${key.kid}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

/** The key id a ciphertext was sealed with, or null when malformed. */
export function kidOf(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 4 && parts[0] === FORMAT ? (parts[1] ?? null) : null;
}

/** Decrypts; null when malformed, tampered with, moved, or under an unknown key. */
export async function open(keys: readonly SessionKey[], sealed: string, aad: Uint8Array<ArrayBuffer>): Promise<string | null> {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== FORMAT) return null;
  const key = keys.find((k) => k.kid === parts[1]);
  const iv = fromBase64Url(parts[2] ?? "");
  const ct = fromBase64Url(parts[3] ?? "");
  if (!key || !iv || iv.byteLength !== 12 || !ct) return null;
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key.key, ct);
    return utf8Decode.decode(pt);
  } catch {
    return null;
  }
}
