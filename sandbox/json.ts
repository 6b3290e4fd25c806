/**
 * Narrowing helpers for JSON values read from stored records and request
 * bodies (the sandbox never uses `any`).
 */
import type { Json, JsonObject } from "./types";

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as a string, or null. */
export function str(value: Json | undefined): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * The value as text: strings as they are, numbers and booleans as `String()` writes
 * them, null and undefined as "", objects and arrays as JSON (never "[object Object]").
 */
export function text(value: Json | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The value as a number (numeric strings included), or null. */
export function num(value: Json | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The value as an array of strings (non-strings dropped). */
export function strList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Rails-style boolean cast: true, "1", 1, "true", "t", "yes" → true;
 * false, "0", 0, "false", "f", "no" → false; anything else → null.
 */
export function castBool(value: Json | undefined): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1") return true;
  if (value === 0 || value === "0") return false;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true" || v === "t" || v === "yes" || v === "on") return true;
    if (v === "false" || v === "f" || v === "no" || v === "off") return false;
  }
  return null;
}

/** True when the value is null, undefined, an empty or whitespace-only string. */
export function isBlank(value: Json | undefined): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}
