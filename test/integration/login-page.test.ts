/**
 * The browser sign-in page through the Worker's fetch: headers, CSRF, origin checks,
 * validation, wrong credentials, rate limits and a successful sign-in whose session
 * then works over MCP.
 */
import { describe, expect, it } from "vitest";
import { callTool, SEED, textOf, workerFetch } from "../helpers/mcp";
import { forgeSignature } from "../helpers/forge";

const ORIGIN = "https://mcp.test";

/** A fresh client IP per test keeps the per-IP limits of one test out of the others. */
function freshIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${b[0]}.${b[1]}`;
}

interface FormState {
  readonly cookie: string;
  readonly token: string;
  readonly html: string;
  readonly res: Response;
}

function tokenIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no csrf token in page");
  return m[1];
}

async function openForm(ip: string): Promise<FormState> {
  const res = await workerFetch("/login", { headers: { "cf-connecting-ip": ip } });
  const html = await res.text();
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  return { cookie, token: tokenIn(html), html, res };
}

/** Posts the form; a header given as "" is left out. */
async function post(
  ip: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ res: Response; html: string }> {
  const all: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    origin: ORIGIN,
    "sec-fetch-site": "same-origin",
    "cf-connecting-ip": ip,
    ...headers,
  };
  const res = await workerFetch("/login", {
    method: "POST",
    headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== "")),
    body: new URLSearchParams(fields).toString(),
  });
  return { res, html: await res.text() };
}

function sessionIdIn(html: string): string | null {
  return /value="(sess_[A-Za-z0-9_-]{43})"/.exec(html)?.[1] ?? null;
}

describe("GET /login", () => {
  it("serves an accessible form with strict, non-caching security headers", async () => {
    const { res, html, cookie } = await openForm(freshIp());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain("unsafe-inline");
    // https origin: the cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Strict.
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-passgage_login=[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("Path=/");
    // Labelled fields for both ways to sign in.
    expect(html).toContain('<label for="email">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('<label for="api-key">');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toContain("https://mcp.test/mcp");
  });

  it("hashes of the inline style and script match the policy", async () => {
    const { res, html } = await openForm(freshIp());
    const csp = res.headers.get("content-security-policy") ?? "";
    for (const [tag, directive] of [
      ["style", "style-src"],
      ["script", "script-src"],
    ] as const) {
      const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? "";
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
      expect(csp).toContain(`${directive} 'sha256-${btoa(String.fromCharCode(...digest))}'`);
    }
  });

  it("refuses other methods with 405 and Allow", async () => {
    const res = await workerFetch("/login", { method: "PUT", headers: { "cf-connecting-ip": freshIp() } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    await res.body?.cancel();
  });
});

describe("POST /login: CSRF and origin", () => {
  it("refuses a post without the CSRF token with 403 and a fresh form", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(
      ip,
      { method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: f.cookie },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain('role="alert"');
    expect(html).toContain("This form has expired");
    expect(sessionIdIn(html)).toBeNull();
    expect(tokenIn(html)).not.toBe("");
  });

  it("refuses a post without the cookie (cross-site forgery) with 403", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(ip, { csrf: f.token, method: "password", email: SEED.ayse.email, password: SEED.ayse.password });
    expect(res.status).toBe(403);
    expect(html).toContain("security cookie");
    expect(res.headers.get("set-cookie")).toMatch(/^__Host-passgage_login=/);
  });

  it("refuses a tampered token and a token bound to another cookie with 403", async () => {
    const ip = freshIp();
    const a = await openForm(ip);
    const b = await openForm(ip);
    const tampered = forgeSignature(a.token);
    expect(tampered).not.toBe(a.token);
    const r1 = await post(
      ip,
      { csrf: tampered, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: a.cookie },
    );
    expect(r1.res.status).toBe(403);
    const r2 = await post(
      ip,
      { csrf: a.token, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: b.cookie },
    );
    expect(r2.res.status).toBe(403);
  });

  it("refuses a post from another origin with 403, even with a valid token", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const fields = { csrf: f.token, method: "password", email: SEED.ayse.email, password: SEED.ayse.password };
    const r1 = await post(ip, fields, { cookie: f.cookie, origin: "https://evil.example" });
    expect(r1.res.status).toBe(403);
    // A foreign Origin is refused by the router's gate on every route, with a JSON body (issue 11).
    expect(r1.html).toContain("Origin not allowed");
    const r2 = await post(ip, fields, { cookie: f.cookie, "sec-fetch-site": "cross-site" });
    expect(r2.res.status).toBe(403);
  });

  it("accepts Origin: null only with Sec-Fetch-Site: same-origin (what no-referrer pages send)", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const fields = { csrf: f.token, method: "password", email: `nobody-${crypto.randomUUID()}@acme.example`, password: "x" };
    // A sandboxed iframe or data: URL also sends Origin: null, but never as same-origin.
    const refused = await post(ip, fields, { cookie: f.cookie, origin: "null", "sec-fetch-site": "" }); // header left out
    expect(refused.res.status).toBe(403);
    const viaSandbox = await post(ip, fields, { cookie: f.cookie, origin: "null", "sec-fetch-site": "cross-site" });
    expect(viaSandbox.res.status).toBe(403);
    const own = await post(ip, fields, { cookie: f.cookie, origin: "null", "sec-fetch-site": "same-origin" });
    expect(own.res.status).toBe(400); // past the origin and CSRF checks: wrong credentials
  });

  it("refuses a body that is not a urlencoded form with 415", async () => {
    const ip = freshIp();
    const res = await workerFetch("/login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: "{}",
    });
    expect(res.status).toBe(415);
    await res.body?.cancel();
  });
});

describe("POST /login: validation and credentials", () => {
  it("explains a missing e-mail with 400 and keeps the form usable", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(ip, { csrf: f.token, method: "password", email: "", password: "x" }, { cookie: f.cookie });
    expect(res.status).toBe(400);
    expect(html).toContain("Enter your Passgage e-mail address.");
    expect(html).toMatch(/id="email"[^>]*aria-invalid="true"/);
  });

  it("explains a malformed API key with 400", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(ip, { csrf: f.token, method: "api_key", api_key: "not-a-key" }, { cookie: f.cookie });
    expect(res.status).toBe(400);
    expect(html).toContain("starts with psg_cmp_");
  });

  it("says the password is wrong with 400, keeps the e-mail and never echoes the password", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const email = `nobody-${crypto.randomUUID()}@acme.example`;
    const { res, html } = await post(ip, { csrf: f.token, method: "password", email, password: "Wrong-Secret-123" }, { cookie: f.cookie });
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain("The e-mail address or password is wrong.");
    expect(html).toContain(`value="${email}"`);
    expect(html).not.toContain("Wrong-Secret-123");
    expect(sessionIdIn(html)).toBeNull();
    // The same cookie still works for the next attempt (no Set-Cookie, a new token).
    expect(res.headers.get("set-cookie")).toBeNull();
    const again = await post(
      ip,
      { csrf: tokenIn(html), method: "password", email: SEED.mehmet.email, password: SEED.mehmet.password },
      { cookie: f.cookie },
    );
    expect(again.res.status).toBe(200);
  });

  it("answers 429 with a clear message once failed sign-ins for an account pile up", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const email = `locked-${crypto.randomUUID()}@acme.example`;
    let last: { res: Response; html: string } | null = null;
    for (let i = 0; i < 7; i++) {
      last = await post(ip, { csrf: f.token, method: "password", email, password: `wrong-${i}` }, { cookie: f.cookie });
      if (last.res.status === 429) break;
    }
    expect(last?.res.status).toBe(429);
    expect(last?.html).toContain("Too many attempts");
    expect(last?.html).toContain("Too many failed sign-ins");
  });
});

describe("POST /login: success", () => {
  it("signs in with e-mail and password, shows sess_..., expiry and a Claude Desktop config that works over MCP", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(
      ip,
      { csrf: f.token, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: f.cookie },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // The form is spent: its cookie is cleared.
    expect(res.headers.get("set-cookie")).toMatch(/^__Host-passgage_login=; .*Max-Age=0/);
    const id = sessionIdIn(html);
    expect(id).toMatch(/^sess_[A-Za-z0-9_-]{43}$/);
    expect(html).toContain("You are signed in");
    expect(html).toContain(SEED.ayse.email);
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z"/);
    expect(html).toContain("mcp-remote@");
    expect(html).toContain("X-Session-ID:${PASSGAGE_SESSION_ID}");
    expect(html).toContain(`&quot;PASSGAGE_SESSION_ID&quot;: &quot;${id}&quot;`);
    expect(html).not.toContain(SEED.ayse.password);

    const status = await callTool("passgage_session_status", {}, { "x-session-id": id ?? "" });
    expect(status.isError).toBeFalsy();
    expect(textOf(status)).toContain(SEED.ayse.email);

    // Reloading the result page (re-POST with the cleared cookie) does not open a second session.
    const replay = await post(ip, { csrf: f.token, method: "password", email: SEED.ayse.email, password: SEED.ayse.password });
    expect(replay.res.status).toBe(403);
  });

  it("signs in with a company API key into company mode", async () => {
    const ip = freshIp();
    const f = await openForm(ip);
    const { res, html } = await post(ip, { csrf: f.token, method: "api_key", api_key: SEED.acmeKey }, { cookie: f.cookie });
    expect(res.status).toBe(200);
    expect(html).toContain("company mode");
    const id = sessionIdIn(html);
    expect(id).not.toBeNull();
    const status = await callTool("passgage_session_status", {}, { "x-session-id": id ?? "" });
    expect(textOf(status)).toContain("Mode: company");
  });
});
