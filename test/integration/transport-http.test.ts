import { describe, expect, it } from "vitest";
import { mcpHeaders, postMcp, type RpcBody, workerFetch } from "../helpers/mcp";

function ip(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `192.0.${b[0]}.${b[1]}`;
}

let nextId = 1;

function request(method: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  return { jsonrpc: "2.0", id: nextId++, method, params };
}

async function initialize(revision: string): Promise<string> {
  const res = await postMcp(
    request("initialize", { protocolVersion: revision, capabilities: {}, clientInfo: { name: "t", version: "1" } }),
    { "cf-connecting-ip": ip() },
  );
  const header = res.headers.get("mcp-session-id");
  if (!header) throw new Error("no Mcp-Session-Id");
  return header;
}

async function errorOf(res: Response): Promise<{ code: number; message: string } | undefined> {
  return (await res.json<RpcBody>()).error;
}

describe("202 for notifications and responses", () => {
  it("a notification gets 202 with no body", async () => {
    const res = await postMcp({ jsonrpc: "2.0", method: "notifications/initialized" }, { "cf-connecting-ip": ip() });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.text()).toBe("");
  });

  it("a response from the client gets 202 with no body", async () => {
    const res = await postMcp({ jsonrpc: "2.0", id: 7, result: {} }, { "cf-connecting-ip": ip() });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
  });

  it("a cancellation notification on a connection gets 202", async () => {
    const session = await initialize("2025-11-25");
    const res = await postMcp(
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3, reason: "user" } },
      { "cf-connecting-ip": ip(), "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" },
    );
    expect(res.status).toBe(202);
  });
});

describe("400 for bad requests", () => {
  it("refuses an unsupported MCP-Protocol-Version with 400 naming the supported ones", async () => {
    const res = await postMcp(request("tools/list"), { "cf-connecting-ip": ip(), "mcp-protocol-version": "1900-01-01" });
    expect(res.status).toBe(400);
    const body = await res.json<RpcBody & { error: { data?: { supported?: string[]; requested?: string } } }>();
    expect(body.error.code).toBe(-32022);
    expect(body.error.data?.supported).toEqual(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]);
    expect(body.error.data?.requested).toBe("1900-01-01");
  });

  it("refuses a malformed MCP-Protocol-Version with 400", async () => {
    const res = await postMcp(request("tools/list"), { "cf-connecting-ip": ip(), "mcp-protocol-version": "not-a-version" });
    expect(res.status).toBe(400);
  });

  it("answers a body that is not JSON with 400 and -32700", async () => {
    const res = await workerFetch("/mcp", { method: "POST", headers: mcpHeaders({ "cf-connecting-ip": ip() }), body: "{not json" });
    expect(res.status).toBe(400);
    expect((await errorOf(res))?.code).toBe(-32700);
  });

  it("answers a message that is not JSON-RPC with -32600", async () => {
    const res = await postMcp({ hello: "world" }, { "cf-connecting-ip": ip() });
    expect((await errorOf(res))?.code).toBe(-32600);
  });

  it("refuses DELETE without an Mcp-Session-Id with 400", async () => {
    const res = await workerFetch("/mcp", { method: "DELETE", headers: { "cf-connecting-ip": ip() } });
    expect(res.status).toBe(400);
  });
});

describe("JSON-RPC batches", () => {
  // tools/list is refused inside a batch (issue 11, test/security/batches.test.ts): prompts/list stands in.
  const batch = () => [request("ping"), { jsonrpc: "2.0", method: "notifications/initialized" }, request("prompts/list")];

  it("accepts a batch under 2025-03-26 (header) and answers each request in an array", async () => {
    const res = await postMcp(batch(), { "cf-connecting-ip": ip(), "mcp-protocol-version": "2025-03-26" });
    expect(res.status).toBe(200);
    const body = await res.json<RpcBody[]>();
    expect(body).toHaveLength(2);
    expect(body[0]?.result).toEqual({});
    expect(body[1]?.result?.prompts).toBeDefined();
  });

  it("accepts a batch on a connection that negotiated 2025-03-26 (no header)", async () => {
    const session = await initialize("2025-03-26");
    const res = await postMcp(batch(), { "cf-connecting-ip": ip(), "mcp-session-id": session });
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });

  it("accepts a batch without any header or connection (assumed 2025-03-26)", async () => {
    const res = await postMcp(batch(), { "cf-connecting-ip": ip() });
    expect(res.status).toBe(200);
  });

  it.each(["2025-06-18", "2025-11-25"])("refuses a batch under %s with 400", async (revision) => {
    const res = await postMcp(batch(), { "cf-connecting-ip": ip(), "mcp-protocol-version": revision });
    expect(res.status).toBe(400);
    expect((await errorOf(res))?.code).toBe(-32600);
  });

  it("refuses a batch on a connection that negotiated 2025-06-18", async () => {
    const session = await initialize("2025-06-18");
    const res = await postMcp(batch(), { "cf-connecting-ip": ip(), "mcp-session-id": session });
    expect(res.status).toBe(400);
  });

  it("answers a batch of notifications only with 202", async () => {
    const res = await postMcp([{ jsonrpc: "2.0", method: "notifications/initialized" }], {
      "cf-connecting-ip": ip(),
      "mcp-protocol-version": "2025-03-26",
    });
    expect(res.status).toBe(202);
  });
});

describe("403 for a disallowed Origin", () => {
  it("refuses a foreign Origin with 403", async () => {
    const res = await postMcp(request("ping"), { "cf-connecting-ip": ip(), origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("refuses a foreign Origin on DELETE, GET and preflight too", async () => {
    for (const method of ["DELETE", "GET", "OPTIONS"]) {
      const res = await workerFetch("/mcp", { method, headers: { origin: "https://evil.example", "cf-connecting-ip": ip() } });
      expect(res.status, method).toBe(403);
    }
  });

  it("accepts an allowlisted Origin (ALLOWED_ORIGINS) with CORS headers", async () => {
    const res = await postMcp(request("ping"), { "cf-connecting-ip": ip(), origin: "http://localhost:8787" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
    expect(res.headers.get("access-control-expose-headers")).toContain("mcp-session-id");
  });

  it("accepts the server's own origin", async () => {
    const res = await postMcp(request("ping"), { "cf-connecting-ip": ip(), origin: "https://mcp.test" });
    expect(res.status).toBe(200);
  });

  it("accepts requests without an Origin (native clients)", async () => {
    const res = await postMcp(request("ping"), { "cf-connecting-ip": ip() });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers an allowed preflight with 204 and the MCP headers", async () => {
    const res = await workerFetch("/mcp", {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:8787",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, mcp-session-id",
      },
    });
    expect(res.status).toBe(204);
    const allowed = res.headers.get("access-control-allow-headers") ?? "";
    for (const h of ["content-type", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "x-session-id"])
      expect(allowed).toContain(h);
    expect(res.headers.get("access-control-allow-methods")).toContain("DELETE");
  });
});

describe("404 for unknown or ended connections", () => {
  it("answers a forged Mcp-Session-Id with 404", async () => {
    const res = await postMcp(request("tools/list"), {
      "cf-connecting-ip": ip(),
      "mcp-session-id": "mcp_forged-value-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(res.status).toBe(404);
    expect((await errorOf(res))?.code).toBe(-32001);
  });

  it("ends a connection with DELETE; the ended Mcp-Session-Id then gets 404, on POST and on DELETE", async () => {
    const session = await initialize("2025-11-25");
    const headers = { "cf-connecting-ip": ip(), "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
    expect((await postMcp(request("ping"), headers)).status).toBe(200);
    const del = await workerFetch("/mcp", { method: "DELETE", headers });
    expect(del.status).toBeLessThan(300);
    expect(del.headers.get("x-request-id")).toBeTruthy();
    const after = await postMcp(request("ping"), headers);
    expect(after.status).toBe(404);
    expect((await workerFetch("/mcp", { method: "DELETE", headers })).status).toBe(404);
  });

  it("ending one connection leaves the others alone", async () => {
    const a = await initialize("2025-11-25");
    const b = await initialize("2025-11-25");
    await workerFetch("/mcp", { method: "DELETE", headers: { "mcp-session-id": a } });
    expect((await postMcp(request("ping"), { "cf-connecting-ip": ip(), "mcp-session-id": b })).status).toBe(200);
  });
});

describe("405, 406, 415 and 413", () => {
  it("answers GET /mcp with 405 and an Allow header (no server stream)", async () => {
    const res = await workerFetch("/mcp", { method: "GET", headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST, DELETE, OPTIONS");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers PUT /mcp with 405", async () => {
    const res = await workerFetch("/mcp", { method: "PUT", headers: mcpHeaders(), body: "{}" });
    expect(res.status).toBe(405);
  });

  it.each([
    ["no Accept", undefined],
    ["JSON only", "application/json"],
    ["SSE only", "text/event-stream"],
    ["a wildcard only", "*/*"],
  ])("answers 406 to a POST with %s", async (_label, accept) => {
    const headers: Record<string, string> = { "content-type": "application/json", "cf-connecting-ip": ip() };
    if (accept !== undefined) headers.accept = accept;
    const res = await workerFetch("/mcp", { method: "POST", headers, body: JSON.stringify(request("ping")) });
    expect(res.status).toBe(406);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("accepts Accept with parameters and in any order", async () => {
    const res = await workerFetch("/mcp", {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        accept: "text/event-stream, application/json;q=0.9",
        "cf-connecting-ip": ip(),
      },
      body: JSON.stringify(request("ping")),
    });
    expect(res.status).toBe(200);
  });

  it("answers 415 to a body that is not application/json", async () => {
    const res = await workerFetch("/mcp", {
      method: "POST",
      headers: { ...mcpHeaders({ "cf-connecting-ip": ip() }), "content-type": "text/plain" },
      body: JSON.stringify(request("ping")),
    });
    expect(res.status).toBe(415);
  });

  it("answers 413 to a body over 1 MB (declared length)", async () => {
    const big = JSON.stringify({ ...request("ping"), params: { pad: "x".repeat(1_048_600) } });
    const res = await workerFetch("/mcp", { method: "POST", headers: mcpHeaders({ "cf-connecting-ip": ip() }), body: big });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers 413 to a streamed body over 1 MB without a length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(65_536));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await workerFetch("/mcp", {
      method: "POST",
      headers: mcpHeaders({ "cf-connecting-ip": ip() }),
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("accepts a body just under 1 MB", async () => {
    const padLength = 1_048_576 - 200;
    const res = await postMcp({ ...request("ping"), params: { pad: "x".repeat(padLength) } }, { "cf-connecting-ip": ip() });
    expect(res.status).toBe(200);
  });
});

describe("HTTP basics", () => {
  it("answers unknown routes with a JSON 404 and X-Request-Id", async () => {
    const res = await workerFetch("/nope/nothing", { method: "GET" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("not_found");
  });

  it("uses CF-Ray as the request id when present", async () => {
    const res = await postMcp(request("ping"), { "cf-connecting-ip": ip(), "cf-ray": "8f00aa11bb22cc33-IST" });
    expect(res.headers.get("x-request-id")).toBe("8f00aa11bb22cc33-IST");
  });

  it("serves /mcp/ like /mcp", async () => {
    const res = await workerFetch("/mcp/", {
      method: "POST",
      headers: mcpHeaders({ "cf-connecting-ip": ip() }),
      body: JSON.stringify(request("ping")),
    });
    expect(res.status).toBe(200);
  });

  it("grants CORS on the other routes to allowed origins only", async () => {
    const allowed = await workerFetch("/health", { headers: { origin: "http://localhost:8787" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
    expect(allowed.headers.get("x-request-id")).toBeTruthy();
    const foreign = await workerFetch("/health", { headers: { origin: "https://evil.example" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await workerFetch("/stats", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    // A foreign Origin is refused on every route before any work (issue 11, test/security/origin.test.ts).
    const none = await workerFetch("/nope", { headers: { origin: "https://evil.example" } });
    expect(none.status).toBe(403);
    expect(none.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("puts X-Request-Id on every route's responses", async () => {
    for (const path of ["/health", "/stats", "/admin/sessions", "/login", "/.well-known/oauth-authorization-server", "/nope"]) {
      const res = await workerFetch(path, { headers: { "cf-ray": "abc123-TST" } });
      expect(res.headers.get("x-request-id"), path).toBe("abc123-TST");
    }
  });
});
