/**
 * Query-string parsing: pagination parameters and Ransack `q[...]` keys
 * (API.md §4, §5), with literal or percent-encoded brackets and repeated
 * `q[key][]=a&q[key][]=b` arrays. The collection's typo `q[start_date_gteq]]`
 * (a stray bracket) is accepted too.
 */

/** A Ransack condition value: one string or a list. */
export type QueryValue = string | string[];

/** The parsed query. */
export interface ParsedQuery {
  /** Ransack conditions (`q[...]` keys other than the sort key), in order. */
  readonly conditions: readonly (readonly [string, QueryValue])[];
  /** Sort clauses from `q[s]` / `q[sorts]` (`"created_at desc"`). */
  readonly sorts: readonly string[];
  /** Every other top-level parameter (first value wins). */
  readonly params: ReadonlyMap<string, string>;
}

const Q_KEY = /^q\[([^\]]+)\]+(\[\])?\]*$/;

/** Parses a raw query string (without `?`). */
export function parseQuery(query: string): ParsedQuery {
  const conditions = new Map<string, QueryValue>();
  const sorts: string[] = [];
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(query)) {
    const m = Q_KEY.exec(key);
    if (!m) {
      if (!params.has(key)) params.set(key, value);
      continue;
    }
    const name = m[1] ?? "";
    const isArray = m[2] !== undefined;
    if (name === "s" || name === "sorts") {
      for (const part of value.split(",")) if (part.trim() !== "") sorts.push(part.trim());
      continue;
    }
    const prev = conditions.get(name);
    if (isArray) {
      const list = Array.isArray(prev) ? prev : prev === undefined ? [] : [prev];
      list.push(value);
      conditions.set(name, list);
    } else if (prev === undefined) {
      conditions.set(name, value);
    } else {
      conditions.set(name, Array.isArray(prev) ? [...prev, value] : [prev, value]);
    }
  }
  return { conditions: [...conditions], sorts, params };
}

/** Default and maximum page sizes (API.md §4). */
export const DEFAULT_PER_PAGE = 25;
/** Larger `per_page` values are clamped to this. */
export const MAX_PER_PAGE = 50;

/** Page and page size: `page` ≥ 1 (default 1), `per_page` 1..50 (default 25, larger clamped to 50). */
export function pagination(params: ReadonlyMap<string, string>): { page: number; perPage: number } {
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const perPage = Number.parseInt(params.get("per_page") ?? "", 10);
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    perPage: Number.isFinite(perPage) && perPage >= 1 ? Math.min(perPage, MAX_PER_PAGE) : DEFAULT_PER_PAGE,
  };
}
