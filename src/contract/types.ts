/**
 * Types of the Passgage Public API contract table (../shared/passgage-api/API.md).
 *
 * One `Operation` per distinct method + path pair of the contract (131 in all).
 * The table is data: the MCP tool catalog (src/tools) derives its tools from it,
 * and the local sandbox (sandbox/) derives its routes and body validation from it,
 * so the two can never disagree about a path, a wrapper key or a field name.
 */
import type * as z from "zod/mini";

/** HTTP verbs the contract uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Credential kinds (API.md §2): a user JWT ("user") or a company API key ("company"). */
export type AuthMode = "user" | "company";

/** What an operation does; drives tool naming, annotations and sandbox behaviour. */
export type OperationKind = "list" | "get" | "create" | "update" | "delete" | "action";

/** Body encodings the contract uses. */
export type BodyEncoding = "json" | "multipart";

/** A zod/mini object schema of plain fields. */
export type FieldsSchema = z.ZodMiniObject<z.core.$ZodShape>;

/**
 * A request body.
 * - `wrapper`: the resource key the fields are nested under (`{ leave: {...} }`),
 *   or `null` when the contract sends bare fields (zones, KPI, user rates,
 *   target-goal updates).
 * - `fields`: the fields inside the wrapper. Required fields are non-optional in
 *   the schema only where the contract marks them required (API.md "Req").
 * - `array: true`: the body is a bare JSON array of `fields` objects (presigned upload).
 */
export interface BodySpec {
  readonly wrapper: string | null;
  readonly fields: FieldsSchema;
  readonly array?: true;
  readonly encoding?: BodyEncoding;
}

/**
 * A documented Ransack filter (API.md §5), without the `q[...]` brackets.
 * `key` is the full Ransack key (`status_eq`, `user_client_id_cont`,
 * `first_name_or_last_name_cont_any`). `schema` types the value the tool
 * accepts; `enumCodes` (when set) maps enum names to the integer codes the API
 * filters by (API.md §7), so a tool may take `"approved"` and send `2`.
 */
export interface FilterSpec {
  readonly key: string;
  readonly schema: z.ZodMiniType;
  readonly description: string;
  readonly enumCodes?: Readonly<Record<string, number>>;
}

/** One method + path pair of the contract. */
export interface Operation {
  /** Stable id `<resource>.<kind>` or `<resource>.<name>`, e.g. `leaves.list`, `approvals.pending`. */
  readonly id: string;
  /** The Postman folder the request lives in (e.g. "Leaves", "Assignment Request"). */
  readonly group: string;
  /** Resource collection the operation acts on (`leaves`, `user_shifts`, `slacks`, `auth`). */
  readonly resource: string;
  readonly kind: OperationKind;
  readonly method: HttpMethod;
  /**
   * Full path template with `{name}` parameters, e.g. `/api/public/v1/shifts/{shift_id}/slacks/{id}`.
   * Always the intended, prefixed path (API.md §9.1), never the collection's typos.
   */
  readonly path: string;
  /** Request body, absent for operations that send none. */
  readonly body?: BodySpec;
  /** Non-filter query parameters (e.g. `flow_type` of approval_flows/by_type). */
  readonly query?: FieldsSchema;
  /** Whether the list is paginated (`page`, `per_page`; API.md §4). */
  readonly paginated?: boolean;
  /** Documented filters for list operations (API.md §5). */
  readonly filters?: readonly FilterSpec[];
  /** Whether `q[s]=<column> asc|desc` sorting is documented for this list. */
  readonly sortable?: boolean;
  /** Credentials that may call it (API.md §2.3 and the sandbox policy). */
  readonly modes: readonly AuthMode[];
  /**
   * MCP tool name, `passgage_<verb>_<object>`, snake_case, at most 64 characters.
   * `null` for the auth operations, which the session tools and the session
   * machinery call (login, refresh, logout) rather than a tool of their own.
   */
  readonly toolName: string | null;
  /** Tool title (human, short). */
  readonly title: string;
  /** What the operation does, for the model: one or two sentences, with rules from API.md. */
  readonly description: string;
  /** HTTP status of success (201 for most creates; 200 for user shift create). */
  readonly successStatus: 200 | 201;
}
