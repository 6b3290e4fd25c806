/**
 * What a connection lists and may call (issue 15): every toolset
 * configuration reaches every operation (subject to mode and read-only), a
 * read-only connection lists and runs no write tool (through tools/call's gate
 * and through passgage_call_tool), listed schemas are lean while validation
 * stays as strict, and the discovery tools work against a host whose runner is
 * the normal tool runner.
 */
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/contract/operations";
import type { AuthMode } from "../../src/contract/types";
import type { Logger } from "../../src/log";
import { runTool } from "../../src/tools/run-tool";
import type { UpstreamRequest } from "../../src/passgage/client";
import { ok } from "../../src/result";
import type { SessionView } from "../../src/session/types";
import type { AnyTool, ToolContext } from "../../src/tools/define-tool";
import { createToolsetHost } from "../../src/tools/discovery/create-toolset-host";
import { DISCOVERY_TOOLS } from "../../src/tools/discovery/discovery-tools";
import type { RunToolFn, ToolsetHost } from "../../src/tools/discovery/toolset-host";
import { CATALOG, TOOLS_BY_NAME } from "../../src/tools/catalog";
import { effectOf } from "../../src/tools/tool-effect";
import {
  callRefusal,
  isCallable,
  type ListingModes,
  leanSchema,
  listTools,
  reachableOperations,
  toolsetCounts,
} from "../../src/tools/tool-listing";
import { DEFAULT_SELECTION, makeSelection, type ToolSelection } from "../../src/tools/tool-selection";
import { TOOLSET_NAMES } from "../../src/tools/toolsets";

/** Operations no tool calls, by design: the SessionDO refreshes the JWT itself; the client PUTs a file to the presigned URL. */
const MACHINERY_OPERATIONS = ["auth.refresh", "files.upload"];

/** Every configuration: each toolset alone, the default, all; each also read-only. */
function configurations(): { label: string; sel: ToolSelection }[] {
  const bases: { label: string; names: readonly (typeof TOOLSET_NAMES)[number][] }[] = [
    ...TOOLSET_NAMES.map((n) => ({ label: n, names: [n] })),
    { label: "default", names: DEFAULT_SELECTION.toolsets },
    { label: "all", names: TOOLSET_NAMES },
  ];
  return bases.flatMap((b) => [
    { label: b.label, sel: makeSelection(b.names, false) },
    { label: `${b.label}/readonly`, sel: makeSelection(b.names, true) },
  ]);
}

const MODES: { label: string; modes: ListingModes }[] = [
  { label: "anonymous", modes: null },
  { label: "user", modes: ["user"] },
  { label: "company", modes: ["company"] },
  { label: "both", modes: ["user", "company"] },
];

function callableIn(tool: AnyTool, modes: ListingModes): boolean {
  return modes === null || tool.access === "anyone" || tool.access.some((m) => modes.includes(m));
}

const WRITE_TOOLS = CATALOG.filter((t) => effectOf(t) === "write");
const READ_TOOLS = CATALOG.filter((t) => effectOf(t) === "read");

describe("reachability in every toolset configuration", () => {
  it("reaches all 131 operations (those tools call, plus the 2 the machinery makes) in every writable configuration", () => {
    const configs = configurations().filter((c) => !c.sel.readOnly);
    expect(configs).toHaveLength(TOOLSET_NAMES.length + 2);
    expect(OPERATIONS).toHaveLength(131);
    for (const { label, sel } of configs) {
      const reached = new Set([...reachableOperations(sel, null), ...MACHINERY_OPERATIONS]);
      const missing = OPERATIONS.filter((op) => !reached.has(op.id)).map((op) => op.id);
      expect(missing, label).toEqual([]);
    }
  });

  it("reaches, per mode, every operation of every tool that mode may call", () => {
    for (const { label, sel } of configurations()) {
      for (const m of MODES) {
        const reached = reachableOperations(sel, m.modes);
        const tools = CATALOG.filter((t) => callableIn(t, m.modes) && (!sel.readOnly || effectOf(t) !== "write"));
        expect(tools.length, `${label} ${m.label}`).toBeGreaterThan(0);
        for (const t of tools) for (const op of t.operations) expect(reached.has(op), `${label} ${m.label}: ${t.name} ${op}`).toBe(true);
      }
    }
  });

  it("reaches every GET operation on a read-only connection, and no operation of a write tool", () => {
    const gets = OPERATIONS.filter((op) => op.method === "GET").map((op) => op.id);
    expect(gets.length).toBeGreaterThan(50);
    const writeOps = new Set(WRITE_TOOLS.flatMap((t) => t.operations));
    expect(writeOps.size).toBe(66);
    for (const { label, sel } of configurations().filter((c) => c.sel.readOnly)) {
      const reached = reachableOperations(sel, null);
      for (const op of gets) expect(reached.has(op), `${label}: ${op}`).toBe(true);
      for (const op of writeOps) expect(reached.has(op), `${label}: ${op}`).toBe(false);
    }
  });

  it("lists the discovery tools in every configuration, so every tool stays describable and callable", () => {
    for (const { label, sel } of configurations()) {
      const names = listTools(sel, null).map((t) => t.name);
      for (const d of DISCOVERY_TOOLS) expect(names, label).toContain(d.name);
    }
  });
});

describe("read-only connections", () => {
  it("list 0 write tools in any configuration and mode", () => {
    expect(WRITE_TOOLS.length).toBe(67); // the 66 write operations and passgage_session_revoke
    for (const { label, sel } of configurations().filter((c) => c.sel.readOnly)) {
      for (const m of MODES) {
        const listed = listTools(sel, m.modes);
        expect(listed.length, label).toBeGreaterThan(0);
        const writes = listed.filter((t) => effectOf(TOOLS_BY_NAME.get(t.name) as AnyTool) === "write");
        expect(
          writes.map((t) => t.name),
          `${label} ${m.label}`,
        ).toEqual([]);
      }
    }
  });

  it("refuse every write tool at the direct-call gate, and let every read through", () => {
    const ro = makeSelection(TOOLSET_NAMES, true);
    const rw = makeSelection(TOOLSET_NAMES, false);
    for (const t of WRITE_TOOLS) {
      expect(isCallable(t.name, ro), t.name).toBe(false);
      expect(callRefusal(t.name, ro), t.name).toContain("read-only");
      expect(isCallable(t.name, rw), t.name).toBe(true);
      expect(callRefusal(t.name, rw), t.name).toBeNull();
    }
    expect(READ_TOOLS.length).toBeGreaterThan(60);
    for (const t of READ_TOOLS) expect(isCallable(t.name, ro), t.name).toBe(true);
    expect(isCallable("passgage_no_such_tool", rw)).toBe(false);
    expect(callRefusal("passgage_no_such_tool", ro)).toBeNull();
  });

  it("run 0 write tools through passgage_call_tool: refused before the runner", async () => {
    const runs: string[] = [];
    const run: RunToolFn = async (name) => {
      runs.push(name);
      return { kind: "result", result: { content: [{ type: "text", text: "ran" }] } };
    };
    const host = hostFor(makeSelection(["leaves"], true), run);
    const ctx = contextWith(host);
    for (const t of WRITE_TOOLS) {
      const r = await callByName(t.name, { id: "x" }, ctx);
      expect(r.ok, t.name).toBe(false);
      expect(r.ok ? "" : r.error.message, t.name).toContain("read-only");
      expect(host.describe(t.name).ok, t.name).toBe(false);
    }
    expect(runs).toEqual([]);
    // Reads outside the listed toolsets still run by name.
    const read = await callByName("passgage_list_departments", {}, ctx);
    expect(read.ok).toBe(true);
    expect(runs).toEqual(["passgage_list_departments"]);
  });

  it("marks passgage_call_tool read-only in a read-only listing only", () => {
    const ro = listTools(makeSelection([], true), null).find((t) => t.name === "passgage_call_tool");
    const rw = listTools(makeSelection([], false), null).find((t) => t.name === "passgage_call_tool");
    expect(ro?.annotations).toEqual({ readOnlyHint: true });
    expect(rw?.annotations).toEqual({});
  });
});

describe("listing", () => {
  it("is computed once per (selection, modes)", () => {
    expect(listTools(DEFAULT_SELECTION, null)).toBe(listTools(makeSelection([...DEFAULT_SELECTION.toolsets], false), null));
    expect(listTools(DEFAULT_SELECTION, ["user", "company"])).toBe(listTools(DEFAULT_SELECTION, ["company", "user"]));
    expect(listTools(DEFAULT_SELECTION, null)).not.toBe(listTools(makeSelection(DEFAULT_SELECTION.toolsets, true), null));
  });

  it("follows the session's available modes: a user-only session is not shown company-only tools", () => {
    const all = makeSelection(TOOLSET_NAMES, false);
    const userOnly = listTools(all, ["user"]);
    expect(userOnly.length).toBeGreaterThan(20);
    for (const e of userOnly) expect(callableIn(TOOLS_BY_NAME.get(e.name) as AnyTool, ["user"]), e.name).toBe(true);
    expect(userOnly.length).toBeLessThan(listTools(all, null).length);
    expect(listTools(all, ["user", "company"])).toHaveLength(listTools(all, null).length);
  });

  it("lists all 147 tools under all, in catalog order, and the default in under 60 KB of JSON", () => {
    const all = listTools(makeSelection(TOOLSET_NAMES, false), null);
    expect(all.map((t) => t.name)).toEqual(CATALOG.map((t) => t.name));
    const def = JSON.stringify({ tools: listTools(DEFAULT_SELECTION, null) });
    expect(def.length).toBeLessThan(60_000);
    expect(JSON.stringify({ tools: all }).length).toBeLessThan(150_000);
  });

  it("counts tools per toolset for the connection", () => {
    const counts = toolsetCounts(makeSelection([], true), null);
    expect(counts.get("session")).toBe(10); // every session and discovery tool but passgage_session_revoke (a write)
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(CATALOG.length - WRITE_TOOLS.length);
  });

  it("lists no ±9007199254740991 bounds and no $schema, and keeps meaningful bounds and enums", () => {
    const all = listTools(makeSelection(TOOLSET_NAMES, false), null);
    expect(all.length).toBe(147);
    for (const e of all) {
      const json = JSON.stringify(e);
      expect(json, e.name).not.toContain("9007199254740991");
      expect(json, e.name).not.toContain("$schema");
      expect(e.inputSchema.type, e.name).toBe("object");
    }
    const leaves = JSON.stringify(all.find((t) => t.name === "passgage_list_leaves")?.inputSchema);
    expect(leaves).toContain('"maximum":50');
    expect(leaves).toContain('"approved"');
    expect(leaves).toContain("Format: YYYY-MM-DD.");
  });

  it("lists output schemas only where they say more than a page or a record of unknown data", () => {
    const all = listTools(makeSelection(TOOLSET_NAMES, false), null);
    const withOutput = all.filter((t) => t.outputSchema !== undefined).map((t) => t.name);
    expect(withOutput).toContain("passgage_get_team_schedule");
    expect(withOutput).toContain("passgage_session_status");
    expect(withOutput).not.toContain("passgage_list_leaves");
    expect(withOutput).not.toContain("passgage_get_department");
  });

  it("leans a schema without touching its input", () => {
    const schema = {
      type: "object",
      properties: {
        pattern: { type: "string", pattern: "^a$", description: "Format: a." },
        gender: { type: "string", description: "Gender." },
        n: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
        m: { anyOf: [{ type: "integer", minimum: 0, maximum: 9007199254740991 }, { type: "null" }] },
      },
      $schema: "https://json-schema.org/draft/2020-12/schema",
    };
    const copy = structuredClone(schema);
    expect(leanSchema(schema, true)).toEqual({
      type: "object",
      properties: {
        pattern: { type: "string", description: "Format: a." },
        gender: { type: "string" },
        n: { type: "integer" },
        m: { anyOf: [{ type: "integer", minimum: 0 }, { type: "null" }] },
      },
    });
    expect(schema).toEqual(copy);
    // Describing keeps patterns and descriptions; only the meaningless bounds go.
    expect(leanSchema(schema, false)).toMatchObject({ properties: { pattern: { pattern: "^a$" }, gender: { description: "Gender." } } });
  });

  it("validates calls as strictly as before: the tools' own schemas still reject what they rejected", () => {
    listTools(makeSelection(TOOLSET_NAMES, false), null); // listing must not loosen validation
    const rejects: [string, Record<string, unknown>][] = [
      ["passgage_list_leaves", { filter: { start_date_gteq: "2026-13-01" } }],
      ["passgage_list_leaves", { per_page: 51 }],
      ["passgage_list_leaves", { sort: "created_at sideways" }],
      ["passgage_list_leaves", { page: 1.5 }],
      ["passgage_list_leaves", { filter: { status_eq: "maybe" } }],
      ["passgage_get_user", { id: "has space" }],
      ["passgage_get_user", { id: "u1", extra: true }],
      [
        "passgage_create_leave",
        { leave_type_id: "t", user_id: "u", is_hourly_leave: 0, status: "approved", start_date_daily: "2026-03-01" },
      ],
      ["passgage_create_user", { first_name: "A", last_name: "Bb" }],
      ["passgage_call_tool", { name: "not a tool name" }],
      ["passgage_enable_toolset", { toolsets: ["holidays"] }],
      ["passgage_enable_toolset", { toolsets: [] }],
    ];
    for (const [name, args] of rejects) {
      const tool = TOOLS_BY_NAME.get(name);
      expect(tool, name).toBeDefined();
      expect(tool?.inputSchema.safeParse(args).success, `${name} ${JSON.stringify(args)}`).toBe(false);
    }
    expect(TOOLS_BY_NAME.get("passgage_list_leaves")?.inputSchema.safeParse({ per_page: 50, sort: "created_at desc" }).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Discovery tools against a host
// ---------------------------------------------------------------------------

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, with: () => silent };

function sessionView(mode: AuthMode, modes: readonly AuthMode[]): SessionView {
  return { hash: "abcdef012345", mode, modes, user: null, company: { id: "c1", name: "Acme" }, createdAt: 0, expiresAt: 1, lastSeenAt: 0 };
}

function baseContext(session: SessionView | null, seen: UpstreamRequest[] = []): ToolContext {
  return {
    session,
    upstream: {
      call: async (req) => {
        seen.push(req);
        return ok({ status: 200, envelope: { success: true, status: 200, message: "", data: [{ id: "d1", name: "R&D" }], meta: {} } });
      },
    },
    control: {} as ToolContext["control"],
    logger: silent,
    now: 0,
  };
}

function hostFor(sel: ToolSelection, run: RunToolFn, saved: ToolSelection[] = [], modes: ListingModes = null): ToolsetHost {
  return createToolsetHost({
    selection: sel,
    modes,
    run,
    saveSelection: async (next) => {
      saved.push(next);
      return { notified: true, persisted: true };
    },
  });
}

function contextWith(host: ToolsetHost, session: SessionView | null = null): ToolContext {
  return { ...baseContext(session), toolsets: host };
}

async function discovery(name: string, input: Record<string, unknown>, ctx: ToolContext) {
  const tool = TOOLS_BY_NAME.get(name);
  if (tool === undefined) throw new Error(name);
  const parsed = tool.inputSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid input for ${name}`);
  return tool.handler(parsed.data, ctx);
}

function callByName(name: string, args: Record<string, unknown>, ctx: ToolContext) {
  return discovery("passgage_call_tool", { name, arguments: args }, ctx);
}

/** The normal runner over a context (the integration passes `(n, a) => runTool(n, a, ctx)`). */
function realRunner(ctx: ToolContext): RunToolFn {
  return (name, args) => runTool(name, args, ctx);
}

describe("discovery tools", () => {
  it("say discovery is unavailable where the transport supplies no host", async () => {
    for (const [name, input] of [
      ["passgage_list_toolsets", {}],
      ["passgage_enable_toolset", { toolsets: ["payroll"] }],
      ["passgage_describe_tool", { name: "passgage_list_leaves" }],
      ["passgage_call_tool", { name: "passgage_list_leaves" }],
    ] as const) {
      const r = await discovery(name, input, baseContext(null));
      expect(r.ok ? "" : r.error.code, name).toBe("discovery_unavailable");
    }
  });

  it("list the toolsets with counts and what is enabled", async () => {
    const ctx = contextWith(hostFor(DEFAULT_SELECTION, realRunner(baseContext(null))));
    const r = await discovery("passgage_list_toolsets", {}, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toContain("- leaves (8 tools, enabled):");
    expect(r.value.text).toContain("- payroll (4 tools):");
    expect(r.value.text).toContain("- session (11 tools, always on):");
    const structured = r.value.structured as { toolsets: readonly unknown[] } | undefined;
    expect(structured?.toolsets).toHaveLength(TOOLSET_NAMES.length);
  });

  it("enable a toolset once: what changed, the new selection saved and the client notified", async () => {
    const saved: ToolSelection[] = [];
    const host = hostFor(makeSelection(["leaves"], false), realRunner(baseContext(null)), saved);
    const ctx = contextWith(host);
    const r = await discovery("passgage_enable_toolset", { toolsets: ["payroll"] }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.structured).toEqual({
      added: ["payroll"],
      enabled: ["session", "leaves", "payroll"],
      addedTools: ["passgage_list_payrolls", "passgage_get_payroll", "passgage_list_user_extra_works", "passgage_get_user_extra_work"],
      notified: true,
      persisted: true,
    });
    expect(saved).toEqual([makeSelection(["leaves", "payroll"], false)]);
    const again = await discovery("passgage_enable_toolset", { toolsets: ["payroll"] }, ctx);
    expect(again.ok ? again.value.text : "").toContain("Already enabled");
    expect(saved).toHaveLength(1);
    const all = await discovery("passgage_enable_toolset", { toolsets: ["all"] }, ctx);
    expect(all.ok ? all.value.structured : null).toMatchObject({ enabled: [...TOOLSET_NAMES] });
  });

  it("describe any reachable tool with its full input schema, listed or not", async () => {
    const ctx = contextWith(hostFor(makeSelection(["leaves"], false), realRunner(baseContext(null))));
    const r = await discovery("passgage_describe_tool", { name: "passgage_list_departments" }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toContain("passgage_list_departments: List departments (toolset organisation, modes user, company, read).");
    expect(r.value.text).toContain("Not listed here: call it with passgage_call_tool");
    expect(r.value.text).toContain('"per_page"');
    const unknown = await discovery("passgage_describe_tool", { name: "passgage_no_such_tool" }, ctx);
    expect(unknown.ok ? "" : unknown.error.code).toBe("unknown_tool");
  });

  it("call a tool by name through the normal runner: validation, mode checks and results as for a direct call", async () => {
    const seen: UpstreamRequest[] = [];
    const inner = baseContext(sessionView("company", ["company"]), seen);
    const ctx = contextWith(hostFor(makeSelection(["leaves"], false), realRunner(inner)));
    const r = await callByName("passgage_list_departments", { per_page: 5 }, ctx);
    expect(r.ok ? r.value.text : r.error.message).toContain("R&D");
    expect(seen[0]?.path).toContain("/departments");
    const bad = await callByName("passgage_list_departments", { per_page: 500 }, ctx);
    expect(bad.ok ? "" : bad.error.message).toContain("Invalid arguments for passgage_list_departments");
    const userCtx = contextWith(hostFor(DEFAULT_SELECTION, realRunner(baseContext(sessionView("user", ["user"])))));
    const denied = await callByName("passgage_create_department", { name: "X" }, userCtx);
    expect(denied.ok ? "" : denied.error.code).toBe("mode_denied");
    const self = await callByName("passgage_call_tool", { name: "passgage_list_leaves" }, ctx);
    expect(self.ok ? "" : self.error.message).toContain("cannot call itself");
    const unknown = await callByName("passgage_no_such_tool", {}, ctx);
    expect(unknown.ok ? "" : unknown.error.code).toBe("unknown_tool");
    expect(seen).toHaveLength(1);
  });

  it("reach every write tool by name on a writable connection (the runner is called with its name and arguments)", async () => {
    const runs: { name: string; args: Record<string, unknown> }[] = [];
    const run: RunToolFn = async (name, args) => {
      runs.push({ name, args });
      return { kind: "result", result: { content: [{ type: "text", text: `ran ${name}` }] } };
    };
    const ctx = contextWith(hostFor(makeSelection([], false), run));
    for (const t of WRITE_TOOLS) {
      const r = await callByName(t.name, { id: "x" }, ctx);
      expect(r.ok ? r.value.text : r.error.message, t.name).toBe(`ran ${t.name}`);
    }
    expect(runs.map((r) => r.name)).toEqual(WRITE_TOOLS.map((t) => t.name));
    expect(runs[0]?.args).toEqual({ id: "x" });
  });
});
