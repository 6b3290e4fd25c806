/**
 * Tool failures through the Worker against the sandbox: mode refusals before
 * any upstream call, invalid arguments, upstream 422 field errors, 404s, and
 * transient faults (5xx, gateway pages, malformed bodies, rate limits) marked
 * retryable. Faults are armed on the sandbox for the Globex company key only,
 * so parallel test files using Acme never meet them.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import * as z from "zod/mini";
import { CATALOG } from "../../src/tools/catalog";
import { SEED, callTool, loginAs, loginWithKey, textOf } from "../helpers/mcp";

type Headers = Record<string, string>;

const RUN = Math.random().toString(36).slice(2, 8);
const RETRY_HINT = "calling the tool again in a moment may succeed";
let globex: Headers;
let ayse: Headers;

/** Arms a sandbox fault for the next `count` matching Globex requests. */
async function arm(fault: string, method: string, pathPrefix: string, count = 1): Promise<void> {
  const res = await fetch(`${inject("sandboxUrl")}/__sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fault, count, match: { method, pathPrefix, credential: SEED.globexKey } }),
  });
  expect(res.ok, await res.clone().text()).toBe(true);
}

beforeAll(async () => {
  const ip = { "cf-connecting-ip": "198.51.100.201" };
  globex = { ...ip, "x-session-id": await loginWithKey(SEED.globexKey, ip) };
  const ip2 = { "cf-connecting-ip": "198.51.100.202" };
  ayse = { ...ip2, "x-session-id": await loginAs(SEED.ayse, ip2) };
});

describe("mode checks", () => {
  it("refuses a company-only tool in user mode with guidance, before calling Passgage", async () => {
    const r = await callTool("passgage_list_payrolls", {}, ayse);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("needs company mode");
    expect(textOf(r)).toContain("passgage_session_login_api_key");
    expect(textOf(r)).toContain("with carry: true it makes a new session");
  });

  it("refuses a user-only tool in company mode", async () => {
    const r = await callTool("passgage_list_my_leaves", {}, globex);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("needs user mode");
    expect(textOf(r)).toContain("with carry: true it makes a new session");
  });

  it("asks to sign in when there is no session", async () => {
    const r = await callTool("passgage_list_leaves", {}, { "cf-connecting-ip": "198.51.100.203" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("passgage_session_login");
  });
});

describe("mode sweep", () => {
  it("refuses every company-only tool in user mode and every user-only tool in company mode", async () => {
    const ip = { "cf-connecting-ip": "198.51.100.204" };
    const userSession = { ...ip, "x-session-id": await loginAs(SEED.mehmet, ip) };
    const companyOnly = CATALOG.filter((t) => Array.isArray(t.access) && t.access.length === 1 && t.access[0] === "company");
    const userOnly = CATALOG.filter((t) => Array.isArray(t.access) && t.access.length === 1 && t.access[0] === "user");
    expect(companyOnly.length + userOnly.length).toBeLessThan(90); // one session's rate budget
    expect(companyOnly.length).toBeGreaterThan(0);
    expect(userOnly.length).toBeGreaterThan(0);
    for (const t of companyOnly) {
      const r = await callTool(t.name, {}, userSession);
      expect(r.isError, t.name).toBe(true);
      expect(textOf(r), t.name).toContain("needs company mode");
    }
    for (const t of userOnly) {
      const r = await callTool(t.name, {}, globex);
      expect(r.isError, t.name).toBe(true);
      expect(textOf(r), t.name).toContain("needs user mode");
    }
  });

  it("answers every argument-free read tool open to user mode for a user token", async () => {
    const ip = { "cf-connecting-ip": "198.51.100.205" };
    const session = { ...ip, "x-session-id": await loginAs(SEED.mehmet, ip) };
    const reads = CATALOG.filter(
      (t) =>
        Array.isArray(t.access) &&
        t.access.includes("user") &&
        t.annotations.readOnlyHint &&
        t.operations.length > 0 &&
        z.safeParse(t.inputSchema as z.ZodMiniType, {}).success,
    );
    expect(reads.length).toBeGreaterThan(30);
    for (const t of reads) {
      const r = await callTool(t.name, {}, session);
      expect(r.isError, `${t.name}: ${textOf(r)}`).toBeFalsy();
    }
  });
});

describe("argument validation", () => {
  it("names the offending argument: per_page over 50, an unknown filter, a malformed id, a missing field", async () => {
    const perPage = await callTool("passgage_list_leaves", { per_page: 51 }, globex);
    expect(perPage.isError).toBe(true);
    expect(textOf(perPage)).toContain("per_page");
    const filter = await callTool("passgage_list_leaves", { filter: { salary_gt: 1 } }, globex);
    expect(textOf(filter)).toContain("salary_gt");
    const id = await callTool("passgage_get_leave", { id: "../../users" }, globex);
    expect(id.isError).toBe(true);
    expect(textOf(id)).toContain("id");
    const missing = await callTool("passgage_create_department", {}, globex);
    expect(textOf(missing)).toContain("name: is required");
    const wrapped = await callTool("passgage_create_department", { department: { name: "x" } }, globex);
    expect(textOf(wrapped)).toContain('unknown field "department"');
  });

  it("refuses an update that changes nothing", async () => {
    const r = await callTool("passgage_update_branch", { id: "00000000-0000-4000-8000-000000000000" }, globex);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("Nothing to change");
  });
});

describe("upstream errors", () => {
  it("turns a 422 into text naming the fields", async () => {
    const name = `Dup ${RUN}`;
    const first = await callTool("passgage_create_department", { name }, globex);
    expect(first.isError, textOf(first)).toBeFalsy();
    const dup = await callTool("passgage_create_department", { name }, globex);
    expect(dup.isError).toBe(true);
    expect(textOf(dup)).toContain("Passgage rejected the department (422");
    expect(textOf(dup)).toContain("Fields with errors: name.");
    const id = (first.structuredContent?.data as { id?: string } | undefined)?.id;
    if (id) await callTool("passgage_delete_department", { id }, globex);
  });

  it("says what was not found on a 404", async () => {
    const id = "3f0c9a52-0000-4000-8000-00000000dead";
    const r = await callTool("passgage_get_leave", { id }, globex);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(`No leave with id ${id} was found`);
    const slack = await callTool("passgage_get_shift_slack", { shift_id: id, id }, globex);
    expect(textOf(slack)).toContain("No shift break with id");
  });

  it("a 500 on a write is not called retryable: it may have been applied", async () => {
    await arm("500", "POST", "/api/public/v1/leave_rules");
    const r = await callTool("passgage_create_leave_rule", { title: `Kural ${RUN}` }, globex);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("Passgage failed with HTTP 500");
    // A failed write may have been applied: no "call again", but "check before calling again".
    expect(textOf(r)).not.toContain(RETRY_HINT);
    expect(textOf(r)).toContain("Check the record");
  });

  it("marks a gateway page, a malformed body and a rate limit as retryable once the client's read retries are spent", async () => {
    await arm("502", "GET", "/api/public/v1/titles", 3);
    const gateway = await callTool("passgage_list_titles", {}, globex);
    expect(gateway.isError).toBe(true);
    expect(textOf(gateway)).toContain(RETRY_HINT);
    await arm("malformed", "GET", "/api/public/v1/builds", 3);
    const malformed = await callTool("passgage_list_builds", {}, globex);
    expect(textOf(malformed)).toContain("unreadable answer");
    expect(textOf(malformed)).toContain(RETRY_HINT);
    await arm("429", "POST", "/api/public/v1/holiday_calendars");
    const limited = await callTool("passgage_create_holiday_calendar", { title: `Takvim ${RUN}` }, globex);
    expect(textOf(limited)).toContain("limiting the request rate");
    expect(textOf(limited)).toContain(RETRY_HINT);
  });

  it("recovers from one transient read failure by the client's retry", async () => {
    await arm("503", "GET", "/api/public/v1/organization_units");
    const r = await callTool("passgage_list_organization_units", {}, globex);
    expect(r.isError, textOf(r)).toBeFalsy();
  });
});
