/**
 * Helpers resource definitions share to build, change and check records:
 * new ids and timestamps, picking response keys, references to other
 * records of the caller's company, and the localised 422 messages.
 */
import { buildRecord } from "./columns";
import type { Ctx } from "./context";
import { type FieldError, type Reply, unprocessable } from "./envelope";
import { isBlank } from "./json";
import type { WriteOutcome } from "./resource";
import type { Json, JsonObject, Rec, TableName } from "./types";

/** A new record of the caller's company with a random id and the current time. */
export function newRecord(table: TableName, ctx: Ctx, fields: JsonObject): Rec {
  return buildRecord(table, { id: crypto.randomUUID(), company_id: ctx.companyId, created_at: ctx.now }, fields);
}

/** The record with fields applied and `updated_at` bumped. */
export function touch(rec: Rec, fields: JsonObject, ctx: Ctx): Rec {
  return { ...rec, ...fields, id: rec.id, company_id: rec.company_id, updated_at: ctx.now };
}

/** The given keys of a record, in order (missing ones as null). */
export function pick(rec: Rec, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) out[k] = rec[k] ?? null;
  return out;
}

/** A successful write outcome. */
export function written(rec: Rec): WriteOutcome {
  return { ok: true, rec };
}

/** A refused write outcome. */
export function refused(reply: Reply): WriteOutcome {
  return { ok: false, reply };
}

/** A refused write with 422 field errors. */
export function invalid(errors: readonly FieldError[], message?: string): WriteOutcome {
  return refused(unprocessable(errors, message));
}

/** "<label> doldurulmalı" (must be filled). */
export function blankMessage(label: string): string {
  return `${label} doldurulmalı`;
}

/** "<label> hali hazırda kullanılmakta" (already in use). */
export function takenMessage(label: string): string {
  return `${label} hali hazırda kullanılmakta`;
}

/** A field error when a value is blank. */
export function requireFilled(value: Json | undefined, field: string, label: string): FieldError | null {
  return isBlank(value) ? { field_name: field, messages: [blankMessage(label)] } : null;
}

/** A field error when another record of the company already uses the value (case-insensitive). */
export function requireUnique(
  ctx: Ctx,
  table: TableName,
  column: string,
  value: Json | undefined,
  label: string,
  exceptId?: string,
): FieldError | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const v = value.trim().toLocaleLowerCase("tr-TR");
  const clash = ctx.store
    .ofCompany(table, ctx.companyId)
    .some((r) => r.id !== exceptId && typeof r[column] === "string" && String(r[column]).trim().toLocaleLowerCase("tr-TR") === v);
  return clash ? { field_name: column, messages: [takenMessage(label)] } : null;
}

/** A field error when an id does not name a record of the company (`must exist`). */
export function requireRef(ctx: Ctx, table: TableName, id: Json | undefined, field: string, label: string): FieldError | null {
  if (id === undefined || id === null || id === "") return null;
  if (typeof id === "string" && ctx.store.getInCompany(table, id, ctx.companyId)) return null;
  return { field_name: field, messages: [`${label} bulunamadı`] };
}

/** Collects non-null field errors. */
export function errorsOf(...errors: (FieldError | null)[]): FieldError[] {
  return errors.filter((e): e is FieldError => e !== null);
}

/** Only the keys of `fields` that are not undefined (zod leaves absent optionals out already). */
export function defined(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
