/**
 * Sessions (issue 7): 10,000 generated IDs unique and of the right format and length;
 * logout and expiry take effect on the very next request (through the Worker, by
 * X-Session-ID and by a signed-in connection); failed-login limits per IP and per
 * e-mail hold, sequentially and under concurrent attempts.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { fromBase64Url } from "../../src/crypto/encoding";
import { generateSessionId, SESSION_ID_BYTES, SESSION_ID_PATTERN } from "../../src/crypto/session-id";
import { callTool, loginAs, postMcp, SEED, textOf } from "../helpers/mcp";
import { figure, ipSource, quietLogs } from "./figures";

const cfg = loadConfig(env);
if (!cfg.ok) throw new Error(cfg.errors.join("; "));
const LOGIN_LIMIT = cfg.config.loginFailureLimit.limit;
const TTL_MS = cfg.config.sessionTtlMs;

const nextIp = ipSource("198.18");
const ip = (): Record<string, string> => ({ "cf-connecting-ip": nextIp() });
const as = (id: string): Record<string, string> => ({ ...ip(), "x-session-id": id });

quietLogs();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Whether a status call with these headers says signed in. */
async function signedIn(headers: Record<string, string>): Promise<boolean> {
  const r = await callTool("passgage_session_status", {}, headers);
  return r.structuredContent?.signedIn === true;
}

/** Whether a data tool call with these headers was served (not refused for want of a session). */
async function served(headers: Record<string, string>): Promise<boolean> {
  const r = await callTool("passgage_list_leaves", { per_page: 1 }, headers);
  return r.isError !== true;
}

describe("session IDs", () => {
  it("10,000 generated IDs are unique, sess_ + 43 base64url chars (48), 256 random bits, balanced", () => {
    const N = 10_000;
    const ids = Array.from({ length: N }, generateSessionId);
    const unique = new Set(ids).size;
    let wellFormed = 0;
    let ones = 0;
    const perPosition = Array.from({ length: 43 }, () => new Set<string>());
    for (const id of ids) {
      const bytes = fromBase64Url(id.slice(5));
      if (SESSION_ID_PATTERN.test(id) && id.length === 48 && bytes?.byteLength === SESSION_ID_BYTES) wellFormed += 1;
      for (const b of bytes ?? []) for (let bit = 0; bit < 8; bit++) ones += (b >> bit) & 1;
      for (let i = 0; i < 43; i++) perPosition[i]?.add(id.charAt(5 + i));
    }
    const balance = ones / (N * SESSION_ID_BYTES * 8);
    expect(unique).toBe(N);
    expect(wellFormed).toBe(N);
    // 2,560,000 bits: a fair source is within 0.5 ± 0.002 with overwhelming probability.
    expect(Math.abs(balance - 0.5)).toBeLessThan(0.002);
    // Each of the first 42 characters carries 6 random bits: all 64 symbols appear; the last carries 4 (16 symbols).
    for (let i = 0; i < 42; i++) expect(perPosition[i]?.size).toBe(64);
    expect(perPosition[42]?.size).toBe(16);
    figure(
      "sessions",
      `${N} generated IDs: ${unique} unique, ${wellFormed} of format sess_+43 base64url (48 chars, ${SESSION_ID_BYTES * 8} bits), bit balance ${balance.toFixed(4)}`,
    );
  });
});

describe("logout and expiry on the very next request", () => {
  it("logout: the next request with the same X-Session-ID (and with the signed-in connection) is refused, every time", async () => {
    const ROUNDS = 8;
    let servedAfter = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const id = await loginAs(round % 2 === 0 ? SEED.ayse : SEED.admin, ip());
      expect(await signedIn(as(id))).toBe(true);
      // Reads in flight while the logout runs may finish either way; the request after it may not.
      const inFlight = Array.from({ length: 4 }, () => served(as(id)));
      const out = await callTool("passgage_session_logout", {}, as(id));
      expect(out.structuredContent).toMatchObject({ loggedOut: true });
      if (await signedIn(as(id))) servedAfter += 1;
      if (await served(as(id))) servedAfter += 1;
      await Promise.all(inFlight);
      expect(await signedIn(as(id))).toBe(false);
    }

    // A connection signed in by a login inside it (Mcp-Session-Id, no X-Session-ID).
    const init = await postMcp(
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "security", version: "1" } },
      },
      ip(),
    );
    const conn = { "mcp-session-id": init.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
    const bindOn = { ...ip(), ...conn };
    expect((await callTool("passgage_session_login", SEED.mehmet, bindOn)).isError).toBeFalsy();
    // The client adopted the bound Mcp-Session-Id of the sign-in's response.
    conn["mcp-session-id"] = bindOn["mcp-session-id"] ?? "";
    expect(await signedIn({ ...ip(), ...conn })).toBe(true);
    expect((await callTool("passgage_session_logout", {}, { ...ip(), ...conn })).structuredContent).toMatchObject({ loggedOut: true });
    if (await signedIn({ ...ip(), ...conn })) servedAfter += 1;
    if (await served({ ...ip(), ...conn })) servedAfter += 1;

    expect(servedAfter).toBe(0);
    figure(
      "sessions",
      `logout: ${ROUNDS} X-Session-ID sessions + 1 connection-bound, ${(ROUNDS + 1) * 2} requests right after logout, ${servedAfter} served`,
    );
  });

  it("expiry: served 1 ms before expiresAt, refused at expiresAt, on the very next request", async () => {
    const id = await loginAs(SEED.ayse, ip());
    const status = await callTool("passgage_session_status", {}, as(id));
    const session = status.structuredContent?.session as { expiresAt: string; createdAt: string };
    const expiresAt = Date.parse(session.expiresAt);
    expect(expiresAt - Date.parse(session.createdAt)).toBe(TTL_MS);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt - 1);
    expect(await signedIn(as(id))).toBe(true);
    vi.setSystemTime(expiresAt);
    const after = await callTool("passgage_session_status", {}, as(id));
    expect(after.structuredContent?.signedIn).toBe(false);
    expect(textOf(after)).toContain("not found");
    expect(await served(as(id))).toBe(false);
    vi.useRealTimers();
    // Wiped, not merely hidden: back at the real time it is still gone.
    expect(await signedIn(as(id))).toBe(false);
    figure(
      "sessions",
      `expiry: served at expiresAt-1ms, refused at expiresAt (TTL ${TTL_MS / 3_600_000} h), still refused with the clock set back`,
    );
  });
});

/** Counts upstream login attempts (the SessionDO runs in this isolate) whose body names `marker`. */
function countUpstreamLogins(marker: string): { count: () => number } {
  let n = 0;
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (req.method === "POST" && new URL(req.url).pathname.endsWith("/auth/login") && (await req.clone().text()).includes(marker)) n += 1;
    return original(req);
  });
  return { count: () => n };
}

describe("failed-login limits", () => {
  it(`per IP and per e-mail, sequentially: at most ${LOGIN_LIMIT} failures reach Passgage; then even the right password is refused`, async () => {
    const marker = crypto.randomUUID().slice(0, 8);
    const upstream = countUpstreamLogins(marker);
    const attacker = ip();
    for (let i = 0; i < LOGIN_LIMIT * 3; i++)
      await callTool("passgage_session_login", { email: `nobody-${marker}-${i}@acme.example`, password: "wrong" }, attacker);
    const perIp = upstream.count();
    const blockedIp = await callTool("passgage_session_login", SEED.ayse, attacker);
    expect(textOf(blockedIp)).toContain("Too many failed sign-ins from this network");

    const victim = `victim-${marker}@acme.example`;
    for (let i = 0; i < LOGIN_LIMIT * 3; i++)
      await callTool("passgage_session_login", { email: victim, password: `guess-${marker}-${i}` }, ip());
    const perEmail = upstream.count() - perIp;
    const blockedEmail = await callTool("passgage_session_login", { email: victim.toUpperCase(), password: "x" }, ip());
    expect(textOf(blockedEmail)).toContain("Too many failed sign-ins for this account");

    expect(perIp).toBe(LOGIN_LIMIT);
    expect(perEmail).toBe(LOGIN_LIMIT);
    figure(
      "sessions",
      `failed logins, sequential: ${LOGIN_LIMIT * 3} from one IP -> ${perIp} reached Passgage; ${LOGIN_LIMIT * 3} for one e-mail from ${LOGIN_LIMIT * 3} IPs -> ${perEmail} (limit ${LOGIN_LIMIT})`,
    );
  });

  // Found by this suite, fixed in 7c74635: guardedLogin used to peek both limiters,
  // await the upstream login, and only then record the failure (the read-await-write
  // race the limiter itself avoids), so a burst of N concurrent guesses reached Passgage
  // N times per window. Now one attempt per IP and per account is in flight at a time.
  it(`per IP and per e-mail, under concurrency: a burst of ${LOGIN_LIMIT * 6} wrong passwords reaches Passgage at most ${LOGIN_LIMIT} times`, async () => {
    const BURST = LOGIN_LIMIT * 6;
    const marker = crypto.randomUUID().slice(0, 8);
    const upstream = countUpstreamLogins(marker);
    const attacker = ip();
    await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        callTool("passgage_session_login", { email: `burst-${marker}-${i}@acme.example`, password: "wrong" }, attacker),
      ),
    );
    const perIp = upstream.count();
    const victim = `burst-victim-${marker}@acme.example`;
    await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        callTool("passgage_session_login", { email: victim, password: `guess-${marker}-${i}` }, ip()),
      ),
    );
    const perEmail = upstream.count() - perIp;
    figure(
      "sessions",
      `failed logins, concurrent burst of ${BURST}: from one IP -> ${perIp} reached Passgage; for one e-mail -> ${perEmail} (limit ${LOGIN_LIMIT})`,
    );
    expect(perIp).toBeLessThanOrEqual(LOGIN_LIMIT);
    expect(perEmail).toBeLessThanOrEqual(LOGIN_LIMIT);
  });
});
