/**
 * Request body validation against the contract table (src/contract): the
 * body spec of an operation says whether fields come under a wrapper key
 * (`{ leave: {...} }`), bare, or as a bare array, and its zod/mini schema
 * types the fields. The sandbox answers:
 * - 400 for a body that is not JSON;
 * - 422 "Parametre eksik veya değer boş" (Rails `ParameterMissing`, API.md §3)
 *   when the wrapper key is missing or not an object;
 * - 422 "Unprocessable entity" with `{field_name, messages}` errors for
 *   unknown field names, missing required fields and wrong types.
 * Multipart bodies (leave update) arrive as `leave[title]` text parts; their
 * string values are coerced to booleans or numbers where the schema wants them.
 */
import * as z from "zod/mini";
import type { BodySpec } from "../src/contract/types";
import { type FieldError, fail, mergeFieldErrors, type Reply, unprocessable } from "./envelope";
import { castBool, isObject } from "./json";
import type { Json, JsonObject, SandboxBody } from "./types";

/** Options from the resource definition that shape 422 answers. */
export interface ValidationStyle {
  /** 422 message instead of "Unprocessable entity". */
  readonly message?: string;
  /** Field names to report instead of the body's (`shift_id` → `shift`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Human labels for "… doldurulmalı". */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The validated body: an object of fields, or a list of them (presigned upload). */
export type ValidatedBody =
  { readonly ok: true; readonly fields: JsonObject; readonly items: readonly JsonObject[] } | { readonly ok: false; readonly reply: Reply };

const FORM_KEY = /^([^[\]]+)\[([^\]]+)\](\[\])?$/;

/** Turns multipart text parts into a nested object (`leave[title]` → `{leave:{title}}`). */
export function formToObject(fields: readonly (readonly [string, string])[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of fields) {
    const m = FORM_KEY.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const outer = m[1] ?? "";
    const inner = m[2] ?? "";
    const existing = out[outer];
    const holder: JsonObject = isObject(existing) ? existing : {};
    if (m[3] !== undefined) {
      const prev = holder[inner];
      holder[inner] = Array.isArray(prev) ? [...prev, value] : [value];
    } else holder[inner] = value;
    out[outer] = holder;
  }
  return out;
}

/** Parses the raw body into JSON (undefined when there is none). */
export function bodyValue(body: SandboxBody): { ok: true; value: Json | undefined } | { ok: false; reply: Reply } {
  switch (body.kind) {
    case "none":
    case "bytes":
      return { ok: true, value: undefined };
    case "form":
      return { ok: true, value: formToObject(body.fields) };
    case "json": {
      if (body.text.trim() === "") return { ok: true, value: undefined };
      try {
        return { ok: true, value: JSON.parse(body.text) as Json };
      } catch {
        return { ok: false, reply: fail(400, "Bad request", ["The request body is not valid JSON"]) };
      }
    }
  }
}

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `${issue.expected} bekleniyor`;
  if (issue.code === "invalid_value") return `izin verilen değerler: ${issue.values.map(String).join(", ")}`;
  if (issue.code === "invalid_format") return "biçim geçersiz";
  if (issue.code === "too_small") return `çok kısa/küçük (en az ${String(issue.minimum)})`;
  if (issue.code === "too_big") return `çok uzun/büyük (en fazla ${String(issue.maximum)})`;
  return "geçersiz";
}

/** Coerces form strings towards what a field's schema accepts. */
function coerceField(schema: z.core.$ZodType, value: Json): Json {
  if (z.safeParse(schema, value).success || typeof value !== "string") return value;
  const candidates: Json[] = [];
  const b = castBool(value);
  if (b !== null) candidates.push(b);
  if (value.trim() !== "" && Number.isFinite(Number(value))) candidates.push(Number(value));
  if (value === "") candidates.push(null);
  for (const c of candidates) if (z.safeParse(schema, c).success) return c;
  return value;
}

/** Validates one object of fields against the contract schema. */
function validateFields(
  spec: BodySpec,
  input: JsonObject,
  coerce: boolean,
  style: ValidationStyle,
  prefix: string,
): { ok: true; fields: JsonObject } | { ok: false; errors: FieldError[] } {
  const shape = spec.fields.def.shape;
  const name = (field: string): string => `${prefix}${style.aliases?.[field] ?? field}`;
  const errors: FieldError[] = [];
  const candidate: JsonObject = {};
  for (const [key, value] of Object.entries(input)) {
    const fieldSchema = shape[key];
    if (fieldSchema === undefined) {
      errors.push({ field_name: name(key), messages: ["is not a permitted parameter"] });
      continue;
    }
    const given = coerce ? coerceField(fieldSchema, value) : value;
    // Rails treats a blank parameter as absent: the collection's own device
    // examples send `direction: ""` and `device_type: ""` and succeed.
    if (given === "" && !z.safeParse(fieldSchema, "").success && z.safeParse(fieldSchema, undefined).success) continue;
    candidate[key] = given;
  }
  const result = z.safeParse(spec.fields, candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "base");
      const label = style.labels?.[field] ?? field;
      const given = candidate[field];
      const blank = given === undefined || given === null || given === "";
      errors.push({
        field_name: name(field),
        messages: [blank ? `${label} doldurulmalı` : `${label} geçersiz (${describeExpected(issue)})`],
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const data: unknown = result.success ? result.data : candidate;
  return { ok: true, fields: isObject(data) ? data : candidate };
}

/** Validates a request body against an operation's body spec. */
export function validateBody(spec: BodySpec | undefined, body: SandboxBody, style: ValidationStyle = {}): ValidatedBody {
  if (!spec) return { ok: true, fields: {}, items: [] };
  const parsed = bodyValue(body);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const coerce = body.kind === "form";
  const missing = (): ValidatedBody => ({ ok: false, reply: fail(422, "Parametre eksik veya değer boş", []) });
  if (spec.array) {
    if (!Array.isArray(value) || value.length === 0) return missing();
    const items: JsonObject[] = [];
    const errors: FieldError[] = [];
    value.forEach((item, i) => {
      if (!isObject(item)) {
        errors.push({ field_name: `[${i}]`, messages: ["nesne bekleniyor"] });
        return;
      }
      const r = validateFields(spec, item, coerce, style, `[${i}].`);
      if (r.ok) items.push(r.fields);
      else errors.push(...r.errors);
    });
    if (errors.length > 0) return { ok: false, reply: unprocessable(mergeFieldErrors(errors), style.message) };
    return { ok: true, fields: {}, items };
  }
  let inner: Json | undefined = value;
  if (spec.wrapper !== null) inner = isObject(value) ? value[spec.wrapper] : undefined;
  if (!isObject(inner)) {
    // A bare body that is simply absent means "no fields" (all-optional updates).
    if (spec.wrapper === null && inner === undefined) inner = {};
    else return missing();
  }
  const r = validateFields(spec, inner, coerce, style, "");
  if (!r.ok) return { ok: false, reply: unprocessable(mergeFieldErrors(r.errors), style.message) };
  return { ok: true, fields: r.fields, items: [] };
}
