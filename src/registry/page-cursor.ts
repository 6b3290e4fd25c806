/**
 * Pagination of the session listings (`GET /admin/sessions`, `passgage_session_list`, the
 * RegistryDO's `listPage`): keyset pages in the listing's order (company, then
 * `createdAt`, then short hash), with an opaque `nextCursor` naming the last entry
 * returned. A keyset cursor stays correct while sessions come and go between pages (no
 * entry is skipped or repeated because an earlier one left), and each page costs one
 * indexed read per shard, whatever the page number.
 */
import * as z from "zod/mini";
import { fromBase64Url, toBase64Url, utf8, utf8Decode } from "../crypto/encoding";
import { SessionHashSchema } from "./schemas";

/** Page size when the caller names none. */
export const DEFAULT_PAGE_SIZE = 50;

/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 200;

/** The page size a caller may ask for (1 … MAX_PAGE_SIZE). */
export const PageSizeSchema = z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE));

/** The position a cursor names: the last entry of the previous page. */
export const PagePositionSchema = z.object({
  /** Company of the last entry (listings across companies go company by company). */
  companyId: z.string().check(z.minLength(1), z.maxLength(256)),
  createdAt: z.int().check(z.nonnegative()),
  hash: SessionHashSchema,
});

/** A decoded cursor. */
export type PagePosition = z.infer<typeof PagePositionSchema>;

/** A page of a listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** The cursor of the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Encodes a position as an opaque cursor (base64url JSON; not secret, not trusted back). */
export function encodeCursor(position: PagePosition): string {
  return toBase64Url(utf8.encode(JSON.stringify([position.companyId, position.createdAt, position.hash])));
}

/** Decodes a cursor; null when it is not one this server issued. */
export function decodeCursor(cursor: string): PagePosition | null {
  if (cursor.length === 0 || cursor.length > 512) return null;
  const bytes = fromBase64Url(cursor);
  if (!bytes) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(utf8Decode.decode(bytes));
  } catch {
    return null;
  }
  if (!Array.isArray(raw) || raw.length !== 3) return null;
  const parsed = PagePositionSchema.safeParse({ companyId: raw[0], createdAt: raw[1], hash: raw[2] });
  return parsed.success ? parsed.data : null;
}
