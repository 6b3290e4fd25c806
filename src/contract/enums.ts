/**
 * Enumerations of the Passgage Public API (../shared/passgage-api/API.md §7).
 *
 * Each enumeration is a readonly tuple of the names the API renders in
 * responses (schemas are built from it where a field needs one) and, where the API filters
 * by the Rails integer code (`q[status_eq]=2`), a name → code map. Codes are
 * given only where the contract documents them (one exception, flagged on
 * `NIGHT_WORK_TYPE_CODES`).
 *
 * The credential-mode lists used by the operation table live here as well,
 * since they are enumerations of `AuthMode`.
 */
import * as z from "zod/mini";
import type { AuthMode } from "./types";

// ---------------------------------------------------------------------------
// Credential modes (API.md §2.3)
// ---------------------------------------------------------------------------

/** Both credential kinds, in a stable order. */
const AUTH_MODES = ["user", "company"] as const satisfies readonly AuthMode[];

/** The one schema of a credential mode (session state, KV mirror, registry, tool arguments). */
export const AuthModeSchema = z.enum(AUTH_MODES);

/** Operations any credential may call (user JWT or company key). */
export const BOTH_MODES: readonly AuthMode[] = AUTH_MODES;

/** Operations only a company API key may call. */
export const COMPANY_ONLY: readonly AuthMode[] = ["company"];

/** Operations only a user JWT may call (auth refresh and logout). */
export const USER_ONLY: readonly AuthMode[] = ["user"];

/**
 * Operations that take no credential at all: login, and the upload to a
 * presigned storage URL (the URL's signature is the authorisation).
 * An empty `modes` list always means "no credential", never "nobody".
 */
export const NO_CREDENTIAL: readonly AuthMode[] = [];

// ---------------------------------------------------------------------------
// Leaves
// ---------------------------------------------------------------------------

/** Leave `status` names, in code order (Leaves folder doc). */
export const LEAVE_STATUSES = [
  "approaching",
  "awaiting_approval",
  "approved",
  "rejected",
  "document_delivery_awaiting",
  "hr_rejection",
  "hr_approval",
  "cancellation_request_hr_approval",
  "leave_canceled",
  "on_administrator_approval",
  "rejected_by_administrator",
  "finished",
] as const;
/** A leave status name. */
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];
/** Leave status name → integer code used by `q[status_eq]`. */
export const LEAVE_STATUS_CODES: Readonly<Record<LeaveStatus, number>> = {
  approaching: 0,
  awaiting_approval: 1,
  approved: 2,
  rejected: 3,
  document_delivery_awaiting: 4,
  hr_rejection: 5,
  hr_approval: 6,
  cancellation_request_hr_approval: 7,
  leave_canceled: 8,
  on_administrator_approval: 9,
  rejected_by_administrator: 10,
  finished: 11,
};

// ---------------------------------------------------------------------------
// Shifts, user shifts, night works, slacks
// ---------------------------------------------------------------------------

/** User shift `status` names, in code order (User Shift folder doc). */
export const USER_SHIFT_STATUSES = ["waiting_for_approval", "approved", "rejected", "locked"] as const;
/** A user shift status name. */
export type UserShiftStatus = (typeof USER_SHIFT_STATUSES)[number];
/** User shift status name → integer code used by `q[status_eq]`. */
export const USER_SHIFT_STATUS_CODES: Readonly<Record<UserShiftStatus, number>> = {
  waiting_for_approval: 0,
  approved: 1,
  rejected: 2,
  locked: 3,
};

/** Shift `shift_type`; `still` is the only value the contract shows. */
export const SHIFT_TYPES = ["still"] as const;

/** Night work `work_type` names. */
export const NIGHT_WORK_TYPES = ["night_work", "extra_time"] as const;
/** A night work type name. */
export type NightWorkType = (typeof NIGHT_WORK_TYPES)[number];
/**
 * Night work type name → integer code. `night_work = 0` is observed (a create
 * body sending `0` came back as `night_work`); `extra_time = 1` is inferred
 * from the declaration order of the Rails enum, not observed.
 */
export const NIGHT_WORK_TYPE_CODES: Readonly<Record<NightWorkType, number>> = {
  night_work: 0,
  extra_time: 1,
};

/** Slack (break) `slack_type`: a clock range or a duration in minutes. */
export const SLACK_TYPES = ["time_range", "time_duration"] as const;

// ---------------------------------------------------------------------------
// Rotation / assignments
// ---------------------------------------------------------------------------

/** Rotation user and temporary assignment `status` names, in code order. */
export const ROTATION_STATUSES = ["pending", "started", "completed", "cancelled"] as const;
/** A rotation status name. */
export type RotationStatus = (typeof ROTATION_STATUSES)[number];
/** Rotation status name → integer code used by `q[status_eq]`. */
export const ROTATION_STATUS_CODES: Readonly<Record<RotationStatus, number>> = {
  pending: 0,
  started: 1,
  completed: 2,
  cancelled: 3,
};

// ---------------------------------------------------------------------------
// Approvals
// ---------------------------------------------------------------------------

/** Approval `status` (filtered by name; no integer codes are documented). */
export const APPROVAL_STATUSES = ["pending", "in_progress", "approved", "rejected"] as const;

/** Approval `approvable_type` (the kind of record being approved). */
export const APPROVABLE_TYPES = ["Leave", "UserExtraWork", "AssignmentRequest", "Expense", "Document"] as const;

/**
 * Known approval flow `flow_type` values. Companies may define their own, so
 * inputs take any string; this list is for descriptions and the sandbox seed.
 */
export const APPROVAL_FLOW_TYPES = [
  "leave_approval",
  "extra_work_approval",
  "assignment_request_approval",
  "expense_approval",
  "document_approval",
  "purchase_approval",
  "travel_approval",
] as const;

/** User extra work (overtime) `status` (filtered by name). */
export const USER_EXTRA_WORK_STATUSES = ["pending", "approved", "rejected"] as const;

// ---------------------------------------------------------------------------
// Devices and entrances
// ---------------------------------------------------------------------------

/** Device `direction`. */
export const DEVICE_DIRECTIONS = ["check_in", "check_out", "bidirectional"] as const;

/** Device `device_type` (device field table). */
export const DEVICE_TYPES = ["card_scanner", "qr_scanner", "nfc_scanner"] as const;

/** Known device `device_brand` values (`sc430` was also seen in a response). */
export const DEVICE_BRANDS = ["passgage", "passgage_qr", "makim_qr", "makim_v1", "makim_v2"] as const;

/** Device `device_usage`: attendance, access control, free access. */
export const DEVICE_USAGES = ["pdks", "access", "free_access"] as const;
/** A device usage name. */
export type DeviceUsage = (typeof DEVICE_USAGES)[number];
/** Device usage name → integer code (Entrances folder doc). */
export const DEVICE_USAGE_CODES: Readonly<Record<DeviceUsage, number>> = {
  pdks: 0,
  access: 1,
  free_access: 2,
};

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------

/** User `gender`. */
export const GENDERS = ["man", "woman"] as const;

/** User `educational_status` (as listed by the field table). */
export const EDUCATIONAL_STATUSES = ["primary", "secondary"] as const;

/** User `type_of_work`. */
export const TYPES_OF_WORK = ["full_time", "part_time"] as const;

/** User `calculation_type` (salary basis). */
export const CALCULATION_TYPES = ["monthly", "hourly"] as const;

/** User `can_take_overtime` (a yes/no string, not a boolean). */
export const CAN_TAKE_OVERTIME = ["yes", "no"] as const;

/** User `shift_module`: PACS attendance or webshift planning. */
export const SHIFT_MODULES = ["pacs", "webshift"] as const;

// ---------------------------------------------------------------------------
// Shift settings
// ---------------------------------------------------------------------------
