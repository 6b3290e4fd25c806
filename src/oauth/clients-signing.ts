/**
 * HMAC-SHA-256 signatures of the authorization server's stateless artefacts (DCR client
 * ids, the authorize page's signed parameters). Each purpose has its own key, derived with
 * HKDF-SHA-256 from ENCRYPTION_KEY and a purpose label, so a signature made for one purpose
 * never verifies for another and no key is ever stored. Signing uses the current key;
 * verification also accepts ENCRYPTION_KEY_PREVIOUS, so a key rotation does not break
 * registered clients or forms already open.
 */
import { fromBase64Url, toBase64Url, utf8 } from "../crypto/encoding";
import { purposeHmacKey } from "../crypto/purpose-key";

/** The purposes of a signature (HKDF info labels). */
export type SigningPurpose = "oauth-client/v1" | "oauth-authorize-ticket/v1";

/** The master keys (hex) a signature may be made and checked with: current first, then the previous one. */
export interface SigningKeys {
  readonly current: string;
  readonly previous: string | null;
}

/** The base64url HMAC of `text` under the current key for `purpose`. */
export async function signText(keys: SigningKeys, purpose: SigningPurpose, text: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await purposeHmacKey(keys.current, purpose), utf8.encode(`${purpose}:${text}`));
  return toBase64Url(new Uint8Array(mac));
}

/** Whether `mac` (base64url) signs `text` for `purpose` under the current or previous key; constant-time (WebCrypto verify). */
export async function verifyText(keys: SigningKeys, purpose: SigningPurpose, text: string, mac: string): Promise<boolean> {
  const bytes = fromBase64Url(mac);
  if (bytes === null || bytes.byteLength !== 32) return false;
  const data = utf8.encode(`${purpose}:${text}`);
  for (const hex of keys.previous === null ? [keys.current] : [keys.current, keys.previous]) {
    if (await crypto.subtle.verify("HMAC", await purposeHmacKey(hex, purpose), bytes, data)) return true;
  }
  return false;
}

/** The signing keys of a configuration, or null when ENCRYPTION_KEY is missing (nothing can be signed). */
export function signingKeysOf(config: {
  readonly encryptionKeyHex: string | null;
  readonly previousEncryptionKeyHex: string | null;
}): SigningKeys | null {
  return config.encryptionKeyHex === null ? null : { current: config.encryptionKeyHex, previous: config.previousEncryptionKeyHex };
}
