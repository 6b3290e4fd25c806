/**
 * The web console (issue 13) through the Worker's fetch: the sign-in page (framing denied, no
 * script, the sign-in CSRF cookie), sign-in with a company key, a user's password or the admin
 * token (its own cookie: HttpOnly, SameSite=Strict, Secure, Path=/console; never the raw admin
 * token), the sessions in scope with no session ID in the page, revocation by form and by the
 * JSON API (CSRF token and same origin required), sign-out, and the isolation of companies.
 */
import { describe, expect, it } from "vitest";
import { sessionHash, shortHash } from "../../src/crypto/session-id";
import { callTool, loginAs, loginWithKey, randomIp, SEED, workerFetch } from "../helpers/mcp";

const ADMIN = "test-admin-token-0123456789abcdef";
const ORIGIN = "https://mcp.test";

/** A tiny cookie jar for one browser. */
class Browser {
  readonly #cookies = new Map<string, string>();
  readonly ip = randomIp();

  cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.#cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const res = await workerFetch(path, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return res;
  }

  post(path: string, fields: Record<string, string>, extra: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "sec-fetch-site": "same-origin", ...extra },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no csrf field in the page");
  return m[1];
}

async function signedInConsole(fields: Record<string, string>): Promise<{ browser: Browser; html: string }> {
  const browser = new Browser();
  const form = await browser.fetch("/console");
  expect(form.status).toBe(200);
  const res = await browser.post("/console/login", { ...fields, csrf: csrfOf(await form.text()) });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/console");
  const page = await browser.fetch("/console");
  expect(page.status).toBe(200);
  return { browser, html: await page.text() };
}

const handleOf = async (id: string): Promise<string> => shortHash(await sessionHash(id));
const live = async (id: string): Promise<boolean> =>
  (await callTool("passgage_session_status", {}, { "x-session-id": id, "cf-connecting-ip": randomIp() })).structuredContent?.signedIn ===
  true;

describe("the /console page", () => {
  it("serves the sign-in page: no framing, no script, a CSRF cookie; unknown methods are 405", async () => {
    const browser = new Browser();
    const res = await browser.fetch("/console");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<label for="api-key">Company API key</label>');
    expect(html).toContain('<label for="admin-token">Admin token</label>');
    expect(browser.cookie("__Host-passgage_login")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await browser.fetch("/console", { method: "PUT" })).status).toBe(405);
  });

  it("an Acme admin sees Acme's sessions (never an ID), ends Ayse's: her next call is refused; Globex sees none of it", async () => {
    const ayse = await loginAs(SEED.ayse, { "cf-connecting-ip": randomIp() });
    const globexUser = await loginAs(SEED.john, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const cookie = browser.cookie("__Secure-passgage_console") ?? "";
    expect(cookie).toMatch(/^s\.sess_/);
    expect(html).toContain(await handleOf(ayse));
    expect(html).toContain(SEED.ayse.email);
    expect(html).toContain("Web console"); // the console's own session, listed with its client
    expect(html).not.toContain(await handleOf(globexUser));
    expect(html).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    expect(html).not.toContain(SEED.acmeKey);

    // Globex's admin cannot end Ayse's session, even naming its handle.
    const globex = await signedInConsole({ method: "api_key", api_key: SEED.globexKey });
    expect(globex.html).not.toContain(await handleOf(ayse));
    expect(globex.html).not.toContain(SEED.ayse.email);
    const cross = await globex.browser.post("/console/revoke", { handle: await handleOf(ayse), csrf: csrfOf(globex.html) });
    expect(cross.headers.get("location")).toBe("/console?ended=0");
    expect(await live(ayse)).toBe(true);

    // Without the console's CSRF token, or from another site: nothing ends.
    const noToken = await browser.post("/console/revoke", { handle: await handleOf(ayse) });
    expect(noToken.headers.get("location")).toBe("/console?result=expired");
    const crossSite = await browser.post(
      "/console/revoke",
      { handle: await handleOf(ayse), csrf: csrfOf(html) },
      { "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect(await live(ayse)).toBe(true);

    const ended = await browser.post("/console/revoke", { handle: await handleOf(ayse), csrf: csrfOf(html) });
    expect(ended.status).toBe(303);
    expect(ended.headers.get("location")).toBe("/console?ended=1");
    expect(await live(ayse)).toBe(false);
    const after = await (await browser.fetch("/console?ended=1")).text();
    expect(after).toContain("Ended 1 session");
    expect(after).not.toContain(`data-handle="${await handleOf(ayse)}"`);
    expect(after).toContain("Ended (revoked)"); // the audit trail names the revocation
  });

  it("a user sees only her own sessions and ends her other one, not the console's", async () => {
    const other = await loginAs(SEED.mehmet, { "cf-connecting-ip": randomIp() });
    const colleague = await loginAs(SEED.ayse, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "password", email: SEED.mehmet.email, password: SEED.mehmet.password });
    expect(html).toContain(await handleOf(other));
    expect(html).not.toContain(SEED.ayse.email);
    expect(html).not.toContain(await handleOf(colleague));
    const cross = await browser.post("/console/revoke", { handle: await handleOf(colleague), csrf: csrfOf(html) });
    expect(cross.headers.get("location")).toBe("/console?ended=0");
    expect(await live(colleague)).toBe(true);
    const own = await browser.post("/console/revoke", { handle: await handleOf(other), csrf: csrfOf(html) });
    expect(own.headers.get("location")).toBe("/console?ended=1");
    expect(await live(other)).toBe(false);
    // Sign-out ends the console's own session and clears its cookie.
    const out = await browser.post("/console/logout", { csrf: csrfOf(html) });
    expect(out.status).toBe(303);
    expect(browser.cookie("passgage_console")).toBeUndefined();
    expect(await (await browser.fetch("/console")).text()).toContain("Sign in");
  });

  it("an operator signs in with the admin token (kept only as a signed console token) and ends any company's session", async () => {
    const wrong = new Browser();
    const form = await wrong.fetch("/console");
    const refused = await wrong.post("/console/login", {
      method: "admin_token",
      admin_token: "not-the-token-0123456789",
      csrf: csrfOf(await form.text()),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("The admin token is wrong.");

    const john = await loginAs(SEED.john, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "admin_token", admin_token: ADMIN });
    const cookie = browser.cookie("__Secure-passgage_console") ?? "";
    expect(cookie).toMatch(/^o\./);
    expect(cookie).not.toContain(ADMIN);
    expect(html).toContain(await handleOf(john));
    const status = await callTool("passgage_session_status", {}, { "x-session-id": john, "cf-connecting-ip": randomIp() });
    const company = (status.structuredContent?.session as { company: { id: string } } | undefined)?.company.id ?? "";
    const ended = await browser.post("/console/revoke", { handle: await handleOf(john), company, csrf: csrfOf(html) });
    expect(ended.headers.get("location")).toBe("/console?ended=1");
    expect(await live(john)).toBe(false);
    // A forged operator cookie is not a sign-in.
    const forged = new Browser();
    const res = await forged.fetch("/console", {
      headers: { cookie: `__Secure-passgage_console=o.${Math.floor(Date.now() / 1000)}.AAAAAAAAAAAAAAAAAAAAAA.${"A".repeat(43)}` },
    });
    expect(await res.text()).toContain("Sign in");
  });
});

describe("/console/api", () => {
  it("lists and revokes as JSON with the console cookie; POST needs X-CSRF-Token and the same origin", async () => {
    const anonymous = await workerFetch("/console/api/sessions", { headers: { "cf-connecting-ip": randomIp() } });
    expect(anonymous.status).toBe(401);
    const target = await loginWithKey(SEED.acmeKey, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const handleNow = await handleOf(target);
    const list = await browser.fetch(`/console/api/sessions?limit=200&mode=company`);
    expect(list.status).toBe(200);
    const body = await list.json<{ sessions: { handle: string; mode: string }[] }>();
    expect(body.sessions.length).toBeGreaterThan(0);
    for (const s of body.sessions) expect(s.mode).toBe("company");
    expect(body.sessions.some((s) => s.handle === handleNow)).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    expect((await browser.fetch("/console/api/sessions?mode=admin")).status).toBe(400);

    const handle = await handleOf(target);
    const post = (headers: Record<string, string>, payload: unknown = { handle }) =>
      browser.fetch("/console/api/revoke", {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "sec-fetch-site": "same-origin", ...headers },
        body: JSON.stringify(payload),
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ "x-csrf-token": "x".repeat(43) })).status).toBe(403);
    expect((await post({ "x-csrf-token": csrfOf(html), "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ "x-csrf-token": csrfOf(html) }, { handle: "sess_nope" })).status).toBe(400);
    expect(await live(target)).toBe(true);
    const ok = await post({ "x-csrf-token": csrfOf(html) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ended: 1, skipped: 0 });
    expect(await live(target)).toBe(false);
    const audit = await browser.fetch("/console/api/audit?limit=20");
    expect(audit.status).toBe(200);
    const events = (await audit.json<{ events: { event: string; handle: string | null }[] }>()).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.event === "revoked" && e.handle === handle)).toBe(true);
  });
});
