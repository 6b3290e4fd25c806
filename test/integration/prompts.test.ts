/**
 * MCP prompts through the Worker: capabilities, prompts/list, prompts/get with
 * argument validation (-32602), rendered templates that name real tools.
 */
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/contract/operations";
import { PROMPTS } from "../../src/prompts/catalog";
import { mondayOf } from "../../src/prompts/dates";
import { CATALOG } from "../../src/tools/catalog";
import { rpc } from "../helpers/mcp";

interface PromptEntry {
  name: string;
  title: string;
  description: string;
  arguments: { name: string; description: string; required: boolean }[];
}

interface GetPromptResult {
  description: string;
  messages: { role: string; content: { type: string; text: string } }[];
}

async function getPrompt(name: string, args?: Record<string, unknown>) {
  const { res, body } = await rpc("prompts/get", args === undefined ? { name } : { name, arguments: args });
  return { res, body, result: body.result as unknown as GetPromptResult | undefined };
}

function textOfPrompt(result: GetPromptResult | undefined): string {
  return result?.messages.map((m) => m.content.text).join("\n") ?? "";
}

describe("prompts", () => {
  it("are announced in the initialize capabilities", async () => {
    const { body } = await rpc("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
    const caps = body.result?.capabilities as Record<string, unknown>;
    expect(caps.prompts).toEqual({ listChanged: false });
    expect(caps.resources).toEqual({ subscribe: false, listChanged: false });
  });

  it("prompts/list names the four workflows with their arguments", async () => {
    const { body } = await rpc("prompts/list");
    const prompts = (body.result?.prompts ?? []) as unknown as PromptEntry[];
    expect(prompts.map((p) => p.name)).toEqual(["request_leave", "review_pending_approvals", "team_attendance_week", "onboard_employee"]);
    const leave = prompts.find((p) => p.name === "request_leave");
    expect(leave?.arguments.find((a) => a.name === "start_date")).toMatchObject({ required: true });
    expect(leave?.arguments.find((a) => a.name === "end_date")).toMatchObject({ required: false });
    for (const p of prompts) {
      expect(p.title).not.toBe("");
      expect(p.description.length).toBeGreaterThan(20);
    }
  });

  it("request_leave renders the dates and the tools to call, in order", async () => {
    const { result } = await getPrompt("request_leave", {
      start_date: "2026-12-21",
      end_date: "2026-12-23",
      leave_type: "Annual leave",
      reason: "Family visit",
    });
    expect(result?.messages).toHaveLength(1);
    expect(result?.messages[0]?.role).toBe("user");
    const text = textOfPrompt(result);
    expect(text).toContain("from 2026-12-21 to 2026-12-23");
    expect(text).toContain('"Annual leave"');
    const order = ["passgage_session_status", "passgage_list_leave_types", "passgage_list_leaves", "passgage_create_leave"].map((t) =>
      text.indexOf(t),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('start_date_daily: "2026-12-21 00:00"');
    expect(text).toContain("confirm");
  });

  it("an empty optional argument counts as not given (end_date defaults to start_date)", async () => {
    const { result } = await getPrompt("request_leave", { start_date: "2026-12-21", end_date: "" });
    expect(textOfPrompt(result)).toContain("from 2026-12-21 to 2026-12-21");
  });

  it("team_attendance_week defaults to this week's Monday to Sunday", async () => {
    const { result } = await getPrompt("team_attendance_week", {});
    const monday = mondayOf(new Date());
    expect(textOfPrompt(result)).toContain(`week of ${monday} (Monday)`);
    const { result: given } = await getPrompt("team_attendance_week", { week_start: "2026-12-03", branch: "Istanbul HQ" });
    const text = textOfPrompt(given);
    expect(text).toContain("week of 2026-11-30 (Monday) to 2026-12-06 (Sunday)");
    expect(text).toContain("passgage_list_branches");
    expect(text).toContain("passgage_list_user_shifts");
    expect(text).toContain("passgage_list_entrances");
  });

  it("review_pending_approvals and onboard_employee render with their arguments", async () => {
    const r1 = textOfPrompt((await getPrompt("review_pending_approvals", { approvable_type: "Leave", since: "2026-11-01" })).result);
    expect(r1).toContain('"approvable_type_eq": "Leave"');
    expect(r1).toContain("passgage_list_approvals_waiting_for_approval");
    const r2 = textOfPrompt(
      (await getPrompt("onboard_employee", { first_name: "Deniz", last_name: "Kaya", email: "deniz@acme.example", department: "Sales" }))
        .result,
    );
    expect(r2).toContain("Deniz Kaya <deniz@acme.example>");
    expect(r2).toContain("passgage_create_user");
    expect(r2).toContain("passgage_list_departments");
  });

  it("answers -32602 for an unknown prompt, a missing required argument, an unknown argument and a bad value", async () => {
    const cases: [string, Record<string, unknown> | undefined, RegExp][] = [
      ["no_such_prompt", {}, /Unknown prompt/],
      ["request_leave", {}, /Missing required argument start_date/],
      ["request_leave", { start_date: "2026-12-01", colour: "red" }, /Unknown argument "colour"/],
      ["request_leave", { start_date: "2026-02-30" }, /YYYY-MM-DD/],
      ["request_leave", { start_date: 20261201 }, /must be a string/],
      ["review_pending_approvals", { approvable_type: "Holiday" }, /one of Leave/],
      ["onboard_employee", { first_name: "Deniz", last_name: "Kaya", email: "not-an-email" }, /e-mail/],
    ];
    for (const [name, args, message] of cases) {
      const { res, body } = await getPrompt(name, args);
      expect(res.status, name).toBe(200);
      expect(body.error?.code, `${name} ${JSON.stringify(args)}`).toBe(-32602);
      expect(body.error?.message).toMatch(message);
    }
    const { body } = await rpc("prompts/get", {});
    expect(body.error?.code).toBe(-32602);
  });

  it("every tool a prompt names exists in the contract or the catalog", async () => {
    const known = new Set<string>([...CATALOG.map((t) => t.name), ...OPERATIONS.flatMap((o) => (o.toolName ? [o.toolName] : []))]);
    for (const p of PROMPTS) {
      const args: Record<string, string> = {};
      for (const a of p.arguments)
        if (a.required) args[a.name] = a.name.includes("date") ? "2026-12-01" : a.name === "email" ? "a@b.example" : "Name";
      const text = textOfPrompt((await getPrompt(p.name, args)).result);
      const named = text.match(/passgage_[a-z_]+/g) ?? [];
      expect(named.length, p.name).toBeGreaterThan(2);
      for (const tool of named) expect(known.has(tool), `${p.name} names ${tool}`).toBe(true);
    }
  });
});
