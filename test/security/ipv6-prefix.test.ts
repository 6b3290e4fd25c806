/**
 * IPv6 clients are keyed by their /64 (issue 11): one subscriber routinely holds a whole
 * /64, so keying by the full address gave one client a fresh quota per address. Here 120
 * requests from 120 addresses of one /64 (spelled in several ways) get exactly
 * RATE_LIMIT_MAX_REQUESTS admitted, and the per-IP failed-login limit holds across the
 * /64 too. The Worker's fetch handler runs with a small limit set through its env.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { clientNetwork } from "../../src/http/client-ip";
import worker from "../../src/index";
import { BASE, mcpHeaders, SEED, type RpcBody } from "../helpers/mcp";
import { figure, quietLogs, tally } from "./figures";

quietLogs();

const LIMIT = 10;
const REQUESTS = 120;
const FAILURE_LIMIT = 3;

let nextId = 1;

/** A random /64 of the documentation prefix 2001:db8::/32, as its first four groups. */
function randomPrefix(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a.toString(16)}:${b.toString(16)}`;
}

/** The `n`-th address of a /64, in one of several spellings of the same kind of address. */
function addressIn(prefix: string, n: number): string {
  const [c = 0, d = 0] = crypto.getRandomValues(new Uint16Array(2));
  const iid = `${c.toString(16)}:${d.toString(16)}:${n.toString(16)}:${((n * 7919) & 0xffff).toString(16)}`;
  switch (n % 4) {
    case 0:
      return `${prefix}:${iid}`;
    case 1:
      return `${prefix}:${iid}`.toUpperCase();
    case 2:
      return `${prefix}::${n.toString(16)}%eth0`;
    default:
      return `${prefix
        .split(":")
        .map((g) => g.padStart(4, "0"))
        .join(":")}:0000:0000:0000:${n.toString(16).padStart(4, "0")}`;
  }
}

/** Execution contexts of the requests sent; their background work (waitUntil) is awaited after each test. */
const pending: ExecutionContext[] = [];

afterEach(async () => {
  await Promise.all(pending.splice(0).map((ctx) => waitOnExecutionContext(ctx)));
});

/** Posts one JSON-RPC message to /mcp through the Worker's fetch handler, with vars overridden. */
async function post(body: unknown, ip: string, vars: Record<string, string>): Promise<{ status: number; body: RpcBody | null }> {
  const ctx = createExecutionContext();
  pending.push(ctx);
  const request = new Request(`${BASE}/mcp`, {
    method: "POST",
    headers: mcpHeaders({ "cf-connecting-ip": ip }),
    body: JSON.stringify(body),
  });
  const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars }, ctx);
  const text = await res.text();
  return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as RpcBody) : null };
}

function toolsList(ip: string, vars: Record<string, string>): Promise<{ status: number; body: RpcBody | null }> {
  return post({ jsonrpc: "2.0", id: nextId++, method: "tools/list", params: {} }, ip, vars);
}

/** A password sign-in by tool; returns the result's text (sign-in errors are tool results). */
async function signIn(ip: string, email: string, password: string, vars: Record<string, string>): Promise<string> {
  const r = await post(
    { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name: "passgage_session_login", arguments: { email, password } } },
    ip,
    vars,
  );
  expect(r.status).toBe(200);
  return JSON.stringify(r.body?.result ?? r.body?.error ?? null);
}

describe("IPv6 clients are keyed by their /64", () => {
  const vars = { RATE_LIMIT_MAX_REQUESTS: String(LIMIT) };

  it(`${REQUESTS} requests from ${REQUESTS} addresses of one /64 get only RATE_LIMIT_MAX_REQUESTS (${LIMIT}) admitted`, async () => {
    const prefix = randomPrefix();
    const addresses = Array.from({ length: REQUESTS }, (_, i) => addressIn(prefix, i + 1));
    expect(new Set(addresses).size).toBe(REQUESTS);
    // Each is a valid address of the /64 (a malformed one would fall into the shared "unknown" key).
    for (const address of addresses) expect(clientNetwork(address), address).toBe(`${prefix}::/64`);
    const statuses: number[] = [];
    for (const ip of addresses) statuses.push((await toolsList(ip, vars)).status);
    expect(statuses).toHaveLength(REQUESTS);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(REQUESTS - LIMIT);
    // The admitted ones are the first LIMIT: nothing is admitted once the /64 is full.
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);

    // Another /64 (even the next one) has its own quota.
    const next = prefix.replace(/:([0-9a-f]+)$/, (_m, g: string) => `:${((Number.parseInt(g, 16) + 1) % 0x10000).toString(16)}`);
    expect((await toolsList(`${next}::1`, vars)).status).toBe(200);
    figure(
      "ipv6",
      `${REQUESTS} requests from ${REQUESTS} addresses of one /64, limit ${LIMIT}: statuses ${tally(statuses)}; next /64 admitted`,
    );
  });

  it("an IPv4-mapped IPv6 address shares the quota of its IPv4 address", async () => {
    const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
    const v4 = `198.18.${a}.${b}`;
    for (let i = 0; i < LIMIT; i++) expect((await toolsList(v4, vars)).status).toBe(200);
    expect((await toolsList(`::ffff:${v4}`, vars)).status).toBe(429);
    expect((await toolsList(`::FFFF:${v4}`, vars)).status).toBe(429);
  });

  it(`failed sign-ins from addresses of one /64 share the per-IP failure limit (LOGIN_FAILURE_LIMIT=${FAILURE_LIMIT})`, async () => {
    const failureVars = { LOGIN_FAILURE_LIMIT: String(FAILURE_LIMIT) };
    const prefix = randomPrefix();
    const texts: string[] = [];
    // Password spraying: one wrong guess per account, each from a new address of the /64.
    for (let i = 1; i <= FAILURE_LIMIT; i++) {
      texts.push(await signIn(addressIn(prefix, i), `nobody-${crypto.randomUUID()}@acme.example`, "wrong-password-123", failureVars));
    }
    expect(texts).toHaveLength(FAILURE_LIMIT);
    for (const text of texts) expect(text).not.toMatch(/too many failed sign-ins/i);
    // The next guess, from yet another address of the /64, is refused before reaching Passgage,
    // even with the right password of a real account.
    const refused = await signIn(addressIn(prefix, 1000), SEED.ayse.email, SEED.ayse.password, failureVars);
    expect(refused).toMatch(/too many failed sign-ins from this network/i);
    // A client of another /64 is not affected by this one's failures.
    const other = await signIn(`${randomPrefix()}::1`, `nobody-${crypto.randomUUID()}@acme.example`, "wrong-password-123", failureVars);
    expect(other).not.toMatch(/too many failed sign-ins/i);
    figure(
      "ipv6",
      `failed sign-ins: ${FAILURE_LIMIT} from ${FAILURE_LIMIT} addresses of one /64, then a 4th address is refused (per-/64 limit)`,
    );
  });
});
