/**
 * Toolsets: the catalog grouped the way people work (issue 15), so a connection
 * lists only the tools it needs while every tool stays reachable by name.
 *
 * Every tool belongs to exactly one toolset, derived from its documentation
 * group (the contract's folder, `tool.group`): one table of about 40 group
 * names rather than a hand list of 146 tool names. Only the composites (group
 * "Composite") are placed one by one, since they answer questions across
 * resources. `toolsetOf` throws on an unplaced group or composite, so a new
 * contract group cannot slip in without a toolset (the unit test walks the
 * catalog).
 *
 * Pure data and functions; imports nothing from the catalog (the discovery
 * tools import this file and the catalog imports them).
 */
import * as z from "zod/mini";

/** Toolset names, in the order they are documented and listed. */
export const TOOLSET_NAMES = [
  "session",
  "my-work",
  "leaves",
  "approvals",
  "shifts",
  "shift-setup",
  "people",
  "organisation",
  "attendance",
  "payroll",
  "performance",
  "admin",
] as const;

/** A toolset name. */
export const ToolsetNameSchema = z.enum(TOOLSET_NAMES);
/** A toolset name. */
export type ToolsetName = z.infer<typeof ToolsetNameSchema>;

/** What a toolset is for. */
export interface Toolset {
  readonly name: ToolsetName;
  /** One sentence for people and models: what questions it answers. */
  readonly description: string;
  /** Enabled on every connection whatever the selection (sign-in and discovery). */
  readonly alwaysOn: boolean;
}

/** The toolsets, in `TOOLSET_NAMES` order. */
export const TOOLSETS: readonly Toolset[] = [
  {
    name: "session",
    description: "Sign in and out, session status and mode, and finding or calling any tool by name. Always enabled.",
    alwaysOn: true,
  },
  {
    name: "my-work",
    description: "Your own profile, leaves, shifts, approvals and check-ins (user mode), without knowing your user id.",
    alwaysOn: false,
  },
  {
    name: "leaves",
    description: "Leave requests: list, read, request, change or cancel leaves; leave types; an employee's balance and upcoming leaves.",
    alwaysOn: false,
  },
  {
    name: "approvals",
    description: "Approval processes and their state (pending, approved, rejected), counts per state, and approval flow templates.",
    alwaysOn: false,
  },
  {
    name: "shifts",
    description: "Who works when: shift assignments, a team's schedule (leaves and shifts per member), shift definitions, shift settings.",
    alwaysOn: false,
  },
  {
    name: "shift-setup",
    description: "Shift building blocks: breaks (slacks) and night-work windows of shifts, weekly working calendars.",
    alwaysOn: false,
  },
  {
    name: "people",
    description: "Find employees and read their profiles; rotations: assignment requests and temporary assignments.",
    alwaysOn: false,
  },
  {
    name: "organisation",
    description: "Company structure: branches, branch groups, departments, job positions, titles, organization units, sub-companies.",
    alwaysOn: false,
  },
  {
    name: "attendance",
    description: "Check-in/check-out records and access control: devices, access zones, buildings, access cards.",
    alwaysOn: false,
  },
  {
    name: "payroll",
    description: "Daily timesheet lines (payrolls) and overtime (extra work) records.",
    alwaysOn: false,
  },
  {
    name: "performance",
    description: "KPI goals, target goal achievements and employee rates.",
    alwaysOn: false,
  },
  {
    name: "admin",
    description:
      "HR administration: create, change or delete employee records; leave rules, leave balance imports, holiday calendars, file upload slots.",
    alwaysOn: false,
  },
];

/**
 * The toolsets a connection gets when it chooses none: the everyday questions
 * of an employee (my leaves, my shifts, request a leave) and of a manager
 * (pending approvals, who is off, an employee's balance, find a person).
 * `shifts` is in for the team schedule and shift assignments, `people` to
 * find an employee. The rest (`shift-setup`, `organisation`, `attendance`,
 * `payroll`, `performance`, `admin`: set-up and HR administration) is one call
 * of `passgage_enable_toolset` (or `passgage_call_tool`) away. Keeps the
 * default tools/list under 15,000 tokens (scripts/count-tool-tokens.mjs).
 */
export const DEFAULT_TOOLSETS: readonly ToolsetName[] = ["session", "my-work", "leaves", "approvals", "shifts", "people"];

/**
 * Where a group's tools go: one toolset, or one for its reads and another for
 * its writes (only Users: looking people up is everyday work, changing employee
 * records is HR administration, and those three write tools are the largest of
 * the catalog).
 */
type Placement = ToolsetName | { readonly read: ToolsetName; readonly write: ToolsetName };

/** Contract groups (the Postman folders, `Operation.group`) and the other tool groups, by toolset. */
const GROUP_TOOLSETS: Readonly<Record<string, Placement>> = {
  Session: "session",
  Discovery: "session",
  Leaves: "leaves",
  "Leave Type": "leaves",
  Approvals: "approvals",
  "Approval Flows": "approvals",
  Shifts: "shifts",
  "User Shift": "shifts",
  "Shift Settings": "shifts",
  Slacks: "shift-setup",
  "Night Works": "shift-setup",
  "Working Days": "shift-setup",
  Users: { read: "people", write: "admin" },
  "Assignment Request": "people",
  "Temporary Assignment": "people",
  Branches: "organisation",
  "Branch Group": "organisation",
  Departments: "organisation",
  "Job Positions": "organisation",
  Titles: "organisation",
  "Organization Units": "organisation",
  "Sub Companies": "organisation",
  Entrances: "attendance",
  Devices: "attendance",
  "Access Zones": "attendance",
  Builds: "attendance",
  Cards: "attendance",
  Payrolls: "payroll",
  "User Extra Works": "payroll",
  Kpi: "performance",
  TargetGoal: "performance",
  "User Rate": "performance",
  "Leave Rules": "admin",
  "Leave Balance Import": "admin",
  "Holiday Calendars": "admin",
  "File Upload System": "admin",
  // The auth operations have no tool of their own (the session tools call them).
  "User Authentication": "session",
};

/** The composite tools (group "Composite"), placed one by one. */
const COMPOSITE_TOOLSETS: Readonly<Record<string, ToolsetName>> = {
  passgage_get_my_profile: "my-work",
  passgage_list_my_leaves: "my-work",
  passgage_list_my_shifts: "my-work",
  passgage_list_my_approvals: "my-work",
  passgage_list_my_entrances: "my-work",
  passgage_get_user_leave_overview: "leaves",
  passgage_get_leave_with_approval: "leaves",
  passgage_get_approvals_by_state: "approvals",
  passgage_get_team_schedule: "shifts",
};

/** A tool as placement needs it: name, group and whether it only reads. */
export interface PlacedTool {
  readonly name: string;
  readonly group: string;
  readonly annotations: { readonly readOnlyHint: boolean };
}

/**
 * The one toolset a tool belongs to. Throws on a tool whose group (or, for a
 * composite, whose name) is not placed: a catalog bug the unit test surfaces.
 */
export function toolsetOf(tool: PlacedTool): ToolsetName {
  if (tool.group === "Composite") {
    const set = Object.hasOwn(COMPOSITE_TOOLSETS, tool.name) ? COMPOSITE_TOOLSETS[tool.name] : undefined;
    if (set === undefined) throw new Error(`composite tool ${tool.name} has no toolset`);
    return set;
  }
  const placement = Object.hasOwn(GROUP_TOOLSETS, tool.group) ? GROUP_TOOLSETS[tool.group] : undefined;
  if (placement === undefined) throw new Error(`tool ${tool.name} (group ${tool.group}) has no toolset`);
  return typeof placement === "string" ? placement : tool.annotations.readOnlyHint ? placement.read : placement.write;
}
