/**
 * Every route is admitted per IP before any work (issue 11): DELETE /mcp, /health, /stats,
 * /admin/sessions, GET and POST /login, the /.well-known/* 404s, OPTIONS and the JSON 404
 * each take a slot of the client IP's window (the router's gate, src/router.ts), and past
 * the limit each answers 429 with Retry-After and a JSON body (a JSON-RPC error for /mcp).
 * /health makes no storage call beyond its admission; /stats needs the admin token and
 * reads only the registry directory; failed admin tokens are throttled per IP.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers/mcp";
import { figure, ipSource, quietLogs, tally } from "./figures";
import { countingNamespace, send, settleAfterEach } from "./route-fetch";

quietLogs();
settleAfterEach();

const LIMIT = 3;
const vars = { RATE_LIMIT_MAX_REQUESTS: String(LIMIT) };
const nextIp = ipSource("100.64");
const ADMIN = "test-admin-token-0123456789abcdef";

type Route = { name: string; method: string; path: string; headers?: Record<string, string>; body?: string };

const ROUTES: readonly Route[] = [
  { name: "DELETE /mcp", method: "DELETE", path: "/mcp", headers: { "mcp-session-id": "whatever" } },
  { name: "GET /mcp", method: "GET", path: "/mcp" },
  { name: "OPTIONS /mcp", method: "OPTIONS", path: "/mcp" },
  { name: "GET /health", method: "GET", path: "/health" },
  { name: "GET /stats", method: "GET", path: "/stats", headers: { authorization: `Bearer ${ADMIN}` } },
  { name: "GET /admin/sessions", method: "GET", path: "/admin/sessions", headers: { authorization: `Bearer ${ADMIN}` } },
  { name: "GET /login", method: "GET", path: "/login" },
  { name: "POST /login", method: "POST", path: "/login", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" },
  { name: "GET /.well-known/oauth-authorization-server", method: "GET", path: "/.well-known/oauth-authorization-server" },
  { name: "OPTIONS /login", method: "OPTIONS", path: "/login" },
  { name: "GET /nowhere (JSON 404)", method: "GET", path: "/nowhere" },
];

function request(route: Route, ip: string): Request {
  return new Request(BASE + route.path, {
    method: route.method,
    headers: { "cf-connecting-ip": ip, ...route.headers },
    ...(route.body === undefined ? {} : { body: route.body }),
  });
}

describe("every route is admitted per IP before any work", () => {
  for (const route of ROUTES) {
    it(`${route.name}: ${LIMIT} admitted, then 429 with Retry-After and a JSON body`, async () => {
      const ip = nextIp();
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT; i++) {
        const res = await send(request(route, ip), vars);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toEqual([]);
      const refused = await send(request(route, ip), vars);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("content-type")).toContain("application/json");
      const body = await refused.json<{ error?: { code?: unknown; message?: unknown } }>();
      expect(body).toMatchObject(
        route.path === "/mcp" ? { jsonrpc: "2.0", id: null, error: { code: -32029 } } : { error: { code: "rate_limited" } },
      );
      expect(String(body.error?.message)).toMatch(/retry after \d+ s/);
      figure("routes", `${route.name}: statuses ${tally([...statuses, refused.status])} at limit ${LIMIT}`);
    });
  }

  it("the routes share one window per IP: mixed routes get exactly the limit", async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (const route of ROUTES) {
      const res = await send(request(route, ip), vars);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toHaveLength(ROUTES.length);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((s) => s === 429)).toBe(true);
  });
});

describe("/health and /stats are constant-cost; /stats is for admins", () => {
  it("/health calls no registry object and only the IP's limiter", async () => {
    const registry = countingNamespace(env.REGISTRY);
    const limiter = countingNamespace(env.RATE_LIMITER);
    const res = await send(new Request(`${BASE}/health`, { headers: { "cf-connecting-ip": nextIp() } }), {
      REGISTRY: registry.ns,
      RATE_LIMITER: limiter.ns,
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; checks: Record<string, unknown> }>();
    expect(body.status).toBe("ok");
    expect(body.checks).not.toHaveProperty("storage");
    expect(registry.calls).toEqual([]);
    expect(limiter.calls).toHaveLength(1);
    expect(limiter.calls[0]).toMatch(/^ip:/);
  });

  it("/stats without the admin token is 401 and publishes nothing", async () => {
    const res = await send(new Request(`${BASE}/stats`, { headers: { "cf-connecting-ip": nextIp() } }));
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toMatch(/requests|sessions|byMode/);
  });

  it("/stats with the admin token reads only the registry directory (one call)", async () => {
    const registry = countingNamespace(env.REGISTRY);
    const res = await send(new Request(`${BASE}/stats`, { headers: { "cf-connecting-ip": nextIp(), authorization: `Bearer ${ADMIN}` } }), {
      REGISTRY: registry.ns,
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ requests: { requests: number; rateLimited: number; since: number } }>();
    expect(body.requests.requests).toBeGreaterThanOrEqual(0);
    expect(registry.calls).toEqual(["directory"]);
  });
});

describe("failed admin tokens are throttled per IP", () => {
  const failureVars = { LOGIN_FAILURE_LIMIT: "3" };

  it("after LOGIN_FAILURE_LIMIT wrong tokens, even the right one gets 429 from that IP; another IP is served", async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await send(
        new Request(`${BASE}/admin/sessions`, { headers: { "cf-connecting-ip": ip, authorization: `Bearer wrong-${i}` } }),
        failureVars,
      );
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    for (const path of ["/admin/sessions", "/stats"]) {
      const blocked = await send(
        new Request(BASE + path, { headers: { "cf-connecting-ip": ip, authorization: `Bearer ${ADMIN}` } }),
        failureVars,
      );
      expect(blocked.status, path).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await blocked.json<{ error: { code: string } }>()).error.code).toBe("rate_limited");
    }
    const other = await send(
      new Request(`${BASE}/admin/sessions`, { headers: { "cf-connecting-ip": nextIp(), authorization: `Bearer ${ADMIN}` } }),
      failureVars,
    );
    expect(other.status).toBe(200);
    figure("admin", `3 wrong tokens from one IP: ${tally(statuses)}, then 429 for the right one; another IP 200`);
  });

  it("40 wrong tokens sent at once from one IP: at most LOGIN_FAILURE_LIMIT are compared with the token, the rest get 429", async () => {
    const ip = nextIp();
    const vars = { ...failureVars, RATE_LIMIT_MAX_REQUESTS: "1000" };
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = await send(
          new Request(`${BASE}/admin/sessions`, { headers: { "cf-connecting-ip": ip, authorization: `Bearer wrong-${i}` } }),
          vars,
        );
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses).toHaveLength(40);
    // Every guess is counted before the next one from this IP is compared (one-at-a-time slot).
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    figure("admin", `40 concurrent wrong tokens from one IP (limit 3): ${tally(statuses)}`);
  });
});
