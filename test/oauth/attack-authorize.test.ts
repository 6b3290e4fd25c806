/**
 * Attacker review of /oauth/authorize (issue 12): findings reproduced as tests.
 *
 * F-A1: the page's CSP said `form-action 'self'`, and Chromium applies form-action to the
 * redirect that answers a form submission, so the 302 to the client's redirect URI after a
 * successful sign-in was blocked ("Sending form data to … violates … form-action 'self'"):
 * no OAuth client could finish connecting from Chrome. Reproduced in /usr/bin/chromium with a
 * page carrying that CSP and a POST answered by a 302 to another origin. The page now allows
 * exactly its ticket's redirect origin (or the scheme, when CSP cannot express the host).
 *
 * F-A2: anyone can register a client (DCR is open and stateless) with any https redirect URI,
 * and an authorization request with a bad parameter after the client check (no
 * response_type, PKCE missing) was redirected to that URI at once, with no page in between:
 * `/oauth/authorize?client_id=<own DCR id>&redirect_uri=https://evil/…` was a link on this
 * server's host that landed on any site (RFC 9700 §4.11.2, "authorization server as open
 * redirector"). Such an error is now a 400 page with a link "Return to <host>" the user must
 * follow; only loopback redirect URIs keep the immediate redirect (`errorDelivery`).
 *
 * F-A3: a client name is the attacker's text, shown in the page's heading. Escaping stops
 * markup, but bidi overrides (U+202E), zero-width and other invisible format characters,
 * control characters and line separators were kept, so a name could render reversed or
 * look like another app's ("Claude" + U+200B, or text that reads backwards). Registration
 * and metadata documents now refuse such names.
 *
 * Attacker review of the F-A2/F-A4 fixes:
 * a redirect URI could carry characters outside printable ASCII. "localhost" in
 * fullwidth letters registered as a loopback URI (the URL parser maps it to localhost), and
 * its error 302 carried raw UTF-8 in Location, which a browser reading the header as Latin-1
 * could resolve to another host than the one checked. Registration, metadata documents and
 * the authorization request now refuse any such URI (RFC 3986 URIs are ASCII).
 * the signed form (ticket) names the resource of the host that showed it, but a POST at
 * another host name of the deployment (OAUTH_ISSUER unset) issued a code for the first
 * resource with the second host as `iss`. Such a POST is now refused like an altered form.
 * (R-2, OAUTH_ISSUER spellings, is in test/unit/config.test.ts and below.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { SEED } from "../durable-objects/session-fixtures";
import { send, settleAfterEach } from "../security/route-fetch";
import { type CimdFetcher, cimdTransport, resolveCimdClient } from "../../src/oauth/cimd";
import { checkCimdUrl } from "../../src/oauth/cimd-url";
import { authorizePath, flowFor, openPage, postPage } from "./authorize-fixtures";
import { register } from "./client-fixtures";
import { OAUTH_ENV } from "./oauth-fixtures";

settleAfterEach();

afterEach(() => {
  cimdTransport.fetch = (request) => fetch(request);
});

/** The source list of one CSP directive. */
function directive(csp: string | null, name: string): string[] {
  const found = (csp ?? "")
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .find((parts) => parts[0] === name);
  return found ? found.slice(1) : [];
}

describe("F-A1: the authorize page lets its form's redirect reach the client (CSP form-action)", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["https", "https://claude.ai/api/mcp/auth_callback", "https://claude.ai"],
    ["https with a port", "https://app.example.com:8443/cb", "https://app.example.com:8443"],
    ["loopback IPv4", "http://127.0.0.1:33418/", "http://127.0.0.1:33418"],
    ["localhost", "http://localhost:3334/oauth/callback", "http://localhost:3334"],
    ["IPv6 loopback (CSP has no IPv6 host-source: the scheme)", "http://[::1]:5555/cb", "http:"],
    ["private-use scheme", "cursor://anysphere.cursor-mcp/oauth/callback", "cursor:"],
    ["reverse-domain scheme", "com.example.app:/oauth", "com.example.app:"],
  ];
  for (const [label, uri, source] of cases) {
    it(`allows ${label}: ${source}`, async () => {
      const flow = await flowFor({ client_name: "Client", redirect_uris: [uri] });
      const page = await openPage(flow.ip, flow.params);
      expect(page.res.status).toBe(200);
      const formAction = directive(page.res.headers.get("content-security-policy"), "form-action");
      expect(formAction).toEqual(["'self'", source]);
    });
  }

  it("keeps form-action 'self' alone on pages that redirect nowhere (error page, /login)", async () => {
    const flow = await flowFor({ client_name: "Client", redirect_uris: ["https://claude.ai/cb"] });
    const bad = await openPage(flow.ip, { ...flow.params, redirect_uri: "https://evil.example/cb" });
    expect(bad.res.status).toBe(400);
    expect(directive(bad.res.headers.get("content-security-policy"), "form-action")).toEqual(["'self'"]);
  });
});

describe("F-A2: the error path is not an open redirector", () => {
  // RFC 9700 §4.11.2: an error for an https (or private-use scheme) redirect URI is a page with a
  // link the user follows; only loopback URIs, which cannot reach another site, get the 302.
  it("does not bounce a browser to a freshly registered site without a page in between", async () => {
    const flow = await flowFor({ client_name: "Totally Legit", redirect_uris: ["https://evil.example/phish"] });
    const page = await openPage(flow.ip, { ...flow.params, response_type: null, code_challenge: null });
    expect(page.res.headers.get("location")).toBeNull();
    expect(page.res.status).toBe(400);
    expect(page.html).not.toMatch(/<script|http-equiv/i);
    expect(page.html).toContain("Return to evil.example</a>");
  });

  it("sends no Location for any error of an https client, whatever parameter is wrong", async () => {
    const flow = await flowFor({ client_name: "Phish", redirect_uris: ["https://evil.example/phish"] });
    const changes: Record<string, string | null>[] = [
      { response_type: null },
      { response_type: "token" },
      { code_challenge: null },
      { code_challenge_method: "plain" },
      { resource: "https://other.example/mcp" },
      { state: "x".repeat(2049) },
    ];
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      const page = await openPage(flow.ip, { ...flow.params, ...change });
      expect(page.res.status, JSON.stringify(change)).toBe(400);
      expect(page.res.headers.get("location"), JSON.stringify(change)).toBeNull();
    }
  });
});

describe("F-A3: a client name cannot carry invisible, bidi or control characters", () => {
  const SPOOFS: ReadonlyArray<readonly [string, string]> = [
    ["right-to-left override", "Claude \u202etxt.lve"],
    ["zero-width space", "Cla\u200bude"],
    ["left-to-right isolate", "Claude\u2066 evil\u2069"],
    ["byte order mark", "\ufeffClaude"],
    ["soft hyphen", "Clau\u00adde"],
    ["newline", "Claude\nverified by Anthropic"],
    ["NUL", "Claude\u0000"],
    ["line separator", "Claude\u2028verified"],
  ];
  for (const [label, name] of SPOOFS) {
    it(`refuses a registration named with a ${label}`, async () => {
      const { res, body } = await register({ client_name: name, redirect_uris: ["https://app.example/cb"] });
      expect(res.status).toBe(400);
      expect(body.error).toBe("invalid_client_metadata");
      expect(String(body.error_description)).toContain("client_name");
    });
  }

  it("refuses a metadata document whose client_name carries a right-to-left override", async () => {
    const url = `https://app.example/clients/${crypto.randomUUID()}.json`;
    const fetcher: CimdFetcher = () =>
      Promise.resolve(Response.json({ client_id: url, client_name: "Claude \u202etxt.lve", redirect_uris: ["https://app.example/cb"] }));
    const r = await resolveCimdClient(url, { fetcher });
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.error).toContain("client_name");
  });

  it("still accepts names in other scripts and with ordinary punctuation", async () => {
    for (const name of ["Visual Studio Code", "Müşteri Portalı", "クロード", "عميل", 'A & B <Co.> "quoted"']) {
      const { res, body } = await register({ client_name: name, redirect_uris: ["https://app.example/cb"] });
      expect(res.status, name).toBe(201);
      expect(body.client_name).toBe(name);
    }
  });
});

describe("CIMD SSRF guard: every private notation refused; the DNS limit documented", () => {
  it("refuses loopback, private and unspecified addresses in every spelling", () => {
    const refused = [
      "https://127.0.0.1/c.json",
      "https://127.1/c.json",
      "https://2130706433/c.json",
      "https://0177.0.0.1/c.json",
      "https://0x7f000001/c.json",
      "https://017700000001/c.json",
      "https://0.0.0.0/c.json",
      "https://0/c.json",
      "https://[::]/c.json",
      "https://[::1]/c.json",
      "https://[0:0:0:0:0:0:0:1]/c.json",
      "https://[::ffff:127.0.0.1]/c.json",
      "https://[::ffff:a9fe:a9fe]/c.json",
      "https://[64:ff9b::a00:1]/c.json",
      "https://[fe80::1]/c.json",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.1/c.json",
      "https://localhost/c.json",
      "https://localhost./c.json",
      "https://api.localhost/c.json",
      "https://metadata.google.internal/c.json",
      "https://intranet/c.json",
      "https://user@app.example/c.json",
      "https://app.example:8443/c.json",
      "http://app.example/c.json",
    ];
    expect(refused.length).toBeGreaterThan(20);
    for (const url of refused) expect(checkCimdUrl(url).ok, url).toBe(false);
  });

  it("cannot see where a public name resolves: 127.0.0.1.nip.io passes the guard (SECURITY.md: egress firewall when self-hosted)", () => {
    expect(checkCimdUrl("https://127.0.0.1.nip.io/c.json").ok).toBe(true);
  });
});

describe("R-1: a redirect URI is printable ASCII everywhere", () => {
  const FULLWIDTH_LOCALHOST = "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:9/cb";
  const NON_ASCII: ReadonlyArray<readonly [string, string]> = [
    ["fullwidth localhost (parsed as loopback)", FULLWIDTH_LOCALHOST],
    ["https with a euro sign in the path", "https://app.example/cb/\u20ac"],
    ["loopback with a euro sign in the query", "http://127.0.0.1:9/cb?x=\u20ac"],
    ["a host in Unicode rather than xn--", "https://b\u00fccher.example/cb"],
  ];
  for (const [label, uri] of NON_ASCII) {
    it(`refuses a registration with ${label}`, async () => {
      const { res, body } = await register({ client_name: "X", redirect_uris: ["https://app.example/cb", uri] });
      expect(res.status).toBe(400);
      expect(body.error).toBe("invalid_redirect_uri");
      expect(String(body.error_description)).toContain("redirect_uris[1]");
      expect(String(body.error_description)).toContain("outside printable ASCII");
    });
  }

  it("still registers the ASCII spellings of the same addresses (percent-encoded, xn--)", async () => {
    const uris = ["https://app.example/cb/%E2%82%AC", "https://xn--bcher-kva.example/cb", "http://127.0.0.1:9/cb?x=%E2%82%AC"];
    const { res, body } = await register({ client_name: "X", redirect_uris: uris });
    expect(res.status).toBe(201);
    expect(body.redirect_uris).toEqual(uris);
  });

  it("refuses a metadata document listing a fullwidth-localhost redirect URI", async () => {
    const url = `https://app.example/clients/${crypto.randomUUID()}.json`;
    const fetcher: CimdFetcher = () =>
      Promise.resolve(Response.json({ client_id: url, client_name: "X", redirect_uris: [FULLWIDTH_LOCALHOST] }));
    const r = await resolveCimdClient(url, { fetcher });
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.error).toContain("outside printable ASCII");
  });

  it("an authorization request naming a non-ASCII redirect URI gets an error page, never a Location", async () => {
    const flow = await flowFor({ client_name: "X", redirect_uris: ["http://localhost:9/cb"] });
    for (const uri of [FULLWIDTH_LOCALHOST, "http://localhost:9/cb?x=\u20ac"]) {
      const page = await openPage(flow.ip, { ...flow.params, redirect_uri: uri, response_type: null });
      expect(page.res.status, uri).toBe(400);
      expect(page.res.headers.get("location"), uri).toBeNull();
      expect(page.html, uri).toContain("outside printable ASCII");
    }
  });
});

describe("R-3: the signed form is accepted only at the host that showed it", () => {
  const OTHER = "https://other-host.example";

  it("a form shown at one host name and posted at another is refused before any sign-in, with no redirect", async () => {
    const flow = await flowFor({ client_name: "X", redirect_uris: ["https://app.example/cb"] });
    const page = await openPage(flow.ip, flow.params);
    expect(page.res.status).toBe(200);
    expect(page.ticket).not.toBe("");
    const res = await send(
      new Request(`${OTHER}/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: OTHER,
          "sec-fetch-site": "same-origin",
          "cf-connecting-ip": flow.ip,
          cookie: page.cookie,
        },
        body: new URLSearchParams({
          csrf: page.csrf,
          oauth: page.ticket,
          method: "password",
          email: SEED.ayse.email,
          password: SEED.ayse.password,
        }).toString(),
      }),
      OAUTH_ENV,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("Invalid sign-in form");
    expect(html).toContain("another address of this server");
  });

  it("the same form posted at the host that showed it signs in and redirects (control)", async () => {
    const flow = await flowFor({ client_name: "X", redirect_uris: ["https://app.example/cb"] });
    const page = await openPage(flow.ip, flow.params);
    const out = await postPage(
      flow.ip,
      { csrf: page.csrf, oauth: page.ticket, method: "password", email: SEED.ayse.email, password: SEED.ayse.password },
      { cookie: page.cookie },
    );
    expect(out.res.status).toBe(302);
    const location = new URL(out.res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe("https://app.example/cb");
    expect(location.searchParams.get("iss")).toBe("https://mcp.test");
  });
});

describe("R-2: OAUTH_ISSUER is advertised and compared in its canonical spelling", () => {
  for (const issuer of ["https://MCP.Example.COM", "https://mcp.example.com:443/", "HTTPS://mcp.example.com"]) {
    it(`OAUTH_ISSUER=${issuer}: metadata and /oauth/authorize agree on https://mcp.example.com/mcp`, async () => {
      const vars = { ...OAUTH_ENV, OAUTH_ISSUER: issuer };
      const prm = await send(new Request("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"), vars);
      expect(await prm.json()).toMatchObject({ resource: "https://mcp.example.com/mcp" });
      const flow = await flowFor({ client_name: "X", redirect_uris: ["https://app.example/cb"] });
      const res = await send(
        new Request(`https://mcp.example.com${authorizePath({ ...flow.params, resource: "https://mcp.example.com/mcp" })}`, {
          headers: { "cf-connecting-ip": flow.ip },
          redirect: "manual",
        }),
        vars,
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('name="oauth"');
    });
  }
});
