import { describe, expect, it } from "vitest";
import { callTool, postMcp, rpc, textOf } from "../helpers/mcp";

describe("MCP smoke", () => {
  it("initialize echoes a supported revision and issues an Mcp-Session-Id", async () => {
    const { res, body } = await rpc("initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    });
    expect(res.status).toBe(200);
    expect(body.result?.protocolVersion).toBe("2025-11-25");
    expect(res.headers.get("mcp-session-id")).toMatch(/^mcp_/);
  });

  it("tools/list lists the session tools without a session", async () => {
    const { body } = await rpc("tools/list");
    const names = (body.result?.tools ?? []).map((t) => t.name);
    expect(names).toContain("passgage_session_login");
  });

  it("status without a session explains how to sign in", async () => {
    const r = await callTool("passgage_session_status");
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain("/login");
  });

  it("a notification gets 202 with no body", async () => {
    const res = await postMcp({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
  });
});
