/**
 * Shared types of the local Passgage sandbox: JSON values, stored records, the
 * plain request/response objects that cross the Worker → Durable Object RPC
 * boundary, and the per-request context handlers receive.
 */
import type { AuthMode } from "../src/contract/types";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * A stored record. Every record has an `id` and the `company_id` it belongs to
 * (companies themselves use their own id); the other columns depend on the table.
 */
export interface Rec {
  id: string;
  company_id: string;
  [column: string]: Json;
}

/** Names of the sandbox's tables (one per stored resource). */
export const TABLE_NAMES = [
  "companies",
  "users",
  "departments",
  "branches",
  "branch_groups",
  "builds",
  "zones",
  "cards",
  "devices",
  "shifts",
  "slacks",
  "night_works",
  "extra_work_types",
  "user_shifts",
  "leave_rules",
  "leave_types",
  "leaves",
  "leave_balance_imports",
  "approval_flows",
  "approvals",
  "assignment_requests",
  "rotation_users",
  "temporary_assignments",
  "holiday_calendars",
  "job_positions",
  "titles",
  "organization_units",
  "sub_companies",
  "user_groups",
  "target_goals",
  "user_rates",
  "working_days",
  "payrolls",
  "user_extra_works",
  "entrances",
  "shift_settings",
  "files",
] as const;

/** A table name. */
export type TableName = (typeof TABLE_NAMES)[number];

/** The request body as the Worker hands it to the state object. */
export type SandboxBody =
  | { readonly kind: "none" }
  | { readonly kind: "json"; readonly text: string }
  | {
      readonly kind: "form";
      /** Text parts, in order (`leave[title]` → `"..."`). */
      readonly fields: readonly (readonly [string, string])[];
      /** File parts: form key and file name. */
      readonly files: readonly (readonly [string, string])[];
    }
  | { readonly kind: "bytes"; readonly size: number };

/** A sandbox request, serialisable across the RPC boundary. */
export interface SandboxRequest {
  readonly method: string;
  /** Path with duplicate and trailing slashes removed. */
  readonly path: string;
  /** Raw query string without the leading `?`. */
  readonly query: string;
  /** Origin the client used (for URLs the sandbox hands out). */
  readonly origin: string;
  /** `Authorization` header. */
  readonly authorization: string | null;
  /** `X-Sandbox-Fault` header (sandbox only). */
  readonly fault: string | null;
  /** `X-Sandbox-Token-TTL` header (sandbox only, login and refresh). */
  readonly tokenTtl: string | null;
  readonly body: SandboxBody;
}

/** How the Worker must deliver a response. */
export type Delivery = "normal" | "reset";

/** A sandbox response, serialisable across the RPC boundary. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Milliseconds to wait before answering (`slow:<ms>` fault). */
  readonly delayMs: number;
  readonly delivery: Delivery;
}

/** The authenticated caller. */
export interface Caller {
  readonly mode: AuthMode;
  readonly company: Rec;
  /** The signed-in user (user mode only). */
  readonly user: Rec | null;
  /** The exact credential presented (API key or JWT). */
  readonly credential: string;
}
