/**
 * CSRF protection of the sign-in form: a signed, expiring token bound to a cookie
 * (the "signed double-submit cookie" pattern of the OWASP CSRF cheat sheet).
 *
 * GET /login sets a random nonce in an HttpOnly, SameSite=Strict cookie (`__Host-`
 * prefixed over https, so no sibling subdomain can plant one) and puts
 * `v1.<issuedAt>.<HMAC(nonce, issuedAt)>` in a hidden form field. A POST is accepted
 * only when the field verifies against the cookie's nonce and is younger than
 * CSRF_TOKEN_TTL_SECONDS. The HMAC key is derived with HKDF-SHA-256 from the
 * configured ENCRYPTION_KEY, so it is never stored and rotates with that key.
 */
import { toBase64Url, fromBase64Url, utf8 } from "../crypto/encoding";
import { purposeHmacKey } from "../crypto/purpose-key";
import { err, ok, type Result } from "../result";

/** How long a form stays valid after it was served. */
export const CSRF_TOKEN_TTL_SECONDS = 3600;
/** Clock skew tolerated for a token issued "in the future" (another isolate's clock). */
const CLOCK_SKEW_SECONDS = 60;
/** Random bytes of the cookie nonce. */
const NONCE_BYTES = 32;
/** Name of the hidden form field. */
export const CSRF_FIELD = "csrf";
const TOKEN_PATTERN = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Why a token was refused (for logs; the page shows one message). */
export type CsrfFailure = "missing_cookie" | "missing_token" | "malformed" | "expired" | "bad_signature";

function signedText(nonce: string, issuedAt: number): BufferSource {
  return utf8.encode(`login-csrf:v1:${nonce}:${issuedAt}`);
}

/** Name of the cookie: `__Host-` prefixed when the page is served over https. */
export function csrfCookieName(secure: boolean): string {
  return secure ? "__Host-passgage_login" : "passgage_login";
}

/** The Set-Cookie value carrying `nonce` (or clearing the cookie when `nonce` is null). */
export function csrfSetCookie(secure: boolean, nonce: string | null): string {
  const attrs = [
    `${csrfCookieName(secure)}=${nonce ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${nonce === null ? 0 : CSRF_TOKEN_TTL_SECONDS}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

/** Reads the nonce cookie from a Cookie header, or null. */
export function readCsrfCookie(cookieHeader: string | null, secure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = csrfCookieName(secure);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return NONCE_PATTERN.test(value) ? value : null;
    }
  }
  return null;
}

/** A fresh cookie nonce and the form token bound to it. */
export async function issueCsrf(encryptionKeyHex: string, nowMs: number): Promise<{ readonly nonce: string; readonly token: string }> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
  return { nonce, token: await tokenFor(encryptionKeyHex, nonce, nowMs) };
}

/** The form token for an existing nonce (re-rendering a form keeps its cookie). */
export async function tokenFor(encryptionKeyHex: string, nonce: string, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await purposeHmacKey(encryptionKeyHex, "login-form-csrf/v1"), signedText(nonce, issuedAt)),
  );
  return `v1.${issuedAt}.${toBase64Url(mac)}`;
}

/** Verifies a posted token against the cookie nonce; constant-time (WebCrypto verify). */
export async function verifyCsrf(
  encryptionKeyHex: string,
  nonce: string | null,
  token: string | null,
  nowMs: number,
): Promise<Result<void, CsrfFailure>> {
  if (nonce === null) return err("missing_cookie");
  if (token === null || token === "") return err("missing_token");
  const m = TOKEN_PATTERN.exec(token);
  const mac = m?.[2] ? fromBase64Url(m[2]) : null;
  if (!m || !mac) return err("malformed");
  const issuedAt = Number(m[1]);
  const age = Math.floor(nowMs / 1000) - issuedAt;
  if (age > CSRF_TOKEN_TTL_SECONDS || age < -CLOCK_SKEW_SECONDS) return err("expired");
  const valid = await crypto.subtle.verify(
    "HMAC",
    await purposeHmacKey(encryptionKeyHex, "login-form-csrf/v1"),
    mac,
    signedText(nonce, issuedAt),
  );
  return valid ? ok(undefined) : err("bad_signature");
}
