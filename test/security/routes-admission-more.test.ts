/**
 * Regression guard (hostile-client review): routes-admission.test.ts lists 11 routes; the
 * OAuth, console and admin-write routes below are admitted too (checked against `npm run dev`
 * with RATE_LIMIT_MAX_REQUESTS 20: 20 answers, then 429, on each), but no test says so.
 * Each must take a slot of its client's window before any work and answer 429 past it.
 */
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers/mcp";
import { ipSource, quietLogs } from "./figures";
import { send, settleAfterEach } from "./route-fetch";

quietLogs();
settleAfterEach();

const LIMIT = 3;
const vars = { RATE_LIMIT_MAX_REQUESTS: String(LIMIT), ANONYMOUS_ACCESS: "oauth" };
const nextIp = ipSource("100.65");
const form = { "content-type": "application/x-www-form-urlencoded" };

const ROUTES: readonly { method: string; path: string; headers?: Record<string, string>; body?: string }[] = [
  { method: "POST", path: "/oauth/token", headers: form, body: "grant_type=authorization_code" },
  { method: "POST", path: "/oauth/revoke", headers: form, body: "token=x" },
  { method: "POST", path: "/oauth/register", headers: { "content-type": "application/json" }, body: "{}" },
  { method: "OPTIONS", path: "/oauth/token" },
  { method: "GET", path: "/oauth/authorize" },
  { method: "POST", path: "/oauth/authorize", headers: form, body: "a=b" },
  { method: "GET", path: "/.well-known/oauth-protected-resource/mcp" },
  { method: "GET", path: "/console" },
  { method: "POST", path: "/console/login", headers: form, body: "a=b" },
  { method: "GET", path: "/console/api/sessions" },
  { method: "GET", path: "/admin/audit" },
  { method: "POST", path: "/admin/sessions/revoke", headers: { "content-type": "application/json" }, body: "{}" },
  { method: "PUT", path: "/mcp/x/unknown" },
];

describe("routes not listed in routes-admission.test.ts are admitted per IP too", () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path}: ${LIMIT} answered, then 429 with Retry-After`, async () => {
      const ip = nextIp();
      const statuses: number[] = [];
      const retryAfter: (string | null)[] = [];
      for (let i = 0; i < LIMIT + 2; i++) {
        const res = await send(
          new Request(BASE + route.path, {
            method: route.method,
            headers: { "cf-connecting-ip": ip, ...route.headers },
            ...(route.body === undefined ? {} : { body: route.body }),
          }),
          vars,
        );
        await res.arrayBuffer();
        statuses.push(res.status);
        retryAfter.push(res.headers.get("retry-after"));
      }
      expect(statuses.slice(0, LIMIT).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(LIMIT)).toEqual([429, 429]);
      expect(retryAfter.slice(LIMIT).every((v) => v !== null)).toBe(true);
    });
  }
});
