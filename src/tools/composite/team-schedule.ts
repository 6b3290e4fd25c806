/**
 * `passgage_get_team_schedule`: a team's leaves and shift assignments for a
 * date range, per member. The team is chosen by department, branch, manager
 * or explicit user ids; members come from the user list, leaves and shifts
 * from their lists filtered by date (API.md §5 documents no department or
 * branch filter on leaves or user shifts, so membership is matched here).
 * Reads are capped (pages of 50) and the result says when a cap was hit.
 */
import * as z from "zod/mini";
import { date, uuid, uuidList } from "../../contract/fields";
import { err, ok } from "../../result";
import { defineTool } from "../define-tool";
import { scalarText } from "../render";
import { readPages, contractOp, str } from "./op-call";

const USERS_LIST = contractOp("users.list");
const LEAVES_LIST = contractOp("leaves.list");
const SHIFTS_LIST = contractOp("user_shifts.list");

/** Pages of 50 read per list at most. */
const MAX_PAGES = 8;
/** Longest range, in days. */
const MAX_RANGE_DAYS = 62;
/** Most members reported. */
const MAX_MEMBERS = 100;
const DAY_MS = 86_400_000;

const MemberSchema = z.object({
  id: z.string(),
  full_name: z.nullable(z.string()),
  client_id: z.nullable(z.string()),
  leaves: z.array(z.unknown()),
  shifts: z.array(z.unknown()),
});

function dayOf(value: string | null): string {
  return (value ?? "").slice(0, 10);
}

function shiftName(rec: Readonly<Record<string, unknown>>): string | null {
  const shift = rec.shift;
  return shift !== null && typeof shift === "object" ? str(shift as Record<string, unknown>, "name") : null;
}

/** A team's leaves and shifts over a date range (company mode). */
export const teamSchedule = defineTool({
  name: "passgage_get_team_schedule",
  title: "Team leaves and shifts for a date range",
  description:
    "For a team (department_id, branch_id, manager_id or user_ids) shows each member's leaves starting in from..to and shift assignments on those days (at most 62 days). Company mode only. Read-only.",
  inputSchema: z.strictObject({
    from: date("First day of the range"),
    to: date("Last day of the range (inclusive)"),
    department_id: z.optional(uuid("Team = users of this department")),
    branch_id: z.optional(uuid("Team = users of this branch")),
    manager_id: z.optional(uuid("Team = users whose manager (parent_id) is this user")),
    user_ids: z.optional(uuidList("Team = these users").check(z.maxLength(MAX_MEMBERS))),
  }),
  outputSchema: z.object({
    from: z.string(),
    to: z.string(),
    members: z.array(MemberSchema),
    truncated: z.boolean(),
    notes: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  access: ["company"],
  operations: [USERS_LIST.id, LEAVES_LIST.id, SHIFTS_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const span = (Date.parse(input.to) - Date.parse(input.from)) / DAY_MS;
    if (!(span >= 0)) return err({ code: "invalid_arguments", message: "to must be on or after from." });
    if (span > MAX_RANGE_DAYS)
      return err({ code: "invalid_arguments", message: `The range may span at most ${MAX_RANGE_DAYS} days; split it.` });
    const ids = input.user_ids ? new Set(input.user_ids) : null;
    if (!input.department_id && !input.branch_id && !input.manager_id && !ids) {
      return err({ code: "invalid_arguments", message: "Choose the team: department_id, branch_id, manager_id or user_ids." });
    }
    const inTeam = (u: Readonly<Record<string, unknown>>): boolean =>
      (input.department_id === undefined || str(u, "department_id") === input.department_id) &&
      (input.branch_id === undefined || str(u, "branch_id") === input.branch_id) &&
      (input.manager_id === undefined || str(u, "parent_id") === input.manager_id) &&
      (ids === null || ids.has(str(u, "id") ?? ""));
    const users = await readPages(ctx, USERS_LIST, {}, MAX_PAGES);
    if (!users.ok) return users;
    const members = users.value.items.filter(inTeam).slice(0, MAX_MEMBERS);
    const memberIds = new Set(members.map((u) => str(u, "id") ?? ""));
    const [leaves, shifts] = await Promise.all([
      readPages(ctx, LEAVES_LIST, { filter: { start_date_gteq: input.from }, sort: "start_date asc" }, MAX_PAGES, (page) =>
        page.some((l) => dayOf(str(l, "start_date")) > input.to),
      ),
      readPages(
        ctx,
        SHIFTS_LIST,
        { filter: { date_of_shift_gteq: input.from, date_of_shift_lteq: input.to }, sort: "date_of_shift asc" },
        MAX_PAGES,
      ),
    ]);
    if (!leaves.ok) return leaves;
    if (!shifts.ok) return shifts;
    const byMember = new Map<string, { leaves: Record<string, unknown>[]; shifts: Record<string, unknown>[] }>();
    for (const id of memberIds) byMember.set(id, { leaves: [], shifts: [] });
    for (const l of leaves.value.items) {
      const slot = byMember.get(str(l, "user_id") ?? "");
      if (slot && dayOf(str(l, "start_date")) <= input.to) {
        slot.leaves.push({ id: l.id, title: l.title, start_date: l.start_date, end_date: l.end_date, status: l.status });
      }
    }
    for (const s of shifts.value.items) {
      const slot = byMember.get(str(s, "user_id") ?? "");
      if (slot) slot.shifts.push({ id: s.id, date_of_shift: s.date_of_shift, shift: shiftName(s), status: s.status });
    }
    const notes: string[] = ["Leaves that started before the range are not included (the API filters leaves by start date)."];
    if (users.value.truncated) notes.push(`Only the first ${MAX_PAGES * 50} users were searched for team members.`);
    if (leaves.value.truncated || shifts.value.truncated) notes.push("The range holds more leaves or shifts than were read; narrow it.");
    const out = members.map((u) => {
      const id = str(u, "id") ?? "";
      const slot = byMember.get(id) ?? { leaves: [], shifts: [] };
      const full = str(u, "full_name") ?? (`${str(u, "first_name") ?? ""} ${str(u, "last_name") ?? ""}`.trim() || null);
      return { id, full_name: full, client_id: str(u, "client_id"), leaves: slot.leaves, shifts: slot.shifts };
    });
    const lines = [`Team schedule ${input.from}..${input.to}: ${out.length} member(s).`];
    let budget = 7_000;
    for (const m of out) {
      const leaveText = m.leaves
        .map((l) => `${dayOf(scalarText(l.start_date))}..${dayOf(scalarText(l.end_date))} ${scalarText(l.status)}`)
        .join(", ");
      const shiftText = m.shifts.map((s) => `${scalarText(s.date_of_shift)} ${scalarText(s.shift)}`.trim()).join(", ");
      const line = `- ${m.full_name ?? m.id}: leaves ${leaveText || "none"}; shifts ${shiftText || "none"}`;
      const clipped = line.length > 600 ? `${line.slice(0, 599)}…` : line;
      if (budget - clipped.length < 0) {
        lines.push("… more members in the structured result.");
        break;
      }
      budget -= clipped.length;
      lines.push(clipped);
    }
    lines.push(...notes.slice(1));
    const truncated = users.value.truncated || leaves.value.truncated || shifts.value.truncated;
    return ok({ text: lines.join("\n"), structured: { from: input.from, to: input.to, members: out, truncated, notes } });
  },
});
