/**
 * The Passgage response envelope (API.md §3) and the reply values handlers
 * return. Successes are `{success, status, message, data, meta}`; errors are
 * `{success:false, status, message, errors}`.
 */
import type { Json, JsonObject } from "./types";

/** What a handler answers: an HTTP status, a JSON (or raw text) body, extra headers. */
export interface Reply {
  readonly status: number;
  readonly body: Json;
  /** When set, sent verbatim instead of `JSON.stringify(body)`. */
  readonly raw?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

/** List pagination metadata (API.md §4). */
export interface PageMeta {
  readonly current_page: number;
  readonly total_pages: number;
  readonly total_count: number;
}

/** A success envelope. `meta` defaults to `{}` (single records). */
export function ok(status: number, message: string, data: Json, meta: JsonObject | null = {}): Reply {
  return { status, body: { success: true, status, message, data, meta } };
}

/** A list envelope with pagination metadata. */
export function okList(data: Json[], meta: PageMeta): Reply {
  return ok(200, "", data, { ...meta });
}

/** An error envelope. */
export function fail(status: number, message: string, errors: Json[] = []): Reply {
  return { status, body: { success: false, status, message, errors } };
}

/** A field error in the documented form `{field_name, messages[]}`. */
export interface FieldError {
  readonly field_name: string;
  readonly messages: readonly string[];
}

/** 422 "Unprocessable entity" with field errors (API.md §3). */
export function unprocessable(errors: readonly FieldError[], message = "Unprocessable entity"): Reply {
  return fail(
    422,
    message,
    errors.map((e) => ({ field_name: e.field_name, messages: [...e.messages] })),
  );
}

/** Merges field errors that name the same field. */
export function mergeFieldErrors(errors: readonly FieldError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const e of errors) {
    const list = byField.get(e.field_name) ?? [];
    for (const m of e.messages) if (!list.includes(m)) list.push(m);
    byField.set(e.field_name, list);
  }
  return [...byField].map(([field_name, messages]) => ({ field_name, messages }));
}

/** 404 with the common "Couldn't find the record" message unless another is given. */
export function notFound(message = "Couldn't find the record", errors: Json[] = []): Reply {
  return fail(404, message, errors);
}

/** 401 envelope. */
export function unauthorized(message = "Unauthorized", errors: Json[] = []): Reply {
  return fail(401, message, errors);
}

/** 403 envelope. */
export function forbidden(reason: string): Reply {
  return fail(403, "Forbidden", [reason]);
}
