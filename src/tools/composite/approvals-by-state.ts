/**
 * `passgage_get_approvals_by_state`: how many approval processes are pending,
 * waiting (pending or in progress), approved and rejected, and the records of
 * one of those states, in one call (the four status sub-lists of API.md §8.2).
 */
import * as z from "zod/mini";
import { err, ok } from "../../result";
import { defineTool } from "../define-tool";
import { PerPageArgSchema, PageArgSchema } from "../api/build-tool";
import { renderList } from "../render";
import { callOp } from "../call-op";
import { contractOp, totalOf } from "./op-call";

const STATES = ["waiting_for_approval", "pending", "approved", "rejected"] as const;
const OPS = {
  waiting_for_approval: contractOp("approvals.waiting_for_approval"),
  pending: contractOp("approvals.pending"),
  approved: contractOp("approvals.approved"),
  rejected: contractOp("approvals.rejected"),
} as const;

const CountsSchema = z.object({
  waiting_for_approval: z.int(),
  pending: z.int(),
  approved: z.int(),
  rejected: z.int(),
});

/** Approval counts per state plus one state's records (company mode). */
export const approvalsByState = defineTool({
  name: "passgage_get_approvals_by_state",
  title: "Approvals by state",
  description:
    "Counts approval processes per state (waiting_for_approval = pending or in_progress, pending, approved, rejected) and lists the records of one state (default waiting_for_approval). Company mode only. Read-only.",
  inputSchema: z.strictObject({
    state: z.optional(z.enum(STATES).check(z.describe("State whose records to list. Default waiting_for_approval."))),
    page: z.optional(PageArgSchema),
    per_page: z.optional(PerPageArgSchema),
  }),
  outputSchema: z.object({
    state: z.enum(STATES),
    counts: CountsSchema,
    items: z.array(z.unknown()),
    page: z.int(),
    total_pages: z.int(),
    next_page: z.nullable(z.int()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  access: ["company"],
  operations: STATES.map((s) => OPS[s].id),
  group: "Composite",
  handler: async (input, ctx) => {
    const state = input.state ?? "waiting_for_approval";
    const calls = await Promise.all(
      STATES.map((s) =>
        callOp(ctx, OPS[s], s === state ? { page: input.page ?? 1, per_page: input.per_page ?? 10 } : { page: 1, per_page: 1 }),
      ),
    );
    const counts = { waiting_for_approval: 0, pending: 0, approved: 0, rejected: 0 };
    let chosen = null;
    for (let i = 0; i < STATES.length; i++) {
      const s = STATES[i] ?? "pending";
      const r = calls[i];
      if (r === undefined) continue;
      if (!r.ok) return err(r.error);
      counts[s] = totalOf(r.value);
      if (s === state) chosen = r.value;
    }
    if (chosen === null) return err({ code: "internal", message: "No answer for the chosen state." });
    const list = renderList(Array.isArray(chosen.data) ? chosen.data : [], chosen.meta, {
      noun: `${state.replace(/_/g, " ")} approvals`,
      toolName: "passgage_get_approvals_by_state",
      page: input.page,
      perPage: input.per_page ?? 10,
      filtered: true,
      repeat: `state: "${state}"`,
    });
    const head = `Approvals by state: waiting ${counts.waiting_for_approval} (pending ${counts.pending}), approved ${counts.approved}, rejected ${counts.rejected}.`;
    return ok({
      text: `${head}\n${list.text}`,
      structured: {
        state,
        counts,
        items: list.structured.items,
        page: list.structured.page,
        total_pages: list.structured.total_pages,
        next_page: list.structured.next_page,
      },
    });
  },
});
