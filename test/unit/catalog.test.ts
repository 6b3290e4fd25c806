/**
 * The tool catalog against the house rules and the contract: names, schemas,
 * modes, annotations, coverage of every tooled operation, no path outside the
 * contract; plus the generated handlers against a stub upstream (rendering,
 * size bounds, error mapping), which needs no sandbox.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { OPERATIONS, OPERATIONS_BY_ID, findOperation, pathParams } from "../../src/contract/operations";
import type { Operation } from "../../src/contract/types";
import type { UpstreamError, UpstreamRequest, UpstreamSuccess } from "../../src/passgage/client";
import { buildRequest } from "../../src/passgage/request";
import { err, ok, type Result } from "../../src/result";
import { OPERATION_TOOLS } from "../../src/tools/api-tools";
import { COMPOSITE_TOOLS } from "../../src/tools/composite/composite-tools";
import { CATALOG, TOOLS_BY_NAME, toolList } from "../../src/tools/catalog";
import type { AnyTool, ToolContext, ToolError, ToolOutput } from "../../src/tools/define-tool";
import { DISCOVERY_TOOLS } from "../../src/tools/discovery/discovery-tools";
import { MAX_TEXT_CHARS, compactLine, renderList } from "../../src/tools/render";
import { upstreamToolError } from "../../src/tools/upstream-errors";
import type { Logger } from "../../src/log";
import type { SessionView } from "../../src/session/types";
import { expectErr } from "../helpers/result";

const NAME_PATTERN = /^passgage_[a-z0-9]+(_[a-z0-9]+)*$/;

/** Names used by more than one tool. */
function duplicateNames(tools: readonly { name: string }[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const t of tools) (seen.has(t.name) ? dup : seen).add(t.name);
  return [...dup];
}

/** A sample value for a path parameter. */
const SAMPLE_ID = "0b6f4f2e-1c1d-4c39-9a57-2d2f0e6f8a10";

function sampleParams(op: Operation): Record<string, string> {
  return Object.fromEntries(pathParams(op.path).map((p) => [p, SAMPLE_ID]));
}

function opOf(tool: AnyTool): Operation {
  const id = tool.operations[0];
  const op = id === undefined ? undefined : OPERATIONS_BY_ID.get(id);
  if (op === undefined) throw new Error(`${tool.name} has no operation`);
  return op;
}

describe("tool catalog", () => {
  it("offers at least 130 tools with unique passgage_* snake_case names of at most 64 characters", () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(130);
    expect(duplicateNames(CATALOG)).toEqual([]);
    expect(TOOLS_BY_NAME.size).toBe(CATALOG.length);
    for (const t of [...OPERATION_TOOLS, ...COMPOSITE_TOOLS]) {
      expect(t.name, t.name).toMatch(NAME_PATTERN);
      expect(t.name.length, t.name).toBeLessThanOrEqual(64);
      expect(t.title.length, t.name).toBeGreaterThan(0);
      expect(t.description.length, t.name).toBeGreaterThan(0);
      expect(t.description.length, t.name).toBeLessThanOrEqual(320);
    }
    // The duplicate check itself notices a clash.
    expect(duplicateNames([{ name: "a" }, { name: "b" }, { name: "a" }])).toEqual(["a"]);
  });

  it("keeps the catalog order: session tools, API tools in contract order, composites, discovery tools", () => {
    const names = CATALOG.map((t) => t.name);
    expect(names[0]).toBe("passgage_session_login");
    const api = OPERATIONS.flatMap((op) => (op.toolName === null ? [] : [op.toolName]));
    const start = names.indexOf(api[0] ?? "");
    expect(names.slice(start, start + api.length)).toEqual(api);
    expect(names.slice(start + api.length)).toEqual([...COMPOSITE_TOOLS, ...DISCOVERY_TOOLS].map((t) => t.name));
  });

  it("has exactly one tool per tooled contract operation, with its name, title, modes and group", () => {
    const tooled = OPERATIONS.filter((op) => op.toolName !== null);
    expect(OPERATION_TOOLS).toHaveLength(tooled.length);
    expect(tooled).toHaveLength(127);
    for (const op of tooled) {
      const tool = TOOLS_BY_NAME.get(op.toolName ?? "");
      expect(tool, op.id).toBeDefined();
      if (tool === undefined) continue;
      expect(tool.operations).toEqual([op.id]);
      expect(tool.title).toBe(op.title);
      expect(tool.access).toEqual(op.modes);
      expect(tool.group).toBe(op.group);
      expect(tool.description.startsWith(op.description)).toBe(true);
    }
  });

  it("lets every tool call only contract operations, and every generated tool only its own path", () => {
    const ids = new Set(OPERATIONS.map((op) => op.id));
    for (const t of CATALOG) for (const id of t.operations) expect(ids.has(id), `${t.name} → ${id}`).toBe(true);
    for (const tool of OPERATION_TOOLS) {
      const op = opOf(tool);
      const req = buildRequest(op, sampleParams(op));
      expect(req.path.startsWith("/api/public/v1/"), tool.name).toBe(true);
      expect(findOperation(req.method, req.path)?.op.id, tool.name).toBe(op.id);
    }
    // A path outside the contract is noticed.
    expect(findOperation("POST", "/api/public/v1/approvals/x/approve")).toBeNull();
  });

  it("declares access for every API tool (user, company or both) and composites with a non-empty mode list", () => {
    for (const t of [...OPERATION_TOOLS, ...COMPOSITE_TOOLS]) {
      expect(Array.isArray(t.access), t.name).toBe(true);
      if (!Array.isArray(t.access)) continue;
      expect(t.access.length, t.name).toBeGreaterThan(0);
      for (const m of t.access) expect(["user", "company"]).toContain(m);
    }
    const userOnly = COMPOSITE_TOOLS.filter((t) => Array.isArray(t.access) && t.access.length === 1 && t.access[0] === "user");
    expect(userOnly.map((t) => t.name).every((n) => n.includes("_my_"))).toBe(true);
  });

  it("derives annotations from the HTTP method", () => {
    for (const tool of OPERATION_TOOLS) {
      const op = opOf(tool);
      const a = tool.annotations;
      expect(a.readOnlyHint, tool.name).toBe(op.method === "GET");
      expect(a.destructiveHint, tool.name).toBe(op.method === "DELETE");
      expect(a.idempotentHint, tool.name).toBe(op.method === "GET" || op.method === "PUT" || op.method === "DELETE");
      expect(a.openWorldHint, tool.name).toBe(true);
    }
    for (const t of COMPOSITE_TOOLS) expect(t.annotations.readOnlyHint, t.name).toBe(true);
  });

  it("publishes object-rooted, closed input schemas and output schemas for every API tool", () => {
    const list = toolList();
    expect(list).toHaveLength(CATALOG.length);
    for (const entry of list) {
      expect(entry.inputSchema.type, entry.name).toBe("object");
      // Session and discovery tools: not API tools (closed input, output schema only where it helps).
      if (entry.name.startsWith("passgage_session_") || DISCOVERY_TOOLS.some((t) => t.name === entry.name)) continue;
      expect(entry.inputSchema.additionalProperties, entry.name).toBe(false);
      expect(entry.outputSchema?.type, entry.name).toBe("object");
    }
  });

  it("takes flat arguments: path parameters, body fields (no wrapper), paging, filter and sort", () => {
    const props = (name: string): string[] => {
      const entry = toolList().find((e) => e.name === name);
      return Object.keys(entry?.inputSchema.properties ?? {});
    };
    expect(props("passgage_update_leave")).toEqual(expect.arrayContaining(["id", "title", "leave_type_id", "start_date_daily", "files"]));
    expect(props("passgage_update_leave")).not.toContain("leave");
    expect(props("passgage_update_shift_slack").slice(0, 2)).toEqual(["shift_id", "id"]);
    expect(props("passgage_list_leaves")).toEqual(["page", "per_page", "filter", "sort"]);
    expect(props("passgage_list_titles")).toEqual(["page", "per_page"]);
    expect(props("passgage_list_approval_flows_by_type")).toEqual(["flow_type", "page", "per_page"]);
    expect(props("passgage_create_presigned_upload")).toEqual(["files"]);
    expect(props("passgage_get_shift_settings")).toEqual([]);
    for (const tool of OPERATION_TOOLS) {
      const op = opOf(tool);
      const names = props(tool.name);
      // Path parameters and (for a single-record body) every body field are arguments; the wrapper key is not.
      const bodyFields = op.body && op.body.array !== true ? Object.keys(op.body.fields.shape) : [];
      expect(names, tool.name).toEqual(expect.arrayContaining([...pathParams(op.path), ...bodyFields]));
      const wrapper = op.body?.wrapper;
      expect(wrapper ? names.includes(wrapper) : false, `${tool.name}: wrapper key ${wrapper ?? "(none)"} taken as an argument`).toBe(
        false,
      );
    }
  });

  it("validates arguments: ids, per_page at most 50, enum names in filters, unknown fields refused", () => {
    const listLeaves = TOOLS_BY_NAME.get("passgage_list_leaves");
    const getLeave = TOOLS_BY_NAME.get("passgage_get_leave");
    if (!listLeaves || !getLeave) throw new Error("missing tools");
    expect(listLeaves.inputSchema.safeParse({ per_page: 50, filter: { status_eq: "approved" }, sort: "start_date desc" }).success).toBe(
      true,
    );
    expect(listLeaves.inputSchema.safeParse({ per_page: 51 }).success).toBe(false);
    expect(listLeaves.inputSchema.safeParse({ filter: { status_eq: "maybe" } }).success).toBe(false);
    expect(listLeaves.inputSchema.safeParse({ filter: { nope_eq: 1 } }).success).toBe(false);
    expect(listLeaves.inputSchema.safeParse({ sort: "start_date; drop" }).success).toBe(false);
    expect(listLeaves.inputSchema.safeParse({ leave: {} }).success).toBe(false);
    expect(getLeave.inputSchema.safeParse({ id: SAMPLE_ID }).success).toBe(true);
    expect(getLeave.inputSchema.safeParse({ id: "../users" }).success).toBe(false);
    expect(getLeave.inputSchema.safeParse({}).success).toBe(false);
    const create = TOOLS_BY_NAME.get("passgage_create_user_shift");
    expect(create?.inputSchema.safeParse({ user_id: SAMPLE_ID, shift_id: SAMPLE_ID, date_of_shift: "2026-13-01" }).success).toBe(false);
    expect(create?.inputSchema.safeParse({ user_id: SAMPLE_ID, shift_id: SAMPLE_ID, date_of_shift: "2026-03-01" }).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Handlers against a stub upstream
// ---------------------------------------------------------------------------

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  with: () => silent,
};

const SESSION: SessionView = {
  hash: "abcdef012345",
  mode: "company",
  modes: ["company"],
  user: null,
  company: { id: "c1", name: "Acme" },
  createdAt: 0,
  expiresAt: 1,
  lastSeenAt: 0,
};

function stubContext(answer: (req: UpstreamRequest) => Result<UpstreamSuccess, UpstreamError>, seen: UpstreamRequest[] = []): ToolContext {
  return {
    session: SESSION,
    upstream: {
      call: async (req) => {
        seen.push(req);
        return answer(req);
      },
    },
    control: {} as ToolContext["control"],
    logger: silent,
    now: Date.UTC(2026, 2, 1),
  };
}

async function run(name: string, input: Record<string, unknown>, ctx: ToolContext): Promise<Result<ToolOutput<unknown>, ToolError>> {
  const tool = TOOLS_BY_NAME.get(name);
  if (!tool) throw new Error(name);
  const parsed = tool.inputSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid input for ${name}`);
  return tool.handler(parsed.data, ctx);
}

function envelope(data: unknown, meta: unknown = {}, message = ""): Result<UpstreamSuccess, UpstreamError> {
  return ok({ status: 200, envelope: { success: true, status: 200, message, data, meta } });
}

describe("generated handlers", () => {
  it("lists with a page line, a next-page hint and structured items", async () => {
    const seen: UpstreamRequest[] = [];
    const items = [
      { id: "l1", title: "Yıllık izin", status: "approved", start_date: "2026-03-02", end_date: "2026-03-04", updated_at: "x" },
      { id: "l2", title: "Mazeret", status: "rejected", start_date: "2026-04-01", end_date: "2026-04-01" },
    ];
    const ctx = stubContext(() => envelope(items, { current_page: 1, total_pages: 3, total_count: 6 }), seen);
    const r = await run("passgage_list_leaves", { per_page: 2, filter: { status_eq: "approved" } }, ctx);
    expect(seen[0]?.query?.get("q[status_eq]")).toBe("2");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toContain("Leaves: 2 shown, page 1 of 3 (6 in total).");
    expect(r.value.text).toContain("- id: l1; title: Yıllık izin; status: approved; start_date: 2026-03-02");
    expect(r.value.text).not.toContain("updated_at");
    expect(r.value.text).toContain("Next page: call passgage_list_leaves with page: 2, per_page: 2 and the same filter.");
    expect(r.value.structured).toEqual({ items, page: 1, per_page: 2, total_pages: 3, total_count: 6, next_page: 2, omitted: 0 });
  });

  it("bounds the text of a long page to about 8 KB with a note, and the structured items to the size bound", async () => {
    const big = Array.from({ length: 50 }, (_, i) => ({
      id: `u${i}`,
      full_name: `Kişi ${i}`,
      about: "x".repeat(5_000),
      tags: ["a", "b"],
      nested: { name: "n" },
    }));
    const r = await run(
      "passgage_list_users",
      { per_page: 50 },
      stubContext(() => envelope(big, { current_page: 1, total_pages: 1, total_count: 50 })),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(r.value.text).toMatch(/more items? not shown here/);
    const s = r.value.structured as { items: unknown[]; omitted: number };
    expect(s.items.length + s.omitted).toBe(50);
    const huge = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, blob: "y".repeat(10_000) }));
    const r2 = await run(
      "passgage_list_users",
      {},
      stubContext(() => envelope(huge, { current_page: 1, total_pages: 1, total_count: 50 })),
    );
    if (!r2.ok) throw new Error("failed");
    const s2 = r2.value.structured as { items: unknown[]; omitted: number };
    expect(s2.omitted).toBeGreaterThan(0);
    expect(JSON.stringify(s2.items).length).toBeLessThanOrEqual(200_000);
    expect(r2.value.text).toContain("smaller per_page");
  });

  it("renders a record, a write message, and the working-day delete's bare message", async () => {
    const got = await run(
      "passgage_get_leave",
      { id: "l1" },
      stubContext(() => envelope({ id: "l1", title: "İzin", user: { id: "u1", full_name: "Ayşe Yılmaz" } })),
    );
    if (!got.ok) throw new Error("failed");
    expect(got.value.text).toContain("Leave l1:");
    expect(got.value.text).toContain("user.full_name: Ayşe Yılmaz");
    const made = await run(
      "passgage_create_branch",
      { title: "Konya", latitude: 37.87, longitude: 32.48 },
      stubContext(() => envelope({ id: "b9", title: "Konya" }, {}, "Successfully created branch")),
    );
    if (!made.ok) throw new Error("failed");
    expect(made.value.text.split("\n")[0]).toBe("Created branch. Successfully created branch");
    expect(made.value.structured).toEqual({ message: "Successfully created branch", data: { id: "b9", title: "Konya" } });
    const wd = await run(
      "passgage_delete_working_day",
      { id: "w1" },
      stubContext(() => ok({ status: 200, envelope: { message: "Working Day deleted successfully" } })),
    );
    if (!wd.ok) throw new Error("failed");
    expect(wd.value.text).toBe("Deleted working-day calendar w1. Working Day deleted successfully");
    expect(wd.value.structured).toEqual({ message: "Working Day deleted successfully", data: null });
  });

  it("refuses an update without any field before calling upstream", async () => {
    const seen: UpstreamRequest[] = [];
    const r = await run(
      "passgage_update_branch",
      { id: "b1" },
      stubContext(() => envelope({}), seen),
    );
    expect(seen).toHaveLength(0);
    expect(expectErr(r).message).toContain("Nothing to change");
  });

  it("maps upstream failures to readable, tagged tool errors", async () => {
    const fail = (e: UpstreamError) => stubContext(() => err(e));
    const v = await run(
      "passgage_create_branch",
      { title: "", latitude: 0, longitude: 0 },
      fail({ code: "validation", message: "Unprocessable entity", fieldErrors: [{ field: "title", messages: ["Şube Adı doldurulmalı"] }] }),
    );
    const ve = expectErr(v);
    expect(ve.code).toBe("upstream_validation");
    expect(ve.message).toContain("Fields with errors: title.");
    expect(ve.message).toContain("title: Şube Adı doldurulmalı");
    expect(ve.retryable).toBeFalsy();
    const nf = await run("passgage_get_leave", { id: "nope" }, fail({ code: "not_found", message: "Couldn't find the record" }));
    expect(expectErr(nf).message).toMatch(/^No leave with id nope was found/);
    const t = await run("passgage_list_titles", {}, fail({ code: "timeout", timeoutMs: 30_000 }));
    expect(expectErr(t)).toEqual({ code: "upstream_timeout", message: "Passgage did not answer within 30 s.", retryable: true });
    const s = await run("passgage_list_titles", {}, fail({ code: "server", status: 502, message: "" }));
    expect(expectErr(s).retryable).toBe(true);
  });
});

describe("error mapping and rendering helpers", () => {
  it("covers every upstream error code, marking only transient ones retryable (ambiguous writes: check first)", () => {
    const cases: [UpstreamError, boolean][] = [
      [{ code: "timeout", timeoutMs: 1000 }, true],
      [{ code: "network" }, true],
      [{ code: "malformed", status: 200 }, true],
      [{ code: "rate_limited", retryAfterSeconds: 3 }, true],
      [{ code: "server", status: 500, message: "boom" }, true],
      [{ code: "unauthorized", status: 401, message: "Invalid token" }, false],
      [{ code: "forbidden", message: "no" }, false],
      [{ code: "not_found", message: "" }, false],
      [{ code: "validation", message: "x", fieldErrors: [] }, false],
      [{ code: "http", status: 409, message: "conflict", fieldErrors: [{ field: null, messages: ["dup"] }] }, false],
    ];
    const ambiguousForWrites = new Set(["timeout", "network", "malformed", "server"]);
    for (const [e, retryable] of cases) {
      const read = upstreamToolError(e, { noun: "branch", write: false });
      expect(read.retryable ?? false, e.code).toBe(retryable);
      // A write that failed ambiguously may have been applied: never "temporary", always "check first".
      const te = upstreamToolError(e, { noun: "branch", write: true });
      expect(te.retryable ?? false, `${e.code} (write)`).toBe(retryable && !ambiguousForWrites.has(e.code));
      expect(te.message.includes("Check the record") || !ambiguousForWrites.has(e.code), `${e.code} (write): says check first`).toBe(true);
      expect(te.code.startsWith("upstream_"), e.code).toBe(true);
      expect(te.message.length, e.code).toBeGreaterThan(10);
    }
    expect(upstreamToolError({ code: "not_found", message: "" }, { noun: "card", write: true }).message).toContain(
      "check the ids you passed",
    );
    expect(
      upstreamToolError({ code: "server", status: 500, message: "a\u0000b".repeat(400) }, { noun: "x", write: false }).message.length,
    ).toBeLessThan(400);
  });

  it("puts identifying fields first in a compact line and skips empty ones", () => {
    expect(
      compactLine({
        updated_at: "u",
        about: "",
        status: "approved",
        name: "Vardiya A",
        id: "s1",
        tags: [],
        user: { id: "u1", first_name: "Ayşe", last_name: "Kaya" },
      }),
    ).toBe("id: s1; name: Vardiya A; status: approved; user: Ayşe Kaya [u1]");
  });

  it("says so when a list is empty, and gives no next page on the last page", () => {
    const r = renderList(
      [],
      { current_page: 1, total_pages: 0, total_count: 0 },
      { noun: "cards", toolName: "passgage_list_cards", page: undefined, perPage: undefined, filtered: true },
    );
    expect(r.text).toBe("No cards found for this filter.");
    expect(r.structured.next_page).toBeNull();
  });

  it("serialises every composite's schemas", () => {
    for (const t of COMPOSITE_TOOLS) {
      expect(z.toJSONSchema(t.inputSchema as z.ZodMiniType, { io: "input" }).type, t.name).toBe("object");
    }
  });
});
