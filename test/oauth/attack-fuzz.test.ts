/**
 * Attacker review of the OAuth endpoints (issue 12): hostile values in every parameter of
 * /oauth/authorize (GET and POST), /oauth/token, /oauth/revoke and /oauth/register. None
 * may answer 5xx, echo markup unescaped, or leak a session ID.
 */
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers/mcp";
import { send, settleAfterEach } from "../security/route-fetch";
import { authorizePath, flowFor, openPage, postPage } from "./authorize-fixtures";
import { freshIp } from "./client-fixtures";
import { OAUTH_ENV } from "./oauth-fixtures";

settleAfterEach();

/** Hostile values: markup, encodings, lone surrogates, huge, control and bidi characters, prototype keys. */
const HOSTILE: readonly string[] = [
  "",
  " ",
  "%",
  "%zz",
  "%00",
  "\u0000",
  "\ud800",
  "\u202egnp.evil",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "__proto__",
  "constructor",
  "pgm_code_" + "a".repeat(64) + "." + "A".repeat(43),
  "pgm_rt_" + "0".repeat(64) + "." + "_".repeat(43),
  "pgm_at_" + "f".repeat(64) + ".",
  "x".repeat(5000),
  "https://claude.ai@evil.example/cb",
  "http://[::1]:99999/cb",
  "\r\nSet-Cookie: a=b",
];

/** One client for all requests, with a per-IP limit high enough that every request reaches its handler. */
const IP = freshIp();

/** Sends a request to the Worker (OAuth mode, per-IP limit lifted). */
function fuzzFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", IP);
  return send(new Request(BASE + path, { ...init, headers }), { ...OAUTH_ENV, RATE_LIMIT_MAX_REQUESTS: "100000" });
}

/** Asserts an answer that is not a server error and carries no raw markup from the input. */
async function expectClean(res: Response, what: string): Promise<void> {
  const body = await res.text();
  expect(res.status, `${what}: ${body.slice(0, 200)}`).toBeLessThan(500);
  const type = res.headers.get("content-type") ?? "";
  const html = type.startsWith("text/html");
  expect(html ? body : "", what).not.toContain("<script>alert(1)</script>");
  expect(html ? body : "", what).not.toContain("<img src=x");
  // JSON may echo registered metadata (RFC 7591 §3.2.1); it is never sniffed as HTML.
  expect(html || body === "" || type.startsWith("application/json"), `${what}: ${type}`).toBe(true);
  expect(body === "" ? "nosniff" : res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(body, what).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
  expect(res.headers.get("set-cookie") ?? "", what).not.toContain("a=b");
}

describe("hostile values in every OAuth parameter: never 5xx, never unescaped", { timeout: 300_000 }, () => {
  it("GET /oauth/authorize: each parameter replaced by each hostile value", async () => {
    const flow = await flowFor({ client_name: "Fuzz", redirect_uris: ["https://claude.ai/cb"] });
    const names = Object.keys(flow.params);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      for (const value of HOSTILE) {
        const res = await fuzzFetch(authorizePath({ ...flow.params, [name]: value }), { redirect: "manual" });
        await expectClean(res, `authorize ${name}=${JSON.stringify(value.slice(0, 40))}`);
        // An https redirect URI: errors are a page with a link, never a redirect (F-A2).
        expect(res.headers.get("location"), name).toBeNull();
      }
    }
  });

  it("POST /oauth/authorize: each field replaced by each hostile value", async () => {
    const flow = await flowFor({ client_name: "Fuzz", redirect_uris: ["https://claude.ai/cb"] });
    const page = await openPage(flow.ip, flow.params);
    expect(page.res.status).toBe(200);
    const fields: Record<string, string> = { csrf: page.csrf, oauth: page.ticket, method: "password", email: "a@b.example", password: "x" };
    for (const name of Object.keys(fields)) {
      for (const value of HOSTILE) {
        const { res, html } = await postPage(freshIp(), { ...fields, [name]: value }, { cookie: page.cookie });
        const what = `authorize POST ${name}=${JSON.stringify(value.slice(0, 40))}`;
        expect(res.status, `${what}: ${html.slice(0, 200)}`).toBeLessThan(500);
        expect(html, what).not.toContain("<script>alert(1)</script>");
        expect(res.headers.get("location"), what).toBeNull();
      }
    }
  });

  it("POST /oauth/token and /oauth/revoke: each parameter replaced by each hostile value", async () => {
    const token = (prefix: string): string => `${prefix}${"a".repeat(64)}.${"A".repeat(43)}`;
    const forms: ReadonlyArray<readonly [string, Record<string, string>]> = [
      [
        "/oauth/token",
        {
          grant_type: "authorization_code",
          client_id: "pgmc_x",
          code: token("pgm_code_"),
          code_verifier: "v".repeat(43),
          redirect_uri: "https://claude.ai/cb",
          resource: `${BASE}/mcp`,
        },
      ],
      ["/oauth/token", { grant_type: "refresh_token", client_id: "pgmc_x", refresh_token: token("pgm_rt_") }],
      ["/oauth/revoke", { token: token("pgm_at_"), client_id: "pgmc_x" }],
    ];
    for (const [path, base] of forms) {
      for (const name of Object.keys(base)) {
        for (const value of HOSTILE) {
          const res = await fuzzFetch(path, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ ...base, [name]: value }).toString(),
          });
          await expectClean(res, `${path} ${name}=${JSON.stringify(value.slice(0, 40))}`);
        }
      }
    }
  });

  it("POST /oauth/register: hostile names, URIs and shapes", async () => {
    const bodies: unknown[] = [
      ...HOSTILE.map((v) => ({ client_name: v, redirect_uris: ["https://claude.ai/cb"] })),
      ...HOSTILE.map((v) => ({ redirect_uris: [v] })),
      null,
      [],
      "x",
      { redirect_uris: "https://claude.ai/cb" },
      { redirect_uris: Array.from({ length: 1000 }, (_, i) => `https://a${i}.example/cb`) },
      { redirect_uris: ["https://claude.ai/cb"], grant_types: ["implicit"] },
      { redirect_uris: ["https://claude.ai/cb"], __proto__: { admin: true } },
    ];
    for (const body of bodies) {
      const res = await fuzzFetch("/oauth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      await expectClean(res, `register ${JSON.stringify(body).slice(0, 60)}`);
    }
  });
});
