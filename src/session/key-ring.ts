/**
 * A session's key ring and the sealing of its secrets. The current key (from
 * ENCRYPTION_KEY) seals; every key (current and ENCRYPTION_KEY_PREVIOUS) opens, so a
 * rotation needs no downtime: a secret opened under an old key is reported `stale` and
 * the SessionDO re-seals it under the current key. Keys derive from the raw session ID
 * (src/crypto/sealing.ts), which is never stored. Pure apart from WebCrypto: no storage.
 */
import type { Config } from "../config";
import { aadFor, deriveSessionKey, importMasterKey, kidOf, open, seal, type SessionKey } from "../crypto/sealing";
import { type Secrets, type UserCredential, UserCredentialSchema } from "./state";

/** Storage key of the sealed user credential (also its AAD field name). */
export const KEY_SECRET_USER = "secret:user";
/** Storage key of the sealed company API key (also its AAD field name). */
export const KEY_SECRET_COMPANY = "secret:company";

/** Keys of one session: the current key seals, every key (current and previous) opens. */
export interface KeyRing {
  /** The session hash the ring belongs to (part of every AAD). */
  readonly hash: string;
  readonly current: SessionKey;
  readonly all: readonly SessionKey[];
}

/** The sealed forms of a session's secrets, as stored (null: none stored). */
export interface SealedSecrets {
  readonly user: string | null;
  readonly company: string | null;
}

/** Derives the key ring of a session from ENCRYPTION_KEY (and _PREVIOUS) and the raw ID; null without a key. */
export async function deriveKeyRing(
  config: Pick<Config, "encryptionKeyHex" | "previousEncryptionKeyHex">,
  sessionId: string,
  hash: string,
): Promise<KeyRing | null> {
  if (!config.encryptionKeyHex) return null;
  const current = await deriveSessionKey(await importMasterKey(config.encryptionKeyHex), sessionId);
  const all = [current];
  if (config.previousEncryptionKeyHex && config.previousEncryptionKeyHex.toLowerCase() !== config.encryptionKeyHex.toLowerCase()) {
    all.push(await deriveSessionKey(await importMasterKey(config.previousEncryptionKeyHex), sessionId));
  }
  return { hash, current, all };
}

/** Seals the secrets under the ring's current key, each bound to the session hash and its field. */
export async function sealSecrets(ring: KeyRing, secrets: Secrets): Promise<SealedSecrets> {
  return {
    user: secrets.user ? await seal(ring.current, JSON.stringify(secrets.user), aadFor(ring.hash, KEY_SECRET_USER)) : null,
    company: secrets.apiKey ? await seal(ring.current, secrets.apiKey, aadFor(ring.hash, KEY_SECRET_COMPANY)) : null,
  };
}

/**
 * Opens stored secrets with any key of the ring. `secrets` is null when nothing could
 * be opened (no key fits: leave storage as it is); `stale` when something opened under
 * a key other than the current one (re-seal it).
 */
export async function openSecrets(ring: KeyRing, sealed: SealedSecrets): Promise<{ secrets: Secrets | null; stale: boolean }> {
  let user: UserCredential | null = null;
  let apiKey: string | null = null;
  let stale = false;
  if (sealed.user !== null) {
    const plain = await open(ring.all, sealed.user, aadFor(ring.hash, KEY_SECRET_USER));
    user = plain === null ? null : parseUserCredential(plain);
    stale ||= user !== null && kidOf(sealed.user) !== ring.current.kid;
  }
  if (sealed.company !== null) {
    apiKey = await open(ring.all, sealed.company, aadFor(ring.hash, KEY_SECRET_COMPANY));
    stale ||= apiKey !== null && kidOf(sealed.company) !== ring.current.kid;
  }
  return { secrets: user || apiKey ? { user, apiKey } : null, stale };
}

function parseUserCredential(plain: string): UserCredential | null {
  try {
    const parsed = UserCredentialSchema.safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
