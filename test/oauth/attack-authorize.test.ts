/**
 * Attacker review of /oauth/authorize (issue 12): findings reproduced as tests.
 *
 * F-A1: the page's CSP said `form-action 'self'`, and Chromium applies form-action to the
 * redirect that answers a form submission, so the 302 to the client's redirect URI after a
 * successful sign-in was blocked ("Sending form data to … violates … form-action 'self'"):
 * no OAuth client could finish connecting from Chrome. Reproduced in /usr/bin/chromium with a
 * page carrying that CSP and a POST answered by a 302 to another origin. The page now allows
 * exactly its ticket's redirect origin (or the scheme, when CSP cannot express the host).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cimdTransport } from "../../src/oauth/cimd";
import { settleAfterEach } from "../security/route-fetch";
import { flowFor, openPage } from "./authorize-fixtures";

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
