/**
 * Shared zod/mini field builders for the contract table (API.md §1 formats).
 *
 * Every builder takes the field's meaning and returns a fresh schema whose
 * description also states the wire format, so a language model reading the
 * tool's JSON Schema knows both what to send and how to write it
 * ("First day of the leave (YYYY-MM-DD)."). Builders never mark a field
 * optional; wrap with `z.optional(...)` at the use site.
 *
 * Ids are validated loosely on purpose: the API's ids are UUID v4 strings, but
 * many ids in the vendor's own examples are truncated (API.md §1), so an id is
 * any non-empty token of at most 64 characters from `[0-9A-Za-z_-]`.
 */
import * as z from "zod/mini";
import type { FilterSpec } from "./types";

/** Loose id shape: 1–64 characters of `[0-9A-Za-z_-]` (UUIDs, truncated UUIDs). */
export const ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
/** Calendar date `YYYY-MM-DD`. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Local date and time of day `YYYY-MM-DD HH:MM` (leave start/end). */
export const DATE_TIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d$/;
/** Time of day `HH:MM` (24-hour clock). */
export const TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A calendar date or an ISO-8601 timestamp (target goal periods accept both). */
export const DATE_OR_TIMESTAMP_PATTERN =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;
/** `#RRGGBB` colour. */
export const HEX_COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

/** Joins a meaning and a format hint into one description sentence. */
function withFormat(meaning: string, format: string): string {
  const trimmed = meaning.trim().replace(/\.$/, "");
  return `${trimmed}. Format: ${format}.`;
}

/** Ends a description with a full stop. */
function sentence(meaning: string): string {
  const trimmed = meaning.trim();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** An id of a Passgage record (UUID; validated loosely, see the file header). */
export function uuid(meaning: string) {
  return z.string().check(z.regex(ID_PATTERN), z.describe(withFormat(meaning, "UUID")));
}

/** A list of record ids. */
export function uuidList(meaning: string) {
  return z.array(z.string().check(z.regex(ID_PATTERN))).check(z.describe(withFormat(meaning, "array of UUIDs")));
}

/** A calendar date `YYYY-MM-DD`. */
export function date(meaning: string) {
  return z.string().check(z.regex(DATE_PATTERN), z.describe(withFormat(meaning, "YYYY-MM-DD")));
}

/** A local date and time `YYYY-MM-DD HH:MM`. */
export function dateTime(meaning: string) {
  return z.string().check(z.regex(DATE_TIME_PATTERN), z.describe(withFormat(meaning, '"YYYY-MM-DD HH:MM", 24-hour')));
}

/** A time of day `HH:MM`. */
export function timeOfDay(meaning: string) {
  return z.string().check(z.regex(TIME_OF_DAY_PATTERN), z.describe(withFormat(meaning, "HH:MM, 24-hour")));
}

/** A calendar date or an ISO-8601 timestamp. */
export function dateOrTimestamp(meaning: string) {
  return z.string().check(z.regex(DATE_OR_TIMESTAMP_PATTERN), z.describe(withFormat(meaning, "YYYY-MM-DD or ISO-8601 timestamp")));
}

/** Free text. */
export function text(meaning: string) {
  return z.string().check(z.describe(sentence(meaning)));
}

/** Text with length bounds (inclusive). */
export function boundedText(meaning: string, min: number, max: number) {
  return z.string().check(z.minLength(min), z.maxLength(max), z.describe(withFormat(meaning, `${min}-${max} characters`)));
}

/** A `#RRGGBB` colour. */
export function hexColor(meaning: string) {
  return z.string().check(z.regex(HEX_COLOR_PATTERN), z.describe(withFormat(meaning, "#RRGGBB")));
}

/** A boolean. */
export function bool(meaning: string) {
  return z.boolean().check(z.describe(sentence(meaning)));
}

/** A boolean that may also be null (the API treats null as "unset"). */
export function nullableBool(meaning: string) {
  return z.nullable(z.boolean()).check(z.describe(withFormat(meaning, "true, false or null")));
}

/**
 * A Rails-style flag: `true`/`false`, `1`/`0` or `"1"`/`"0"` (the collection
 * sends `is_hourly_leave: "1"` and `is_signed: 1`; Rails casts all of them).
 */
export function flag(meaning: string) {
  return z
    .union([z.boolean(), z.literal([0, 1]), z.literal(["0", "1"])])
    .check(z.describe(withFormat(meaning, 'true/false; 1/0 and "1"/"0" are also accepted')));
}

/** An integer. */
export function int(meaning: string) {
  return z.int().check(z.describe(withFormat(meaning, "integer")));
}

/** A non-negative integer. */
export function nonNegativeInt(meaning: string) {
  return z.int().check(z.minimum(0), z.describe(withFormat(meaning, "integer >= 0")));
}

/** A number (decimals allowed). */
export function num(meaning: string) {
  return z.number().check(z.describe(withFormat(meaning, "number")));
}

/** One of a fixed set of names (the JSON Schema `enum` lists them, so the description does not). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, meaning: string) {
  return z.enum(values).check(z.describe(sentence(meaning)));
}

/** A list of free-text values (sent as repeated `q[key][]=` parameters in filters). */
export function textList(meaning: string) {
  return z.array(z.string()).check(z.describe(withFormat(meaning, "array of strings")));
}

/**
 * A documented Ransack filter (API.md §5). The filter's description is the
 * schema's own (format included). `enumCodes` makes the tool accept enum names
 * and send their integer codes (`approved` → `q[status_eq]=2`).
 */
export function filter(key: string, schema: z.ZodMiniType, enumCodes?: Readonly<Record<string, number>>): FilterSpec {
  const description = z.globalRegistry.get(schema)?.description ?? key;
  return enumCodes === undefined ? { key, schema, description } : { key, schema, description, enumCodes };
}
