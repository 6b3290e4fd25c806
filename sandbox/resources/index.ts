/**
 * Resource definitions by contract resource name (`Operation.resource`).
 * Barrel only: each definition lives in its group's file.
 */
import type { ResourceDef } from "../resource";
import { CARDS, DEVICES, ENTRANCES, ZONES } from "./access";
import { APPROVAL_FLOWS, APPROVALS } from "./approvals";
import { ASSIGNMENT_REQUESTS, ROTATION_USERS, TEMPORARY_ASSIGNMENTS } from "./assignments";
import { BRANCH_GROUPS, BRANCHES } from "./branches";
import { TARGET_GOALS, USER_RATES } from "./goals";
import { LEAVE_BALANCE_IMPORTS, LEAVE_TYPES, LEAVES } from "./leaves";
import {
  BUILDS,
  DEPARTMENTS,
  HOLIDAY_CALENDARS,
  JOB_POSITIONS,
  LEAVE_RULES,
  ORGANIZATION_UNITS,
  SUB_COMPANIES,
  TITLES,
} from "./named-entities";
import { EXTRA_WORK_TYPES, NIGHT_WORKS, SHIFTS, SLACKS, USER_SHIFTS, WORKING_DAYS } from "./shifts";
import { PAYROLLS, USER_EXTRA_WORKS } from "./timesheets";
import { USERS } from "./users";

/** Resource definitions keyed by the contract's resource names. */
export const RESOURCES: Readonly<Record<string, ResourceDef>> = {
  approvals: APPROVALS,
  approval_flows: APPROVAL_FLOWS,
  zones: ZONES,
  assignment_requests: ASSIGNMENT_REQUESTS,
  rotation_users: ROTATION_USERS,
  branches: BRANCHES,
  branch_groups: BRANCH_GROUPS,
  builds: BUILDS,
  cards: CARDS,
  departments: DEPARTMENTS,
  devices: DEVICES,
  entrances: ENTRANCES,
  holiday_calendars: HOLIDAY_CALENDARS,
  job_positions: JOB_POSITIONS,
  leaves: LEAVES,
  leave_balance_imports: LEAVE_BALANCE_IMPORTS,
  leave_rules: LEAVE_RULES,
  leave_types: LEAVE_TYPES,
  night_works: NIGHT_WORKS,
  organization_units: ORGANIZATION_UNITS,
  shifts: SHIFTS,
  extra_work_types: EXTRA_WORK_TYPES,
  slacks: SLACKS,
  sub_companies: SUB_COMPANIES,
  target_goals: TARGET_GOALS,
  temporary_assignments: TEMPORARY_ASSIGNMENTS,
  titles: TITLES,
  users: USERS,
  user_rates: USER_RATES,
  user_shifts: USER_SHIFTS,
  working_days: WORKING_DAYS,
  payrolls: PAYROLLS,
  user_extra_works: USER_EXTRA_WORKS,
};
