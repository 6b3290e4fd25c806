/**
 * Composite tools: answers that need several contract calls (approvals by
 * state, an employee's leave overview, a team's schedule, a leave with its
 * approval) and the "my" views of user mode. They come after the generated
 * API tools in the catalog, in this order.
 */
import type { AnyTool } from "../define-tool";
import { approvalsByState } from "./approvals-by-state";
import { leaveWithApproval } from "./leave-with-approval";
import { myApprovals, myEntrances, myLeaves, myProfile, myShifts } from "./my-views";
import { teamSchedule } from "./team-schedule";
import { userLeaveOverview } from "./user-leave-overview";

/** The composite tools, in catalog order. */
export const COMPOSITE_TOOLS: readonly AnyTool[] = [
  approvalsByState,
  userLeaveOverview,
  leaveWithApproval,
  teamSchedule,
  myProfile,
  myLeaves,
  myShifts,
  myApprovals,
  myEntrances,
] as readonly unknown[] as readonly AnyTool[];
