/**
 * The Passgage contract table: every distinct method + path operation
 * (131; API.md §8), in the stable order of the vendor collection's folders,
 * plus two pure path helpers shared by the tool catalog, the sandbox router
 * and the tests.
 *
 * Import-time work is limited to concatenating the group arrays and building
 * `OPERATIONS_BY_ID`.
 */
import { APPROVAL_FLOW_OPERATIONS } from "./groups/approval-flows";
import { APPROVAL_OPERATIONS } from "./groups/approvals";
import { ASSIGNMENT_REQUEST_OPERATIONS } from "./groups/assignment-requests";
import { AUTH_OPERATIONS } from "./groups/auth";
import { BRANCH_GROUP_OPERATIONS } from "./groups/branch-groups";
import { BRANCH_OPERATIONS } from "./groups/branches";
import { BUILD_OPERATIONS } from "./groups/builds";
import { CARD_OPERATIONS } from "./groups/cards";
import { DEPARTMENT_OPERATIONS } from "./groups/departments";
import { DEVICE_OPERATIONS } from "./groups/devices";
import { ENTRANCE_OPERATIONS } from "./groups/entrances";
import { FILE_OPERATIONS } from "./groups/files";
import { HOLIDAY_CALENDAR_OPERATIONS } from "./groups/holiday-calendars";
import { JOB_POSITION_OPERATIONS } from "./groups/job-positions";
import { KPI_OPERATIONS } from "./groups/kpis";
import { LEAVE_BALANCE_IMPORT_OPERATIONS } from "./groups/leave-balance-imports";
import { LEAVE_RULE_OPERATIONS } from "./groups/leave-rules";
import { LEAVE_TYPE_OPERATIONS } from "./groups/leave-types";
import { LEAVE_OPERATIONS } from "./groups/leaves";
import { NIGHT_WORK_OPERATIONS } from "./groups/night-works";
import { ORGANIZATION_UNIT_OPERATIONS } from "./groups/organization-units";
import { PAYROLL_OPERATIONS } from "./groups/payrolls";
import { SHIFT_SETTINGS_OPERATIONS } from "./groups/shift-settings";
import { SHIFT_OPERATIONS } from "./groups/shifts";
import { SLACK_OPERATIONS } from "./groups/slacks";
import { SUB_COMPANY_OPERATIONS } from "./groups/sub-companies";
import { TARGET_GOAL_OPERATIONS } from "./groups/target-goals";
import { TEMPORARY_ASSIGNMENT_OPERATIONS } from "./groups/temporary-assignments";
import { TITLE_OPERATIONS } from "./groups/titles";
import { USER_EXTRA_WORK_OPERATIONS } from "./groups/user-extra-works";
import { USER_RATE_OPERATIONS } from "./groups/user-rates";
import { USER_SHIFT_OPERATIONS } from "./groups/user-shifts";
import { USER_OPERATIONS } from "./groups/users";
import { WORKING_DAY_OPERATIONS } from "./groups/working-days";
import { ZONE_OPERATIONS } from "./groups/zones";
import type { Operation } from "./types";

/** Every operation of the contract, grouped in the collection's folder order. */
export const OPERATIONS: readonly Operation[] = [
  ...AUTH_OPERATIONS,
  ...APPROVAL_OPERATIONS,
  ...APPROVAL_FLOW_OPERATIONS,
  ...ZONE_OPERATIONS,
  ...ASSIGNMENT_REQUEST_OPERATIONS,
  ...BRANCH_OPERATIONS,
  ...BRANCH_GROUP_OPERATIONS,
  ...BUILD_OPERATIONS,
  ...CARD_OPERATIONS,
  ...DEPARTMENT_OPERATIONS,
  ...DEVICE_OPERATIONS,
  ...ENTRANCE_OPERATIONS,
  ...FILE_OPERATIONS,
  ...HOLIDAY_CALENDAR_OPERATIONS,
  ...JOB_POSITION_OPERATIONS,
  ...KPI_OPERATIONS,
  ...LEAVE_OPERATIONS,
  ...LEAVE_BALANCE_IMPORT_OPERATIONS,
  ...LEAVE_RULE_OPERATIONS,
  ...LEAVE_TYPE_OPERATIONS,
  ...NIGHT_WORK_OPERATIONS,
  ...ORGANIZATION_UNIT_OPERATIONS,
  ...SHIFT_OPERATIONS,
  ...SLACK_OPERATIONS,
  ...SUB_COMPANY_OPERATIONS,
  ...TARGET_GOAL_OPERATIONS,
  ...TEMPORARY_ASSIGNMENT_OPERATIONS,
  ...TITLE_OPERATIONS,
  ...USER_OPERATIONS,
  ...USER_RATE_OPERATIONS,
  ...USER_SHIFT_OPERATIONS,
  ...WORKING_DAY_OPERATIONS,
  ...PAYROLL_OPERATIONS,
  ...USER_EXTRA_WORK_OPERATIONS,
  ...SHIFT_SETTINGS_OPERATIONS,
];

/** Operations by `id` (`leaves.list`, `approvals.pending`, ...). */
export const OPERATIONS_BY_ID: ReadonlyMap<string, Operation> = new Map(OPERATIONS.map((op) => [op.id, op]));

const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Names of the `{name}` parameters of a path template, in order. */
export function pathParams(path: string): string[] {
  const names: string[] = [];
  for (const segment of path.split("/")) {
    const m = PARAM_SEGMENT.exec(segment);
    if (m?.[1] !== undefined) names.push(m[1]);
  }
  return names;
}

/**
 * Matches a request against one operation. Returns the decoded path
 * parameters (`{}` for a static path) or `null` when the method or the path
 * differs. Segments compare exactly; a single trailing slash on `pathname` is
 * ignored. A parameter matches any one non-empty segment, so a static sibling
 * (`/approvals/pending` vs `/approvals/{id}`) must be preferred by the caller;
 * `findOperation` does that.
 */
export function matchPath(op: Operation, method: string, pathname: string): Record<string, string> | null {
  if (op.method !== method.toUpperCase()) return null;
  const template = op.path.split("/");
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const actual = trimmed.split("/");
  if (template.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const want = template[i] ?? "";
    const got = actual[i] ?? "";
    const m = PARAM_SEGMENT.exec(want);
    if (m?.[1] === undefined) {
      if (want !== got) return null;
      continue;
    }
    if (got === "") return null;
    try {
      params[m[1]] = decodeURIComponent(got);
    } catch {
      return null; // malformed percent-encoding
    }
  }
  return params;
}

/** Number of static (non-parameter) segments of a path template. */
function staticSegments(path: string): number {
  return path.split("/").filter((s) => s !== "" && !PARAM_SEGMENT.test(s)).length;
}

/**
 * Finds the operation serving `method pathname`, preferring the template with
 * the most static segments (so `/approvals/pending` wins over
 * `/approvals/{id}`). Linear over the table; returns `null` when none matches.
 */
export function findOperation(
  method: string,
  pathname: string,
): { readonly op: Operation; readonly params: Record<string, string> } | null {
  let best: { op: Operation; params: Record<string, string>; score: number } | null = null;
  for (const op of OPERATIONS) {
    const params = matchPath(op, method, pathname);
    if (params === null) continue;
    const score = staticSegments(op.path);
    if (best === null || score > best.score) best = { op, params, score };
  }
  return best === null ? null : { op: best.op, params: best.params };
}
