/**
 * The web console's own credential (issue 13), kept only in an HttpOnly, SameSite=Strict cookie
 * scoped to Path=/console (Secure over https; plain http only for local development), never in
 * the page:
 *
 * - a signed-in user or company key: `s.<session ID>` of a FRESH session the console's sign-in
 *   minted (listed as the "Web console" client, ended by the console's sign-out);
 * - an operator: `o.<issuedAt>.<nonce>.<MAC>`, a short-lived (CONSOLE_OPERATOR_TTL_SECONDS)
 *   token signed with a key derived from ENCRYPTION_KEY and bound to the current ADMIN_TOKEN
 *   (its SHA-256 is in the MAC), so the raw admin token is never stored in the browser and
 *   rotating it ends every operator console.
 *
 * CSRF: every state change carries a token derived from the cookie (HMAC under its own derived
 * key, the signed double-submit pattern): a page of another site can neither read the cookie
 * nor compute the token. The HMAC keys are derived with HKDF-SHA-256 and never stored.
 */
import { fromBase64Url, toBase64Url, utf8 } from "../crypto/encoding";
import { purposeHmacKey } from "../crypto/purpose-key";
import { constantTimeEqual, isSessionIdFormat, sha256Hex } from "../crypto/session-id";

/** How long an operator's console sign-in lasts (s). */
export const CONSOLE_OPERATOR_TTL_SECONDS = 3600;

/** The cookie's path: the console and its JSON API only. */
const COOKIE_PATH = "/console";

const OPERATOR_PATTERN = /^o\.(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A console credential read from its cookie (not yet checked against a live session). */
export type ConsoleCredential =
  { readonly kind: "session"; readonly sessionId: string } | { readonly kind: "operator"; readonly value: string };

/** Name of the cookie (`__Secure-` prefixed over https: only a secure origin may set it). */
export function consoleCookieName(secure: boolean): string {
  return secure ? "__Secure-passgage_console" : "passgage_console";
}

/** The Set-Cookie value carrying `value` for `maxAgeSeconds`, or clearing the cookie when `value` is null. */
export function consoleSetCookie(secure: boolean, value: string | null, maxAgeSeconds = 0): string {
  const attrs = [
    `${consoleCookieName(secure)}=${value ?? ""}`,
    `Path=${COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${value === null ? 0 : Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

/** Reads the console credential from a Cookie header; null when absent or malformed. */
export function readConsoleCookie(cookieHeader: string | null, secure: boolean): ConsoleCredential | null {
  if (!cookieHeader) return null;
  const name = consoleCookieName(secure);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (value.startsWith("s.") && isSessionIdFormat(value.slice(2))) return { kind: "session", sessionId: value.slice(2) };
    if (OPERATOR_PATTERN.test(value)) return { kind: "operator", value };
    return null;
  }
  return null;
}

/** The cookie value of a console session. */
export function sessionCookieValue(sessionId: string): string {
  return `s.${sessionId}`;
}

async function operatorMac(encryptionKeyHex: string, adminToken: string, issuedAt: number, nonce: string): Promise<ArrayBuffer> {
  const text = `console-operator:v1:${issuedAt}:${nonce}:${await sha256Hex(adminToken)}`;
  return crypto.subtle.sign("HMAC", await purposeHmacKey(encryptionKeyHex, "console-operator/v1"), utf8.encode(text));
}

/** The nonce of an operator console token (what its sign-out ends), or null when `value` is not one. */
export function operatorNonce(value: string): string | null {
  return OPERATOR_PATTERN.exec(value)?.[2] ?? null;
}

/** A fresh operator console token (after the admin token was checked). */
export async function issueOperatorToken(encryptionKeyHex: string, adminToken: string, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const mac = new Uint8Array(await operatorMac(encryptionKeyHex, adminToken, issuedAt, nonce));
  return `o.${issuedAt}.${nonce}.${toBase64Url(mac)}`;
}

/** Whether an operator console token is genuine, unexpired and bound to the current admin token. */
export async function verifyOperatorToken(
  encryptionKeyHex: string,
  adminToken: string | null,
  value: string,
  nowMs: number,
): Promise<boolean> {
  const m = OPERATOR_PATTERN.exec(value);
  if (!m || adminToken === null) return false;
  const issuedAt = Number(m[1]);
  const age = Math.floor(nowMs / 1000) - issuedAt;
  if (age < -60 || age > CONSOLE_OPERATOR_TTL_SECONDS) return false;
  const mac = fromBase64Url(m[3] ?? "");
  if (!mac) return false;
  const text = `console-operator:v1:${issuedAt}:${m[2] ?? ""}:${await sha256Hex(adminToken)}`;
  return crypto.subtle.verify("HMAC", await purposeHmacKey(encryptionKeyHex, "console-operator/v1"), mac, utf8.encode(text));
}

/** The CSRF token of a console credential (the cookie's value): a page of this origin shows it, a foreign page cannot compute it. */
export async function consoleCsrfToken(encryptionKeyHex: string, credential: ConsoleCredential): Promise<string> {
  const value = credential.kind === "session" ? sessionCookieValue(credential.sessionId) : credential.value;
  const mac = await crypto.subtle.sign(
    "HMAC",
    await purposeHmacKey(encryptionKeyHex, "console-csrf/v1"),
    utf8.encode(`console-csrf:v1:${value}`),
  );
  return toBase64Url(new Uint8Array(mac));
}

/** Whether a presented CSRF token matches the credential (constant time). */
export async function verifyConsoleCsrf(
  encryptionKeyHex: string,
  credential: ConsoleCredential,
  presented: string | null,
): Promise<boolean> {
  if (presented === null || presented.length !== 43) return false;
  return constantTimeEqual(presented, await consoleCsrfToken(encryptionKeyHex, credential));
}
