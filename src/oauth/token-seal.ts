/**
 * Each live token carries the raw session ID sealed under a key that only the token opens:
 * AES-256-GCM (src/crypto/sealing.ts) under a key derived with HKDF-SHA-256 from
 * ENCRYPTION_KEY (input key material) and the token itself (salt), AAD bound to the session
 * hash and the token kind. The SessionDO needs the raw ID to open its own sealed secrets;
 * its storage plus the master key, without the token, reveals nothing.
 */
import type { Config } from "../config";
import { utf8 } from "../crypto/encoding";
import { aadFor, importMasterKey, open, seal, type SessionKey } from "../crypto/sealing";
import type { TokenKind } from "./oauth-token";

const HKDF_INFO = utf8.encode("passgage-mcp/oauth-token/v1");

type KeyConfig = Pick<Config, "encryptionKeyHex" | "previousEncryptionKeyHex">;

async function tokenKey(masterHex: string, token: string): Promise<SessionKey> {
  const master = await importMasterKey(masterHex);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8.encode(token), info: HKDF_INFO },
    master.key,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return { kid: master.kid, key };
}

/** The keys a token opens (current first, then ENCRYPTION_KEY_PREVIOUS); none without ENCRYPTION_KEY. */
async function tokenKeys(config: KeyConfig, token: string): Promise<SessionKey[]> {
  if (!config.encryptionKeyHex) return [];
  const keys = [await tokenKey(config.encryptionKeyHex, token)];
  const previous = config.previousEncryptionKeyHex;
  if (previous && previous.toLowerCase() !== config.encryptionKeyHex.toLowerCase()) keys.push(await tokenKey(previous, token));
  return keys;
}

/** Seals the session ID under `token`'s key; null without ENCRYPTION_KEY. */
export async function sealForToken(
  config: KeyConfig,
  token: string,
  kind: TokenKind,
  sessionHash: string,
  sessionId: string,
): Promise<string | null> {
  const [current] = await tokenKeys(config, token);
  return current ? seal(current, sessionId, aadFor(sessionHash, `oauth:${kind}`)) : null;
}

/** Opens a session ID sealed for `token`; null when it does not open (another token, kind, session or key). */
export async function openWithToken(
  config: KeyConfig,
  token: string,
  kind: TokenKind,
  sessionHash: string,
  sealed: string,
): Promise<string | null> {
  const keys = await tokenKeys(config, token);
  return keys.length === 0 ? null : open(keys, sealed, aadFor(sessionHash, `oauth:${kind}`));
}
