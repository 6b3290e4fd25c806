/**
 * The console's credential (issue 13): the operator token is genuine only with this server's
 * key, within its hour, and under the ADMIN_TOKEN it was issued for (rotating the token ends
 * every operator console); the cookie is HttpOnly, SameSite=Strict, scoped to /console and
 * Secure over https; the CSRF token is bound to the cookie's value.
 */
import { describe, expect, it } from "vitest";
import {
  CONSOLE_OPERATOR_TTL_SECONDS,
  consoleCsrfToken,
  consoleSetCookie,
  issueOperatorToken,
  readConsoleCookie,
  verifyConsoleCsrf,
  verifyOperatorToken,
} from "../../src/console/console-credential";

const KEY = "11".repeat(32);
const OTHER_KEY = "22".repeat(32);
const ADMIN = "admin-token-0123456789abcdef";
const NOW = 1_800_000_000_000;
const SESSION = `sess_${"A".repeat(43)}`;

describe("console credential", () => {
  it("accepts its own operator token and refuses a forged, expired, foreign-key or rotated-admin-token one", async () => {
    const token = await issueOperatorToken(KEY, ADMIN, NOW);
    expect(token).not.toContain(ADMIN);
    expect(await verifyOperatorToken(KEY, ADMIN, token, NOW)).toBe(true);
    expect(await verifyOperatorToken(KEY, ADMIN, token, NOW + CONSOLE_OPERATOR_TTL_SECONDS * 1000)).toBe(true);
    expect(await verifyOperatorToken(KEY, ADMIN, token, NOW + (CONSOLE_OPERATOR_TTL_SECONDS + 1) * 1000)).toBe(false);
    expect(await verifyOperatorToken(OTHER_KEY, ADMIN, token, NOW)).toBe(false);
    expect(await verifyOperatorToken(KEY, `${ADMIN}x`, token, NOW)).toBe(false);
    expect(await verifyOperatorToken(KEY, null, token, NOW)).toBe(false);
    const [o, issuedAt, nonce, mac] = token.split(".");
    expect(await verifyOperatorToken(KEY, ADMIN, [o, Number(issuedAt) + 1, nonce, mac].join("."), NOW)).toBe(false);
    expect(await verifyOperatorToken(KEY, ADMIN, [o, issuedAt, nonce, "A".repeat(43)].join("."), NOW)).toBe(false);
  });

  it("reads only well-formed cookies of its own name", () => {
    expect(readConsoleCookie(`passgage_console=s.${SESSION}`, false)).toEqual({ kind: "session", sessionId: SESSION });
    expect(readConsoleCookie(`passgage_console=s.${SESSION}`, true)).toBeNull(); // https uses the __Secure- name
    expect(readConsoleCookie(`__Secure-passgage_console=s.${SESSION}`, true)).toEqual({ kind: "session", sessionId: SESSION });
    for (const bad of ["s.sess_short", "x.y", "", `o.1.${"A".repeat(22)}.short`])
      expect(readConsoleCookie(`passgage_console=${bad}`, false), bad).toBeNull();
  });

  it("sets a cookie the page's scripts cannot read, scoped to /console, Secure over https", () => {
    const https = consoleSetCookie(true, `s.${SESSION}`, 100);
    expect(https).toBe(`__Secure-passgage_console=s.${SESSION}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=100; Secure`);
    expect(consoleSetCookie(false, null)).toBe("passgage_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
  });

  it("binds the CSRF token to the cookie's value", async () => {
    const mine = { kind: "session" as const, sessionId: SESSION };
    const theirs = { kind: "session" as const, sessionId: `sess_${"B".repeat(43)}` };
    const token = await consoleCsrfToken(KEY, mine);
    expect(token).not.toContain(SESSION.slice(5));
    expect(await verifyConsoleCsrf(KEY, mine, token)).toBe(true);
    expect(await verifyConsoleCsrf(KEY, theirs, token)).toBe(false);
    expect(await verifyConsoleCsrf(OTHER_KEY, mine, token)).toBe(false);
    expect(await verifyConsoleCsrf(KEY, mine, null)).toBe(false);
    expect(await verifyConsoleCsrf(KEY, mine, `${token.slice(0, -1)}x`)).toBe(token.endsWith("x"));
  });
});
