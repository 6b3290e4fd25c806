/**
 * PKCE (RFC 7636) with S256 only, as OAuth 2.1 and MCP require: the `plain` method and a
 * missing challenge are refused at /authorize, and the token endpoint checks
 * BASE64URL(SHA-256(code_verifier)) against the stored challenge in constant time.
 */
import { toBase64Url, utf8 } from "../crypto/encoding";
import { constantTimeEqual } from "../crypto/session-id";

/** A code verifier or challenge: 43–128 characters of the unreserved set (RFC 7636 §4.1). */
export const PKCE_VALUE_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** The S256 challenge of a verifier. */
export async function s256Challenge(verifier: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(verifier))));
}

/** Whether `verifier` is well formed and its S256 challenge equals `challenge`. */
export async function verifyS256(verifier: string, challenge: string): Promise<boolean> {
  if (!PKCE_VALUE_PATTERN.test(verifier)) return false;
  return constantTimeEqual(await s256Challenge(verifier), challenge);
}
