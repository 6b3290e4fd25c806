/**
 * Every tool of the catalog called through the Worker against the local
 * Passgage sandbox: list, get, create, update and delete round trips per
 * resource, filters and pagination, both modes, the composites, the session
 * tools, the token refresh inside the SessionDO and the presigned upload's
 * PUT to storage. Prints the coverage line
 * `operations covered: N/131, tools exercised: N/M` and fails below 131/131
 * or when a tool was never called successfully.
 *
 * Records are created with a per-run suffix so parallel test files sharing
 * the sandbox never clash; the sandbox is never reset from here.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { OPERATIONS } from "../../src/contract/operations";
import { CATALOG, TOOLS_BY_NAME } from "../../src/tools/catalog";
import { sessionHash, shortHash } from "../../src/crypto/session-id";
import { SEED, callTool, loginAs, textOf, type RpcBody } from "../helpers/mcp";

type ToolResult = NonNullable<RpcBody["result"]>;
type Args = Record<string, unknown>;
type Headers = Record<string, string>;

type Role = "company" | "user";

const RUN = Math.random().toString(36).slice(2, 8);
const exercised = new Set<string>();
const extraOperations = new Set<string>();

/**
 * Calls per session and client IP before the test signs in afresh: the Worker
 * admits RATE_LIMIT_MAX_REQUESTS (100) per minute per IP and per session,
 * and this file makes several hundred calls.
 */
const CALLS_PER_SESSION = 80;
let ipCounter = 0;
const sessions: Record<Role, { headers: Headers; calls: number } | null> = { company: null, user: null };

/** Signs a role in with a fresh session from a fresh client IP. */
async function signIn(role: Role): Promise<Headers> {
  const ip = { "cf-connecting-ip": `198.51.100.${(++ipCounter % 250) + 1}` };
  const r =
    role === "company"
      ? await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey }, ip)
      : await callTool("passgage_session_login", { email: SEED.ayse.email, password: SEED.ayse.password }, ip);
  const id = r.structuredContent?.sessionId;
  expect(typeof id, textOf(r)).toBe("string");
  exercised.add(role === "company" ? "passgage_session_login_api_key" : "passgage_session_login");
  const headers = { ...ip, "x-session-id": String(id) };
  sessions[role] = { headers, calls: 0 };
  return headers;
}

/** The headers of a role's session, signing in afresh when its budget is spent. */
async function headersOf(who: Role | Headers): Promise<Headers> {
  if (typeof who !== "string") return who;
  const s = sessions[who];
  if (s === null || s.calls >= CALLS_PER_SESSION) return signIn(who);
  s.calls++;
  return s.headers;
}

/** Calls a tool and records it as exercised when it succeeds. */
async function call(name: string, args: Args, who: Role | Headers): Promise<ToolResult> {
  expect(TOOLS_BY_NAME.has(name), `unknown tool ${name}`).toBe(true);
  const r = await callTool(name, args, await headersOf(who));
  const succeeded = r.isError !== true;
  if (succeeded) exercised.add(name);
  // MCP: a successful call of a tool with an output schema must return conforming structured content.
  const schema = TOOLS_BY_NAME.get(name)?.outputSchema;
  const conforms = !succeeded || schema === undefined || schema.safeParse(r.structuredContent).success;
  expect(conforms, `${name}: structuredContent does not match its outputSchema`).toBe(true);
  return r;
}

/** Calls a tool that must succeed; returns its structured content. */
async function okCall(name: string, args: Args, headers: Role | Headers): Promise<Record<string, unknown>> {
  const r = await call(name, args, headers);
  expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
  expect(r.structuredContent, name).toBeDefined();
  return r.structuredContent ?? {};
}

/** The structured `data` of a single-record result. */
function dataOf(s: Record<string, unknown>): Record<string, unknown> {
  const d = s.data;
  expect(d !== null && typeof d === "object" && !Array.isArray(d)).toBe(true);
  return d as Record<string, unknown>;
}

/** The structured `items` of a list result. */
function itemsOf(s: Record<string, unknown>): Record<string, unknown>[] {
  expect(Array.isArray(s.items)).toBe(true);
  return s.items as Record<string, unknown>[];
}

/**
 * The items of a list result a test is about to check one by one: asserts there is at
 * least one, so the per-item checks cannot pass on an empty page.
 */
function someItemsOf(s: Record<string, unknown>, what: string): Record<string, unknown>[] {
  const items = itemsOf(s);
  expect(items.length, `${what}: the list to check is empty`).toBeGreaterThan(0);
  return items;
}

function idOf(rec: Record<string, unknown>): string {
  expect(typeof rec.id).toBe("string");
  return rec.id as string;
}

/** Seed facts from `GET /__sandbox/seed`. */
interface SeedInfo {
  readonly seed_today: string;
  readonly users: Record<string, { id: string; client_id: string }>;
  readonly samples: Record<string, Record<string, string | null>>;
}

let seed: SeedInfo;
let sample: Record<string, string | null>;

function sampleId(table: string): string {
  const id = sample[table];
  expect(typeof id, `seed sample for ${table}`).toBe("string");
  return id as string;
}

function userId(key: string): string {
  const u = seed.users[key];
  expect(u, key).toBeDefined();
  return u?.id ?? "";
}

/**
 * A create → get → update → get → delete → get-fails round trip. `get` may be
 * null for resources without a show endpoint; `scope` adds path parameters
 * (e.g. `shift_id` for breaks).
 */
async function expectRoundTrip(spec: {
  readonly list: string;
  readonly get: string | null;
  readonly create: string;
  readonly update: string;
  readonly remove: string | null;
  readonly createArgs: Args;
  readonly updateArgs: Args;
  readonly scope?: Args;
  readonly check?: (updated: Record<string, unknown>) => void;
  /** Whether the record echoes the updated fields (night works answer minutes, not times). */
  readonly echoes?: boolean;
}): Promise<string> {
  const scope = spec.scope ?? {};
  const before = await okCall(spec.list, { ...scope, per_page: 5 }, "company");
  const created = dataOf(await okCall(spec.create, { ...scope, ...spec.createArgs }, "company"));
  const id = idOf(created);
  if (spec.get) await expectShown(spec.get, scope, id);
  const updated = dataOf(await okCall(spec.update, { ...scope, id, ...spec.updateArgs }, "company"));
  spec.check?.(updated);
  if (spec.get && spec.echoes !== false) await expectEchoes(spec.get, scope, id, spec.updateArgs);
  const after = await okCall(spec.list, { ...scope, per_page: 5 }, "company");
  expect(Number(after.total_count)).toBe(Number(before.total_count) + 1);
  if (spec.remove) await okCall(spec.remove, { ...scope, id }, "company");
  if (spec.remove && spec.get) await expectGone(spec.get, scope, id);
  return id;
}

/** The show tool returns the record. */
async function expectShown(get: string, scope: Args, id: string): Promise<void> {
  expect(idOf(dataOf(await okCall(get, { ...scope, id }, "company")))).toBe(id);
}

/** The show tool returns the updated scalar fields as sent. */
async function expectEchoes(get: string, scope: Args, id: string, updateArgs: Args): Promise<void> {
  const again = dataOf(await okCall(get, { ...scope, id }, "company"));
  const scalars = Object.entries(updateArgs).filter(([, v]) => typeof v !== "object");
  expect(scalars.length, `${get}: no scalar update argument to compare`).toBeGreaterThan(0);
  for (const [k, v] of scalars) expect(again[k], `${get} ${k}`).toEqual(v);
}

/** The show tool answers not-found (naming the id) for a deleted record. */
async function expectGone(get: string, scope: Args, id: string): Promise<void> {
  const gone = await call(get, { ...scope, id }, "company");
  expect(gone.isError).toBe(true);
  expect(textOf(gone)).toContain(`with id ${id}`);
}

beforeAll(async () => {
  const res = await fetch(`${inject("sandboxUrl")}/__sandbox/seed`);
  const raw = await res.json<Record<string, unknown>>();
  seed = (raw.data ?? raw) as unknown as SeedInfo;
  sample = seed.samples.acme ?? {};
});

describe("approvals and approval flows", () => {
  it("lists approvals in both modes, filters by status, pages, and gets one", async () => {
    const all = await okCall("passgage_list_approvals", { per_page: 2 }, "company");
    expect(itemsOf(all).length).toBeLessThanOrEqual(2);
    expect(Number(all.total_count)).toBeGreaterThan(2);
    expect(all.next_page).toBe(2);
    const page2 = await okCall("passgage_list_approvals", { per_page: 2, page: 2 }, "company");
    expect(page2.page).toBe(2);
    expect(itemsOf(page2)[0]?.id).not.toBe(itemsOf(all)[0]?.id);
    const pending = await okCall("passgage_list_approvals", { filter: { status_eq: "pending" } }, "company");
    for (const a of someItemsOf(pending, "pending approvals")) expect(a.status).toBe("pending");
    const first = itemsOf(all)[0];
    expect(first).toBeDefined();
    const one = dataOf(await okCall("passgage_get_approval", { id: idOf(first ?? {}) }, "company"));
    expect(one.id).toBe(first?.id);
    const mine = await okCall("passgage_list_approvals", {}, "user");
    expect(Number(mine.total_count)).toBeLessThanOrEqual(Number(all.total_count));
  });

  it("lists the four status sub-lists (company mode)", async () => {
    for (const name of [
      "passgage_list_pending_approvals",
      "passgage_list_approved_approvals",
      "passgage_list_rejected_approvals",
      "passgage_list_approvals_waiting_for_approval",
    ]) {
      const s = await okCall(name, { per_page: 3 }, "company");
      expect(typeof s.total_count, name).toBe("number");
    }
    const approved = await okCall("passgage_list_approved_approvals", {}, "company");
    for (const a of someItemsOf(approved, "approved approvals")) expect(a.status).toBe("approved");
  });

  it("lists approval flows, by type, and gets one", async () => {
    const flows = await okCall("passgage_list_approval_flows", { filter: { is_active_eq: true } }, "company");
    const flow = itemsOf(flows)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_approval_flow", { id: idOf(flow) }, "user")).id).toBe(flow.id);
    const byType = await okCall("passgage_list_approval_flows_by_type", { flow_type: "leave_approval" }, "company");
    for (const f of someItemsOf(byType, "leave approval flows")) expect(f.flow_type).toBe("leave_approval");
  });
});

describe("access zones, cards and devices", () => {
  it("round-trips a zone (bare body, PUT update, no show)", async () => {
    await expectRoundTrip({
      list: "passgage_list_zones",
      get: null,
      create: "passgage_create_zone",
      update: "passgage_update_zone",
      remove: "passgage_delete_zone",
      createArgs: { name: `Test Bölge ${RUN}`, description: "tools test", is_active: true },
      updateArgs: { name: `Test Bölge ${RUN} 2` },
      check: (u) => expect(u.name).toBe(`Test Bölge ${RUN} 2`),
    });
  });

  it("round-trips a card", async () => {
    await expectRoundTrip({
      list: "passgage_list_cards",
      get: null,
      create: "passgage_create_card",
      update: "passgage_update_card",
      remove: "passgage_delete_card",
      createArgs: { card_no: `CARD${RUN}`, user_id: userId("ayse"), title: "Test kartı", is_active: true },
      updateArgs: { title: "Test kartı 2" },
      check: (u) => expect(u.title).toBe("Test kartı 2"),
    });
  });

  it("creates and updates a device (no show, no delete), and lists devices by client_id", async () => {
    const created = dataOf(
      await okCall(
        "passgage_create_device",
        {
          name: `Turnike ${RUN}`,
          port: 4370,
          external_ip: "10.0.0.7",
          direction: "check_in",
          device_type: "card_scanner",
          client_id: `DEV${RUN}`,
        },
        "company",
      ),
    );
    const updated = dataOf(
      await okCall("passgage_update_device", { id: idOf(created), name: `Turnike ${RUN} B`, direction: "bidirectional" }, "company"),
    );
    expect(updated.direction).toBe("bidirectional");
    const listed = await okCall("passgage_list_devices", { filter: { client_id_eq: `DEV${RUN}` } }, "company");
    expect(itemsOf(listed).map((d) => d.id)).toEqual([created.id]);
  });

  it("lists builds and entrances (with filters and pagination)", async () => {
    expect(Number((await okCall("passgage_list_builds", {}, "user")).total_count)).toBeGreaterThan(0);
    const entrances = await okCall("passgage_list_entrances", { per_page: 10 }, "company");
    expect(itemsOf(entrances).length).toBe(10);
    const p2 = await okCall("passgage_list_entrances", { per_page: 10, page: 2 }, "company");
    expect(p2.page).toBe(2);
    const byUser = await okCall("passgage_list_entrances", { filter: { user_id_eq: userId("ayse") }, per_page: 5 }, "company");
    expect(Number(byUser.total_count)).toBeLessThan(Number(entrances.total_count));
  });
});

describe("assignment requests, rotation and temporary assignments", () => {
  it("round-trips an assignment request", async () => {
    await expectRoundTrip({
      list: "passgage_list_assignment_requests",
      get: "passgage_get_assignment_request",
      create: "passgage_create_assignment_request",
      update: "passgage_update_assignment_request",
      remove: "passgage_delete_assignment_request",
      createArgs: {
        start_date: "2026-03-02",
        end_date: "2026-03-06",
        description: `rotation ${RUN}`,
        branch_id: sampleId("branches"),
        job_position_id: sampleId("job_positions"),
        user_id: userId("mehmet"),
      },
      updateArgs: { description: `rotation ${RUN} updated` },
    });
  });

  it("lists rotation users by status and temporary assignments, and gets one", async () => {
    const rot = await okCall("passgage_list_rotation_users", { filter: { status_eq: "completed" } }, "company");
    for (const r of someItemsOf(rot, "completed rotation users")) expect(r.status).toBe("completed");
    const temp = await okCall("passgage_list_temporary_assignments", {}, "company");
    const first = itemsOf(temp)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_temporary_assignment", { id: idOf(first) }, "company")).id).toBe(first.id);
  });
});

describe("organisation", () => {
  it("round-trips a branch", async () => {
    await expectRoundTrip({
      list: "passgage_list_branches",
      get: "passgage_get_branch",
      create: "passgage_create_branch",
      update: "passgage_update_branch",
      remove: "passgage_delete_branch",
      createArgs: { title: `Konya Şubesi ${RUN}`, latitude: 37.87, longitude: 32.48, is_active: true, client_id: `BR${RUN}` },
      updateArgs: { description: "Selçuklu" },
    });
  });

  it("round-trips a branch group", async () => {
    await expectRoundTrip({
      list: "passgage_list_branch_groups",
      get: "passgage_get_branch_group",
      create: "passgage_create_branch_group",
      update: "passgage_update_branch_group",
      remove: "passgage_delete_branch_group",
      createArgs: { title: `Bölge ${RUN}`, is_active: true, branch_ids: [sampleId("branches")] },
      updateArgs: { description: "İç Anadolu" },
    });
  });

  it("round-trips a department", async () => {
    await expectRoundTrip({
      list: "passgage_list_departments",
      get: "passgage_get_department",
      create: "passgage_create_department",
      update: "passgage_update_department",
      remove: "passgage_delete_department",
      createArgs: { name: `Ar-Ge ${RUN}`, is_active: true },
      updateArgs: { description: "Araştırma" },
    });
  });

  it("round-trips a job position", async () => {
    await expectRoundTrip({
      list: "passgage_list_job_positions",
      get: "passgage_get_job_position",
      create: "passgage_create_job_position",
      update: "passgage_update_job_position",
      remove: "passgage_delete_job_position",
      createArgs: { name: `Veri Analisti ${RUN}`, is_active: true },
      updateArgs: { description: "Raporlama" },
    });
  });

  it("round-trips a sub company", async () => {
    await expectRoundTrip({
      list: "passgage_list_sub_companies",
      get: "passgage_get_sub_company",
      create: "passgage_create_sub_company",
      update: "passgage_update_sub_company",
      remove: "passgage_delete_sub_company",
      createArgs: { name: `Acme Lojistik ${RUN}`, is_active: true },
      updateArgs: { name: `Acme Lojistik ${RUN} Ltd.` },
    });
  });

  it("round-trips a holiday calendar", async () => {
    await expectRoundTrip({
      list: "passgage_list_holiday_calendars",
      get: "passgage_get_holiday_calendar",
      create: "passgage_create_holiday_calendar",
      update: "passgage_update_holiday_calendar",
      remove: "passgage_delete_holiday_calendar",
      createArgs: { title: `Tatiller ${RUN}`, is_active: true },
      updateArgs: { description: "Resmi tatiller" },
    });
  });

  it("lists titles and organization units, gets a unit", async () => {
    expect(Number((await okCall("passgage_list_titles", {}, "user")).total_count)).toBeGreaterThan(0);
    const units = await okCall("passgage_list_organization_units", {}, "company");
    const unit = itemsOf(units)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_organization_unit", { id: idOf(unit) }, "user")).id).toBe(unit.id);
  });
});

describe("files", () => {
  it("asks for a presigned slot, then PUTs the bytes to it (files.upload)", async () => {
    const bytes = new TextEncoder().encode(`hello ${RUN}`);
    const md5 = new Uint8Array(await crypto.subtle.digest("MD5", bytes));
    const checksum = btoa(String.fromCharCode(...md5));
    const s = await okCall(
      "passgage_create_presigned_upload",
      { files: [{ filename: `note-${RUN}.txt`, byte_size: bytes.length, checksum, content_type: "text/plain" }] },
      "user",
    );
    const slots = s.data as { url: string; headers: Record<string, string>; signed_id: string }[];
    expect(slots).toHaveLength(1);
    const slot = slots[0];
    expect(slot?.signed_id).toBeTruthy();
    if (!slot) return;
    const url = new URL(slot.url);
    expect(url.pathname.startsWith("/rails/active_storage/disk/")).toBe(true);
    const put = await fetch(`${inject("sandboxUrl")}${url.pathname}${url.search}`, { method: "PUT", headers: slot.headers, body: bytes });
    expect(put.status).toBe(200);
    extraOperations.add("files.upload");
  });
});

describe("leaves", () => {
  it("lists leaves with filters (enum names to codes), sort and pagination", async () => {
    const approved = await okCall("passgage_list_leaves", { filter: { status_eq: "approved" }, per_page: 50 }, "company");
    for (const l of someItemsOf(approved, "approved leaves")) expect(l.status).toBe("approved");
    const sorted = await okCall("passgage_list_leaves", { sort: "start_date asc", per_page: 20 }, "company");
    const starts = itemsOf(sorted).map((l) => String(l.start_date));
    expect([...starts].sort()).toEqual(starts);
    const byClient = await okCall("passgage_list_leaves", { filter: { user_client_id_eq: seed.users.ayse?.client_id } }, "company");
    for (const l of someItemsOf(byClient, "leaves by client id")) expect(l.user_id).toBe(userId("ayse"));
    const mineOnly = await okCall("passgage_list_leaves", { per_page: 50 }, "user");
    for (const l of someItemsOf(mineOnly, "my leaves (user mode)")) expect(l.user_id).toBe(userId("ayse"));
    const first = itemsOf(approved)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_leave", { id: idOf(first) }, "company")).id).toBe(first.id);
  });

  it("creates, updates (multipart, with a file) and deletes a leave in user mode", async () => {
    const types = await okCall("passgage_list_leave_types", {}, "user");
    const type = itemsOf(types)[0] ?? {};
    const created = dataOf(
      await okCall(
        "passgage_create_leave",
        {
          leave_type_id: idOf(type),
          user_id: userId("ayse"),
          title: `Test izni ${RUN}`,
          is_hourly_leave: 0,
          start_date_daily: "2026-11-02 09:00",
          end_date_daily: "2026-11-03 18:00",
          status: "awaiting_approval",
        },
        "user",
      ),
    );
    const id = idOf(created);
    const updated = dataOf(
      await okCall(
        "passgage_update_leave",
        {
          id,
          title: `Test izni ${RUN} (güncel)`,
          description: "rapor ekli",
          files: [{ filename: "rapor.txt", content_type: "text/plain", content_base64: btoa("rapor") }],
        },
        "user",
      ),
    );
    expect(updated.title).toBe(`Test izni ${RUN} (güncel)`);
    await okCall("passgage_delete_leave", { id }, "user");
    const gone = await call("passgage_get_leave", { id }, "user");
    expect(gone.isError).toBe(true);
  });

  it("round-trips a leave balance import", async () => {
    await expectRoundTrip({
      list: "passgage_list_leave_balance_imports",
      get: "passgage_get_leave_balance_import",
      create: "passgage_create_leave_balance_import",
      update: "passgage_update_leave_balance_import",
      remove: "passgage_delete_leave_balance_import",
      createArgs: { user_id: userId("mehmet"), leave_type_id: sampleId("leave_types"), balance_days: 5, balanced_at: "2026-01-01" },
      updateArgs: { balance_days: -2 },
    });
  });

  it("round-trips a leave rule", async () => {
    await expectRoundTrip({
      list: "passgage_list_leave_rules",
      get: "passgage_get_leave_rule",
      create: "passgage_create_leave_rule",
      update: "passgage_update_leave_rule",
      remove: "passgage_delete_leave_rule",
      createArgs: { title: `Kural ${RUN}`, description: "test" },
      updateArgs: { description: "test 2" },
    });
  });
});

describe("shifts, breaks, night works, user shifts, working days", () => {
  it("round-trips a shift and its breaks and night works", async () => {
    await okCall("passgage_list_extra_work_types", {}, "company");
    const shift = dataOf(
      await okCall(
        "passgage_create_shift",
        { name: `Gece ${RUN}`, shift_type: "still", check_in_time: "22:00", check_out_time: "06:00", is_active: true, code: `G${RUN}` },
        "company",
      ),
    );
    const shiftId = idOf(shift);
    expect(dataOf(await okCall("passgage_get_shift", { id: shiftId }, "user")).id).toBe(shiftId);
    await okCall("passgage_update_shift", { id: shiftId, late_check_in: 10 }, "company");
    await expectRoundTrip({
      list: "passgage_list_shift_slacks",
      get: "passgage_get_shift_slack",
      create: "passgage_create_shift_slack",
      update: "passgage_update_shift_slack",
      remove: "passgage_delete_shift_slack",
      scope: { shift_id: shiftId },
      createArgs: { title: "Yemek", is_active: true, slack_type: "time_range", starting_time: "01:00", end_time: "01:30" },
      updateArgs: { title: "Yemek arası" },
    });
    await expectRoundTrip({
      list: "passgage_list_night_works",
      get: "passgage_get_night_work",
      create: "passgage_create_night_work",
      update: "passgage_update_night_work",
      remove: "passgage_delete_night_work",
      createArgs: { start_time: "22:00", end_time: "23:00", work_type: "night_work", shift_id: shiftId },
      updateArgs: { end_time: "23:30" },
      echoes: false,
      check: (u) => expect(u.minutes).toBe(90),
    });
    const listed = await okCall("passgage_list_shifts", { per_page: 50 }, "company");
    expect(Number(listed.total_count)).toBeGreaterThan(0);
    await okCall("passgage_delete_shift", { id: shiftId }, "company");
    expect((await call("passgage_get_shift", { id: shiftId }, "company")).isError).toBe(true);
  });

  it("creates, updates and deletes a user shift in user mode; lists by date range and status", async () => {
    const shifts = await okCall("passgage_list_shifts", {}, "user");
    const shift = itemsOf(shifts).find((s) => typeof s.id === "string") ?? {};
    const created = dataOf(
      await okCall(
        "passgage_create_user_shift",
        { user_id: userId("ayse"), shift_id: idOf(shift), date_of_shift: "2026-12-26", description: RUN },
        "user",
      ),
    );
    const id = idOf(created);
    expect(dataOf(await okCall("passgage_get_user_shift", { id }, "user")).id).toBe(id);
    await okCall("passgage_update_user_shift", { id, description: `${RUN} updated` }, "user");
    const ranged = await okCall(
      "passgage_list_user_shifts",
      {
        filter: { date_of_shift_gteq: "2026-12-26", date_of_shift_lteq: "2026-12-26", status_eq: "waiting_for_approval" },
        sort: "date_of_shift asc",
      },
      "company",
    );
    expect(itemsOf(ranged).some((s) => s.id === id)).toBe(true);
    await okCall("passgage_delete_user_shift", { id }, "user");
  });

  it("round-trips a working-day calendar (its delete answers only a message)", async () => {
    await expectRoundTrip({
      list: "passgage_list_working_days",
      get: "passgage_get_working_day",
      create: "passgage_create_working_day",
      update: "passgage_update_working_day",
      remove: "passgage_delete_working_day",
      createArgs: { name: `Hafta ${RUN}`, is_active: true, week_day_1: [sampleId("shifts")] },
      updateArgs: { description: "5 gün" },
    });
  });

  it("gets the shift settings", async () => {
    const s = dataOf(await okCall("passgage_get_shift_settings", {}, "user"));
    expect(s.equalize_period).toBeDefined();
  });
});

describe("goals, rates and KPIs", () => {
  it("round-trips a target goal with create, PUT and PATCH", async () => {
    const client = seed.users.mehmet?.client_id ?? "";
    const id = await expectRoundTrip({
      list: "passgage_list_target_goals",
      get: null,
      create: "passgage_create_target_goal",
      update: "passgage_update_target_goal",
      remove: null,
      createArgs: { target_name: `Satış ${RUN}`, client_id: client, actual_goal: 10, start_date: "2026-01-01", end_date: "2026-03-31" },
      updateArgs: { actual_goal: 12 },
    });
    const replaced = dataOf(
      await okCall(
        "passgage_replace_target_goal",
        { id, target_name: `Satış ${RUN}`, client_id: client, actual_goal: 15, start_date: "2026-01-01", end_date: "2026-03-31" },
        "company",
      ),
    );
    expect(replaced.actual_goal).toBe(15);
    await okCall("passgage_delete_target_goal", { id }, "company");
  });

  it("round-trips a user rate", async () => {
    await expectRoundTrip({
      list: "passgage_list_user_rates",
      get: null,
      create: "passgage_create_user_rate",
      update: "passgage_update_user_rate",
      remove: "passgage_delete_user_rate",
      createArgs: { fba_rate: 3.5, client_id: seed.users.mehmet?.client_id },
      updateArgs: { fba_rate: 4 },
    });
  });

  it("sets a KPI goal", async () => {
    const goal = await okCall(
      "passgage_set_kpi_goal",
      {
        target_category_name: "Satış Hedefleri",
        target_name: `Çeyrek ${RUN}`,
        client_id: seed.users.mehmet?.client_id,
        target_value: 100,
        start_date: "2026-01-01",
        end_date: "2026-03-31",
      },
      "company",
    );
    expect(dataOf(goal)).toMatchObject({ target_name: `Çeyrek ${RUN}`, user_id: userId("mehmet"), target_value: 100 });
  });
});

describe("users", () => {
  it("lists users with filters and gets one in both modes", async () => {
    const byName = await okCall("passgage_list_users", { filter: { first_name_or_last_name_cont: "Ayşe" } }, "company");
    expect(itemsOf(byName).some((u) => u.id === userId("ayse"))).toBe(true);
    const anyOf = await okCall("passgage_list_users", { filter: { first_name_or_last_name_cont_any: ["Ayşe", "Mehmet"] } }, "company");
    expect(Number(anyOf.total_count)).toBeGreaterThanOrEqual(Number(byName.total_count));
    expect(dataOf(await okCall("passgage_get_user", { id: userId("ayse") }, "user")).id).toBe(userId("ayse"));
  });

  it("round-trips a user with create, PUT, PATCH and delete", async () => {
    const id = await expectRoundTrip({
      list: "passgage_list_users",
      get: "passgage_get_user",
      create: "passgage_create_user",
      update: "passgage_update_user",
      remove: null,
      createArgs: { first_name: "Deniz", last_name: `Test${RUN}`, email: `deniz.${RUN}@acme.example`, gender: "woman", is_active: true },
      updateArgs: { last_name: `Testoğlu${RUN}` },
    });
    const replaced = dataOf(
      await okCall(
        "passgage_replace_user",
        { id, first_name: "Deniz", last_name: `Yeni${RUN}`, email: `deniz.${RUN}@acme.example` },
        "company",
      ),
    );
    expect(replaced.last_name).toBe(`Yeni${RUN}`);
    await okCall("passgage_delete_user", { id }, "company");
    expect((await call("passgage_get_user", { id }, "company")).isError).toBe(true);
  });
});

describe("timesheets (payrolls, extra works)", () => {
  it("lists and gets payroll lines (company) and extra works (both modes)", async () => {
    const payrolls = await okCall("passgage_list_payrolls", { filter: { user_id_eq: userId("ayse") }, per_page: 5 }, "company");
    const line = itemsOf(payrolls)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_payroll", { id: idOf(line) }, "company")).id).toBe(line.id);
    const works = await okCall("passgage_list_user_extra_works", {}, "user");
    const work = itemsOf(works)[0] ?? {};
    expect(dataOf(await okCall("passgage_get_user_extra_work", { id: idOf(work) }, "user")).id).toBe(work.id);
  });
});

describe("composite tools", () => {
  it("counts approvals by state and lists one state", async () => {
    const s = await okCall("passgage_get_approvals_by_state", { state: "approved", per_page: 3 }, "company");
    const counts = s.counts as Record<string, number>;
    expect(counts.approved).toBeGreaterThan(0);
    expect(counts.waiting_for_approval).toBeGreaterThanOrEqual(counts.pending ?? 0);
    for (const a of someItemsOf(s, "approvals by state")) expect(a.status).toBe("approved");
  });

  it("shows a user's leave balance and upcoming leaves (company: by id; user: me)", async () => {
    const c = await okCall("passgage_get_user_leave_overview", { user_id: userId("ayse"), from: "2025-01-01" }, "company");
    expect((c.user as Record<string, unknown>).id).toBe(userId("ayse"));
    expect((c.upcoming_leaves as unknown[]).length).toBeGreaterThan(0);
    expect(typeof c.leave_balance).toBe("string");
    const u = await okCall("passgage_get_user_leave_overview", {}, "user");
    expect((u.user as Record<string, unknown>).id).toBe(userId("ayse"));
    expect(u.leave_balance).toBe(c.leave_balance);
    const missing = await call("passgage_get_user_leave_overview", {}, "company");
    expect(missing.isError).toBe(true);
  });

  it("gets a leave with its approval", async () => {
    const leaves = await okCall("passgage_list_leaves", { filter: { status_eq: "awaiting_approval" } }, "company");
    const leave = itemsOf(leaves)[0] ?? {};
    const s = await okCall("passgage_get_leave_with_approval", { id: idOf(leave) }, "company");
    expect((s.leave as Record<string, unknown>).id).toBe(leave.id);
  });

  it("shows a team's leaves and shifts for a date range", async () => {
    const ayse = dataOf(await okCall("passgage_get_user", { id: userId("ayse") }, "company"));
    const s = await okCall(
      "passgage_get_team_schedule",
      { from: "2026-01-01", to: "2026-01-31", department_id: String(ayse.department_id) },
      "company",
    );
    const members = s.members as { id: string }[];
    expect(members.some((m) => m.id === userId("ayse"))).toBe(true);
  });

  it("offers my profile, leaves, shifts, approvals and entrances in user mode", async () => {
    expect(dataOf(await okCall("passgage_get_my_profile", {}, "user")).id).toBe(userId("ayse"));
    for (const l of someItemsOf(await okCall("passgage_list_my_leaves", {}, "user"), "passgage_list_my_leaves"))
      expect(l.user_id).toBe(userId("ayse"));
    for (const s of someItemsOf(
      await okCall("passgage_list_my_shifts", { from: "2026-01-01", to: "2026-01-31" }, "user"),
      "passgage_list_my_shifts",
    ))
      expect(s.user_id).toBe(userId("ayse"));
    await okCall("passgage_list_my_approvals", { status: "pending" }, "user");
    await okCall("passgage_list_my_entrances", { from: "2025-01-01" }, "user");
  });
});

describe("discovery tools (toolsets)", () => {
  it("lists toolsets, enables one, describes a tool and calls it by name (company mode)", async () => {
    const overview = await okCall("passgage_list_toolsets", {}, "company");
    const sets = overview.toolsets as { name: string; enabled: boolean }[];
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.find((t) => t.name === "payroll")?.enabled).toBe(false);
    const enabled = await okCall("passgage_enable_toolset", { toolsets: ["payroll"] }, "company");
    expect(enabled.added).toEqual(["payroll"]);
    expect(enabled.persisted).toBe(true);
    expect(enabled.addedTools).toContain("passgage_list_payrolls");
    const described = await call("passgage_describe_tool", { name: "passgage_list_departments" }, "company");
    expect(textOf(described)).toContain("passgage_list_departments: List departments (toolset organisation");
    const byName = await call("passgage_call_tool", { name: "passgage_list_departments", arguments: { per_page: 5 } }, "company");
    expect(byName.isError, textOf(byName)).toBeFalsy();
    expect(textOf(byName)).toContain("Departments: ");
  });
});

describe("session tools and the token refresh", () => {
  it("refreshes an expired user token inside the SessionDO and retries (auth.refresh)", async () => {
    const sandbox = inject("sandboxUrl");
    const statsBefore = await (await fetch(`${sandbox}/__sandbox/stats`)).json<{ refresh?: { byUser?: Record<string, number> } }>();
    const before = statsBefore.refresh?.byUser?.[userId("ayse")] ?? 0;
    // A record only this test reads, so no parallel test meets the armed fault.
    const rule = idOf(dataOf(await okCall("passgage_create_leave_rule", { title: `Yenileme ${RUN}` }, "company")));
    const armed = await fetch(`${sandbox}/__sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fault: "expired", count: 1, match: { method: "GET", pathPrefix: `/api/public/v1/leave_rules/${rule}` } }),
    });
    expect(armed.ok).toBe(true);
    const r = await call("passgage_get_leave_rule", { id: rule }, "user");
    expect(r.isError, textOf(r)).toBeFalsy();
    const statsAfter = await (await fetch(`${sandbox}/__sandbox/stats`)).json<{ refresh?: { byUser?: Record<string, number> } }>();
    expect(statsAfter.refresh?.byUser?.[userId("ayse")] ?? 0).toBeGreaterThan(before);
    extraOperations.add("auth.refresh");
  });

  it("shows status, switches modes, lists company sessions and signs out", async () => {
    const ip = { "cf-connecting-ip": "198.51.100.254" };
    const id = await loginAs(SEED.mehmet, ip);
    // A key sign-in presenting mehmet's session with carry: true mints a new one carrying his user login.
    const carried = await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey, carry: true }, { ...ip, "x-session-id": id });
    const both = String(carried.structuredContent?.sessionId);
    expect(carried.structuredContent?.availableModes).toEqual(["user", "company"]);
    const h = { ...ip, "x-session-id": both };
    const status = await okCall("passgage_session_status", {}, h);
    expect(status.signedIn).toBe(true);
    await okCall("passgage_session_switch_mode", { mode: "company" }, h);
    const sessions = await okCall("passgage_session_list", {}, h);
    expect(Array.isArray(sessions.sessions)).toBe(true);
    // Company mode ends another session of its company by its handle (issue 13).
    const other = await loginAs(SEED.mehmet, ip);
    const handle = shortHash(await sessionHash(other));
    const ended = await okCall("passgage_session_revoke", { handle }, h);
    expect(ended.revoked).toEqual([expect.objectContaining({ handle })]);
    expect(textOf(await call("passgage_session_status", {}, { ...ip, "x-session-id": other }))).toContain("Not signed in");
    await okCall("passgage_session_switch_mode", { mode: "user" }, h);
    const out = await okCall("passgage_session_logout", {}, h);
    expect(out.loggedOut).toBe(true);
    const after = await call("passgage_session_status", {}, h);
    expect(textOf(after)).toContain("Not signed in");
  });
});

// Runs last (tests of a file run in order): every operation covered, every tool called successfully.
describe("coverage", () => {
  it("covers every contract operation and exercises every tool of the catalog", () => {
    const covered = new Set<string>(extraOperations);
    for (const name of exercised) for (const op of TOOLS_BY_NAME.get(name)?.operations ?? []) covered.add(op);
    const known = OPERATIONS.filter((op) => covered.has(op.id)).length;
    console.log(`operations covered: ${known}/${OPERATIONS.length}, tools exercised: ${exercised.size}/${CATALOG.length}`);
    const missingOps = OPERATIONS.filter((op) => !covered.has(op.id)).map((op) => op.id);
    const missingTools = CATALOG.filter((t) => !exercised.has(t.name)).map((t) => t.name);
    if (missingOps.length > 0) console.log(`operations not covered: ${missingOps.join(", ")}`);
    if (missingTools.length > 0) console.log(`tools not exercised: ${missingTools.join(", ")}`);
    expect(missingOps).toEqual([]);
    expect(missingTools).toEqual([]);
  });
});
