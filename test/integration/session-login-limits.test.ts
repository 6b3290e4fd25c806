/**
 * Failed sign-ins are limited separately per client IP (CF-Connecting-IP) and per
 * e-mail (LOGIN_FAILURE_LIMIT in LOGIN_FAILURE_WINDOW_MS; 5 in 15 minutes by default).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { loadConfig } from "../../src/config";
import { callTool, SEED, textOf } from "../helpers/mcp";
import { captureLogs } from "../durable-objects/session-fixtures";

const cfg = loadConfig(env);
if (!cfg.ok) throw new Error(cfg.errors.join("; "));
const LIMIT = cfg.config.loginFailureLimit.limit;

const RUN = crypto.randomUUID().slice(0, 4);
let ipCounter = 0;
/** A fresh client (its own IPv6 /64, the unit of per-IP limits) per call site and run (limiter storage may be shared with other test files). */
function ip(): Record<string, string> {
  ipCounter += 1;
  return { "cf-connecting-ip": `2001:db8:${RUN}:${ipCounter.toString(16)}::11a1` };
}

const LoginStatsSchema = z.object({ login: z.object({ byEmail: z.record(z.string(), z.number()) }) });

/** Upstream login attempts the sandbox saw for an e-mail. */
async function upstreamLogins(email: string): Promise<number> {
  const res = await fetch(`${env.PASSGAGE_BASE_URL}/__sandbox/stats`);
  return LoginStatsSchema.parse(await res.json()).login.byEmail[email] ?? 0;
}

function login(email: string, password: string, headers: Record<string, string>) {
  return callTool("passgage_session_login", { email, password }, headers);
}

describe("failed-login limits", () => {
  it(`per IP: after ${LIMIT} failures from one IP (any e-mails) even a correct password is refused there, not elsewhere`, async () => {
    const logs = captureLogs();
    try {
      const attacker = ip();
      for (let i = 0; i < LIMIT; i++) {
        const r = await login(`nobody${i}@acme.example`, "wrong-password", attacker);
        expect(r.isError).toBe(true);
        expect(textOf(r)).not.toContain("Too many");
      }
      const blocked = await login(SEED.ayse.email, SEED.ayse.password, attacker);
      expect(blocked.isError).toBe(true);
      expect(textOf(blocked)).toContain("Too many failed sign-ins from this network");
      expect(logs.lines.some((l) => l.event === "rate_limit.exceeded" && l.scope === "login_ip")).toBe(true);
      // Another IP is unaffected.
      const elsewhere = await login(SEED.ayse.email, SEED.ayse.password, ip());
      expect(elsewhere.isError).toBeFalsy();
    } finally {
      logs.restore();
    }
  });

  it(`per e-mail: after ${LIMIT} failures for one account (from many IPs) it is refused from any IP, before reaching Passgage; other accounts are not`, async () => {
    const logs = captureLogs();
    try {
      // An account no other test uses (limiter storage may be shared between test files).
      const victim = `limit-${crypto.randomUUID().slice(0, 8)}@acme.example`;
      for (let i = 0; i < LIMIT; i++) {
        const r = await login(victim, `guess-${i}`, ip());
        expect(r.isError).toBe(true);
        expect(textOf(r)).not.toContain("Too many");
      }
      const reachedUpstream = await upstreamLogins(victim);
      expect(reachedUpstream).toBe(LIMIT);
      const fresh = ip();
      const blocked = await login(victim, "maybe-the-right-one", fresh);
      expect(textOf(blocked)).toContain("Too many failed sign-ins for this account");
      // E-mail matching ignores case and surrounding spaces.
      const upper = await login(victim.toUpperCase(), "another-guess", ip());
      expect(textOf(upper)).toContain("Too many failed sign-ins");
      expect(await upstreamLogins(victim)).toBe(reachedUpstream);
      expect(logs.lines.some((l) => l.event === "rate_limit.exceeded" && l.scope === "login_account")).toBe(true);
      // The same fresh IP can still sign in to another account.
      const other = await login(SEED.mehmet.email, SEED.mehmet.password, fresh);
      expect(other.isError).toBeFalsy();
      // The log never carries a password or the e-mail.
      const raw = logs.raw.join("\n");
      expect(raw).not.toContain("guess-0");
      expect(raw).not.toContain("maybe-the-right-one");
      expect(raw).not.toContain(victim);
    } finally {
      logs.restore();
    }
  });

  it("a successful sign-in clears the account's failures (not the IP's)", async () => {
    // A seed account no other test file signs in with.
    const who = { email: "ahmet.ozturk@acme.example", password: "acme-ahmet-2026" };
    for (let i = 0; i < LIMIT - 1; i++) await login(who.email, "nope", ip());
    expect((await login(who.email, who.password, ip())).isError).toBeFalsy();
    for (let i = 0; i < LIMIT - 1; i++) await login(who.email, "nope", ip());
    expect((await login(who.email, who.password, ip())).isError).toBeFalsy();
  });

  it(`failed API-key sign-ins count against the IP too`, async () => {
    const attacker = ip();
    for (let i = 0; i < LIMIT; i++) {
      const r = await callTool("passgage_session_login_api_key", { apiKey: `psg_cmp_guess_${String(i).padStart(20, "0")}` }, attacker);
      expect(r.isError).toBe(true);
    }
    const blocked = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey }, attacker);
    expect(textOf(blocked)).toContain("Too many failed sign-ins from this network");
  });

  it(`under concurrency: a burst of ${6 * 5} wrong passwords (one IP, or one account from many IPs) reaches Passgage at most ${LIMIT} times; busy refusals are retryable`, async () => {
    const marker = crypto.randomUUID().slice(0, 8);
    const attacker = ip();
    const emails = Array.from({ length: 30 }, (_, i) => `burst-${marker}-${i}@acme.example`);
    const fromOneIp = await Promise.all(emails.map((e) => login(e, "wrong", attacker)));
    expect(fromOneIp.every((r) => r.isError)).toBe(true);
    const reached = (await Promise.all(emails.map(upstreamLogins))).reduce((a, b) => a + b, 0);
    expect(reached).toBeGreaterThanOrEqual(1);
    expect(reached).toBeLessThanOrEqual(LIMIT);
    expect(fromOneIp.some((r) => textOf(r).includes("in progress"))).toBe(true);

    const victim = `burst-victim-${marker}@acme.example`;
    await Promise.all(Array.from({ length: 30 }, (_, i) => login(victim, `guess-${i}`, ip())));
    expect(await upstreamLogins(victim)).toBeLessThanOrEqual(LIMIT);

    // After the burst, the attacker's IP has at most LIMIT failures: an honest retry works when under it.
    const honest = await login(SEED.mehmet.email, SEED.mehmet.password, ip());
    expect(honest.isError).toBeFalsy();
  });
});
