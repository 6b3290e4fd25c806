/** The sign-in form's CSRF token (pure functions, explicit clocks): binding, expiry, keys, cookies. */
import { describe, expect, it } from "vitest";
import { CSRF_TOKEN_TTL_SECONDS, csrfCookieName, csrfSetCookie, issueCsrf, readCsrfCookie, tokenFor, verifyCsrf } from "../../src/web/csrf";

const KEY_A = "a".repeat(64);
const KEY_B = "b".repeat(64);
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

describe("CSRF token", () => {
  it("verifies against its own cookie nonce until it is an hour old", async () => {
    const { nonce, token } = await issueCsrf(KEY_A, T0);
    expect(token).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect((await verifyCsrf(KEY_A, nonce, token, T0)).ok).toBe(true);
    expect((await verifyCsrf(KEY_A, nonce, token, T0 + (CSRF_TOKEN_TTL_SECONDS - 1) * 1000)).ok).toBe(true);
    expect(await verifyCsrf(KEY_A, nonce, token, T0 + (CSRF_TOKEN_TTL_SECONDS + 1) * 1000)).toEqual({ ok: false, error: "expired" });
  });

  it("refuses a token from the future beyond a minute of clock skew", async () => {
    const { nonce } = await issueCsrf(KEY_A, T0);
    const future = await tokenFor(KEY_A, nonce, T0 + 120_000);
    expect(await verifyCsrf(KEY_A, nonce, future, T0)).toEqual({ ok: false, error: "expired" });
    const slightly = await tokenFor(KEY_A, nonce, T0 + 30_000);
    expect((await verifyCsrf(KEY_A, nonce, slightly, T0)).ok).toBe(true);
  });

  it("is bound to the nonce and to the key, and rejects missing or malformed input", async () => {
    const a = await issueCsrf(KEY_A, T0);
    const b = await issueCsrf(KEY_A, T0);
    expect(await verifyCsrf(KEY_A, b.nonce, a.token, T0)).toEqual({ ok: false, error: "bad_signature" });
    expect(await verifyCsrf(KEY_B, a.nonce, a.token, T0)).toEqual({ ok: false, error: "bad_signature" });
    // The issue time is signed: moving it invalidates the token.
    const [, issued, mac] = a.token.split(".");
    expect(await verifyCsrf(KEY_A, a.nonce, `v1.${Number(issued) + 1}.${mac}`, T0)).toEqual({ ok: false, error: "bad_signature" });
    expect(await verifyCsrf(KEY_A, null, a.token, T0)).toEqual({ ok: false, error: "missing_cookie" });
    expect(await verifyCsrf(KEY_A, a.nonce, null, T0)).toEqual({ ok: false, error: "missing_token" });
    expect(await verifyCsrf(KEY_A, a.nonce, "v2.1.x", T0)).toEqual({ ok: false, error: "malformed" });
  });

  it("reads only its own, well-formed cookie, named __Host- over https", async () => {
    const { nonce } = await issueCsrf(KEY_A, T0);
    expect(csrfCookieName(true)).toBe("__Host-passgage_login");
    expect(csrfCookieName(false)).toBe("passgage_login");
    expect(readCsrfCookie(`a=1; __Host-passgage_login=${nonce}; b=2`, true)).toBe(nonce);
    expect(readCsrfCookie(`passgage_login=${nonce}`, true)).toBeNull();
    expect(readCsrfCookie(`__Host-passgage_login=short`, true)).toBeNull();
    expect(readCsrfCookie(null, false)).toBeNull();
    expect(csrfSetCookie(true, nonce)).toBe(`__Host-passgage_login=${nonce}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure`);
    expect(csrfSetCookie(false, null)).toBe("passgage_login=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  });
});
