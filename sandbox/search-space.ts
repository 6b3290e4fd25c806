/**
 * How Ransack sees the sandbox tables (sandbox/ransack.ts): every stored
 * column is an attribute, plus a few virtual ones (`users.full_name`,
 * `users.zone_id`, `entrances.card_no`); associations follow id columns
 * (`leaves.user` → users via `user_id`, so `user_client_id_cont` works);
 * enum columns carry the integer codes of API.md §7 (src/contract/enums.ts).
 */
import {
  DEVICE_USAGE_CODES,
  LEAVE_STATUS_CODES,
  NIGHT_WORK_TYPE_CODES,
  ROTATION_STATUS_CODES,
  USER_SHIFT_STATUS_CODES,
} from "../src/contract/enums";
import { COLUMNS, COMMON_COLUMNS } from "./columns";
import type { SearchAssociation, SearchSpace } from "./ransack";
import type { Store } from "./store";
import type { Json, Rec, TableName } from "./types";
import { text } from "./json";

/** [association name, target table, id column, multi-valued]. */
type AssocSpec = readonly [string, TableName, string, boolean?];

const USER: AssocSpec = ["user", "users", "user_id"];

const ASSOCIATIONS: Partial<Record<TableName, readonly AssocSpec[]>> = {
  users: [
    ["branch", "branches", "branch_id"],
    ["department", "departments", "department_id"],
    ["job_position", "job_positions", "job_position_id"],
    ["title", "titles", "title_id"],
    ["sub_company", "sub_companies", "sub_company_id"],
    ["organization_unit", "organization_units", "organization_unit_id"],
    ["user_group", "user_groups", "user_group_id"],
    ["parent", "users", "parent_id"],
    ["shift", "shifts", "shift_id"],
    ["zones", "zones", "zone_ids", true],
    ["devices", "devices", "device_ids", true],
  ],
  leaves: [USER, ["leave_type", "leave_types", "leave_type_id"], ["manager", "users", "manager_id"]],
  user_shifts: [USER, ["shift", "shifts", "shift_id"]],
  entrances: [
    USER,
    ["device", "devices", "device_id"],
    ["card", "cards", "card_id"],
    ["zone", "zones", "zone_id"],
    ["branch", "branches", "branch_id"],
  ],
  payrolls: [USER, ["shift", "shifts", "shift_id"], ["leave", "leaves", "leave_id"]],
  user_extra_works: [USER],
  leave_balance_imports: [USER, ["leave_type", "leave_types", "leave_type_id"]],
  rotation_users: [USER, ["branch", "branches", "branch_id"], ["original_branch", "branches", "original_branch_id"]],
  assignment_requests: [USER, ["branch", "branches", "branch_id"], ["job_position", "job_positions", "job_position_id"]],
  temporary_assignments: [USER, ["branch", "branches", "branch_id"], ["job_position", "job_positions", "job_position_id"]],
  cards: [USER, ["zone", "zones", "zone_id"]],
  approvals: [
    ["approval_flow", "approval_flows", "approval_flow_id"],
    ["requester", "users", "requester_id"],
  ],
  slacks: [["shift", "shifts", "shift_id"]],
  night_works: [["shift", "shifts", "shift_id"]],
  leave_types: [["leave_rule", "leave_rules", "leave_rule_id"]],
  devices: [
    ["zones", "zones", "zone_ids", true],
    ["build", "builds", "build_id"],
  ],
  zones: [
    ["build", "builds", "build_id"],
    ["branch", "branches", "branch_id"],
  ],
  target_goals: [USER],
  user_rates: [USER],
  branch_groups: [["branches", "branches", "branch_ids", true]],
};

/** Virtual attributes: computed from a record. */
const VIRTUALS: Partial<Record<TableName, Readonly<Record<string, (rec: Rec, store: Store) => Json>>>> = {
  users: {
    full_name: (rec) => `${text(rec.first_name)} ${text(rec.last_name)}`.trim(),
    zone_id: (rec) => rec.zone_ids ?? [],
    device_id: (rec) => rec.device_ids ?? [],
  },
  entrances: {
    card_no: (rec, store) => {
      const card = typeof rec.card_id === "string" ? store.get("cards", rec.card_id) : undefined;
      return card ? (card.card_no ?? null) : null;
    },
  },
  approvals: {
    approval_user_id: (rec) =>
      Array.isArray(rec.approval_users)
        ? rec.approval_users.map((u) => (u !== null && typeof u === "object" && !Array.isArray(u) ? (u.user_id ?? null) : null))
        : [],
  },
};

/** Integer codes of enum columns (API.md §7). */
const ENUMS: Partial<Record<TableName, Readonly<Record<string, Readonly<Record<string, number>>>>>> = {
  leaves: { status: LEAVE_STATUS_CODES },
  user_shifts: { status: USER_SHIFT_STATUS_CODES },
  rotation_users: { status: ROTATION_STATUS_CODES },
  temporary_assignments: { status: ROTATION_STATUS_CODES },
  assignment_requests: { status: ROTATION_STATUS_CODES },
  night_works: { work_type: NIGHT_WORK_TYPE_CODES },
  devices: { device_usage: DEVICE_USAGE_CODES },
};

/** The Ransack search space over a store. */
export function searchSpace(store: Store): SearchSpace<TableName> {
  const assocCache = new Map<TableName, SearchAssociation<TableName>[]>();
  return {
    hasAttribute(table, name) {
      return name in COLUMNS[table] || COMMON_COLUMNS.includes(name) || VIRTUALS[table]?.[name] !== undefined;
    },
    read(table, rec, name) {
      const virtual = VIRTUALS[table]?.[name];
      if (virtual && !(name in rec)) return virtual(rec, store);
      return rec[name] ?? null;
    },
    associations(table) {
      const cached = assocCache.get(table);
      if (cached) return cached;
      const list = (ASSOCIATIONS[table] ?? []).map(([name, target, column, many]) => ({
        name,
        target,
        follow(rec: Rec): readonly Rec[] {
          const v = rec[column];
          const ids = many ? (Array.isArray(v) ? v : []) : [v];
          const out: Rec[] = [];
          for (const id of ids) {
            const r = typeof id === "string" ? store.get(target, id) : undefined;
            if (r) out.push(r);
          }
          return out;
        },
      }));
      assocCache.set(table, list);
      return list;
    },
    enumCodes(table, name) {
      return ENUMS[table]?.[name];
    },
  };
}
