/**
 * Failed sign-ins are limited separately per client IP (CF-Connecting-IP) and per
 * e-mail (LOGIN_FAILURE_LIMIT in LOGIN_FAILURE_WINDOW_MS; 5 in 15 minutes by default).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { callTool, SEED, textOf } from "../helpers/mcp";
import { captureLogs } from "../durable-objects/session-fixtures";

const cfg = loadConfig(env);
if (!cfg.ok) throw new Error(cfg.errors.join("; "));
const LIMIT = cfg.config.loginFailureLimit.limit;

let ipCounter = 0;
function ip(): Record<string, string> {
  ipCounter += 1;
  return { "cf-connecting-ip": `192.0.2.${ipCounter}` };
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

  it(`per e-mail: after ${LIMIT} failures for one account (from many IPs) it is refused from any IP; other accounts are not`, async () => {
    const logs = captureLogs();
    try {
      const victim = SEED.john;
      for (let i = 0; i < LIMIT; i++) {
        const r = await login(victim.email, `guess-${i}`, ip());
        expect(r.isError).toBe(true);
      }
      const fresh = ip();
      const blocked = await login(victim.email, victim.password, fresh);
      expect(textOf(blocked)).toContain("Too many failed sign-ins for this account");
      // E-mail matching ignores case and surrounding spaces.
      const upper = await login(victim.email.toUpperCase(), victim.password, ip());
      expect(textOf(upper)).toContain("Too many failed sign-ins");
      expect(logs.lines.some((l) => l.event === "rate_limit.exceeded" && l.scope === "login_account")).toBe(true);
      // The same fresh IP can still sign in to another account.
      const other = await login(SEED.mehmet.email, SEED.mehmet.password, fresh);
      expect(other.isError).toBeFalsy();
      // Refused attempts are not sent upstream, and the log never carries the password or e-mail.
      const raw = logs.raw.join("\n");
      expect(raw).not.toContain(victim.password);
      expect(raw).not.toContain("guess-0");
    } finally {
      logs.restore();
    }
  });

  it("a successful sign-in clears the account's failures (not the IP's)", async () => {
    const who = SEED.admin;
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
});
