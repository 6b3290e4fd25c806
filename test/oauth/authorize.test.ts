/**
 * GET|POST /oauth/authorize through the Worker, against the known failure classes of OAuth
 * servers for MCP: redirect_uri not checked at /authorize, open redirect after sign-in,
 * redirect-scheme bypass, PKCE downgrade, a resource of another server, CSRF, framing; and
 * the sign-in itself (a failure shown on the page and counted by the limits; a success
 * redirecting with code, state and iss).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cimdTransport } from "../../src/oauth/cimd";
import { forgeSignature } from "../helpers/forge";
import { BASE, SEED } from "../helpers/mcp";
import { settleAfterEach } from "../security/route-fetch";
import { authorizePath, type Flow, flowFor, oauthFetch, openPage, postPage, signInThrough } from "./authorize-fixtures";
import { freshIp } from "./client-fixtures";

settleAfterEach();

const CLAUDE = { client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] };
const CHATGPT = { client_name: "ChatGPT", redirect_uris: ["https://chatgpt.com/connector_platform_oauth_redirect"] };
const VSCODE = { client_name: "Visual Studio Code", redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"] };
const CURSOR = { client_name: "Cursor", redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"] };
const MCP_REMOTE = { client_name: "MCP CLI Client", redirect_uris: ["http://localhost:3334/oauth/callback"] };

/** A URL split at its first "?": the part before and the query after. */
function splitUrl(url: string): { base: string; query: URLSearchParams } {
  const q = url.indexOf("?");
  return { base: q < 0 ? url : url.slice(0, q), query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)) };
}

/** The query parameters of a redirect's Location. */
function locationOf(res: Response): { base: string; query: URLSearchParams } {
  return splitUrl(res.headers.get("location") ?? "");
}

/** The href of the error page's "Return to …" link, HTML-unescaped (fails the test when there is none). */
function returnLinkOf(html: string): string {
  const href = /<a [^>]*data-testid="return-link"[^>]*href="([^"]*)"/.exec(html)?.[1];
  expect(href, html.slice(0, 500)).toBeDefined();
  return (href ?? "")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** Asserts an error page that redirects nowhere. */
function expectErrorPage(res: Response, html: string, text: string): void {
  expect(res.status).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(html).toContain('data-testid="authorize-error"');
  expect(html).toContain(text);
}

afterEach(() => {
  cimdTransport.fetch = (request) => fetch(request);
});

describe("GET /oauth/authorize: the page", () => {
  it("shows the sign-in forms, the client's name and the redirect host, with CSRF, signed parameters and no framing", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("x-frame-options")).toBe("DENY");
    expect(page.res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.res.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(page.res.headers.get("cache-control")).toBe("no-store");
    expect(page.res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.cookie).toMatch(/^__Host-passgage_login=[A-Za-z0-9_-]{43}$/);
    expect(page.html).toContain("Connect Claude to Passgage");
    expect(page.html).toContain('<strong data-testid="redirect-host">claude.ai</strong>');
    expect(page.html).toContain('action="/oauth/authorize"');
    expect(page.html).toContain('<label for="email">');
    expect(page.html).toContain('<label for="api-key">');
    expect(page.csrf).toMatch(/^v1\.\d+\./);
    expect(page.ticket).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(page.html).not.toContain("sess_");
  });

  it("describes a loopback redirect as an app on this computer and a custom scheme as an installed app", async () => {
    const vs = await flowFor(VSCODE);
    expect((await openPage(vs.ip, vs.params)).html).toContain("127.0.0.1:33418</strong> (an app on this computer)");
    const cursor = await flowFor(CURSOR);
    expect((await openPage(cursor.ip, cursor.params)).html).toContain(
      "cursor://anysphere.cursor-mcp</strong> (an app installed on this device)",
    );
  });

  it("accepts mcp-remote's request for openid email profile (unknown scopes are ignored) and a request without scope or resource", async () => {
    const flow = await flowFor(MCP_REMOTE);
    expect((await openPage(flow.ip, { ...flow.params, scope: "openid email profile" })).res.status).toBe(200);
    expect((await openPage(flow.ip, { ...flow.params, scope: null, resource: null })).res.status).toBe(200);
  });

  it("accepts a loopback redirect URI on another port than the registered one (RFC 8252)", async () => {
    const flow = await flowFor(VSCODE, "http://127.0.0.1:40123/");
    expect((await openPage(flow.ip, flow.params)).res.status).toBe(200);
  });

  it("accepts a client identified by a metadata document, showing its URL", async () => {
    const url = `https://vscode.example/oauth/${crypto.randomUUID()}.json`;
    cimdTransport.fetch = async (request) => {
      expect(request.url).toBe(url);
      return Response.json({ client_id: url, client_name: "VS Code", redirect_uris: ["https://vscode.dev/redirect"] });
    };
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, { ...flow.params, client_id: url, redirect_uri: "https://vscode.dev/redirect" });
    expect(page.res.status).toBe(200);
    expect(page.html).toContain("Connect VS Code to Passgage");
    expect(page.html).toContain(`Identified by <code>${url}</code>`);
    expect(page.html).toContain('<strong data-testid="redirect-host">vscode.dev</strong>');
  });
});

describe("GET /oauth/authorize: the client and redirect URI are checked first, and never redirected to when wrong", () => {
  it("shows an error page for a redirect URI the client did not register (CVE-2025-4143)", async () => {
    const flow = await flowFor(CLAUDE);
    for (const uri of [
      "https://evil.example/callback",
      "https://claude.ai/api/mcp/auth_callback/../../evil",
      "https://claude.ai/api/mcp/auth_callback?x=1",
      "https://claude.ai.evil.example/api/mcp/auth_callback",
      "http://127.0.0.1:1234/",
    ]) {
      const page = await openPage(flow.ip, { ...flow.params, redirect_uri: uri });
      expectErrorPage(page.res, page.html, "did not register");
    }
  });

  it("refuses scheme bypasses: javascript:, data:, file: and an unregistered custom scheme", async () => {
    const flow = await flowFor(CLAUDE);
    for (const uri of [
      "javascript:alert(document.domain)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "cursor://anysphere.cursor-mcp/oauth/callback",
      "myapp://callback",
    ]) {
      const page = await openPage(flow.ip, { ...flow.params, redirect_uri: uri });
      expectErrorPage(page.res, page.html, "did not register");
    }
  });

  it("shows an error page for a missing or repeated client_id or redirect_uri", async () => {
    const flow = await flowFor(CHATGPT);
    const noClient = await openPage(flow.ip, { ...flow.params, client_id: null });
    expectErrorPage(noClient.res, noClient.html, "no client_id");
    const noRedirect = await openPage(flow.ip, { ...flow.params, redirect_uri: null });
    expectErrorPage(noRedirect.res, noRedirect.html, "no redirect_uri");
    const path = `${authorizePath(flow.params)}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`;
    const res = await oauthFetch(path, { headers: { "cf-connecting-ip": flow.ip } });
    expectErrorPage(res, await res.text(), "repeats client_id or redirect_uri");
  });

  it("refuses a tampered client id and one of an unknown form, without redirecting", async () => {
    const flow = await flowFor(CLAUDE);
    const tampered = forgeSignature(flow.clientId);
    expect(tampered).not.toBe(flow.clientId);
    const forged = await openPage(flow.ip, { ...flow.params, client_id: tampered });
    expectErrorPage(forged.res, forged.html, "not one this server issued");
    const unknown = await openPage(flow.ip, { ...flow.params, client_id: "some-client" });
    expectErrorPage(unknown.res, unknown.html, "unknown");
  });

  it("refuses a metadata document client whose URL is private, without fetching it", async () => {
    let fetched = 0;
    cimdTransport.fetch = async () => {
      fetched++;
      return Response.json({});
    };
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, { ...flow.params, client_id: "https://169.254.169.254/latest/meta-data" });
    expectErrorPage(page.res, page.html, "non-public IP");
    expect(fetched).toBe(0);
  });
});

describe("GET /oauth/authorize: errors after the redirect URI matched, for the app with state and iss (RFC 9700 §4.11.2)", () => {
  /** Opens the page with `change` and asserts the error page (no redirect); the query of its return link. */
  async function refused(flow: Flow, change: Record<string, string | null>): Promise<URLSearchParams> {
    const page = await openPage(flow.ip, { ...flow.params, ...change });
    expect(page.res.status).toBe(400);
    expect(page.res.headers.get("location")).toBeNull();
    const { base, query } = splitUrl(returnLinkOf(page.html));
    expect(base).toBe(flow.redirectUri);
    expect(query.get("state")).toBe(flow.state);
    expect(query.get("iss")).toBe(BASE);
    expect(query.get("code")).toBeNull();
    return query;
  }

  it("shows an https client's error on a page whose link carries error, error_description, state and iss exactly", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, { ...flow.params, code_challenge: null });
    expect(page.res.status).toBe(400);
    expect(page.res.headers.get("location")).toBeNull();
    expect(page.res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.res.headers.get("x-frame-options")).toBe("DENY");
    expect(page.res.headers.get("cache-control")).toBe("no-store");
    expect(page.res.headers.get("referrer-policy")).toBe("no-referrer");
    const csp = page.res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/form-action 'self'(;|$)/);
    expect(page.html).toContain("The app&#39;s request is missing PKCE");
    expect(page.html).toContain('<strong data-testid="redirect-host">claude.ai</strong> (a website)');
    expect(page.html).toMatch(/<a [^>]*data-testid="return-link"[^>]*>Return to claude\.ai<\/a>/);
    // The user has to click: nothing navigates by itself.
    expect(page.html).not.toMatch(/<script|http-equiv|refresh/i);
    const link = returnLinkOf(page.html);
    const iss = encodeURIComponent(BASE);
    expect(link).toBe(
      `${flow.redirectUri}?error=invalid_request&error_description=PKCE+is+required%3A+code_challenge+is+missing.&state=${flow.state}&iss=${iss}`,
    );
  });

  it("escapes an attacker's state in the link and echoes it exactly", async () => {
    const flow = await flowFor(CHATGPT);
    const state = `"><script>alert(1)</script><a href='x'>&amp;`;
    const page = await openPage(flow.ip, { ...flow.params, state, response_type: null });
    expect(page.res.status).toBe(400);
    expect(page.html).not.toContain("<script>");
    expect(page.html).not.toContain('"><');
    expect(page.html).not.toContain("href='x'");
    const { query } = splitUrl(returnLinkOf(page.html));
    expect(query.get("state")).toBe(state);
    expect(query.get("error")).toBe("invalid_request");
    expect(query.get("iss")).toBe(BASE);
  });

  it("escapes the registered redirect URI in the link's href (its own query keeps & and quotes)", async () => {
    const uri = "https://app.example/cb?a=1&b='x'&c=\"><b>";
    const flow = await flowFor({ client_name: "Quotes", redirect_uris: [uri] });
    const page = await openPage(flow.ip, { ...flow.params, resource: "https://other.example/mcp" });
    expect(page.res.status).toBe(400);
    expect(page.html).not.toContain("<b>");
    expect(page.html).toContain(
      'href="https://app.example/cb?a=1&amp;b=&#39;x&#39;&amp;c=&quot;&gt;&lt;b&gt;&amp;error=invalid_target&amp;',
    );
    const link = returnLinkOf(page.html);
    expect(link.startsWith(`${uri}&error=invalid_target&`)).toBe(true);
    expect(splitUrl(link).query.get("state")).toBe(flow.state);
  });

  it("shows the page for a private-use scheme too; its link reaches the app", async () => {
    const flow = await flowFor(CURSOR);
    const page = await openPage(flow.ip, { ...flow.params, code_challenge_method: "plain" });
    expect(page.res.status).toBe(400);
    expect(page.res.headers.get("location")).toBeNull();
    expect(page.html).toContain("Return to cursor://anysphere.cursor-mcp</a>");
    const { base, query } = splitUrl(returnLinkOf(page.html));
    expect(base).toBe("cursor://anysphere.cursor-mcp/oauth/callback");
    expect(query.get("error")).toBe("invalid_request");
    expect(query.get("state")).toBe(flow.state);
    expect(query.get("iss")).toBe(BASE);
  });

  it("still redirects a loopback redirect URI's error at once (a native app on this computer, never another site)", async () => {
    const cases: ReadonlyArray<readonly [string, Parameters<typeof flowFor>[0], string | undefined]> = [
      ["127.0.0.1 on another port", VSCODE, "http://127.0.0.1:40123/"],
      ["localhost (mcp-remote)", MCP_REMOTE, undefined],
      ["[::1]", { client_name: "IPv6", redirect_uris: ["http://[::1]:5555/cb"] }, undefined],
    ];
    expect(cases.length).toBeGreaterThan(0);
    for (const [label, metadata, uri] of cases) {
      const flow = await flowFor(metadata, uri);
      const page = await openPage(flow.ip, { ...flow.params, response_type: "token" });
      expect(page.res.status, label).toBe(302);
      expect(page.res.headers.get("cache-control"), label).toBe("no-store");
      const { base, query } = locationOf(page.res);
      expect(base, label).toBe(flow.redirectUri);
      expect(query.get("error"), label).toBe("unsupported_response_type");
      expect(query.get("state"), label).toBe(flow.state);
      expect(query.get("iss"), label).toBe(BASE);
    }
  });

  it("refuses a PKCE downgrade: plain or a missing method or challenge (CVE-2025-4144)", async () => {
    const flow = await flowFor(CLAUDE);
    const downgrades: Record<string, string | null>[] = [
      { code_challenge_method: "plain" },
      { code_challenge_method: null },
      { code_challenge: null },
      { code_challenge: "short" },
    ];
    for (const change of downgrades) {
      const q = await refused(flow, change);
      expect(q.get("error")).toBe("invalid_request");
      expect(q.get("error_description")).toMatch(/S256|code_challenge|PKCE/);
    }
  });

  it("refuses a token for another server's resource with invalid_target", async () => {
    const flow = await flowFor(CHATGPT);
    for (const resource of ["https://other.example/mcp", `${BASE}/mcp/other`, `${BASE}/`]) {
      expect((await refused(flow, { resource })).get("error")).toBe("invalid_target");
    }
  });

  it("refuses another response type with unsupported_response_type", async () => {
    const flow = await flowFor(CLAUDE);
    expect((await refused(flow, { response_type: "token" })).get("error")).toBe("unsupported_response_type");
  });

  it("appends to a registered redirect URI's own query without rewriting it", async () => {
    const flow = await flowFor({ client_name: "Q", redirect_uris: ["https://app.example/cb?tenant=a%20b"] });
    const page = await openPage(flow.ip, { ...flow.params, code_challenge_method: "plain" });
    expect(page.res.status).toBe(400);
    expect(returnLinkOf(page.html)).toMatch(/^https:\/\/app\.example\/cb\?tenant=a%20b&error=invalid_request&/);
  });
});

describe("POST /oauth/authorize: CSRF, origin and signed parameters", () => {
  it("refuses a missing or tampered CSRF token with 403 and a fresh form, never a redirect", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const base = { oauth: page.ticket, method: "password", email: SEED.ayse.email, password: SEED.ayse.password };
    const missing = await postPage(flow.ip, base, { cookie: page.cookie });
    expect(missing.res.status).toBe(403);
    expect(missing.res.headers.get("location")).toBeNull();
    expect(missing.html).toContain("This form has expired");
    expect(missing.html).toContain("Connect Claude to Passgage");
    const tampered = await postPage(flow.ip, { ...base, csrf: forgeSignature(page.csrf) }, { cookie: page.cookie });
    expect(tampered.res.status).toBe(403);
    const noCookie = await postPage(flow.ip, { ...base, csrf: page.csrf });
    expect(noCookie.res.status).toBe(403);
    expect(noCookie.html).toContain("security cookie");
  });

  it("refuses a post from another site with 403", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const fields = { csrf: page.csrf, oauth: page.ticket, method: "password", email: SEED.ayse.email, password: SEED.ayse.password };
    const crossSite = await postPage(flow.ip, fields, { cookie: page.cookie, "sec-fetch-site": "cross-site", origin: "" });
    expect(crossSite.res.status).toBe(403);
    expect(crossSite.res.headers.get("location")).toBeNull();
  });

  it("refuses altered signed parameters (no open redirect after sign-in): an error page, nobody signed in", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const [v, body = "", mac = ""] = page.ticket.split(".");
    const json = JSON.parse(atob(body.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    json.redirectUri = "https://evil.example/steal";
    const swapped = btoa(JSON.stringify(json)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    for (const ticket of [`${v}.${swapped}.${mac}`, forgeSignature(page.ticket), ""]) {
      const r = await postPage(
        flow.ip,
        { csrf: page.csrf, oauth: ticket, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
        { cookie: page.cookie },
      );
      expectErrorPage(r.res, r.html, "Start connecting again");
    }
  });

  it("ignores a redirect_uri added to the form: the browser returns only to the validated one", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const r = await postPage(
      flow.ip,
      {
        csrf: page.csrf,
        oauth: page.ticket,
        method: "password",
        email: SEED.ayse.email,
        password: SEED.ayse.password,
        redirect_uri: "https://evil.example/steal",
      },
      { cookie: page.cookie },
    );
    expect(r.res.status).toBe(302);
    expect(locationOf(r.res).base).toBe("https://claude.ai/api/mcp/auth_callback");
  });
});

describe("POST /oauth/authorize: signing in", () => {
  it("shows a failed sign-in on the page, and the sixth wrong password is refused by the limiter", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const email = `nobody-${crypto.randomUUID()}@acme.example`;
    const attempt = (i: number): Promise<{ res: Response; html: string }> =>
      postPage(
        flow.ip,
        { csrf: page.csrf, oauth: page.ticket, method: "password", email, password: `wrong-${i}` },
        { cookie: page.cookie },
      );
    const first = await attempt(0);
    expect(first.html).toContain("The e-mail address or password is wrong.");
    expect(first.html).toContain(`value="${email}"`);
    expect(first.html).not.toContain("wrong-0");
    expect(first.html).toContain("Connect Claude to Passgage");
    expect(first.res.headers.get("location")).toBeNull();
    const statuses: number[] = [first.res.status];
    let last = first;
    for (let i = 1; i < 6; i++) {
      last = await attempt(i);
      statuses.push(last.res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect(last.html).toContain("Too many failed sign-ins");
    expect(last.res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(last.res.headers.get("location")).toBeNull();
  });

  it("explains a malformed e-mail with 400 and keeps the form working", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const r = await postPage(
      flow.ip,
      { csrf: page.csrf, oauth: page.ticket, method: "password", email: "", password: "x" },
      { cookie: page.cookie },
    );
    expect(r.res.status).toBe(400);
    expect(r.html).toContain("Enter your Passgage e-mail address.");
  });

  it.each([
    ["Claude", CLAUDE, undefined],
    ["ChatGPT", CHATGPT, undefined],
    ["VS Code (another loopback port)", VSCODE, "http://127.0.0.1:33419/"],
    ["VS Code (web)", VSCODE, "https://vscode.dev/redirect"],
    ["Cursor", CURSOR, undefined],
    ["mcp-remote", MCP_REMOTE, "http://localhost:49152/oauth/callback"],
  ])("signs %s's user in and redirects with code, state and iss", async (_name, metadata, uri) => {
    const flow = await flowFor(metadata, uri);
    const r = await signInThrough(flow, SEED.ayse);
    expect(r.res.status).toBe(302);
    expect(r.res.headers.get("cache-control")).toBe("no-store");
    expect(r.res.headers.get("set-cookie")).toMatch(/^__Host-passgage_login=; .*Max-Age=0/);
    const { base, query } = locationOf(r.res);
    expect(base).toBe(flow.redirectUri);
    expect(query.get("code")).toMatch(/^pgm_code_[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
    expect(query.get("state")).toBe(flow.state);
    expect(query.get("iss")).toBe(BASE);
    expect(r.res.headers.get("location")).not.toContain("sess_");
  });

  it("signs in with a company API key too", async () => {
    const flow = await flowFor(CLAUDE);
    const page = await openPage(flow.ip, flow.params);
    const r = await postPage(
      flow.ip,
      { csrf: page.csrf, oauth: page.ticket, method: "api_key", api_key: SEED.acmeKey },
      { cookie: page.cookie },
    );
    expect(r.res.status).toBe(302);
    expect(locationOf(r.res).query.get("code")).toMatch(/^pgm_code_/);
  });

  it("omits state in the redirect when the request had none", async () => {
    const flow = await flowFor(CLAUDE);
    const r = await signInThrough({ ...flow, params: { ...flow.params, state: "" }, ip: freshIp() }, SEED.mehmet);
    expect(r.res.status).toBe(302);
    expect(locationOf(r.res).query.get("state")).toBe("");
    const without = await flowFor(CLAUDE);
    const r2 = await signInThrough({ ...without, params: { ...without.params, state: null } }, SEED.mehmet);
    expect(locationOf(r2.res).query.has("state")).toBe(false);
  });
});
