/**
 * Toolsets and read-only connections over HTTP (issue 15), through the Worker and
 * against the sandbox: what tools/list shows per URL, header and session; the
 * read-only gate on direct calls and on passgage_call_tool (refused before any
 * upstream call); the 400 / 404 of a bad selection; listing by the session's modes;
 * toolsets enabled per signed-in session; the cached, pre-encoded list in single
 * responses and batches.
 */
import { describe, expect, it } from "vitest";
import { CATALOG, TOOLS_BY_NAME } from "../../src/tools/catalog";
import { effectOf } from "../../src/tools/tool-effect";
import { listTools } from "../../src/tools/tool-listing";
import { DEFAULT_SELECTION, makeSelection } from "../../src/tools/tool-selection";
import { TOOLSET_NAMES } from "../../src/tools/toolsets";
import { SEED, loginAs, loginWithKey, mcpHeaders, randomIp, type RpcBody, textOf, workerFetch } from "../helpers/mcp";

let nextId = 1;

/** Posts one JSON-RPC body to `path`. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ res: Response; body: RpcBody }> {
  const res = await workerFetch(path, {
    method: "POST",
    headers: mcpHeaders({ "cf-connecting-ip": randomIp(), ...headers }),
    body: JSON.stringify(body),
  });
  return { res, body: await res.json<RpcBody>() };
}

/** The names tools/list shows on `path`. */
async function listed(path: string, headers: Record<string, string> = {}): Promise<string[]> {
  const { res, body } = await post(path, { jsonrpc: "2.0", id: nextId++, method: "tools/list" }, headers);
  expect(res.status, JSON.stringify(body.error)).toBe(200);
  const tools = body.result?.tools ?? [];
  expect(tools.length).toBeGreaterThan(0);
  return tools.map((t) => t.name);
}

/** Calls a tool on `path`; the result (fails on a JSON-RPC error). */
async function callOn(path: string, name: string, args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const { body } = await post(path, { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } }, headers);
  expect(body.result, JSON.stringify(body.error)).toBeDefined();
  return body.result ?? {};
}

const isWrite = (name: string): boolean => {
  const t = TOOLS_BY_NAME.get(name);
  return t !== undefined && effectOf(t) === "write";
};

describe("what tools/list shows", () => {
  it("lists the default toolsets on /mcp (and on /mcp/), without a session", async () => {
    const names = await listed("/mcp");
    expect(names).toEqual(listTools(DEFAULT_SELECTION, null).map((t) => t.name));
    expect(names.length).toBeLessThan(CATALOG.length);
    expect(names).toContain("passgage_list_leaves");
    expect(names).toContain("passgage_call_tool");
    expect(names).not.toContain("passgage_list_departments");
    expect(await listed("/mcp/")).toEqual(names);
  });

  it("lists every tool on /mcp/x/all, and only the named toolsets (plus session) on /mcp/x/<list>", async () => {
    expect(await listed("/mcp/x/all")).toEqual(CATALOG.map((t) => t.name));
    const payroll = await listed("/mcp/x/payroll");
    expect(payroll).toEqual(listTools(makeSelection(["payroll"], false), null).map((t) => t.name));
    expect(payroll).toContain("passgage_list_payrolls");
    expect(payroll).not.toContain("passgage_list_leaves");
    expect(await listed("/mcp/x/Leaves,%20payroll")).toEqual(
      listTools(makeSelection(["leaves", "payroll"], false), null).map((t) => t.name),
    );
  });

  it("lists no write tool on /mcp/x/leaves/readonly, /mcp/readonly or with X-MCP-Readonly", async () => {
    for (const [path, headers] of [
      ["/mcp/x/leaves/readonly", {}],
      ["/mcp/readonly", {}],
      ["/mcp/x/all/readonly", {}],
      ["/mcp", { "x-mcp-readonly": "true" }],
    ] as const) {
      const names = await listed(path, headers);
      expect(names.filter(isWrite), path).toEqual([]);
      expect(names, path).toContain("passgage_list_leaves");
    }
    expect(await listed("/mcp/x/leaves/readonly")).not.toContain("passgage_create_leave");
  });

  it("takes the toolsets from X-MCP-Toolsets when the URL names none", async () => {
    expect(await listed("/mcp", { "x-mcp-toolsets": "payroll" })).toEqual(await listed("/mcp/x/payroll"));
  });

  it("answers the same list from its cache; inside a batch (2025-03-26) tools/list is refused, the rest of the batch still runs", async () => {
    const first = await post("/mcp/x/all", { jsonrpc: "2.0", id: "a", method: "tools/list" });
    const second = await post("/mcp/x/all", { jsonrpc: "2.0", id: 7, method: "tools/list" });
    expect(first.body.id).toBe("a");
    expect(second.body.id).toBe(7);
    expect(second.body.result).toEqual(first.body.result);
    const batch = await workerFetch("/mcp/x/all", {
      method: "POST",
      headers: mcpHeaders({ "cf-connecting-ip": randomIp(), "mcp-protocol-version": "2025-03-26" }),
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "tools/list" },
        { jsonrpc: "2.0", id: 2, method: "ping" },
      ]),
    });
    expect(batch.status).toBe(200);
    const answers = await batch.json<RpcBody[]>();
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers[0]?.error?.code).toBe(-32600);
    expect(answers[0]?.error?.message).toContain("tools/list must not be part of a batch");
    expect(answers[1]?.result).toEqual({});
  });
});

describe("a bad selection", () => {
  it("answers 400 with a JSON-RPC error naming an unknown toolset in the URL or the header", async () => {
    const { res, body } = await post("/mcp/x/leaves,payrol", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(res.status).toBe(400);
    expect(body.jsonrpc).toBe("2.0");
    expect(body.error?.message).toContain('unknown toolset "payrol"');
    expect(body.error?.message).toContain("known toolsets: session, my-work");
    const header = await post("/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }, { "x-mcp-toolsets": "nope" });
    expect(header.res.status).toBe(400);
    expect(header.body.error?.message).toContain('X-MCP-Toolsets header: unknown toolset "nope"');
  });

  it("answers 404 with a JSON-RPC error for other paths under /mcp", async () => {
    for (const path of ["/mcp/x", "/mcp/leaves", "/mcp/x/leaves/extra"]) {
      const { res, body } = await post(path, { jsonrpc: "2.0", id: 1, method: "tools/list" });
      expect(res.status, path).toBe(404);
      expect(body.error?.message, path).toContain("/mcp/x/<toolsets>");
    }
  });
});

describe("read-only connections refuse writes at the call", () => {
  it("refuses a direct tools/call of a write tool before any upstream call; nothing is created", async () => {
    const ip = { "cf-connecting-ip": randomIp() };
    const id = await loginAs(SEED.ayse, ip);
    const h = { ...ip, "x-session-id": id };
    const types = await callOn("/mcp", "passgage_list_leave_types", {}, h);
    const typeId = ((types.structuredContent?.items as { id: string }[] | undefined) ?? [])[0]?.id;
    expect(typeof typeId).toBe("string");
    const title = `read-only probe ${crypto.randomUUID()}`;
    const args = {
      leave_type_id: typeId,
      title,
      is_hourly_leave: 0,
      start_date_daily: "2026-12-01 09:00",
      end_date_daily: "2026-12-01 18:00",
      status: "awaiting_approval",
    };
    for (const [path, headers] of [
      ["/mcp/x/leaves/readonly", h],
      ["/mcp/readonly", h],
      ["/mcp", { ...h, "x-mcp-readonly": "1" }],
    ] as const) {
      const r = await callOn(path, "passgage_create_leave", args, headers);
      expect(r.isError, path).toBe(true);
      expect(textOf(r), path).toContain("this connection is read-only");
    }
    const mine = await callOn("/mcp", "passgage_list_my_leaves", {}, h);
    expect(mine.isError, textOf(mine)).toBeFalsy();
    expect(textOf(mine)).not.toContain(title);
    // Reads still work on the read-only connection.
    const read = await callOn("/mcp/x/leaves/readonly", "passgage_list_leave_types", {}, h);
    expect(read.isError, textOf(read)).toBeFalsy();
  });

  it("refuses a write tool named to passgage_call_tool (and its description), and refuses every write tool", async () => {
    const ip = { "cf-connecting-ip": randomIp() };
    const id = await loginWithKey(SEED.acmeKey, ip);
    const h = { ...ip, "x-session-id": id };
    const r = await callOn("/mcp/readonly", "passgage_call_tool", { name: "passgage_delete_department", arguments: { id: "x" } }, h);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("this connection is read-only");
    const d = await callOn("/mcp/readonly", "passgage_describe_tool", { name: "passgage_create_department" }, h);
    expect(d.isError).toBe(true);
    const writes = CATALOG.filter((t) => effectOf(t) === "write");
    expect(writes.length).toBeGreaterThan(0);
    // Anonymous: the gate answers before session routing, so no session is needed to see it.
    for (const t of writes) {
      const out = await callOn("/mcp/readonly", t.name, {});
      expect(out.isError, t.name).toBe(true);
      expect(textOf(out), t.name).toContain("this connection is read-only");
    }
  });
});

describe("listing follows the session", () => {
  it("hides company-only tools from a password-only session; calling one still gives the mode guidance", async () => {
    const ip = { "cf-connecting-ip": randomIp() };
    const id = await loginAs(SEED.mehmet, ip);
    const h = { ...ip, "x-session-id": id };
    const names = await listed("/mcp/x/all", h);
    const companyOnly = CATALOG.filter((t) => Array.isArray(t.access) && t.access.length === 1 && t.access[0] === "company");
    expect(companyOnly.length).toBeGreaterThan(0);
    for (const t of companyOnly) expect(names, t.name).not.toContain(t.name);
    expect(names).toContain("passgage_list_my_leaves");
    expect(names.length).toBe(listTools(makeSelection(TOOLSET_NAMES, false), ["user"]).length);
    const name = companyOnly[0]?.name ?? "";
    const r = await callOn("/mcp/x/all", name, {}, h);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("company");
    expect(textOf(r)).toContain("passgage_session_login_api_key");
  });

  it("keeps toolsets enabled by passgage_enable_toolset for the signed-in session; anonymous enabling keeps nothing", async () => {
    const ip = { "cf-connecting-ip": randomIp() };
    const id = await loginWithKey(SEED.acmeKey, ip);
    const h = { ...ip, "x-session-id": id };
    expect(await listed("/mcp", h)).not.toContain("passgage_list_payrolls");
    const r = await callOn("/mcp", "passgage_enable_toolset", { toolsets: ["payroll"] }, h);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ added: ["payroll"], persisted: true, notified: false });
    expect(textOf(r)).toContain("passgage_call_tool");
    const after = await listed("/mcp", h);
    expect(after).toContain("passgage_list_payrolls");
    expect(after).toContain("passgage_list_leaves");
    // Read-only is never kept: the same session on a read-only URL still lists no writes.
    expect((await listed("/mcp/readonly", h)).filter(isWrite)).toEqual([]);
    const status = await callOn("/mcp", "passgage_list_toolsets", {}, h);
    const sets = (status.structuredContent?.toolsets ?? []) as { name: string; enabled: boolean }[];
    expect(sets.find((t) => t.name === "payroll")?.enabled).toBe(true);

    const anon = await callOn("/mcp", "passgage_enable_toolset", { toolsets: ["payroll"] });
    expect(anon.structuredContent).toMatchObject({ added: ["payroll"], persisted: false });
    expect(textOf(anon)).toContain("/mcp/x/session,my-work,leaves,approvals,shifts,people,payroll");
    expect(await listed("/mcp")).not.toContain("passgage_list_payrolls");
  });
});
