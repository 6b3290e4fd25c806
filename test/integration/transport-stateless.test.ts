/**
 * The stateless 2026-07-28 revision on /mcp, shaped as the official 2.x client sends and
 * validates it: the per-request `_meta` envelope, MCP-Protocol-Version / Mcp-Method /
 * Mcp-Name headers, `server/discover`, `resultType`, cache hints, serverInfo in `_meta`.
 */
import { describe, expect, it } from "vitest";
import { postMcp, type RpcBody } from "../helpers/mcp";

const V = "2026-07-28";
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientInfo": { name: "stateless-test", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";

function ip(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `100.64.${b[0]}.${b[1]}`;
}

let nextId = 1;

/** The headers the 2.x client derives from a request body. */
function derivedHeaders(method: string, params: Record<string, unknown>): Record<string, string> {
  const h: Record<string, string> = { "mcp-protocol-version": V, "mcp-method": method };
  const name = method === "resources/read" ? params.uri : method === "tools/call" || method === "prompts/get" ? params.name : undefined;
  if (typeof name === "string") h["mcp-name"] = name;
  return h;
}

type ErrorBody = RpcBody & { error?: { code: number; message: string; data?: { supported?: string[]; requested?: string } } };

/** Posts a stateless request; `headers` override the derived ones (null removes one). */
async function modern(
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string | null> = {},
  meta: Record<string, unknown> = ENVELOPE,
): Promise<{ res: Response; body: ErrorBody; id: number }> {
  const id = nextId++;
  const all: Record<string, string | null> = { "cf-connecting-ip": ip(), ...derivedHeaders(method, params), ...headers };
  const sent = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
  const res = await postMcp({ jsonrpc: "2.0", id, method, params: { ...params, _meta: meta } }, sent);
  return { res, body: await res.json<ErrorBody>(), id };
}

describe("server/discover", () => {
  it("answers what the 2.x client validates: versions, capabilities, instructions, resultType, cache hints, serverInfo", async () => {
    const { res, body } = await modern("server/discover");
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const r = body.result ?? {};
    expect(r.resultType).toBe("complete");
    expect(r.supportedVersions).toEqual([V, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]);
    expect(r.capabilities).toMatchObject({ tools: { listChanged: false } });
    expect(typeof r.instructions).toBe("string");
    expect(r.ttlMs).toBeTypeOf("number");
    expect(Number.isInteger(r.ttlMs) && (r.ttlMs as number) >= 0).toBe(true);
    expect(["public", "private"]).toContain(r.cacheScope);
    expect((r._meta as Record<string, unknown>)[SERVER_INFO_KEY]).toMatchObject({ name: "passgage-mcp", version: expect.any(String) });
  });
});

describe("stateless results", () => {
  it("tools/list carries resultType, ttlMs, cacheScope and serverInfo, and the same catalog as the legacy revisions", async () => {
    const { body } = await modern("tools/list");
    const r = body.result ?? {};
    expect(r.resultType).toBe("complete");
    // The list follows the URL, the toolset headers and the session (issue 15): cacheable for this caller only.
    expect(r.cacheScope).toBe("private");
    expect(r.ttlMs).toBeGreaterThan(0);
    expect((r._meta as Record<string, unknown>)[SERVER_INFO_KEY]).toMatchObject({ name: "passgage-mcp" });
    const legacy = await (await postMcp({ jsonrpc: "2.0", id: 1, method: "tools/list" }, { "cf-connecting-ip": ip() })).json<RpcBody>();
    expect(r.tools).toEqual(legacy.result?.tools);
  });

  it("tools/call carries resultType and serverInfo; no ttlMs (not cacheable)", async () => {
    const { res, body } = await modern("tools/call", { name: "passgage_session_status", arguments: {} });
    expect(res.status).toBe(200);
    const r = body.result ?? {};
    expect(r.resultType).toBe("complete");
    expect(r).not.toHaveProperty("ttlMs");
    expect(r.structuredContent).toMatchObject({ signedIn: false });
    expect((r._meta as Record<string, unknown>)[SERVER_INFO_KEY]).toBeDefined();
  });

  it("a tool error is still a complete result with isError", async () => {
    const { body } = await modern("tools/call", { name: "passgage_session_logout", arguments: {} });
    expect(body.result?.resultType).toBe("complete");
    expect(body.result?.isError).toBe(true);
  });

  it("an unknown tool is -32602 in-band", async () => {
    const { res, body } = await modern("tools/call", { name: "passgage_nope", arguments: {} });
    expect(res.status).toBe(200);
    expect(body.error?.code).toBe(-32602);
  });

  it.each(["initialize", "ping", "logging/setLevel"])("%s is not part of the revision: -32601", async (method) => {
    const { res, body } = await modern(
      method,
      method === "initialize" ? { protocolVersion: V, capabilities: {}, clientInfo: { name: "t", version: "1" } } : {},
    );
    expect(res.status).toBe(200);
    expect(body.error?.code).toBe(-32601);
    expect(res.headers.get("mcp-session-id")).toBeNull();
  });

  it("a notification under the stateless header (no envelope) gets 202", async () => {
    const res = await postMcp(
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4 } },
      { "cf-connecting-ip": ip(), "mcp-protocol-version": V },
    );
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
  });

  it("ignores an Mcp-Session-Id on a stateless request (no 404)", async () => {
    const { res } = await modern("tools/list", {}, { "mcp-session-id": "mcp_not-a-real-one" });
    expect(res.status).toBe(200);
  });
});

describe("stateless header and envelope checks (400)", () => {
  it("refuses a request without MCP-Protocol-Version with -32020, echoing the id", async () => {
    const { res, body, id } = await modern("tools/list", {}, { "mcp-protocol-version": null });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
    expect(body.id).toBe(id);
  });

  it("refuses a header that disagrees with the envelope with -32020", async () => {
    const { res, body } = await modern("tools/list", {}, { "mcp-protocol-version": "2025-11-25" });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
  });

  it("refuses a request without Mcp-Method with -32020", async () => {
    const { res, body } = await modern("tools/list", {}, { "mcp-method": null });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
    expect(body.error?.message).toContain("Mcp-Method");
  });

  it("refuses an Mcp-Method that disagrees with the body with -32020", async () => {
    const { res, body } = await modern("tools/call", { name: "passgage_session_status", arguments: {} }, { "mcp-method": "tools/list" });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
  });

  it("refuses a tools/call without Mcp-Name with -32020", async () => {
    const { res, body } = await modern("tools/call", { name: "passgage_session_status", arguments: {} }, { "mcp-name": null });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
    expect(body.error?.message).toContain("Mcp-Name");
  });

  it("refuses an Mcp-Name that disagrees with params.name with -32020", async () => {
    const { res, body } = await modern(
      "tools/call",
      { name: "passgage_session_status", arguments: {} },
      { "mcp-name": "passgage_session_logout" },
    );
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32020);
  });

  it("decodes a =?base64?...?= Mcp-Name before comparing", async () => {
    const encoded = `=?base64?${btoa("passgage_session_status")}?=`;
    const ok = await modern("tools/call", { name: "passgage_session_status", arguments: {} }, { "mcp-name": encoded });
    expect(ok.res.status).toBe(200);
    const bad = await modern("tools/call", { name: "passgage_session_status", arguments: {} }, { "mcp-name": "=?base64?!!!?=" });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error?.code).toBe(-32020);
  });

  it("refuses an envelope naming an unsupported revision with -32022 listing the supported ones", async () => {
    const meta = { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01" };
    const { res, body } = await modern("server/discover", {}, { "mcp-protocol-version": null }, meta);
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32022);
    expect(body.error?.data?.supported).toContain(V);
    expect(body.error?.data?.requested).toBe("2099-01-01");
  });

  it("treats an envelope naming a legacy revision as legacy traffic", async () => {
    const meta = { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2025-11-25" };
    const { res, body } = await modern("tools/list", {}, { "mcp-protocol-version": "2025-11-25" }, meta);
    expect(res.status).toBe(200);
    expect(body.result).not.toHaveProperty("resultType");
  });

  it("refuses an envelope without clientCapabilities with -32602 naming the key", async () => {
    const { ["io.modelcontextprotocol/clientCapabilities"]: _dropped, ...meta } = ENVELOPE;
    const { res, body } = await modern("tools/list", {}, {}, meta);
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.message).toContain("clientCapabilities");
  });

  it("refuses a malformed clientInfo with -32602", async () => {
    const { res, body } = await modern("tools/list", {}, {}, { ...ENVELOPE, "io.modelcontextprotocol/clientInfo": { name: 5 } });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe(-32602);
  });

  it("refuses a request under the stateless header without any envelope with -32602", async () => {
    const res = await postMcp(
      { jsonrpc: "2.0", id: 9, method: "tools/list", params: {} },
      { "cf-connecting-ip": ip(), "mcp-protocol-version": V, "mcp-method": "tools/list" },
    );
    expect(res.status).toBe(400);
    const body = await res.json<ErrorBody>();
    expect(body.error?.code).toBe(-32602);
    expect(body.id).toBe(9);
  });

  it("refuses a batch holding a stateless request with 400", async () => {
    const res = await postMcp([{ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: ENVELOPE } }], { "cf-connecting-ip": ip() });
    expect(res.status).toBe(400);
    expect((await res.json<ErrorBody>()).error?.code).toBe(-32600);
  });

  it("refuses a posted response under the stateless header with 400", async () => {
    const res = await postMcp({ jsonrpc: "2.0", id: 1, result: {} }, { "cf-connecting-ip": ip(), "mcp-protocol-version": V });
    expect(res.status).toBe(400);
  });

  it("checks Mcp-Method against the body on legacy requests too, when present", async () => {
    const res = await postMcp({ jsonrpc: "2.0", id: 3, method: "tools/list" }, { "cf-connecting-ip": ip(), "mcp-method": "tools/call" });
    expect(res.status).toBe(400);
    expect((await res.json<ErrorBody>()).error?.code).toBe(-32020);
  });
});

describe("sessions under the stateless revision", () => {
  it("never answers 401: a missing, malformed or unknown X-Session-ID gets tool-level guidance", async () => {
    for (const header of [null, "garbage", `sess_${"C".repeat(43)}`]) {
      const { res, body } = await modern(
        "tools/call",
        { name: "passgage_session_switch_mode", arguments: { mode: "user" } },
        { "x-session-id": header },
      );
      expect(res.status).toBe(200);
      expect(body.result?.isError).toBe(true);
      expect(body.result?.content?.[0]?.text).toContain("passgage_session_login");
    }
  });
});
