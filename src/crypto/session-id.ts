/**
 * Session IDs: `sess_` + 256 random bits in base64url (43 chars). A session ID is a
 * credential like an API key: it is never stored; Durable Object names and registry
 * keys derive from its SHA-256, and logs show only a 12-hex-char prefix of that hash.
 */
import { toBase64Url, toHex, utf8 } from "./encoding";

/** Prefix of every session ID. */
export const SESSION_ID_PREFIX = "sess_";
/** Random bytes per session ID (256 bits). */
export const SESSION_ID_BYTES = 32;
/** Exact shape of a session ID. */
export const SESSION_ID_PATTERN = /^sess_[A-Za-z0-9_-]{43}$/;

/**
 * The one horizon (ms) of session identifiers: an ended session's ID stays retired this
 * long (RETIRED_ID_TTL_MS), a DELETEd connection's tombstone lives this long
 * (CONNECTION_TOMBSTONE_TTL_MS), an Mcp-Session-Id is accepted this long after issue
 * (CONNECTION_MAX_AGE_MS) and no session lives longer (SESSION_TIMEOUT_HOURS' bound).
 */
export const SESSION_ID_REUSE_HORIZON_MS = 30 * 86_400_000;

/** A fresh session ID from the platform CSPRNG. */
export function generateSessionId(): string {
  return SESSION_ID_PREFIX + toBase64Url(crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES)));
}

/** Whether `value` has the exact shape of a session ID (cheap; no lookup). */
export function isSessionIdFormat(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}

/** SHA-256 of a string, lowercase hex. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(value))));
}

/** Full hash of a session ID: names its Durable Object. */
export async function sessionHash(sessionId: string): Promise<string> {
  return sha256Hex(`session:${sessionId}`);
}

/** Short hash (12 hex chars) for logs, registry entries and tool results. */
export function shortHash(fullHash: string): string {
  return fullHash.slice(0, 12);
}

/** Constant-time equality of two strings (lengths may leak; contents do not). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  if (x.byteLength !== y.byteLength) {
    // Compare against itself so the time does not depend on where a difference is.
    crypto.subtle.timingSafeEqual(x, x);
    return false;
  }
  return crypto.subtle.timingSafeEqual(x, y);
}
