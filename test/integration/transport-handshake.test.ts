import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log";
import { dispatchRequest } from "../../src/mcp/dispatch";
import type { DispatchContext } from "../../src/mcp/dispatch-context";
import { postMcp, type RpcBody } from "../helpers/mcp";
import { DEFAULT_SELECTION } from "../../src/tools/tool-selection";

/** A fresh client IP per call site, so the per-IP limiter never interferes. */
function ip(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${b[0]}.${b[1]}`;
}

let nextId = 1;

async function post(
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ res: Response; body: RpcBody }> {
  const res = await postMcp({ jsonrpc: "2.0", id: nextId++, method, params }, { "cf-connecting-ip": ip(), ...headers });
  return { res, body: await res.json<RpcBody>() };
}

function initParams(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: {}, clientInfo: { name: "transport-test", version: "1.0.0" } };
}

const SESSION_TOOLS = [
  "passgage_session_login",
  "passgage_session_login_api_key",
  "passgage_session_status",
  "passgage_session_switch_mode",
  "passgage_session_list",
  "passgage_session_revoke",
  "passgage_session_logout",
];

describe("initialize handshake (legacy revisions)", () => {
  it.each(["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])("echoes %s and opens a connection", async (revision) => {
    const { res, body } = await post("initialize", initParams(revision));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("mcp-session-id")).toMatch(/^mcp_[A-Za-z0-9_-]+$/);
    expect(body.result).toMatchObject({
      protocolVersion: revision,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: "passgage-mcp", version: expect.any(String) },
      instructions: expect.stringContaining("passgage_session_status"),
    });
    // Legacy results carry none of the stateless revision's fields.
    expect(body.result).not.toHaveProperty("resultType");

    // The connection then works under that revision.
    const headers = { "mcp-session-id": res.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": revision };
    const initialized = await postMcp({ jsonrpc: "2.0", method: "notifications/initialized" }, { "cf-connecting-ip": ip(), ...headers });
    expect(initialized.status).toBe(202);
    expect(await initialized.text()).toBe("");
    const ping = await post("ping", {}, headers);
    expect(ping.res.status).toBe(200);
    expect(ping.body.result).toEqual({});
    const list = await post("tools/list", {}, headers);
    expect(list.body.result?.tools?.map((t) => t.name).slice(0, SESSION_TOOLS.length)).toEqual(SESSION_TOOLS);
  });

  it.each([
    ["an unknown revision", "2099-01-01"],
    ["the stateless revision (it has no initialize)", "2026-07-28"],
    ["a pre-release revision", "2024-10-07"],
  ])("answers the latest legacy revision to %s", async (_label, requested) => {
    const { body } = await post("initialize", initParams(requested));
    expect(body.result?.protocolVersion).toBe("2025-11-25");
  });

  it("issues a new Mcp-Session-Id per initialize", async () => {
    const a = await post("initialize", initParams("2025-11-25"));
    const b = await post("initialize", initParams("2025-11-25"));
    expect(a.res.headers.get("mcp-session-id")).not.toBe(b.res.headers.get("mcp-session-id"));
  });
});

describe("tools/list", () => {
  it("returns the whole catalog in a stable order, with or without a connection or session header", async () => {
    const plain = await post("tools/list", {});
    const init = await post("initialize", initParams("2025-06-18"));
    const connected = await post(
      "tools/list",
      {},
      { "mcp-session-id": init.res.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-06-18" },
    );
    const unknownSession = await post("tools/list", {}, { "x-session-id": `sess_${"A".repeat(43)}` });
    const malformedSession = await post("tools/list", {}, { "x-session-id": "not-a-session" });
    const names = (b: RpcBody) => (b.result?.tools ?? []).map((t) => t.name);
    expect(names(plain.body).length).toBeGreaterThanOrEqual(6);
    expect(names(connected.body)).toEqual(names(plain.body));
    expect(names(unknownSession.body)).toEqual(names(plain.body));
    expect(names(malformedSession.body)).toEqual(names(plain.body));
    expect(new Set(names(plain.body)).size).toBe(names(plain.body).length);
  });

  it("describes tools with object input schemas, output schemas where structured, and annotations", async () => {
    const { body } = await post("tools/list", {});
    const tools = (body.result?.tools ?? []) as unknown as {
      name: string;
      inputSchema: { type: string };
      outputSchema?: { type: string };
      annotations?: object;
    }[];
    expect(tools.length).toBeGreaterThan(0);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe("object");
      // An output schema, where there is one, is object-rooted too.
      expect((t.outputSchema ?? { type: "object" }).type, t.name).toBe("object");
    }
    const status = tools.find((t) => t.name === "passgage_session_status");
    expect(status?.outputSchema).toBeDefined();
    expect(status?.annotations).toMatchObject({ readOnlyHint: true });
  });
});

describe("tools/call", () => {
  it("returns text content and structuredContent for a structured tool", async () => {
    const { res, body } = await post("tools/call", { name: "passgage_session_status", arguments: {} });
    expect(res.status).toBe(200);
    expect(body.result?.isError).toBeFalsy();
    expect(body.result?.content?.[0]?.type).toBe("text");
    expect(body.result?.structuredContent).toMatchObject({ signedIn: false, session: null });
  });

  it("answers -32602 for an unknown tool", async () => {
    const { res, body } = await post("tools/call", { name: "passgage_no_such_tool", arguments: {} });
    expect(res.status).toBe(200);
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.message).toContain("passgage_no_such_tool");
  });

  it("answers -32602 when params.name is missing", async () => {
    const { body } = await post("tools/call", { arguments: {} });
    expect(body.error?.code).toBe(-32602);
  });

  it("reports invalid arguments as a tool error (isError), not a protocol error", async () => {
    const { res, body } = await post("tools/call", { name: "passgage_session_login", arguments: { email: "not-an-email", password: "" } });
    expect(res.status).toBe(200);
    expect(body.error).toBeUndefined();
    expect(body.result?.isError).toBe(true);
    expect(body.result?.content?.[0]?.text).toContain("Invalid arguments");
  });

  it("refuses a session tool without a session as a tool error with sign-in guidance, never HTTP 401", async () => {
    const variants: Record<string, string>[] = [{}, { "x-session-id": `sess_${"B".repeat(43)}` }, { "x-session-id": "garbage" }];
    for (const headers of variants) {
      const { res, body } = await post("tools/call", { name: "passgage_session_logout", arguments: {} }, headers);
      expect(res.status).toBe(200);
      expect(body.result?.isError).toBe(true);
      expect(body.result?.content?.[0]?.text).toContain("passgage_session_login");
    }
  });

  it("answers -32601 for an unknown method", async () => {
    const { res, body } = await post("no/such/method", {});
    expect(res.status).toBe(200);
    expect(body.error?.code).toBe(-32601);
  });

  it("turns an unexpected failure into -32603 with a generic message", async () => {
    const ctx: DispatchContext = {
      revision: "2025-11-25",
      stateless: false,
      requestId: "t",
      logger: createLogger({ requestId: "t" }, "error"),
      callTool: async () => {
        throw new Error("secret detail: token=abc");
      },
      sessionView: async () => null,
      toolListing: async () => ({ selection: DEFAULT_SELECTION, modes: null }),
    };
    const out = await dispatchRequest(
      { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "passgage_session_status", arguments: {} } },
      ctx,
    );
    expect(out.response).toEqual({ jsonrpc: "2.0", id: 5, error: { code: -32603, message: "Internal error" } });
  });
});
