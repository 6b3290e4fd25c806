/**
 * "My" views for user mode: the signed-in employee's own profile, leaves,
 * shift assignments, approvals and entrances, without having to know their
 * own user id. Each reads one contract list (or the user show) with the
 * session user's id; lists whose records carry `user_id` are also filtered
 * here, so another person's record can never slip into a "my" view.
 */
import * as z from "zod/mini";
import { APPROVABLE_TYPES, APPROVAL_STATUSES, LEAVE_STATUSES, USER_SHIFT_STATUSES } from "../../contract/enums";
import { date } from "../../contract/fields";
import { ok } from "../../result";
import { defineTool, type ToolAnnotations } from "../define-tool";
import { PageArgSchema, PerPageArgSchema } from "../api/build-tool";
import { ListOutputSchema, RecordOutputSchema, renderList, renderRecord } from "../render";
import { callOp, type OpAnswer } from "../call-op";
import { contractOp, sessionUserId, str } from "./op-call";

const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const USERS_GET = contractOp("users.get");
const LEAVES_LIST = contractOp("leaves.list");
const SHIFTS_LIST = contractOp("user_shifts.list");
const APPROVALS_LIST = contractOp("approvals.list");
const ENTRANCES_LIST = contractOp("entrances.list");

const paging = { page: z.optional(PageArgSchema), per_page: z.optional(PerPageArgSchema) };

/** Drops records of other users from a list answer (defence in depth; the API scopes user tokens already). */
function onlyMine(answer: OpAnswer, me: string): unknown[] {
  const data = Array.isArray(answer.data) ? answer.data : [];
  return data.filter((x) => {
    const uid = x !== null && typeof x === "object" ? str(x as Record<string, unknown>, "user_id") : null;
    return uid === null || uid === me;
  });
}

/** Copies the defined entries of an object. */
function defined(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/** The signed-in employee's profile. */
export const myProfile = defineTool({
  name: "passgage_get_my_profile",
  title: "My profile",
  description: "Shows your own employee profile (user mode): contact, organisation, leave balance, attendance settings.",
  inputSchema: z.strictObject({}),
  outputSchema: RecordOutputSchema,
  annotations: READ,
  access: ["user"],
  operations: [USERS_GET.id],
  group: "Composite",
  handler: async (_input, ctx) => {
    const me = sessionUserId(ctx);
    if (!me.ok) return me;
    const r = await callOp(ctx, USERS_GET, { id: me.value });
    if (!r.ok) return r;
    return ok(renderRecord("Your profile:", r.value.data, ""));
  },
});

/** The signed-in employee's leaves. */
export const myLeaves = defineTool({
  name: "passgage_list_my_leaves",
  title: "My leaves",
  description: "Lists your own leave requests (user mode), newest first, optionally by status and start/end dates.",
  inputSchema: z.strictObject({
    status: z.optional(z.enum(LEAVE_STATUSES).check(z.describe("Only leaves in this status."))),
    from: z.optional(date("Leaves starting on or after this day")),
    to: z.optional(date("Leaves ending on or before this day")),
    ...paging,
  }),
  outputSchema: ListOutputSchema,
  annotations: READ,
  access: ["user"],
  operations: [LEAVES_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const me = sessionUserId(ctx);
    if (!me.ok) return me;
    const filter = defined({ status_eq: input.status, start_date_gteq: input.from, end_date_lteq: input.to });
    const r = await callOp(ctx, LEAVES_LIST, {
      filter,
      sort: "start_date desc",
      ...defined({ page: input.page, per_page: input.per_page }),
    });
    if (!r.ok) return r;
    return ok(
      renderList(onlyMine(r.value, me.value), r.value.meta, {
        noun: "leaves of yours",
        toolName: "passgage_list_my_leaves",
        page: input.page,
        perPage: input.per_page,
        filtered: Object.keys(filter).length > 0,
        repeat: "the same status and dates",
      }),
    );
  },
});

/** The signed-in employee's shift assignments. */
export const myShifts = defineTool({
  name: "passgage_list_my_shifts",
  title: "My shifts",
  description: "Lists your own shift assignments (user mode) for a day range, in date order, with the shift's name and times.",
  inputSchema: z.strictObject({
    from: z.optional(date("First day; default: no lower bound")),
    to: z.optional(date("Last day (inclusive)")),
    status: z.optional(z.enum(USER_SHIFT_STATUSES).check(z.describe("Only assignments in this status."))),
    ...paging,
  }),
  outputSchema: ListOutputSchema,
  annotations: READ,
  access: ["user"],
  operations: [SHIFTS_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const me = sessionUserId(ctx);
    if (!me.ok) return me;
    const filter = defined({ date_of_shift_gteq: input.from, date_of_shift_lteq: input.to, status_eq: input.status });
    const r = await callOp(ctx, SHIFTS_LIST, {
      filter,
      sort: "date_of_shift asc",
      ...defined({ page: input.page, per_page: input.per_page }),
    });
    if (!r.ok) return r;
    return ok(
      renderList(onlyMine(r.value, me.value), r.value.meta, {
        noun: "shift assignments of yours",
        toolName: "passgage_list_my_shifts",
        page: input.page,
        perPage: input.per_page,
        filtered: Object.keys(filter).length > 0,
        repeat: "the same dates and status",
      }),
    );
  },
});

/** Approval processes the signed-in employee takes part in. */
export const myApprovals = defineTool({
  name: "passgage_list_my_approvals",
  title: "My approvals",
  description:
    "Lists the approval processes visible to you (user mode): your own requests and those you approve, optionally by status and record type.",
  inputSchema: z.strictObject({
    status: z.optional(z.enum(APPROVAL_STATUSES).check(z.describe("Only processes in this status."))),
    approvable_type: z.optional(z.enum(APPROVABLE_TYPES).check(z.describe("Only approvals of this kind of record."))),
    ...paging,
  }),
  outputSchema: ListOutputSchema,
  annotations: READ,
  access: ["user"],
  operations: [APPROVALS_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const filter = defined({ status_eq: input.status, approvable_type_eq: input.approvable_type });
    const r = await callOp(ctx, APPROVALS_LIST, { filter, ...defined({ page: input.page, per_page: input.per_page }) });
    if (!r.ok) return r;
    const data = Array.isArray(r.value.data) ? r.value.data : [];
    return ok(
      renderList(data, r.value.meta, {
        noun: "approvals visible to you",
        toolName: "passgage_list_my_approvals",
        page: input.page,
        perPage: input.per_page,
        filtered: Object.keys(filter).length > 0,
        repeat: "the same status and type",
      }),
    );
  },
});

/** The signed-in employee's check-ins and check-outs. */
export const myEntrances = defineTool({
  name: "passgage_list_my_entrances",
  title: "My entrances",
  description: "Lists your own check-in/check-out records (user mode) between two days, with device, zone and branch.",
  inputSchema: z.strictObject({
    from: z.optional(date("Recorded on or after this day")),
    to: z.optional(date("Recorded on or before this day")),
    ...paging,
  }),
  outputSchema: ListOutputSchema,
  annotations: READ,
  access: ["user"],
  operations: [ENTRANCES_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const me = sessionUserId(ctx);
    if (!me.ok) return me;
    const filter = defined({ user_id_eq: me.value, created_at_gteq: input.from, created_at_lteq: input.to });
    const r = await callOp(ctx, ENTRANCES_LIST, { filter, ...defined({ page: input.page, per_page: input.per_page }) });
    if (!r.ok) return r;
    const data = Array.isArray(r.value.data) ? r.value.data : [];
    return ok(
      renderList(data, r.value.meta, {
        noun: "entrances of yours",
        toolName: "passgage_list_my_entrances",
        page: input.page,
        perPage: input.per_page,
        filtered: true,
        repeat: "the same dates",
      }),
    );
  },
});
