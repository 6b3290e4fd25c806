/**
 * Configuration property (issue 11): every configuration variable, driven across its
 * accepted range and just outside it, through the Worker's fetch handler with the env
 * overridden. An accepted value never makes /mcp (a tools/list and a tools/call) or
 * /login answer 5xx, and /health says ok; a refused value makes /health answer 503
 * naming the variable (and /mcp and /login answer 503, not 500). The accepted ranges
 * are written here from DESIGN.md's table and the shared rate-limit bounds, not read
 * back from the schema under test.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_AUDIT_RETENTION_DAYS, MAX_SESSION_TIMEOUT_HOURS, MAX_SESSIONS_CAP, OAUTH_ACCESS_TOKEN_TTL_BOUNDS } from "../../src/config";
import worker from "../../src/index";
import {
  RATE_LIMIT_MAX_LIMIT,
  RATE_LIMIT_MAX_WINDOW_MS,
  RATE_LIMIT_MIN_LIMIT,
  RATE_LIMIT_MIN_WINDOW_MS,
} from "../../src/rate-limit/policy";
import { BASE, mcpHeaders } from "../helpers/mcp";
import { figure, quietLogs } from "./figures";

quietLogs();

/** A valid, non-development key for the base env, so production configurations are complete. */
const KEY = "ab".repeat(32);
/** Values of a variable: accepted ones (boundaries first) and refused ones. */
interface VariableSpec {
  readonly name: string;
  readonly accepted: fc.Arbitrary<string>;
  readonly boundaries: readonly string[];
  readonly refused: readonly string[];
  /** Other variables a value needs to make a complete configuration (production needs https). */
  readonly with?: (value: string) => Record<string, string>;
}

const int = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map(String);
const hex64 = fc.array(fc.constantFrom(..."0123456789abcdefABCDEF".split("")), { minLength: 64, maxLength: 64 }).map((a) => a.join(""));

function intSpec(name: string, min: number, max: number): VariableSpec {
  return {
    name,
    accepted: int(min, max),
    boundaries: [String(min), String(max)],
    refused: [String(min - 1), String(max + 1), "1.5", "ten"],
  };
}

const SPECS: readonly VariableSpec[] = [
  {
    name: "ENVIRONMENT",
    accepted: fc.constantFrom("development", "test", "production", "Production"),
    boundaries: ["production"],
    refused: ["staging", "prod"],
    with: (v): Record<string, string> => (v.toLowerCase() === "production" ? { PASSGAGE_BASE_URL: "https://api.passgage.com" } : {}),
  },
  {
    name: "PASSGAGE_BASE_URL",
    accepted: fc.constantFrom(env.PASSGAGE_BASE_URL, `${env.PASSGAGE_BASE_URL}/`, "http://127.0.0.1:9", "https://api.passgage.com"),
    boundaries: [env.PASSGAGE_BASE_URL],
    refused: ["not a url", "ftp://api.passgage.com", "mailto:ops@example.com"],
  },
  intSpec("PASSGAGE_TIMEOUT", 100, 300_000),
  { name: "PASSGAGE_DEBUG", accepted: fc.constantFrom("true", "false", "1", "0", "TRUE"), boundaries: ["true"], refused: ["yes", "2"] },
  intSpec("RATE_LIMIT_WINDOW_MS", RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS),
  intSpec("RATE_LIMIT_MAX_REQUESTS", RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT),
  intSpec("SESSION_TIMEOUT_HOURS", 1, MAX_SESSION_TIMEOUT_HOURS),
  {
    name: "ALLOWED_ORIGINS",
    accepted: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("http://a.example,http://b.example", " , ")),
    boundaries: ["*"],
    refused: [],
  },
  { name: "ENCRYPTION_KEY", accepted: hex64, boundaries: ["f".repeat(64)], refused: ["abc", "z".repeat(64), "a".repeat(65)] },
  { name: "ENCRYPTION_KEY_PREVIOUS", accepted: hex64, boundaries: ["0".repeat(64)], refused: ["1234", "g".repeat(64)] },
  {
    name: "ADMIN_TOKEN",
    accepted: fc.string({ minLength: 16, maxLength: 64 }).filter((s) => s.trim().length >= 16),
    boundaries: ["x".repeat(16)],
    refused: ["x".repeat(15), "short"],
  },
  intSpec("LOGIN_FAILURE_LIMIT", RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT),
  intSpec("LOGIN_FAILURE_WINDOW_MS", RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS),
  intSpec("LOGIN_SUCCESS_LIMIT", RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT),
  intSpec("LOGIN_SUCCESS_WINDOW_MS", RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS),
  intSpec("MAX_SESSIONS_PER_ACCOUNT", 1, MAX_SESSIONS_CAP),
  intSpec("MAX_SESSIONS_PER_COMPANY", 1, MAX_SESSIONS_CAP),
  { name: "ANONYMOUS_ACCESS", accepted: fc.constantFrom("oauth", "open"), boundaries: ["open"], refused: ["none", "OPEN!"] },
  {
    name: "OAUTH_ISSUER",
    accepted: fc.constantFrom("http://127.0.0.1:8787", "https://mcp.example.com/", "https://mcp.example.com"),
    boundaries: ["http://localhost:8787"],
    refused: ["not a url", "ftp://mcp.example.com", "https://mcp.example.com/?tenant=a", "https://admin@mcp.example.com"],
  },
  intSpec("OAUTH_ACCESS_TOKEN_TTL_SECONDS", OAUTH_ACCESS_TOKEN_TTL_BOUNDS.min, OAUTH_ACCESS_TOKEN_TTL_BOUNDS.max),
  intSpec("AUDIT_RETENTION_DAYS", 1, MAX_AUDIT_RETENTION_DAYS),
];

const pending: ExecutionContext[] = [];
afterEach(async () => {
  await Promise.all(pending.splice(0).map((ctx) => waitOnExecutionContext(ctx)));
});

let counter = 0;
/** A fresh client per request, so a tiny RATE_LIMIT_MAX_REQUESTS of one case never meets another. */
function freshIp(): string {
  counter = (counter + 1) % 0x10000;
  const [a = 0] = crypto.getRandomValues(new Uint16Array(1));
  return `2001:db8:${a.toString(16)}:${counter.toString(16)}::1`;
}

async function call(vars: Record<string, string>, path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const ctx = createExecutionContext();
  pending.push(ctx);
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, init) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...vars },
    ctx,
  );
  return { status: res.status, text: await res.text() };
}

function mcp(vars: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> {
  return call(vars, "/mcp", { method: "POST", headers: mcpHeaders({ "cf-connecting-ip": freshIp() }), body: JSON.stringify(body) });
}

/** The four requests of a case: /health, tools/list, tools/call, GET /login. */
type Answer = { status: number; text: string };

async function probe(vars: Record<string, string>): Promise<{ health: Answer; toolsList: Answer; toolsCall: Answer; login: Answer }> {
  return {
    health: await call(vars, "/health", { headers: { "cf-connecting-ip": freshIp() } }),
    toolsList: await mcp(vars, { jsonrpc: "2.0", id: 1, method: "tools/list" }),
    toolsCall: await mcp(vars, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "passgage_session_status", arguments: {} } }),
    login: await call(vars, "/login", { headers: { "cf-connecting-ip": freshIp() } }),
  };
}

function varsOf(spec: VariableSpec, value: string): Record<string, string> {
  return { ENCRYPTION_KEY: KEY, ...spec.with?.(value), [spec.name]: value };
}

describe("every configuration variable across its accepted range and just outside it", () => {
  const tally = { accepted: 0, refused: 0 };

  for (const spec of SPECS) {
    it(`${spec.name}: accepted values never give a 5xx; refused ones give /health 503 naming it`, async () => {
      await fc.assert(
        fc.asyncProperty(spec.accepted, async (value) => {
          const r = await probe(varsOf(spec, value));
          tally.accepted += 1;
          expect(r.health.status, `/health with ${spec.name}=${JSON.stringify(value)}: ${r.health.text.slice(0, 300)}`).toBe(200);
          for (const [route, { status, text }] of Object.entries(r)) {
            expect(status, `${route} with ${spec.name}=${JSON.stringify(value)}: ${text.slice(0, 200)}`).toBeLessThan(500);
          }
        }),
        { numRuns: 4, examples: spec.boundaries.map((b) => [b]) },
      );
      for (const value of spec.refused) {
        const r = await probe(varsOf(spec, value));
        tally.refused += 1;
        expect(r.health.status, `/health with ${spec.name}=${JSON.stringify(value)}`).toBe(503);
        const health = JSON.parse(r.health.text) as { checks: { config: { ok: boolean; detail?: string } } };
        expect(health.checks.config.ok).toBe(false);
        expect(health.checks.config.detail).toContain(`${spec.name}:`);
        expect(health.checks.config.detail ?? "").not.toContain(value.length >= 16 ? value : "\u0000");
        for (const route of ["toolsList", "toolsCall", "login"] as const) expect(r[route].status, route).toBe(503);
      }
    }, 120_000);
  }

  it("drove every variable of the configuration", () => {
    expect(SPECS.map((s) => s.name).toSorted()).toEqual(
      [
        "ENVIRONMENT",
        "PASSGAGE_BASE_URL",
        "PASSGAGE_TIMEOUT",
        "PASSGAGE_DEBUG",
        "RATE_LIMIT_WINDOW_MS",
        "RATE_LIMIT_MAX_REQUESTS",
        "SESSION_TIMEOUT_HOURS",
        "ALLOWED_ORIGINS",
        "ENCRYPTION_KEY",
        "ENCRYPTION_KEY_PREVIOUS",
        "ADMIN_TOKEN",
        "LOGIN_FAILURE_LIMIT",
        "LOGIN_FAILURE_WINDOW_MS",
        "LOGIN_SUCCESS_LIMIT",
        "LOGIN_SUCCESS_WINDOW_MS",
        "MAX_SESSIONS_PER_ACCOUNT",
        "MAX_SESSIONS_PER_COMPANY",
        "ANONYMOUS_ACCESS",
        "OAUTH_ISSUER",
        "OAUTH_ACCESS_TOKEN_TTL_SECONDS",
        "AUDIT_RETENTION_DAYS",
      ].toSorted(),
    );
    expect(tally.accepted).toBeGreaterThan(0);
    figure(
      "config",
      `${SPECS.length} variables: ${tally.accepted} accepted values (no 5xx on /mcp, /login), ${tally.refused} refused (/health 503 naming the variable)`,
    );
  });
});
