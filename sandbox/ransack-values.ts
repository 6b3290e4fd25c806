/**
 * How Ransack compares one stored value with one filter value (API.md §5): casting to the
 * column's type, enum codes, PostgreSQL-like ILIKE folding and NULL semantics. The condition
 * parsing and record walking are in ransack.ts.
 */
import { castBool } from "./json";
import { parseInstant } from "./time";
import type { Json } from "./types";

/** A Ransack predicate without its `_any` / `_all` quantifier. */
export type BasePredicate =
  | "eq"
  | "not_eq"
  | "lt"
  | "lteq"
  | "gt"
  | "gteq"
  | "in"
  | "not_in"
  | "cont"
  | "not_cont"
  | "i_cont"
  | "not_i_cont"
  | "start"
  | "not_start"
  | "end"
  | "not_end"
  | "matches"
  | "does_not_match"
  | "present"
  | "blank"
  | "null"
  | "not_null"
  | "true"
  | "not_true"
  | "false"
  | "not_false"
  | "between";

export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Orders a stored value against a filter value cast to the stored type; null when incomparable. */
export function compare(v: Json, s: string, codes: Readonly<Record<string, number>> | undefined): number | null {
  if (v === null) return null;
  const t = s.trim();
  if (codes !== undefined && typeof v === "string") {
    const code = codes[v];
    if (/^-?\d+$/.test(t)) return code === undefined ? null : sign(code - Number(t));
    const other = codes[t];
    if (code !== undefined && other !== undefined) return sign(code - other);
    return v === t ? 0 : v < t ? -1 : 1;
  }
  if (typeof v === "number") {
    if (t === "" || !Number.isFinite(Number(t))) return null;
    return sign(v - Number(t));
  }
  if (typeof v === "boolean") {
    const b = castBool(t);
    if (b === null) return null;
    return v === b ? 0 : v ? 1 : -1;
  }
  if (typeof v === "string") {
    if (ISO_TIMESTAMP.test(v)) {
      const a = parseInstant(v);
      const b = parseInstant(t);
      if (a !== null && b !== null) return sign(a - b);
    } else if (DATE_ONLY.test(v) && /^\d{4}-\d{2}-\d{2}/.test(t)) {
      const d = t.slice(0, 10);
      return v === d ? 0 : v < d ? -1 : 1;
    } else if (NUMERIC.test(v) && NUMERIC.test(t)) {
      return sign(Number(v) - Number(t));
    }
    return v === t ? 0 : v < t ? -1 : 1;
  }
  return null;
}

/** Case folding close to PostgreSQL ILIKE for Turkish text (İ/I/ı all fold to i). */
function fold(s: string): string {
  return s
    .replace(/İ/g, "i")
    .replace(/I/g, "i")
    .replace(/ı/g, "i")
    .toLowerCase()
    .replace(/i\u0307/g, "i");
}

/** Text of a stored value for pattern predicates; null when it has none. */
function textOf(v: Json): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return null;
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE pattern (`%`, `_`, `\` escapes) as a case-insensitive anchored regex. */
function likeToRegex(pattern: string): RegExp {
  const cached = likeCache.get(pattern);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\" && i + 1 < pattern.length) {
      re += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const regex = new RegExp(`^${re}$`, "s");
  if (likeCache.size > 500) likeCache.clear();
  likeCache.set(pattern, regex);
  return regex;
}

/** Tests one stored value against one filter value. */
export function testOne(base: BasePredicate, v: Json, s: string, codes: Readonly<Record<string, number>> | undefined): boolean {
  switch (base) {
    case "eq":
      return compare(v, s, codes) === 0;
    case "not_eq": {
      const c = compare(v, s, codes);
      return c !== null && c !== 0;
    }
    case "lt": {
      const c = compare(v, s, codes);
      return c !== null && c < 0;
    }
    case "lteq": {
      const c = compare(v, s, codes);
      return c !== null && c <= 0;
    }
    case "gt": {
      const c = compare(v, s, codes);
      return c !== null && c > 0;
    }
    case "gteq": {
      const c = compare(v, s, codes);
      return c !== null && c >= 0;
    }
    case "cont":
    case "i_cont": {
      const t = textOf(v);
      return t !== null && fold(t).includes(fold(s));
    }
    case "not_cont":
    case "not_i_cont": {
      const t = textOf(v);
      return t !== null && !fold(t).includes(fold(s));
    }
    case "start": {
      const t = textOf(v);
      return t !== null && fold(t).startsWith(fold(s));
    }
    case "not_start": {
      const t = textOf(v);
      return t !== null && !fold(t).startsWith(fold(s));
    }
    case "end": {
      const t = textOf(v);
      return t !== null && fold(t).endsWith(fold(s));
    }
    case "not_end": {
      const t = textOf(v);
      return t !== null && !fold(t).endsWith(fold(s));
    }
    case "matches": {
      const t = textOf(v);
      return t !== null && likeToRegex(fold(s)).test(fold(t));
    }
    case "does_not_match": {
      const t = textOf(v);
      return t !== null && !likeToRegex(fold(s)).test(fold(t));
    }
    default:
      return false;
  }
}

function isBlankValue(v: Json): boolean {
  return v === null || (typeof v === "string" && v.trim() === "");
}

/** Tests a boolean-argument predicate (`null`, `present`, `true`, ...) against one stored value. */
export function testFlag(base: BasePredicate, v: Json, flag: boolean): boolean {
  switch (base) {
    case "null":
      return (v === null) === flag;
    case "not_null":
      return (v !== null) === flag;
    case "present":
      return !isBlankValue(v) === flag;
    case "blank":
      return isBlankValue(v) === flag;
    case "true":
      return flag ? v === true : v !== true && v !== null;
    case "not_true":
      return flag ? v !== true && v !== null : v === true;
    case "false":
      return flag ? v === false : v !== false && v !== null;
    case "not_false":
      return flag ? v !== false && v !== null : v === false;
    default:
      return false;
  }
}
