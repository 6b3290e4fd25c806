/**
 * `initialize` params are checked against the MCP schema (issue 11): without `params`, or
 * with `clientInfo` a string, or a required field missing (protocolVersion, capabilities,
 * clientInfo.name, clientInfo.version), the answer is -32602 naming the field, and no
 * connection is issued.
 */
import { describe, expect, it } from "vitest";
import { postMcp, type RpcBody } from "../helpers/mcp";
import { figure, ipSource, quietLogs } from "./figures";

quietLogs();
const nextIp = ipSource("100.67");

const VALID = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } };

const CASES: readonly [string, Record<string, unknown> | undefined, string][] = [
  ["no params", undefined, "params is required"],
  ["clientInfo a string", { ...VALID, clientInfo: "curl" }, "params.clientInfo: must be an object"],
  ["clientInfo missing", { protocolVersion: "2025-06-18", capabilities: {} }, "params.clientInfo: is required"],
  ["clientInfo.name missing", { ...VALID, clientInfo: { version: "1" } }, "params.clientInfo.name: is required"],
  ["clientInfo.version a number", { ...VALID, clientInfo: { name: "t", version: 1 } }, "params.clientInfo.version: must be a string"],
  ["protocolVersion missing", { capabilities: {}, clientInfo: { name: "t", version: "1" } }, "params.protocolVersion: is required"],
  ["protocolVersion a number", { ...VALID, protocolVersion: 20250618 }, "params.protocolVersion: must be a string"],
  ["capabilities missing", { protocolVersion: "2025-06-18", clientInfo: { name: "t", version: "1" } }, "params.capabilities: is required"],
  ["capabilities an array", { ...VALID, capabilities: [] }, "params.capabilities: must be an object"],
];

describe("initialize params follow the MCP schema", () => {
  for (const [name, params, message] of CASES) {
    it(`${name}: -32602 naming the field, no Mcp-Session-Id`, async () => {
      const res = await postMcp(
        { jsonrpc: "2.0", id: 1, method: "initialize", ...(params === undefined ? {} : { params }) },
        { "cf-connecting-ip": nextIp() },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("mcp-session-id")).toBeNull();
      const body = await res.json<RpcBody>();
      expect(body.result).toBeUndefined();
      expect(body.error?.code).toBe(-32602);
      expect(body.error?.message).toContain(message);
    });
  }

  it("valid params (extra members allowed) still initialize", async () => {
    const res = await postMcp(
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { ...VALID, clientInfo: { name: "t", version: "1", title: "T" } } },
      { "cf-connecting-ip": nextIp() },
    );
    const body = await res.json<RpcBody>();
    expect(body.result?.protocolVersion).toBe("2025-06-18");
    expect(res.headers.get("mcp-session-id")).not.toBeNull();
    figure("initialize", `${CASES.length} malformed initialize params: each -32602 naming the field; valid params initialize`);
  });
});
