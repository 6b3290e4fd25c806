/**
 * Origin validation (MCP transport, MUST; issue 11): on every route, a present Origin
 * that is neither in ALLOWED_ORIGINS nor the request's own origin gets 403 with a JSON
 * body before any work, admission included; an absent Origin (native clients) is fine.
 * In `development` (a local server) the own-origin rule holds only for a loopback host,
 * so a DNS-rebinding page (`Host: evil.example.com`, `Origin: http://evil.example.com`)
 * is refused (the conformance suite's dns-rebinding-protection scenario runs in
 * test/e2e/conformance.test.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, mcpHeaders } from "../helpers/mcp";
import { figure, ipSource, quietLogs, tally } from "./figures";
import { countingNamespace, send, settleAfterEach } from "./route-fetch";

quietLogs();
settleAfterEach();

const nextIp = ipSource("100.66");
const EVIL = "http://evil.example.com";
const ROUTES: readonly [string, string][] = [
  ["POST", "/mcp"],
  ["DELETE", "/mcp"],
  ["OPTIONS", "/mcp"],
  ["GET", "/health"],
  ["GET", "/stats"],
  ["GET", "/admin/sessions"],
  ["GET", "/login"],
  ["POST", "/login"],
  // The OAuth metadata, token, revocation and registration endpoints are public (open CORS, test/oauth/metadata.test.ts).
  ["GET", "/.well-known/openid-configuration"],
  ["GET", "/nowhere"],
];

const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });

function req(method: string, url: string, headers: Record<string, string>): Request {
  return new Request(url, { method, headers: mcpHeaders(headers), ...(method === "POST" ? { body: ping } : {}) });
}

describe("a foreign Origin gets 403 on every route, before admission", () => {
  it("every route: 403 with a JSON body; the limiter is never called", async () => {
    const limiter = countingNamespace(env.RATE_LIMITER);
    const statuses: number[] = [];
    for (const [method, path] of ROUTES) {
      const res = await send(req(method, BASE + path, { "cf-connecting-ip": nextIp(), origin: EVIL }), { RATE_LIMITER: limiter.ns });
      statuses.push(res.status);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      const body = await res.json<{ error: { code: unknown; message: string } }>();
      expect(body.error.message).toContain("Origin not allowed");
      expect(body).toMatchObject(
        path === "/mcp" ? { jsonrpc: "2.0", id: null, error: { code: -32000 } } : { error: { code: "forbidden_origin" } },
      );
    }
    expect(statuses).toHaveLength(ROUTES.length);
    expect(limiter.calls).toEqual([]);
    figure("origin", `Origin ${EVIL} on ${ROUTES.length} routes: ${tally(statuses)}, limiter calls ${limiter.calls.length}`);
  });

  it("refused requests take no slot: past the limit in refusals, the IP is still admitted", async () => {
    const ip = nextIp();
    const vars = { RATE_LIMIT_MAX_REQUESTS: "2" };
    for (let i = 0; i < 5; i++) {
      const res = await send(req("POST", `${BASE}/mcp`, { "cf-connecting-ip": ip, origin: EVIL }), vars);
      expect(res.status).toBe(403);
    }
    const ok = await send(req("POST", `${BASE}/mcp`, { "cf-connecting-ip": ip }), vars);
    expect(ok.status).toBe(200);
  });
});

describe("allowed origins", () => {
  it("no Origin (native clients) is served", async () => {
    const res = await send(req("POST", `${BASE}/mcp`, { "cf-connecting-ip": nextIp() }));
    expect(res.status).toBe(200);
  });

  it("an Origin in ALLOWED_ORIGINS is served, with CORS headers for it", async () => {
    const allowed = "https://app.example.org";
    const res = await send(req("POST", `${BASE}/mcp`, { "cf-connecting-ip": nextIp(), origin: allowed }), { ALLOWED_ORIGINS: allowed });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
  });

  it("Origin: null passes only with Sec-Fetch-Site: same-origin", async () => {
    const refused = await send(
      req("GET", `${BASE}/health`, { "cf-connecting-ip": nextIp(), origin: "null", "sec-fetch-site": "cross-site" }),
    );
    expect(refused.status).toBe(403);
    const own = await send(req("GET", `${BASE}/health`, { "cf-connecting-ip": nextIp(), origin: "null", "sec-fetch-site": "same-origin" }));
    expect(own.status).toBe(200);
  });
});

describe("DNS rebinding on a local (development) server", () => {
  const dev = { ENVIRONMENT: "development", ALLOWED_ORIGINS: "http://localhost:8787" };

  it("a foreign Host with its own matching Origin is refused (403)", async () => {
    const res = await send(req("POST", "http://evil.example.com/mcp", { "cf-connecting-ip": nextIp(), origin: EVIL }), dev);
    expect(res.status).toBe(403);
  });

  it("a loopback Host with its own Origin is served, on any port", async () => {
    for (const origin of ["http://localhost:41234", "http://127.0.0.1:41234", "http://[::1]:41234"]) {
      const res = await send(req("POST", `${origin}/mcp`, { "cf-connecting-ip": nextIp(), origin }), dev);
      expect(res.status, origin).toBe(200);
    }
  });

  it("outside development (test, production) the own-origin rule holds for the host the request came to", async () => {
    const res = await send(req("POST", `${BASE}/mcp`, { "cf-connecting-ip": nextIp(), origin: BASE }), { ENVIRONMENT: "test" });
    expect(res.status).toBe(200);
  });
});
