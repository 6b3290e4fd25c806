/**
 * `passgage_get_user_leave_overview`: an employee's leave balance and upcoming
 * leaves in one call: the user profile (name, registration number), the
 * leaves starting on or after a date, and the balance imports. The user show
 * does not carry the balance (API.md §8.29); a leave's detail embeds the
 * employee with `leave_balance` and `leave_balanced_at` (§8.17), so the
 * balance is read from one of the employee's leaves when the profile lacks it.
 * In user mode it defaults to the signed-in user.
 */
import * as z from "zod/mini";
import { date, uuid } from "../../contract/fields";
import { err, ok, type Result } from "../../result";
import { defineTool, type ToolContext, type ToolError } from "../define-tool";
import { compactLine } from "../render";
import { callOp } from "../call-op";
import { contractOp, itemsOf, readPages, str, today } from "./op-call";

const USERS_GET = contractOp("users.get");
const LEAVES_LIST = contractOp("leaves.list");
const LEAVES_GET = contractOp("leaves.get");
const IMPORTS_LIST = contractOp("leave_balance_imports.list");

/** Fields kept per leave in the overview. */
const LEAVE_KEYS = ["id", "title", "leave_type_id", "start_date", "end_date", "days_off_count", "status", "is_hourly_leave"] as const;
/** Fields kept per balance import. */
const IMPORT_KEYS = ["id", "balance_days", "balance", "balanced_at", "leave_type"] as const;
const MAX_UPCOMING = 50;

function pick(rec: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (rec[k] !== undefined) out[k] = rec[k];
  return out;
}

/** Whose overview: the given id, else the session user in user mode. */
function targetUser(ctx: ToolContext, given: string | undefined): Result<string, ToolError> {
  if (given !== undefined) return ok(given);
  const me = ctx.session?.mode === "user" ? ctx.session.user?.id : undefined;
  return me
    ? ok(me)
    : err({ code: "invalid_arguments", message: "user_id is required in company mode (find it with passgage_list_users)." });
}

/** The balance as embedded in one of the employee's leaves (any date), or nulls when there is none. */
async function balanceFromLeave(
  ctx: ToolContext,
  userId: string,
  known: Readonly<Record<string, unknown>> | null,
  byClient: Readonly<Record<string, string>>,
): Promise<Result<{ balance: string | null; balancedAt: string | null }, ToolError>> {
  const none = { balance: null, balancedAt: null };
  let leave = known;
  if (leave === null) {
    // Without a registration number only a user token narrows the list to the employee.
    if (Object.keys(byClient).length === 0 && ctx.session?.mode !== "user") return ok(none);
    const any = await callOp(ctx, LEAVES_LIST, { filter: byClient, per_page: 1 });
    if (!any.ok) return any;
    leave = itemsOf(any.value).find((l) => str(l, "user_id") === userId) ?? null;
  }
  const id = leave === null ? null : str(leave, "id");
  if (id === null) return ok(none);
  const detail = await callOp(ctx, LEAVES_GET, { id });
  if (!detail.ok) return detail;
  const data = detail.value.data;
  const embedded = data !== null && typeof data === "object" ? (data as Record<string, unknown>).user : null;
  const u = embedded !== null && typeof embedded === "object" ? (embedded as Record<string, unknown>) : null;
  return ok({ balance: str(u, "leave_balance"), balancedAt: str(u, "leave_balanced_at") });
}

const OverviewSchema = z.object({
  user: z.object({ id: z.string(), full_name: z.nullable(z.string()), client_id: z.nullable(z.string()) }),
  leave_balance: z.nullable(z.string()),
  leave_balanced_at: z.nullable(z.string()),
  from: z.string(),
  upcoming_leaves: z.array(z.unknown()),
  upcoming_more: z.boolean(),
  balance_imports: z.array(z.unknown()),
});

/** Leave balance and upcoming leaves of one employee (both modes). */
export const userLeaveOverview = defineTool({
  name: "passgage_get_user_leave_overview",
  title: "Leave balance and upcoming leaves",
  description:
    "Shows an employee's leave balance (with its date), the leaves starting on or after a date (default today) and the leave balance imports. In user mode it defaults to you; in company mode pass user_id.",
  inputSchema: z.strictObject({
    user_id: z.optional(uuid("Employee; default: you (user mode)")),
    from: z.optional(date("List leaves starting on or after this day; default today")),
  }),
  outputSchema: OverviewSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  access: ["user", "company"],
  operations: [USERS_GET.id, LEAVES_LIST.id, LEAVES_GET.id, IMPORTS_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const who = targetUser(ctx, input.user_id);
    if (!who.ok) return who;
    const userId = who.value;
    const from = input.from ?? today(ctx.now);
    const profile = await callOp(ctx, USERS_GET, { id: userId });
    if (!profile.ok) return profile;
    const user =
      profile.value.data !== null && typeof profile.value.data === "object" ? (profile.value.data as Record<string, unknown>) : {};
    const clientId = str(user, "client_id");
    const byClient: Record<string, string> = clientId !== null && clientId !== "" ? { user_client_id_eq: clientId } : {};
    const [leaves, imports] = await Promise.all([
      readPages(ctx, LEAVES_LIST, { filter: { ...byClient, start_date_gteq: from }, sort: "start_date asc" }, 2),
      clientId !== null && clientId !== ""
        ? callOp(ctx, IMPORTS_LIST, { filter: { user_client_id_eq: clientId }, per_page: 10 })
        : Promise.resolve(null),
    ]);
    if (!leaves.ok) return leaves;
    if (imports !== null && !imports.ok) return imports;
    const mine = leaves.value.items.filter((l) => str(l, "user_id") === null || str(l, "user_id") === userId);
    const upcoming = mine.slice(0, MAX_UPCOMING).map((l) => pick(l, LEAVE_KEYS));
    const balanceImports = imports === null ? [] : itemsOf(imports.value).map((i) => pick(i, IMPORT_KEYS));
    let balance = str(user, "leave_balance");
    let balancedAt = str(user, "leave_balanced_at");
    if (balance === null) {
      const fromLeave = await balanceFromLeave(ctx, userId, mine[0] ?? null, byClient);
      if (!fromLeave.ok) return fromLeave;
      balance = fromLeave.value.balance;
      balancedAt = fromLeave.value.balancedAt;
    }
    const fullName = str(user, "full_name") ?? (`${str(user, "first_name") ?? ""} ${str(user, "last_name") ?? ""}`.trim() || null);
    const structured = {
      user: { id: userId, full_name: fullName, client_id: clientId },
      leave_balance: balance,
      leave_balanced_at: balancedAt,
      from,
      upcoming_leaves: upcoming,
      upcoming_more: leaves.value.truncated || mine.length > MAX_UPCOMING,
      balance_imports: balanceImports,
    };
    const lines = [
      `${fullName ?? userId}${clientId ? ` (client_id ${clientId})` : ""}: leave balance ${structured.leave_balance ?? "unknown"}${structured.leave_balanced_at ? ` as of ${structured.leave_balanced_at}` : ""}.`,
      upcoming.length === 0
        ? `No leaves starting on or after ${from}.`
        : `Leaves starting on or after ${from} (${upcoming.length}${structured.upcoming_more ? "+" : ""}):`,
      ...upcoming.slice(0, 25).map((l) => `- ${compactLine(l)}`),
      ...(upcoming.length > 25 ? [`… ${upcoming.length - 25} more in the structured result.`] : []),
      ...(balanceImports.length > 0 ? ["Balance imports:", ...balanceImports.slice(0, 10).map((i) => `- ${compactLine(i)}`)] : []),
    ];
    return ok({ text: lines.join("\n"), structured });
  },
});
