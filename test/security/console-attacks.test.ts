/**
 * Attacks on revocation, the listings, the audit trail and the /console (issue 13 review):
 * an OAuth session ended from the console (its bearer and refresh token must fail at once), a
 * hostile OAuth client name rendered in the console, forged pagination cursors, the operator
 * console token after ADMIN_TOKEN rotates, and every console endpoint fuzzed for 5xx.
 */
import { describe, expect, it } from "vitest";
import { sessionHash, shortHash } from "../../src/crypto/session-id";
import { parseToken } from "../../src/oauth/oauth-token";
import { encodeCursor } from "../../src/registry/page-cursor";
import { BASE, callTool, loginAs, loginWithKey, randomIp, SEED } from "../helpers/mcp";
import { type Flow, flowFor, signInThrough } from "../oauth/authorize-fixtures";
import { bearerCall, postForm, type TokenBody } from "../oauth/oauth-fixtures";
import { send, settleAfterEach } from "./route-fetch";

settleAfterEach();

const ADMIN = "test-admin-token-0123456789abcdef";

/** A cookie jar for one browser on the Worker's origin (requests go through `send`, with env overrides). */
class Browser {
  readonly #cookies = new Map<string, string>();
  readonly ip = randomIp();

  constructor(readonly overrides: Record<string, unknown> = {}) {}

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.#cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await send(new Request(BASE + path, { ...init, headers, redirect: "manual" }), this.overrides);
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
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, "sec-fetch-site": "same-origin", ...extra },
      body: new URLSearchParams(fields).toString(),
    });
  }

  postJson(path: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "sec-fetch-site": "same-origin", ...extra },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }
}

function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no csrf field in the page");
  return m[1];
}

async function signedInConsole(
  fields: Record<string, string>,
  overrides: Record<string, unknown> = {},
): Promise<{ browser: Browser; html: string }> {
  const browser = new Browser(overrides);
  const form = await browser.fetch("/console");
  expect(form.status).toBe(200);
  const res = await browser.post("/console/login", { ...fields, csrf: csrfOf(await form.text()) });
  expect(res.status).toBe(303);
  const page = await browser.fetch("/console");
  expect(page.status).toBe(200);
  return { browser, html: await page.text() };
}

/** Runs the authorize flow for `flow` as `who` and exchanges the code: the client's access and refresh tokens. */
async function oauthTokens(flow: Flow, who: { email: string; password: string }): Promise<{ access: string; refresh: string }> {
  const r = await signInThrough(flow, who);
  expect(r.res.status).toBe(302);
  const code = new URL(r.res.headers.get("location") ?? "").searchParams.get("code") ?? "";
  expect(code).toMatch(/^pgm_code_/);
  const res = await postForm("/oauth/token", {
    grant_type: "authorization_code",
    code,
    code_verifier: flow.verifier,
    client_id: flow.clientId,
    redirect_uri: flow.redirectUri,
    resource: `${BASE}/mcp`,
  });
  const body = await res.json<TokenBody>();
  expect(res.status).toBe(200);
  return { access: body.access_token ?? "", refresh: body.refresh_token ?? "" };
}

function refreshFor(flow: Flow, refresh: string): Promise<Response> {
  return postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: refresh, client_id: flow.clientId });
}

/** The handle of the OAuth session Ayşe's client holds, as the Acme admin's console API lists it. */
async function handleOfClient(browser: Browser, clientName: string): Promise<string> {
  const res = await browser.fetch(`/console/api/sessions?limit=200&client=${encodeURIComponent(clientName)}`);
  expect(res.status).toBe(200);
  const body = await res.json<{ sessions: { handle: string; email: string | null; client: string }[] }>();
  expect(body.sessions.length).toBe(1);
  expect(body.sessions[0]?.email).toBe(SEED.ayse.email);
  return body.sessions[0]?.handle ?? "";
}

describe("an OAuth session revoked by the Acme admin (issue 13, OAuth half)", () => {
  it("from /console/api/revoke: the bearer gets 401 on its next /mcp request and the refresh token is invalid_grant", async () => {
    const name = `Ayse's connector ${crypto.randomUUID().slice(0, 8)}`;
    const flow = await flowFor({ client_name: name, redirect_uris: ["https://client.example/cb"] });
    const tokens = await oauthTokens(flow, SEED.ayse);
    expect((await bearerCall(tokens.access, "passgage_session_status")).status).toBe(200);

    const { browser, html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const handle = await handleOfClient(browser, name);
    const res = await browser.postJson("/console/api/revoke", { handle }, { "x-csrf-token": csrfOf(html) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ended: 1, skipped: 0 });

    const after = await bearerCall(tokens.access, "passgage_session_status");
    expect(after.status).toBe(401);
    expect(after.www ?? "").toContain("invalid_token");
    const refreshed = await refreshFor(flow, tokens.refresh);
    expect(refreshed.status).toBe(400);
    expect((await refreshed.json<TokenBody>()).error).toBe("invalid_grant");
  });

  it("from passgage_session_revoke in company mode: the same", async () => {
    const name = `Ayse's other connector ${crypto.randomUUID().slice(0, 8)}`;
    const flow = await flowFor({ client_name: name, redirect_uris: ["https://client.example/cb"] });
    const tokens = await oauthTokens(flow, SEED.ayse);
    const { browser } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const handle = await handleOfClient(browser, name);

    const adminId = await loginWithKey(SEED.acmeKey, { "cf-connecting-ip": randomIp() });
    const revoked = await callTool("passgage_session_revoke", { handle }, { "x-session-id": adminId, "cf-connecting-ip": randomIp() });
    expect(revoked.isError).not.toBe(true);

    expect((await bearerCall(tokens.access, "passgage_session_status")).status).toBe(401);
    const refreshed = await refreshFor(flow, tokens.refresh);
    expect((await refreshed.json<TokenBody>()).error).toBe("invalid_grant");
  });
});

describe("hostile input rendered or parsed by the console", () => {
  it("an OAuth client's name is attacker-chosen: it is escaped in the console page and the JSON", async () => {
    const name = `<img src=x onerror=alert(1)>"'</td><script>alert(2)</script>`;
    const flow = await flowFor({ client_name: name, redirect_uris: ["https://evil.example/cb"] });
    await oauthTokens(flow, SEED.ayse);
    const { html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert(2)");
  });

  it("a forged cursor naming another company reads only the caller's company", async () => {
    const john = await loginAs(SEED.john, { "cf-connecting-ip": randomIp() });
    const status = await callTool("passgage_session_status", {}, { "x-session-id": john, "cf-connecting-ip": randomIp() });
    const globexId = (status.structuredContent?.session as { company: { id: string } } | undefined)?.company.id ?? "";
    expect(globexId).not.toBe("");
    const { browser } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const cursor = encodeCursor({ companyId: globexId, createdAt: 0, hash: "000000000000" });
    const johnHandle = shortHash(await sessionHash(john));
    for (const path of [`/console/api/sessions?cursor=${cursor}`, `/console/api/sessions?cursor=${cursor}&company=${globexId}`]) {
      const res = await browser.fetch(path);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(johnHandle);
      expect(text).not.toContain(SEED.john.email);
    }
    const page = await (await browser.fetch(`/console?cursor=${cursor}&company=${globexId}`)).text();
    expect(page).not.toContain(johnHandle);
  });
});

describe("the operator's console token", () => {
  it("stops working when ADMIN_TOKEN rotates", async () => {
    const { browser } = await signedInConsole({ method: "admin_token", admin_token: ADMIN }, { ADMIN_TOKEN: ADMIN });
    expect((await browser.fetch("/console/api/audit?company=x")).status).toBe(200);
    const rotated = new Browser({ ADMIN_TOKEN: "another-admin-token-0123456789abcdef" });
    const cookie = browser.cookie("__Secure-passgage_console") ?? "";
    expect(cookie).toMatch(/^o\./);
    const res = await rotated.fetch("/console/api/sessions", { headers: { cookie: `__Secure-passgage_console=${cookie}` } });
    expect(res.status).toBe(401);
  });
});

describe("fuzzing the console's endpoints", () => {
  it("never answers 5xx", async () => {
    const { browser, html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey }, { RATE_LIMIT_MAX_REQUESTS: "100000" });
    const csrf = csrfOf(html);
    const odd = ["", " ", "%00", "\u0000", "a".repeat(300), "-1", "1e309", "NaN", "0x10", "[]", "{}", "__proto__", "' OR 1=1 --", "😀"];
    const statuses: number[] = [];
    for (const v of odd) {
      const q = encodeURIComponent(v);
      for (const p of ["limit", "cursor", "user", "mode", "client", "activity", "company", "before", "ended", "result"]) {
        statuses.push((await browser.fetch(`/console/api/sessions?${p}=${q}`)).status);
        statuses.push((await browser.fetch(`/console/api/audit?${p}=${q}`)).status);
        statuses.push((await browser.fetch(`/console?${p}=${q}`)).status);
      }
      statuses.push((await browser.postJson("/console/api/revoke", { handle: v }, { "x-csrf-token": csrf })).status);
      statuses.push((await browser.postJson("/console/api/revoke", { user: v, all: true }, { "x-csrf-token": csrf })).status);
      statuses.push((await browser.postJson("/console/api/revoke", { user: "x", all: true, company: v }, { "x-csrf-token": csrf })).status);
      statuses.push((await browser.post("/console/revoke", { handle: v, user: v, company: v, all: "true", csrf })).status);
    }
    for (const raw of ["%ED%A0%80", "%FF", "%", "a%2", "%C0%AF"])
      for (const p of ["cursor", "user", "company", "client"]) {
        statuses.push((await browser.fetch(`/console/api/sessions?${p}=${raw}`)).status);
        statuses.push((await browser.fetch(`/console?${p}=${raw}`)).status);
      }
    for (const body of ["", "null", "[]", "{", '{"handle":1}', '{"__proto__":{"handle":"aaaaaaaaaaaa"}}', "x".repeat(5000)])
      statuses.push((await browser.postJson("/console/api/revoke", body, { "x-csrf-token": csrf })).status);
    statuses.push((await browser.fetch("/console/api/revoke", { method: "POST", headers: { "x-csrf-token": csrf, origin: BASE } })).status);
    statuses.push(
      (await browser.fetch("/console/login", { method: "POST", headers: { origin: BASE, "content-type": "text/plain" }, body: "x" }))
        .status,
    );
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

describe("what a refused revocation tells a user about colleagues", () => {
  it("naming a colleague (handle or e-mail) answers exactly as naming nobody: no count of their live sessions", async () => {
    const ayse = await loginAs(SEED.ayse, { "cf-connecting-ip": randomIp() });
    await loginAs(SEED.ayse, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "password", email: SEED.mehmet.email, password: SEED.mehmet.password });
    const csrf = csrfOf(html);
    const byUser = await browser.postJson("/console/api/revoke", { user: SEED.ayse.email, all: true }, { "x-csrf-token": csrf });
    const byHandle = await browser.postJson(
      "/console/api/revoke",
      { handle: shortHash(await sessionHash(ayse)) },
      { "x-csrf-token": csrf },
    );
    const nobody = await browser.postJson("/console/api/revoke", { user: "nobody@nowhere.example", all: true }, { "x-csrf-token": csrf });
    expect(await nobody.json()).toEqual({ ended: 0, skipped: 0 });
    expect(await byUser.json()).toEqual({ ended: 0, skipped: 0 });
    expect(await byHandle.json()).toEqual({ ended: 0, skipped: 0 });

    const mehmet = await loginAs(SEED.mehmet, { "cf-connecting-ip": randomIp() });
    const tool = await callTool(
      "passgage_session_revoke",
      { user: SEED.ayse.email, all: true },
      { "x-session-id": mehmet, "cf-connecting-ip": randomIp() },
    );
    const none = await callTool(
      "passgage_session_revoke",
      { user: "nobody@nowhere.example", all: true },
      { "x-session-id": mehmet, "cf-connecting-ip": randomIp() },
    );
    expect(tool.isError).toBe(true);
    expect(JSON.stringify(tool.content)).toBe(JSON.stringify(none.content).replace("nobody@nowhere.example", SEED.ayse.email));
  });
});

describe("an OAuth client's name imitating the server's own labels", () => {
  it.each(["header session", "Web console", " HEADER  Session ", "web-console"])(
    "a client named %j is listed as an OAuth client's claim, not as a header session or the console",
    async (name) => {
      const flow = await flowFor({ client_name: name, redirect_uris: ["https://evil.example/cb"] });
      const tokens = await oauthTokens(flow, SEED.ayse);
      const handle = shortHash(parseToken(tokens.access)?.sessionHash ?? "");
      expect(handle).toMatch(/^[0-9a-f]{12}$/);
      const { browser } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
      const res = await browser.fetch(`/console/api/sessions?limit=200&user=${encodeURIComponent(SEED.ayse.email)}`);
      const body = await res.json<{ sessions: { handle: string; client: string }[] }>();
      const listed = body.sessions.find((s) => s.handle === handle);
      expect(listed?.client).toMatch(/\(OAuth client\)$/);
      const headerOnly = await (await browser.fetch(`/console/api/sessions?limit=200&client=header`)).text();
      expect(headerOnly).not.toContain(handle);
    },
  );
});

describe("the operator's console token after sign-out", () => {
  // R3 (fixed): the operator console token is stateless (signed, bound to ADMIN_TOKEN, one hour);
  // its sign-out leaves a tombstone of its nonce (console-caller.ts, operatorTokenHome) that every
  // later request checks, so a copy taken before (a stolen cookie) stops working at sign-out.
  it("a copy of the cookie taken before sign-out is refused after it", async () => {
    const { browser, html } = await signedInConsole({ method: "admin_token", admin_token: ADMIN }, { ADMIN_TOKEN: ADMIN });
    const cookie = browser.cookie("__Secure-passgage_console") ?? "";
    expect(cookie).toMatch(/^o\./);
    const copy = new Browser({ ADMIN_TOKEN: ADMIN });
    const before = await copy.fetch("/console/api/sessions", { headers: { cookie: `__Secure-passgage_console=${cookie}` } });
    expect(before.status).toBe(200);
    expect((await browser.post("/console/logout", { csrf: csrfOf(html) })).status).toBe(303);
    expect(browser.cookie("__Secure-passgage_console")).toBeUndefined();
    const thief = new Browser({ ADMIN_TOKEN: ADMIN });
    const res = await thief.fetch("/console/api/sessions", { headers: { cookie: `__Secure-passgage_console=${cookie}` } });
    expect(res.status).toBe(401);
  });
});

describe("no secret in the console's page, JSON or audit trail", () => {
  it("after an OAuth sign-in and a revocation: no session ID, token, routing hash, key or password", async () => {
    const flow = await flowFor({ client_name: "Leak probe", redirect_uris: ["https://client.example/cb"] });
    const tokens = await oauthTokens(flow, SEED.ayse);
    const routing = parseToken(tokens.access)?.sessionHash ?? "";
    expect(routing).toMatch(/^[0-9a-f]{64}$/);
    const header = await loginAs(SEED.ayse, { "cf-connecting-ip": randomIp() });
    const { browser, html } = await signedInConsole({ method: "api_key", api_key: SEED.acmeKey });
    const revoke = await browser.postJson(
      "/console/api/revoke",
      { handle: shortHash(await sessionHash(header)) },
      { "x-csrf-token": csrfOf(html) },
    );
    expect(await revoke.json()).toEqual({ ended: 1, skipped: 0 });
    const texts = [
      await (await browser.fetch("/console")).text(),
      await (await browser.fetch("/console/api/sessions?limit=200")).text(),
      await (await browser.fetch("/console/api/audit?limit=200")).text(),
    ];
    const cookie = browser.cookie("__Secure-passgage_console") ?? "";
    expect(cookie).toMatch(/^s\.sess_/);
    const needles = [
      header,
      tokens.access,
      tokens.refresh,
      routing,
      await sessionHash(header),
      SEED.acmeKey,
      SEED.ayse.password,
      cookie.slice(2),
    ];
    expect(texts.join("").length).toBeGreaterThan(0);
    for (const text of texts) {
      for (const needle of needles) expect(text).not.toContain(needle);
      expect(text).not.toMatch(/sess_[A-Za-z0-9_-]{20,}|pgm_(at|rt|code)_|[0-9a-f]{64}/);
    }
    expect(texts[2]).toContain(shortHash(await sessionHash(header))); // the audit names it by its handle
  });
});
