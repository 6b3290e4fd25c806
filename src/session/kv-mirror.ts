/**
 * KV mirror key names (binding PASSGAGE_SESSIONS). The mirror holds the session's
 * non-secret metadata and its sealed (encrypted) secrets, with `expirationTtl` equal
 * to the remaining lifetime (at least 60 s, the KV minimum). It is written after the
 * Durable Object commits and is never the authority for whether a session exists.
 *
 * Keys: `session:<sha256 of the session ID, hex>`.
 */

/** KV key of a session's mirror entry. */
export function kvMirrorKey(fullHash: string): string {
  return `session:${fullHash}`;
}
