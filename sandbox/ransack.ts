/**
 * Ransack filtering and sorting over in-memory records (API.md §5).
 *
 * A condition key is `<attribute>[_or_<attribute>...]_<predicate>`; attributes
 * may walk associations (`user_client_id` on a leave reads the user's
 * `client_id`). Supported predicates: eq, not_eq, lt, lteq, gt, gteq (each
 * also with `_any` / `_all`), in, not_in, cont, not_cont, i_cont, start,
 * not_start, end, not_end, matches, does_not_match (SQL LIKE with `%` and `_`,
 * case-insensitive like PostgreSQL ILIKE; all with `_any` / `_all`), present,
 * blank, null, not_null, true, false, not_true, not_false, and `between`
 * (listed by the collection, not stock Ransack: two values, inclusive).
 *
 * Semantics follow Ransack on PostgreSQL:
 * - values are cast to the column's type (numbers, booleans `1/0/true/false`,
 *   dates and timestamps; a bare date means midnight in the company zone);
 * - enum columns hold names but compare by integer code when the value is an
 *   integer (`q[status_eq]=2` = approved), by name otherwise;
 * - a condition with a blank value is dropped, as Ransack does;
 * - NULL never satisfies a comparison (`not_eq` included), as in SQL;
 * - unknown attributes or predicates are ignored (Ransack's default
 *   `ignore_unknown_conditions`), and reported back to the caller so the
 *   sandbox can name them in a debugging header.
 */
import { castBool } from "./json";
import { type BasePredicate, compare, ISO_TIMESTAMP, testFlag, testOne } from "./ransack-values";
import type { QueryValue } from "./query";
import { parseInstant } from "./time";
import type { Json, Rec } from "./types";

/** One association a table exposes to Ransack. */
export interface SearchAssociation<T extends string> {
  readonly name: string;
  readonly target: T;
  /** Records the association leads to (empty when unset). */
  follow(rec: Rec): readonly Rec[];
}

/** How Ransack sees the tables: attributes, associations and enums. */
export interface SearchSpace<T extends string> {
  /** True when `name` is a column or virtual attribute of `table`. */
  hasAttribute(table: T, name: string): boolean;
  /** Reads an attribute (arrays are multi-valued, e.g. `zone_ids`). */
  read(table: T, rec: Rec, name: string): Json;
  /** Associations of a table. */
  associations(table: T): readonly SearchAssociation<T>[];
  /** Name → integer code map when `name` is an enum column of `table`. */
  enumCodes(table: T, name: string): Readonly<Record<string, number>> | undefined;
}

const QUANTIFIABLE: readonly BasePredicate[] = [
  "eq",
  "not_eq",
  "lt",
  "lteq",
  "gt",
  "gteq",
  "cont",
  "not_cont",
  "i_cont",
  "not_i_cont",
  "start",
  "not_start",
  "end",
  "not_end",
  "matches",
  "does_not_match",
];
const PLAIN: readonly BasePredicate[] = [
  ...QUANTIFIABLE,
  "in",
  "not_in",
  "present",
  "blank",
  "null",
  "not_null",
  "true",
  "not_true",
  "false",
  "not_false",
  "between",
];
const BOOLEAN_ARG: ReadonlySet<BasePredicate> = new Set(["present", "blank", "null", "not_null", "true", "not_true", "false", "not_false"]);

type Quantifier = "any" | "all" | null;

interface PredicateName {
  readonly name: string;
  readonly base: BasePredicate;
  readonly quantifier: Quantifier;
}

/** Every predicate suffix, longest first so `not_eq` wins over `eq`. */
const PREDICATES: readonly PredicateName[] = [
  ...PLAIN.map((base) => ({ name: base, base, quantifier: null })),
  ...QUANTIFIABLE.flatMap((base) => [
    { name: `${base}_any`, base, quantifier: "any" as const },
    { name: `${base}_all`, base, quantifier: "all" as const },
  ]),
].sort((a, b) => b.name.length - a.name.length);

/** A resolved attribute path: associations to follow, then an attribute. */
interface AttributePath<T extends string> {
  readonly steps: readonly SearchAssociation<T>[];
  readonly table: T;
  readonly attribute: string;
}

/** A parsed condition. */
interface Condition<T extends string> {
  readonly paths: readonly AttributePath<T>[];
  readonly combinator: "or" | "and";
  readonly predicate: PredicateName;
  readonly values: readonly string[];
  readonly flag: boolean;
}

/** Resolves `user_client_id` against a table, walking associations; null when unknown. */
function resolvePath<T extends string>(space: SearchSpace<T>, table: T, name: string, depth = 0): AttributePath<T> | null {
  if (space.hasAttribute(table, name)) return { steps: [], table, attribute: name };
  if (depth >= 3) return null;
  const assocs = [...space.associations(table)].sort((a, b) => b.name.length - a.name.length);
  for (const assoc of assocs) {
    if (name.startsWith(`${assoc.name}_`)) {
      const rest = resolvePath(space, assoc.target, name.slice(assoc.name.length + 1), depth + 1);
      if (rest) return { steps: [assoc, ...rest.steps], table: rest.table, attribute: rest.attribute };
    }
  }
  return null;
}

/** Splits `first_name_or_last_name` into resolvable attributes, trying `_or_` then `_and_`. */
function resolveAttributes<T extends string>(
  space: SearchSpace<T>,
  table: T,
  attr: string,
): { paths: AttributePath<T>[]; combinator: "or" | "and" } | null {
  const whole = resolvePath(space, table, attr);
  if (whole) return { paths: [whole], combinator: "or" };
  for (const combinator of ["or", "and"] as const) {
    const parts = attr.split(`_${combinator}_`);
    if (parts.length < 2) continue;
    const paths = parts.map((p) => resolvePath(space, table, p));
    if (paths.every((p): p is AttributePath<T> => p !== null)) return { paths, combinator };
  }
  return null;
}

/** Values of an attribute path on a record (joins fan out; a missing association yields null). */
function valuesOf<T extends string>(space: SearchSpace<T>, path: AttributePath<T>, rec: Rec): Json[] {
  let recs: readonly Rec[] = [rec];
  for (const step of path.steps) recs = recs.flatMap((r) => step.follow(r));
  if (recs.length === 0) return [null];
  const out: Json[] = [];
  for (const r of recs) {
    const v = space.read(path.table, r, path.attribute);
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(null);
      else out.push(...v);
    } else out.push(v);
  }
  return out;
}

/** Whether the candidate values of one attribute satisfy the condition. */
function testValues(cond: Condition<string>, vals: readonly Json[], codes: Readonly<Record<string, number>> | undefined): boolean {
  const { base, quantifier } = cond.predicate;
  if (BOOLEAN_ARG.has(base)) {
    // A blank/present test over joined rows: true if any joined row satisfies it.
    return vals.some((v) => testFlag(base, v, cond.flag));
  }
  if (base === "in") return vals.some((v) => cond.values.some((s) => compare(v, s, codes) === 0));
  if (base === "not_in")
    return vals.some((v) => v !== null && cond.values.every((s) => compare(v, s, codes) !== 0 && compare(v, s, codes) !== null));
  if (base === "between") {
    const [lo, hi] = cond.values;
    if (lo === undefined || hi === undefined) return false;
    return vals.some((v) => {
      const a = compare(v, lo, codes);
      const b = compare(v, hi, codes);
      return a !== null && b !== null && a >= 0 && b <= 0;
    });
  }
  if (quantifier === "all") return vals.some((v) => cond.values.every((s) => testOne(base, v, s, codes)));
  return vals.some((v) => cond.values.some((s) => testOne(base, v, s, codes)));
}

/** The result of compiling a query's conditions. */
export interface CompiledFilter {
  /** Tests a record against every condition (logical AND). */
  readonly test: (rec: Rec) => boolean;
  /** Condition keys that were ignored (unknown attribute or predicate). */
  readonly ignored: readonly string[];
}

/** Compiles Ransack conditions for one table. */
export function compileFilter<T extends string>(
  space: SearchSpace<T>,
  table: T,
  conditions: readonly (readonly [string, QueryValue])[],
): CompiledFilter {
  const compiled: Condition<T>[] = [];
  const ignored: string[] = [];
  for (const [key, raw] of conditions) {
    const predicate = PREDICATES.find((p) => key.length > p.name.length + 1 && key.endsWith(`_${p.name}`));
    if (!predicate) {
      ignored.push(key);
      continue;
    }
    const attrs = resolveAttributes(space, table, key.slice(0, key.length - predicate.name.length - 1));
    if (!attrs) {
      ignored.push(key);
      continue;
    }
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v) => v.trim() !== "");
    if (list.length === 0) continue; // Ransack drops blank conditions.
    let flag = true;
    if (BOOLEAN_ARG.has(predicate.base)) {
      const b = castBool(list[0]);
      if (b === null) continue;
      flag = b;
    }
    compiled.push({ paths: attrs.paths, combinator: attrs.combinator, predicate, values: list, flag });
  }
  const test = (rec: Rec): boolean =>
    compiled.every((cond) => {
      const check = (path: AttributePath<T>): boolean =>
        testValues(cond, valuesOf(space, path, rec), space.enumCodes(path.table, path.attribute));
      return cond.combinator === "or" ? cond.paths.some(check) : cond.paths.every(check);
    });
  return { test, ignored };
}

/** Orders two sort keys; nulls sort last ascending and first descending (PostgreSQL). */
function compareSortKeys(a: Json, b: Json): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const sa = typeof a === "string" ? a : JSON.stringify(a);
  const sb = typeof b === "string" ? b : JSON.stringify(b);
  if (ISO_TIMESTAMP.test(sa) && ISO_TIMESTAMP.test(sb)) {
    const ta = parseInstant(sa);
    const tb = parseInstant(sb);
    if (ta !== null && tb !== null) return ta - tb;
  }
  return sa.localeCompare(sb, "tr");
}

/** Sorts records by `q[s]` clauses (`"created_at desc"`); unknown attributes are ignored. Stable. */
export function sortRecords<T extends string>(
  space: SearchSpace<T>,
  table: T,
  recs: readonly Rec[],
  sorts: readonly string[],
): { sorted: Rec[]; ignored: string[] } {
  const ignored: string[] = [];
  const keys: { path: AttributePath<T>; dir: 1 | -1 }[] = [];
  for (const clause of sorts) {
    const [attr = "", dirWord = "asc"] = clause.trim().split(/\s+/, 2);
    const path = resolvePath(space, table, attr);
    if (!path) {
      ignored.push(clause);
      continue;
    }
    keys.push({ path, dir: dirWord.toLowerCase() === "desc" ? -1 : 1 });
  }
  if (keys.length === 0) return { sorted: [...recs], ignored };
  const decorated = recs.map((rec, index) => ({
    rec,
    index,
    values: keys.map((k) => valuesOf(space, k.path, rec)[0] ?? null),
  }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!key) continue;
      const a = x.values[i] ?? null;
      const b = y.values[i] ?? null;
      if (a === null || b === null) {
        if (a === b) continue;
        // NULLS LAST for asc, NULLS FIRST for desc.
        return key.dir === 1 ? (a === null ? 1 : -1) : a === null ? -1 : 1;
      }
      const c = compareSortKeys(a, b);
      if (c !== 0) return c * key.dir;
    }
    return x.index - y.index;
  });
  return { sorted: decorated.map((d) => d.rec), ignored };
}
