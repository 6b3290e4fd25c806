/**
 * Pure request builder: (contract operation, validated tool input) → the
 * `UpstreamRequest` the Passgage client sends. The only place that knows how
 * flat tool arguments map onto the wire (API.md §1, §4, §5):
 *
 * - path parameters (`{id}`, `{shift_id}`) are filled in, percent-encoded;
 * - list paging `page` / `per_page` (clamped to 50) become query parameters;
 * - `filter` entries become Ransack `q[key]=value` (arrays as repeated
 *   `q[key][]=`), enum names become their integer codes via `enumCodes`;
 * - `sort` becomes `q[s]`; the operation's own query fields (`flow_type`)
 *   stay plain query parameters;
 * - body fields are collected from the top level of the input and nested under
 *   the operation's wrapper key (`{ leave: {...} }`), sent bare when the
 *   wrapper is null, as a bare array for the presigned upload (`files`), or as
 *   multipart form data (`leave[title]`, `files[]`) for the leave update.
 *
 * Nothing here validates: the tool's input schema did that. Unknown input keys
 * are ignored, so the builder can never send a field the contract lacks.
 */
import { pathParams } from "../contract/operations";
import type { FilterSpec, Operation } from "../contract/types";
import type { UpstreamRequest } from "./client";

/** Largest page size the API accepts (API.md §4). */
export const MAX_PER_PAGE = 50;

/** Name of the tool argument holding Ransack filters. */
export const FILTER_ARG = "filter";
/** Name of the tool argument holding the sort expression (`q[s]`). */
export const SORT_ARG = "sort";
/** Name of the tool argument holding a bare-array body or multipart attachments. */
export const FILES_ARG = "files";

/** A file attached to a multipart body, as the tool receives it. */
export interface AttachmentInput {
  readonly filename: string;
  readonly content_type: string;
  readonly content_base64: string;
}

type Input = Readonly<Record<string, unknown>>;

/** Fills the `{name}` parameters of an operation's path from the input. */
export function buildPath(op: Operation, input: Input): string {
  let path = op.path;
  for (const name of pathParams(op.path)) {
    const value = input[name];
    path = path.replace(`{${name}}`, encodeURIComponent(typeof value === "string" || typeof value === "number" ? String(value) : ""));
  }
  return path;
}

/** Body field names of an operation (inside the wrapper), in contract order. */
export function bodyFieldNames(op: Operation): readonly string[] {
  return op.body ? Object.keys(op.body.fields.shape) : [];
}

/** The body fields present in the input, as a fresh object in contract order. */
export function pickBodyFields(op: Operation, input: Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of bodyFieldNames(op)) {
    const value = input[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function scalarParam(value: unknown): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  // Validated input holds only scalars here; anything else is sent as JSON rather than "[object Object]".
  return typeof value === "number" || typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? "");
}

function filterValue(spec: FilterSpec, value: unknown): unknown {
  if (spec.enumCodes !== undefined && typeof value === "string") {
    const code = spec.enumCodes[value];
    if (code !== undefined) return code;
  }
  return value;
}

/** The query string of a list operation: paging, Ransack filters, sort and plain query fields. */
export function buildQuery(op: Operation, input: Input): URLSearchParams {
  const q = new URLSearchParams();
  if (op.query) {
    for (const key of Object.keys(op.query.shape)) {
      const value = input[key];
      if (value !== undefined) q.append(key, scalarParam(value));
    }
  }
  if (op.paginated) {
    const page = input.page;
    const perPage = input.per_page;
    if (typeof page === "number") q.set("page", String(Math.max(1, Math.trunc(page))));
    if (typeof perPage === "number") q.set("per_page", String(Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(perPage)))));
  }
  const filters = input[FILTER_ARG];
  if (op.filters && filters !== null && typeof filters === "object") {
    const given = filters as Input;
    for (const spec of op.filters) {
      const value = given[spec.key];
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        for (const v of value) q.append(`q[${spec.key}][]`, scalarParam(filterValue(spec, v)));
      } else {
        q.append(`q[${spec.key}]`, scalarParam(filterValue(spec, value)));
      }
    }
  }
  const sort = input[SORT_ARG];
  if (op.sortable && typeof sort === "string" && sort !== "") q.set("q[s]", sort);
  return q;
}

function formValue(value: unknown): string {
  if (value === true) return "1";
  if (value === false) return "0";
  return scalarParam(value);
}

/** Decodes standard base64 to bytes (inputs are validated as base64 by the tool schema). */
function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function multipartBody(wrapper: string, fields: Record<string, unknown>, files: unknown): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) form.append(`${wrapper}[${key}][]`, formValue(v));
    else form.append(`${wrapper}[${key}]`, formValue(value));
  }
  if (Array.isArray(files)) {
    for (const f of files as readonly AttachmentInput[]) {
      form.append("files[]", new File([base64Bytes(f.content_base64)], f.filename, { type: f.content_type }));
    }
  }
  return form;
}

/** Only the contract's field names of each item of a bare-array body. */
function arrayBody(op: Operation, items: unknown): Record<string, unknown>[] {
  if (!Array.isArray(items)) return [];
  return items.map((item) => pickBodyFields(op, (item ?? {}) as Input));
}

/** The request body of an operation, or undefined when it sends none. */
export function buildBody(op: Operation, input: Input): unknown {
  const spec = op.body;
  if (!spec) return undefined;
  if (spec.array === true) return arrayBody(op, input[FILES_ARG]);
  const fields = pickBodyFields(op, input);
  if (spec.encoding === "multipart" && spec.wrapper !== null) return multipartBody(spec.wrapper, fields, input[FILES_ARG]);
  return spec.wrapper === null ? fields : { [spec.wrapper]: fields };
}

/** Builds the upstream request of one operation from a validated, flat tool input. */
export function buildRequest(op: Operation, input: Input): UpstreamRequest {
  const query = op.method === "GET" ? buildQuery(op, input) : undefined;
  const body = buildBody(op, input);
  return {
    method: op.method,
    path: buildPath(op, input),
    ...(query && [...query.keys()].length > 0 ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
    label: op.id,
  };
}
