/**
 * `passgage_get_leave_with_approval`: one leave and where it stands in its
 * approval process (the approval whose approvable is this leave, with its
 * approvers), in one call.
 */
import * as z from "zod/mini";
import { uuid } from "../../contract/fields";
import { ok } from "../../result";
import { defineTool } from "../define-tool";
import { compactLine, recordText } from "../render";
import { callOp } from "../call-op";
import { contractOp, itemsOf, str } from "./op-call";

const LEAVES_GET = contractOp("leaves.get");
const APPROVALS_LIST = contractOp("approvals.list");

/** Approver fields kept in the text. */
const APPROVER_KEYS = ["user_name", "status", "seq", "is_require", "comment"] as const;

/** A leave with its approval process (both modes). */
export const leaveWithApproval = defineTool({
  name: "passgage_get_leave_with_approval",
  title: "Leave with its approval status",
  description:
    "Gets one leave together with its approval process: status, current step of total steps and each approver's decision in order.",
  inputSchema: z.strictObject({ id: uuid("Id of the leave") }),
  outputSchema: z.object({ leave: z.unknown(), approval: z.unknown() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  access: ["user", "company"],
  operations: [LEAVES_GET.id, APPROVALS_LIST.id],
  group: "Composite",
  handler: async (input, ctx) => {
    const [leave, approvals] = await Promise.all([
      callOp(ctx, LEAVES_GET, { id: input.id }),
      callOp(ctx, APPROVALS_LIST, { filter: { approvable_type_eq: "Leave", approvable_id_eq: input.id }, per_page: 5 }),
    ]);
    if (!leave.ok) return leave;
    if (!approvals.ok) return approvals;
    const approval = itemsOf(approvals.value)[0] ?? null;
    const l = leave.value.data !== null && typeof leave.value.data === "object" ? (leave.value.data as Record<string, unknown>) : {};
    const brief = Object.fromEntries(
      ["id", "title", "start_date", "end_date", "days_off_count", "status", "leave_type_id", "user_id", "description"]
        .filter((k) => l[k] !== undefined)
        .map((k) => [k, l[k]]),
    );
    const lines = [`Leave ${input.id}:`, recordText(brief, 2_500)];
    if (approval === null) {
      lines.push("No approval process found for this leave.");
    } else {
      lines.push(
        `Approval ${str(approval, "id") ?? ""}: ${str(approval, "status") ?? "unknown"}, step ${str(approval, "current_step") ?? "?"} of ${str(approval, "total_steps") ?? "?"}.`,
      );
      const approvers = Array.isArray(approval.approval_users) ? approval.approval_users : [];
      for (const a of approvers.slice(0, 20)) {
        if (a === null || typeof a !== "object") continue;
        const rec = a as Record<string, unknown>;
        lines.push(`- ${compactLine(Object.fromEntries(APPROVER_KEYS.filter((k) => rec[k] !== undefined).map((k) => [k, rec[k]])))}`);
      }
    }
    return ok({ text: lines.join("\n"), structured: { leave: leave.value.data, approval } });
  },
});
