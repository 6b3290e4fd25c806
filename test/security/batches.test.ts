/**
 * JSON-RPC batches (issue 11): one POST with 50 sign-ins used to make 50 sessions, and 50
 * tools/list in 2.4 KB returned 11.8 MB. Now a batch of N messages costs N per-IP
 * admissions, all or none (429 for the whole batch otherwise; a batch larger than the
 * limit itself is 400); sign-in tools and tools/list are refused inside a batch, per
 * message, with -32600 naming why; the batch's answer is bounded (src/mcp/http-handler.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, mcpHeaders, type RpcBody } from "../helpers/mcp";
import { figure, ipSource, quietLogs, tally } from "./figures";
import { countingNamespace, send, settleAfterEach } from "./route-fetch";

quietLogs();
settleAfterEach();

const nextIp = ipSource("100.65");
let nextId = 1;

function batchRequest(messages: unknown[], ip: string): Request {
  return new Request(`${BASE}/mcp`, {
    method: "POST",
    headers: mcpHeaders({ "cf-connecting-ip": ip, "mcp-protocol-version": "2025-03-26" }),
    body: JSON.stringify(messages),
  });
}

const ping = (): unknown => ({ jsonrpc: "2.0", id: nextId++, method: "ping" });

describe("a batch of N messages costs N admissions", () => {
  const LIMIT = 10;
  const vars = { RATE_LIMIT_MAX_REQUESTS: String(LIMIT) };

  it("batches of 4, 4, 4 with a limit of 10: 200, 200, then 429 for the whole batch; the 2 slots left still serve 2 single requests", async () => {
    const ip = nextIp();
    const answers: { status: number; retryAfter: string | null; body: unknown }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await send(batchRequest([ping(), ping(), ping(), ping()], ip), vars);
      answers.push({ status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() });
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses).toEqual([200, 200, 429]);
    const [first, second, third] = answers;
    const pong = { jsonrpc: "2.0", result: {} };
    expect(first?.body).toEqual([pong, pong, pong, pong].map((p) => expect.objectContaining(p)));
    expect(second?.body).toEqual([pong, pong, pong, pong].map((p) => expect.objectContaining(p)));
    expect(Number(third?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(third?.body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32029 } });
    // The refused batch took only its router slot (the 9th): one more single request fits, then none.
    const singles: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await send(batchRequest([ping()], ip), vars);
      await res.arrayBuffer();
      singles.push(res.status);
    }
    expect(singles).toEqual([200, 429]);
    figure("batches", `limit ${LIMIT}, batches of 4: ${tally(statuses)}; then single batches ${tally(singles)}`);
  });

  it("a batch larger than the per-IP limit is refused with 400 naming the limit", async () => {
    const res = await send(
      batchRequest(
        Array.from({ length: LIMIT + 1 }, () => ping()),
        nextIp(),
      ),
      vars,
    );
    expect(res.status).toBe(400);
    const body = await res.json<RpcBody>();
    expect(body.error?.code).toBe(-32600);
    expect(body.error?.message).toContain(`per-IP limit of ${LIMIT}`);
  });
});

describe("sign-ins and tools/list are refused inside a batch", () => {
  const vars = { RATE_LIMIT_MAX_REQUESTS: "1000" };

  it("50 sign-ins in one batch: 50 × -32600 naming the sign-in tool; no SessionDO is touched", async () => {
    const session = countingNamespace(env.SESSION);
    const messages = Array.from({ length: 50 }, (_, i) => ({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: {
        name: i % 2 === 0 ? "passgage_session_login" : "passgage_session_login_api_key",
        arguments:
          i % 2 === 0 ? { email: "ayse@acme.example", password: "acme-ayse-2026" } : { apiKey: "psg_cmp_sandbox_acme_0000000000000000" },
      },
    }));
    const res = await send(batchRequest(messages, nextIp()), { ...vars, SESSION: session.ns });
    expect(res.status).toBe(200);
    const body = await res.json<RpcBody[]>();
    expect(body).toHaveLength(50);
    for (const r of body) {
      expect(r.result).toBeUndefined();
      expect(r.error?.code).toBe(-32600);
      expect(r.error?.message).toMatch(/sign-in tool passgage_session_login(_api_key)? must not be part of a batch/);
    }
    expect(session.calls).toEqual([]);
    figure(
      "batches",
      `50 sign-ins in one batch: ${tally(body.map((r) => r.error?.code ?? "result"))}, SessionDO calls ${session.calls.length}`,
    );
  });

  it("50 tools/list in one batch: 50 × -32600, and the answer stays small", async () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({ jsonrpc: "2.0", id: i + 1, method: "tools/list" }));
    const res = await send(batchRequest(messages, nextIp()), vars);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as RpcBody[];
    expect(body).toHaveLength(50);
    for (const r of body) {
      expect(r.error?.code).toBe(-32600);
      expect(r.error?.message).toContain("tools/list must not be part of a batch");
    }
    expect(text.length).toBeLessThan(20_000);
    figure("batches", `50 tools/list in one batch (${JSON.stringify(messages).length} B): answer ${text.length} B, all -32600`);
  });

  it("a batch mixing allowed and refused messages answers each in place", async () => {
    const res = await send(
      batchRequest(
        [
          { jsonrpc: "2.0", id: "a", method: "ping" },
          { jsonrpc: "2.0", id: "b", method: "tools/list" },
          { jsonrpc: "2.0", id: "c", method: "prompts/list" },
        ],
        nextIp(),
      ),
      vars,
    );
    expect(res.status).toBe(200);
    const body = await res.json<RpcBody[]>();
    expect(body.map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(body[0]?.result).toEqual({});
    expect(body[1]?.error?.code).toBe(-32600);
    expect(body[2]?.result).toBeDefined();
  });

  it("tools/list alone is still served", async () => {
    const res = await send(
      new Request(`${BASE}/mcp`, {
        method: "POST",
        headers: mcpHeaders({ "cf-connecting-ip": nextIp(), "mcp-protocol-version": "2025-03-26" }),
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
      vars,
    );
    expect(res.status).toBe(200);
    const body = await res.json<RpcBody>();
    expect(body.result?.tools?.length).toBeGreaterThan(0);
  });
});

describe("a connection's revision decides, not a header that contradicts it", () => {
  it("a batch on a 2025-11-25 connection is refused with 400 even under MCP-Protocol-Version: 2025-03-26 (hostile-client finding I-1)", async () => {
    const ip = nextIp();
    const init = await send(
      new Request(`${BASE}/mcp`, {
        method: "POST",
        headers: mcpHeaders({ "cf-connecting-ip": ip }),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: nextId++,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "batch-test", version: "1" } },
        }),
      }),
    );
    await init.arrayBuffer();
    const connection = init.headers.get("mcp-session-id");
    expect(connection).toMatch(/\S/);
    const statuses: number[] = [];
    for (const header of [null, "2025-03-26"]) {
      const res = await send(
        new Request(`${BASE}/mcp`, {
          method: "POST",
          headers: mcpHeaders({
            "cf-connecting-ip": ip,
            "mcp-session-id": connection ?? "",
            ...(header === null ? {} : { "mcp-protocol-version": header }),
          }),
          body: JSON.stringify([
            { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name: "passgage_session_status", arguments: {} } },
            ping(),
          ]),
        }),
      );
      const body = await res.json<RpcBody>();
      statuses.push(res.status);
      expect(body.error?.message ?? "").toMatch(
        header === null ? /batches are not supported in protocol revision 2025-11-25/ : /2025-11-25/,
      );
    }
    expect(statuses).toEqual([400, 400]);
    figure("batches", `a batch on a 2025-11-25 connection, without and with a 2025-03-26 header: ${tally(statuses)}`);
  });
});
