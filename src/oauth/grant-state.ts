/**
 * The OAuth grant a session holds (one grant = one session), as stored in its SessionDO
 * under `oauth:grant`, and the pure decisions over it. Only digests of tokens are stored
 * (src/oauth/oauth-token.ts), each with the session ID sealed under a key the token
 * itself opens (src/oauth/token-seal.ts). The grant is wiped with the session.
 */
import * as z from "zod/mini";
import { constantTimeEqual } from "../crypto/session-id";

/** Storage key of the grant in the SessionDO. */
export const KEY_GRANT = "oauth:grant";
/** Lifetime of an authorization code (ms): short, as OAuth 2.1 §4.1.2 recommends. */
export const CODE_TTL_MS = 60_000;
/** How many rotated refresh-token digests a grant remembers for reuse detection. */
export const MAX_ROTATED_REFRESH = 32;

const DigestSchema = z.string().check(z.regex(/^[0-9a-f]{64}$/));
/** A live token: its digest, the session ID sealed under it, and its expiry (epoch ms). */
const LiveTokenSchema = z.object({ digest: DigestSchema, sealed: z.string(), expiresAt: z.number() });

/** The stored grant. */
export const GrantSchema = z.object({
  v: z.literal(1),
  clientId: z.string(),
  redirectUri: z.string(),
  /** The audience (RFC 8707): the canonical MCP URL the grant was issued for. */
  resource: z.string(),
  scope: z.string(),
  /** The unexchanged authorization code (null once exchanged) and its S256 challenge. */
  code: z.nullable(z.extend(LiveTokenSchema, { challenge: z.string() })),
  /** Digest of the exchanged code: presenting it again revokes the grant. */
  usedCode: z.nullable(DigestSchema),
  access: z.nullable(LiveTokenSchema),
  refresh: z.nullable(LiveTokenSchema),
  /** Digests of rotated refresh tokens (newest last, bounded): presenting one revokes the grant. */
  rotated: z.array(DigestSchema),
});
/** A stored grant. */
export type Grant = z.infer<typeof GrantSchema>;
/** A live token of a grant. */
export type LiveToken = z.infer<typeof LiveTokenSchema>;

/** The grant in `value` (a storage read), or null when absent or unreadable. */
export function parseGrant(value: unknown): Grant | null {
  const parsed = GrantSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * When the grant's unexchanged code expires (epoch ms), or null (no grant, or the code was
 * exchanged). The SessionDO's alarm is due then: a session whose code was never exchanged
 * is of no use to anyone (its ID was never shown), so it ends rather than hold a Passgage
 * login and a slot of the account's session cap until its own expiry.
 */
export function pendingCodeExpiry(value: unknown): number | null {
  return parseGrant(value)?.code?.expiresAt ?? null;
}

/** Whether `token` (a live token record) matches `digest` and has not expired at `now`. */
export function matchesLive(token: LiveToken | null, digest: string, now: number): token is LiveToken {
  return token !== null && constantTimeEqual(token.digest, digest) && now < token.expiresAt;
}

/** Whether `digest` is one of the grant's rotated refresh tokens (reuse). */
export function isRotatedRefresh(grant: Grant, digest: string): boolean {
  let found = false;
  for (const d of grant.rotated) found = constantTimeEqual(d, digest) || found;
  return found;
}

/** Access-token expiry: the configured lifetime, never past the session's end. */
export function accessExpiry(now: number, ttlMs: number, sessionExpiresAt: number): number {
  return Math.min(now + ttlMs, sessionExpiresAt);
}

/** The rotated list after `digest` was rotated out (bounded, newest last). */
export function withRotated(rotated: readonly string[], digest: string): string[] {
  return [...rotated, digest].slice(-MAX_ROTATED_REFRESH);
}
