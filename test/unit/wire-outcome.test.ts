/**
 * A tool result crosses the SessionDO RPC as JSON text and is written into the response
 * without being serialised again (issue 14): the decoded result equals the original, and
 * the response text, with or without the stateless revision's added members, is exactly
 * what serialising the result would give (as a value).
 */
import { describe, expect, it, vi } from "vitest";
import { jsonTextOf } from "../../src/json-text";
import { encodeResult } from "../../src/mcp/encode-result";
import { responseText } from "../../src/mcp/pre-encoded";
import { rpcResult } from "../../src/mcp/errors";
import { fromWire, toWire } from "../../src/session/wire-outcome";
import type { ToolOutcome } from "../../src/tools/run-tool";

const RESULT: ToolOutcome = {
  kind: "result",
  code: "ok",
  result: {
    content: [{ type: "text", text: 'Leave types: 2 shown "quoted" \u2028 ünïcödé' }],
    structuredContent: { items: [{ id: "a", n: 1, nested: { x: [1, null, true] } }, { id: "b" }], page: 1, next_page: null },
  },
};

describe("wire outcome", () => {
  it("a result round-trips through its JSON text, and the decoded result carries that text", () => {
    const wire = toWire(RESULT);
    expect(wire).toEqual({
      kind: "result",
      code: "ok",
      json: JSON.stringify(RESULT.kind === "result" ? RESULT.result : null),
      keys: ["content", "structuredContent"],
    });
    const back = fromWire(wire);
    expect(back).toEqual(RESULT);
    if (back.kind !== "result") throw new Error("not a result");
    expect(jsonTextOf(back.result)).toBe(wire.kind === "result" ? wire.json : "");
    expect(Object.isFrozen(back.result)).toBe(true);
  });

  it("other outcomes pass unchanged; a text that is not a result becomes an internal error", () => {
    const limited: ToolOutcome = { kind: "rate_limited", retryAfterMs: 5 };
    expect(fromWire(toWire(limited))).toEqual(limited);
    expect(fromWire({ kind: "result", code: "ok", json: "[1,2]" })).toEqual({ kind: "rpc_error", code: -32603, message: "Internal error" });
    expect(fromWire({ kind: "result", code: "ok", json: '{"content":"no"}' })).toMatchObject({ kind: "rpc_error" });
    // With member names: a text that names no content, or is not an object, is refused without parsing.
    expect(fromWire({ kind: "result", code: "ok", json: '{"x":1}', keys: ["x"] })).toEqual({
      kind: "rpc_error",
      code: -32603,
      message: "Internal error",
    });
    expect(fromWire({ kind: "result", code: "ok", json: "[1]", keys: ["content"] })).toMatchObject({ kind: "rpc_error" });
    expect(fromWire({ kind: "result", code: "ok", json: '{"content":[', keys: ["content"] })).toMatchObject({ kind: "rpc_error" });
  });

  it("the edge never parses a result's text unless a member is read (issue 14)", () => {
    const wire = toWire(RESULT);
    if (wire.kind !== "result") throw new Error("not a result");
    const parse = vi.spyOn(JSON, "parse");
    try {
      for (const stateless of [false, true]) {
        const back = fromWire(wire);
        if (back.kind !== "result") throw new Error("not a result");
        expect(Object.keys(back.result)).toEqual(["content", "structuredContent"]);
        const text = responseText(rpcResult(3, encodeResult("tools/call", back.result, stateless)));
        expect(text.length).toBeGreaterThan(wire.json.length);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    // Reading a member parses once, and gives the result as sent.
    const back = fromWire(wire);
    if (back.kind !== "result" || RESULT.kind !== "result") throw new Error("not a result");
    expect(back.result.content).toEqual(RESULT.result.content);
    expect(back.result.structuredContent).toEqual(RESULT.result.structuredContent);
  });

  for (const stateless of [false, true]) {
    it(`the response text equals serialising the encoded result (${stateless ? "stateless revision: members added" : "legacy"})`, () => {
      const back = fromWire(toWire(RESULT));
      if (back.kind !== "result") throw new Error("not a result");
      const encoded = encodeResult("tools/call", back.result, stateless);
      const text = responseText(rpcResult(7, encoded));
      expect(jsonTextOf(encoded)).toBeDefined();
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(rpcResult(7, encoded))));
      expect(JSON.parse(text).result.resultType).toBe(stateless ? "complete" : undefined);
    });
  }

  it("a result whose member the encoding changes (its own _meta) is serialised afresh, correctly", () => {
    const own = fromWire({ kind: "result", code: "ok", json: JSON.stringify({ content: [], _meta: { mine: 1 } }) });
    if (own.kind !== "result") throw new Error("not a result");
    const encoded = encodeResult("tools/call", own.result, true);
    expect(jsonTextOf(encoded)).toBeUndefined();
    const text = responseText(rpcResult(1, encoded));
    expect(JSON.parse(text).result._meta).toMatchObject({ mine: 1 });
    expect(Object.keys(JSON.parse(text).result._meta)).toHaveLength(2);
  });
});
