/**
 * HMAC-SHA-256 keys for one purpose each, derived with HKDF-SHA-256 from ENCRYPTION_KEY (hex) and a
 * purpose label, so a MAC made for one purpose (the /login CSRF token, a DCR client id, the
 * authorize page's signed parameters, the console's operator token and CSRF) never verifies for
 * another, and no key is ever stored. Derived keys are cached per isolate (purpose and master key).
 */
import { fromHex, utf8 } from "./encoding";

const cache = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA-256 key (sign and verify) of `purpose` under the master key `masterHex`. */
export function purposeHmacKey(masterHex: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}:${masterHex}`;
  let key = cache.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", fromHex(masterHex), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: utf8.encode("passgage-mcp"), info: utf8.encode(purpose) },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    cache.set(id, key);
  }
  return key;
}
