/**
 * Toolsets (issue 15): every tool in exactly one toolset, placed from its
 * contract group; the read/write classification of every tool; and the
 * parsing of a connection's selection from its URL and headers.
 */
import { describe, expect, it } from "vitest";
import { OPERATIONS, OPERATIONS_BY_ID } from "../../src/contract/operations";
import { CATALOG } from "../../src/tools/catalog";
import { effectOf } from "../../src/tools/tool-effect";
import { toolsOfToolset } from "../../src/tools/tool-listing";
import {
  DEFAULT_SELECTION,
  enableToolsets,
  makeSelection,
  parseToolSelection,
  parseToolsetList,
  selectionKey,
  ToolSelectionSchema,
} from "../../src/tools/tool-selection";
import { DEFAULT_TOOLSETS, TOOLSET_NAMES, TOOLSETS, toolsetOf } from "../../src/tools/toolsets";

const MCP = "https://mcp.example.com";

function parse(path: string, headers: Record<string, string> = {}) {
  return parseToolSelection(new URL(path, MCP), new Headers(headers));
}

describe("toolsets", () => {
  it("serves 147 tools: 143 session, API and composite tools plus the 4 discovery tools", () => {
    expect(CATALOG).toHaveLength(147);
    expect(CATALOG.filter((t) => t.group !== "Discovery")).toHaveLength(143);
    expect(CATALOG.filter((t) => t.group === "Discovery").map((t) => t.name)).toEqual([
      "passgage_list_toolsets",
      "passgage_enable_toolset",
      "passgage_describe_tool",
      "passgage_call_tool",
    ]);
  });

  it("puts every tool in exactly one toolset, and every toolset has tools", () => {
    expect(CATALOG.length).toBeGreaterThan(0);
    const seen = new Map<string, number>();
    for (const name of TOOLSET_NAMES) {
      const tools = toolsOfToolset(name);
      expect(tools.length, name).toBeGreaterThan(0);
      for (const t of tools) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
    }
    for (const t of CATALOG) expect(seen.get(t.name), t.name).toBe(1);
    expect(seen.size).toBe(CATALOG.length);
  });

  it("places every contract group (no tool can be left without a toolset)", () => {
    expect(OPERATIONS).toHaveLength(131);
    for (const op of OPERATIONS) {
      const probe = { name: op.toolName ?? op.id, group: op.group, annotations: { readOnlyHint: op.method === "GET" } };
      expect(() => toolsetOf(probe), op.id).not.toThrow();
    }
    expect(() => toolsetOf({ name: "x", group: "No Such Group", annotations: { readOnlyHint: true } })).toThrow(/no toolset/);
    expect(() => toolsetOf({ name: "passgage_new_composite", group: "Composite", annotations: { readOnlyHint: true } })).toThrow(
      /no toolset/,
    );
  });

  it("keeps the session and discovery tools in the always-on session toolset", () => {
    const session = toolsOfToolset("session").map((t) => t.name);
    expect(session).toContain("passgage_session_login");
    expect(session).toContain("passgage_call_tool");
    expect(TOOLSETS.filter((t) => t.alwaysOn).map((t) => t.name)).toEqual(["session"]);
  });

  it("sends employee-record writes to admin and keeps looking people up in people", () => {
    expect(toolsetOf(byName("passgage_list_users"))).toBe("people");
    expect(toolsetOf(byName("passgage_get_user"))).toBe("people");
    for (const n of ["passgage_create_user", "passgage_replace_user", "passgage_update_user", "passgage_delete_user"])
      expect(toolsetOf(byName(n)), n).toBe("admin");
    expect(toolsetOf(byName("passgage_get_team_schedule"))).toBe("shifts");
    expect(toolsetOf(byName("passgage_list_my_leaves"))).toBe("my-work");
  });

  it("has a default that covers my work, leaves, approvals, shifts and finding people", () => {
    expect(DEFAULT_TOOLSETS).toEqual(["session", "my-work", "leaves", "approvals", "shifts", "people"]);
    expect(DEFAULT_SELECTION).toEqual({ toolsets: DEFAULT_TOOLSETS, readOnly: false });
  });
});

function byName(name: string) {
  const t = CATALOG.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no tool ${name}`);
  return t;
}

describe("read/write classification", () => {
  it("classifies every API tool by the HTTP method of its operation", () => {
    const api = CATALOG.filter((t) => t.group !== "Session" && t.group !== "Discovery" && t.group !== "Composite");
    expect(api).toHaveLength(127);
    for (const t of api) {
      const op = OPERATIONS_BY_ID.get(t.operations[0] ?? "");
      expect(op, t.name).toBeDefined();
      expect(effectOf(t), t.name).toBe(op?.method === "GET" ? "read" : "write");
      expect(t.annotations.readOnlyHint, t.name).toBe(op?.method === "GET");
    }
    const writes = OPERATIONS.filter((op) => op.toolName !== null && op.method !== "GET");
    expect(writes).toHaveLength(66);
    expect(api.filter((t) => effectOf(t) === "write")).toHaveLength(writes.length);
  });

  it("classifies the composites as reads (each calls only GET operations)", () => {
    const composites = CATALOG.filter((t) => t.group === "Composite");
    expect(composites).toHaveLength(9);
    for (const t of composites) {
      expect(effectOf(t), t.name).toBe("read");
      for (const id of t.operations) expect(OPERATIONS_BY_ID.get(id)?.method, `${t.name} ${id}`).toBe("GET");
    }
  });

  it("classifies the session and discovery tools explicitly", () => {
    const effects = Object.fromEntries(
      CATALOG.filter((t) => t.group === "Session" || t.group === "Discovery").map((t) => [t.name, effectOf(t)]),
    );
    expect(effects).toEqual({
      passgage_session_login: "session",
      passgage_session_login_api_key: "session",
      passgage_session_status: "read",
      passgage_session_switch_mode: "session",
      passgage_session_list: "read",
      passgage_session_revoke: "write",
      passgage_session_logout: "session",
      passgage_list_toolsets: "read",
      passgage_enable_toolset: "session",
      passgage_describe_tool: "read",
      passgage_call_tool: "dispatch",
    });
  });

  it("fails closed: an unclassified session tool, or a read-annotated tool calling a POST, is a write", () => {
    const base = byName("passgage_session_status");
    expect(effectOf({ ...base, name: "passgage_session_new_thing" })).toBe("write");
    const create = byName("passgage_create_department");
    expect(effectOf({ ...create, annotations: { ...create.annotations, readOnlyHint: true } })).toBe("write");
    expect(effectOf({ ...byName("passgage_list_departments"), operations: [] })).toBe("write");
  });
});

describe("selection parsing", () => {
  it("gives the default toolsets to a bare /mcp", () => {
    const r = parse("/mcp");
    expect(r).toEqual({ ok: true, value: DEFAULT_SELECTION });
    expect(parse("/mcp/")).toEqual({ ok: true, value: DEFAULT_SELECTION });
  });

  it("reads toolsets and read-only from the URL path", () => {
    expect(parse("/mcp/x/leaves,shifts")).toEqual({ ok: true, value: { toolsets: ["session", "leaves", "shifts"], readOnly: false } });
    expect(parse("/mcp/x/shifts,%20Leaves/readonly")).toEqual({
      ok: true,
      value: { toolsets: ["session", "leaves", "shifts"], readOnly: true },
    });
    expect(parse("/mcp/readonly")).toEqual({ ok: true, value: { ...DEFAULT_SELECTION, readOnly: true } });
    expect(parse("/mcp/x/all")).toEqual({ ok: true, value: { toolsets: [...TOOLSET_NAMES], readOnly: false } });
    expect(parse("/mcp/x/default,admin")).toEqual({ ok: true, value: makeSelection([...DEFAULT_TOOLSETS, "admin"], false) });
  });

  it("reads toolsets and read-only from the X-MCP-Toolsets and X-MCP-Readonly headers", () => {
    expect(parse("/mcp", { "X-MCP-Toolsets": "payroll", "X-MCP-Readonly": "true" })).toEqual({
      ok: true,
      value: { toolsets: ["session", "payroll"], readOnly: true },
    });
    expect(parse("/mcp", { "x-mcp-readonly": "1" })).toEqual({ ok: true, value: { ...DEFAULT_SELECTION, readOnly: true } });
    expect(parse("/mcp", { "x-mcp-readonly": "false" })).toEqual({ ok: true, value: DEFAULT_SELECTION });
  });

  it("lets the URL's toolsets win over the header, and never lets a header loosen a read-only URL", () => {
    expect(parse("/mcp/x/leaves", { "x-mcp-toolsets": "payroll" })).toEqual({
      ok: true,
      value: { toolsets: ["session", "leaves"], readOnly: false },
    });
    expect(parse("/mcp/readonly", { "x-mcp-readonly": "false" })).toEqual({ ok: true, value: { ...DEFAULT_SELECTION, readOnly: true } });
  });

  it("names an unknown toolset and the known ones (HTTP 400)", () => {
    const url = parse("/mcp/x/leaves,holidays");
    expect(url.ok).toBe(false);
    if (url.ok) return;
    expect(url.error.status).toBe(400);
    expect(url.error.message).toContain('unknown toolset "holidays"');
    expect(url.error.message).toContain("known toolsets: session, my-work, leaves");
    const header = parse("/mcp", { "x-mcp-toolsets": "Leaves, nope" });
    expect(header.ok ? "" : header.error.message).toMatch(/X-MCP-Toolsets header: unknown toolset "nope"/);
  });

  it("refuses an empty list, a bad read-only flag, bad percent-encoding and an overlong list (HTTP 400)", () => {
    for (const [path, headers, pattern] of [
      ["/mcp/x/,,", {}, /names no toolset/],
      ["/mcp", { "x-mcp-toolsets": " " }, /names no toolset/],
      ["/mcp", { "x-mcp-readonly": "yes please" }, /X-MCP-Readonly header must be true, false, 1 or 0/],
      ["/mcp/x/%E0%A4%A", {}, /percent-encoding/],
      ["/mcp", { "x-mcp-toolsets": "leaves,".repeat(100) }, /too long/],
    ] as const) {
      const r = parse(path, headers);
      expect(r.ok, path).toBe(false);
      expect(r.ok ? null : r.error.status, path).toBe(400);
      expect(r.ok ? "" : r.error.message, path).toMatch(pattern);
    }
  });

  it("answers 404 for other paths under /mcp", () => {
    for (const path of ["/mcp/x", "/mcp/leaves", "/mcp/x/leaves/extra", "/mcp/readonly/x/leaves", "/other"]) {
      const r = parse(path);
      expect(r.ok ? null : r.error.status, path).toBe(404);
    }
  });

  it("parses a list with zod: case and spaces ignored, duplicates merged", () => {
    expect(parseToolsetList(" Leaves ,leaves,SHIFTS", "list")).toEqual({ ok: true, value: ["leaves", "shifts"] });
  });

  it("enables toolsets: reports what was added, keeps read-only, and is canonical", () => {
    const start = makeSelection(["leaves"], true);
    const r = enableToolsets(start, ["payroll", "leaves"]);
    expect(r.added).toEqual(["payroll"]);
    expect(r.selection).toEqual({ toolsets: ["session", "leaves", "payroll"], readOnly: true });
    expect(enableToolsets(r.selection, ["payroll"]).added).toEqual([]);
    expect(selectionKey(r.selection)).toBe("session,leaves,payroll/readonly");
  });

  it("round-trips a selection through storage with ToolSelectionSchema, refusing unknown toolsets", () => {
    const sel = makeSelection(["payroll"], true);
    expect(ToolSelectionSchema.parse(JSON.parse(JSON.stringify(sel)))).toEqual(sel);
    expect(ToolSelectionSchema.safeParse({ toolsets: ["holidays"], readOnly: false }).success).toBe(false);
    expect(ToolSelectionSchema.safeParse({ toolsets: ["leaves"] }).success).toBe(false);
  });
});
