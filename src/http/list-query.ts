/**
 * The query string of the session listings and the audit trail over HTTP (`GET /admin/sessions`,
 * `GET /admin/audit`, `/console/api/sessions`, `/console/api/audit`): page size, cursor, the
 * session filters (src/registry/session-filter.ts) and, for operators, the company. Parsed with
 * the same schemas as the tools, so every surface refuses the same bad input with a message
 * naming the parameter (400).
 */
import * as z from "zod/mini";
import { AUDIT_MAX_PAGE } from "../registry/audit-sql";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PagePosition, PageSizeSchema } from "../registry/page-cursor";
import { type SessionFilter, SessionFilterSchema } from "../registry/session-filter";
import { err, ok, type Result } from "../result";

/** A refused query: the error code and a message naming the parameter. */
export interface QueryError {
  readonly code: "invalid_limit" | "invalid_cursor" | "invalid_filter" | "invalid_company" | "invalid_before";
  readonly message: string;
}

/** A company id as a query parameter (operators narrowing a listing, or naming the company of a revocation). */
export const CompanyIdSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));

/** A parsed listing query. */
export interface ListQuery {
  readonly limit: number;
  readonly position: PagePosition | null;
  readonly filter: SessionFilter;
  readonly company: string | null;
}

function company(params: URLSearchParams): Result<string | null, QueryError> {
  const raw = params.get("company");
  if (raw === null) return ok(null);
  const parsed = CompanyIdSchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err({ code: "invalid_company", message: "company must be a company id (1 to 256 characters)" });
}

/** Parses `limit`, `cursor`, `user`, `mode`, `client`, `activity` and `company`. */
export function parseListQuery(params: URLSearchParams): Result<ListQuery, QueryError> {
  const limitParam = params.get("limit");
  const limit =
    limitParam === null ? DEFAULT_PAGE_SIZE : PageSizeSchema.safeParse(limitParam.trim() === "" ? NaN : Number(limitParam)).data;
  if (limit === undefined) return err({ code: "invalid_limit", message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  const cursorParam = params.get("cursor");
  const position = cursorParam === null ? null : decodeCursor(cursorParam);
  if (cursorParam !== null && position === null)
    return err({ code: "invalid_cursor", message: "cursor is not a nextCursor this server returned" });
  const raw: Record<string, string> = {};
  for (const key of ["user", "mode", "client", "activity"] as const) {
    const v = params.get(key);
    if (v !== null && v !== "") raw[key] = v;
  }
  const filter = SessionFilterSchema.safeParse(raw);
  if (!filter.success) {
    const field = filter.error.issues[0]?.path[0];
    return err({
      code: "invalid_filter",
      message: `${typeof field === "string" ? field : "filter"} is not valid: user is an e-mail or user id, mode is user or company, client a client name or "header", activity active or idle`,
    });
  }
  const c = company(params);
  if (!c.ok) return c;
  return ok({ limit, position, filter: filter.data, company: c.value });
}

/** A parsed audit query. */
export interface AuditQuery {
  readonly limit: number;
  readonly before: number | null;
  readonly company: string | null;
}

/** Parses `limit` (1 … AUDIT_MAX_PAGE, default 50), `before` (the last id of the previous page) and `company`. */
export function parseAuditQuery(params: URLSearchParams): Result<AuditQuery, QueryError> {
  const limitParam = params.get("limit");
  const limit =
    limitParam === null
      ? DEFAULT_PAGE_SIZE
      : z
          .int()
          .check(z.gte(1), z.lte(AUDIT_MAX_PAGE))
          .safeParse(limitParam.trim() === "" ? NaN : Number(limitParam)).data;
  if (limit === undefined) return err({ code: "invalid_limit", message: `limit must be an integer from 1 to ${AUDIT_MAX_PAGE}` });
  const beforeParam = params.get("before");
  const before =
    beforeParam === null
      ? null
      : z
          .int()
          .check(z.gte(1))
          .safeParse(beforeParam.trim() === "" ? NaN : Number(beforeParam)).data;
  if (before === undefined)
    return err({ code: "invalid_before", message: "before must be the id of the last record of the previous page" });
  const c = company(params);
  if (!c.ok) return c;
  return ok({ limit, before: before ?? null, company: c.value });
}
