/**
 * Compact text renderings of Passgage data for the model, and the structured
 * results beside them, both bounded in size.
 *
 * Text stays under `MAX_TEXT_CHARS` (about 8 KB): one line per list item with
 * the identifying fields first, a page line with a next-page hint, and a note
 * instead of a dump when items do not fit. Structured content carries the full
 * records up to `MAX_STRUCTURED_CHARS` of JSON; beyond that, trailing items are
 * omitted and counted (`omitted`), and the text says so.
 */
import * as z from "zod/mini";
import { type PageMeta, PageMetaSchema } from "../passgage/response-envelope";
import { isRecord } from "../is-record";

/** Bound of a tool result's text, in characters. */
export const MAX_TEXT_CHARS = 8_000;
/** Bound of a tool result's structured content, in characters of JSON. */
export const MAX_STRUCTURED_CHARS = 200_000;
/** Bound of one list line, in characters. */
const MAX_LINE_CHARS = 360;
/** Bound of one rendered string value, in characters. */
const MAX_VALUE_CHARS = 120;

/** Structured result of a list tool. */
export const ListOutputSchema = z.object({
  items: z.array(z.unknown()).check(z.describe("Records of this page (trailing ones dropped when over the size bound; see omitted).")),
  page: z.int().check(z.describe("Current page (1-based).")),
  per_page: z.nullable(z.int()).check(z.describe("Page size asked for (null: the API default, 25).")),
  total_pages: z.int(),
  total_count: z.int().check(z.describe("Records matching the filter, all pages.")),
  next_page: z.nullable(z.int()).check(z.describe("Page to ask for next, or null on the last page.")),
  omitted: z.int().check(z.describe("Items of this page left out of `items` to bound the result size.")),
});
/** A list result. */
export type ListOutput = z.infer<typeof ListOutputSchema>;

/** Structured result of a tool returning one record (or any single payload). */
export const RecordOutputSchema = z.object({
  message: z.optional(z.string().check(z.describe('Passgage\'s message, e.g. "Successfully created branch".'))),
  data: z.unknown().check(z.describe("The record Passgage returned (deleted record for deletes; null when none).")),
});
/** A single-record result. */
export type RecordOutput = z.infer<typeof RecordOutputSchema>;

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** Fields that identify a record to a person, in preference order. */
const LABEL_KEYS = ["full_name", "name", "title", "card_no", "username", "email", "target_name", "filename"] as const;
/** Fields shown right after the id and label in list lines. */
const LEAD_KEYS = [
  "status",
  "date_of_shift",
  "date_of_work",
  "date_of_extra_work",
  "start_date",
  "end_date",
  "start_time",
  "end_time",
  "check_in_time",
  "check_out_time",
  "client_id",
  "is_active",
] as const;
/** Fields that add nothing for the model in a compact line. */
const NOISE_KEYS: ReadonlySet<string> = new Set(["updated_at", "company_id", "avatar", "user_avatar_url", "file_urls"]);

type Rec = Readonly<Record<string, unknown>>;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/** A short human label of a record: its name-like field, else `first last`, else its id. */
export function labelOf(rec: Rec): string | null {
  for (const key of LABEL_KEYS) {
    const v = rec[key];
    if (typeof v === "string" && v.trim() !== "") return clip(v.trim(), MAX_VALUE_CHARS);
  }
  const first = rec.first_name;
  const last = rec.last_name;
  if (typeof first === "string" || typeof last === "string")
    return clip(`${scalarText(first)} ${scalarText(last)}`.trim(), MAX_VALUE_CHARS);
  return typeof rec.id === "string" || typeof rec.id === "number" ? String(rec.id) : null;
}

/** A scalar as text: strings as they are, numbers and booleans printed, anything else (absent, objects) "". */
export function scalarText(v: unknown): string {
  if (typeof v === "string") return v;
  return typeof v === "number" || typeof v === "boolean" ? String(v) : "";
}

/** Whether collapsing whitespace runs to one space changes a string: whitespace other than a space, or two in a row. */
const NEEDS_SPACING = /[^\S ]|\s\s/;

/** One value, compactly: scalars as is, objects by label, arrays of objects by count and first labels. */
function compactValue(v: unknown): string {
  if (typeof v === "string") return clip(NEEDS_SPACING.test(v) ? v.replace(/\s+/g, " ") : v, MAX_VALUE_CHARS);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) {
    if (v.every((x) => !isRecord(x) && !Array.isArray(x))) return clip(`[${v.map(compactValue).join(", ")}]`, MAX_VALUE_CHARS);
    const labels = v.slice(0, 3).map((x) => (isRecord(x) ? (labelOf(x) ?? "…") : compactValue(x)));
    return `${v.length} item${v.length === 1 ? "" : "s"} (${labels.join(", ")}${v.length > 3 ? ", …" : ""})`;
  }
  if (isRecord(v)) {
    const label = labelOf(v);
    const id = v.id;
    if (label !== null && (typeof id === "string" || typeof id === "number") && label !== String(id)) return `${label} [${String(id)}]`;
    return label ?? clip(JSON.stringify(v), MAX_VALUE_CHARS);
  }
  return "";
}

/** The keys a record line starts with, in this order (those the record has). */
const FIRST_KEYS: readonly string[] = ["id", ...LABEL_KEYS, "first_name", "last_name", ...LEAD_KEYS];
const FIRST_KEY_SET: ReadonlySet<string> = new Set(FIRST_KEYS);

function orderedKeys(rec: Rec): string[] {
  const out = FIRST_KEYS.filter((k) => k in rec);
  for (const k of Object.keys(rec)) if (!FIRST_KEY_SET.has(k)) out.push(k);
  return out;
}

/** Whether a key repeats what another field already shows (first/last name beside full_name). */
function redundant(rec: Rec, key: string): boolean {
  return (key === "first_name" || key === "last_name") && typeof rec.full_name === "string" && rec.full_name !== "";
}

/** One record on one line: `key: value; ...`, identifying fields first, empty and noisy fields skipped. */
export function compactLine(item: unknown, maxChars = MAX_LINE_CHARS): string {
  if (!isRecord(item)) return clip(compactValue(item), maxChars);
  const parts: string[] = [];
  let length = 0;
  for (const key of orderedKeys(item)) {
    const v = item[key];
    if (NOISE_KEYS.has(key) || isEmpty(v) || redundant(item, key)) continue;
    const part = `${key}: ${compactValue(v)}`;
    if (length + part.length + 2 > maxChars) {
      parts.push("…");
      break;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join("; ");
}

/**
 * A record over several lines: scalars as `key: value`, nested objects one
 * level deep as `parent.key: value`, arrays of objects by count and labels.
 * Stops at `maxChars` with a note.
 */
export function recordText(rec: unknown, maxChars = MAX_TEXT_CHARS): string {
  if (!isRecord(rec)) return clip(Array.isArray(rec) ? rec.map((x) => `- ${compactLine(x)}`).join("\n") : compactValue(rec), maxChars);
  const lines: string[] = [];
  const push = (key: string, v: unknown): void => {
    if (NOISE_KEYS.has(key.split(".").pop() ?? key) || isEmpty(v)) return;
    if (isRecord(v) && !key.includes(".")) {
      for (const [k, inner] of Object.entries(v)) push(`${key}.${k}`, inner);
      return;
    }
    lines.push(`${key}: ${compactValue(v)}`);
  };
  // The record's own fields first, then its nested objects one level deep.
  const keys = orderedKeys(rec);
  for (const key of keys) if (!isRecord(rec[key])) push(key, rec[key]);
  for (const key of keys) if (isRecord(rec[key])) push(key, rec[key]);
  return fitLines(lines, maxChars, (n) => `… ${n} more field${n === 1 ? "" : "s"} (see the structured result).`);
}

/** Joins lines up to a character budget, ending with a note on what was left out. */
function fitLines(lines: readonly string[], maxChars: number, note: (left: number) => string): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (used + line.length + 1 > maxChars - 120) {
      out.push(note(lines.length - i));
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/** Keeps leading items while their JSON stays under the bound; returns them and how many were dropped. */
export function boundItems(items: readonly unknown[], maxChars = MAX_STRUCTURED_CHARS): { kept: unknown[]; omitted: number } {
  // Most pages fit: one serialisation of the whole page tells (its length is the loop's last `used`, less one).
  // On a page that does not, this serialises about as much as the upstream answer already held in memory.
  if (JSON.stringify(items).length + 1 <= maxChars) return { kept: items.slice(), omitted: 0 };
  const kept: unknown[] = [];
  let used = 2;
  for (const item of items) {
    const size = (JSON.stringify(item) ?? "null").length + 1;
    if (used + size > maxChars) break;
    kept.push(item);
    used += size;
  }
  return { kept, omitted: items.length - kept.length };
}

/** Bounds a single payload: returned as is when small enough, else a note object. */
export function boundData(data: unknown, maxChars = MAX_STRUCTURED_CHARS): unknown {
  if (Array.isArray(data)) return boundItems(data, maxChars).kept;
  const size = (JSON.stringify(data) ?? "null").length;
  return size <= maxChars ? data : { truncated: true, note: `The record is ${size} characters of JSON; too large to return in full.` };
}

/** Reads list meta leniently: falls back to what the page itself shows. */
export function pageMeta(meta: unknown, page: number, count: number): PageMeta {
  const parsed = PageMetaSchema.safeParse(meta);
  if (parsed.success) return parsed.data;
  return { current_page: page, total_pages: count > 0 ? page : 0, total_count: count };
}

/** What a list rendering needs to know besides the data. */
export interface ListContext {
  /** Plural noun for the header ("leaves", "user shifts"). */
  readonly noun: string;
  /** Tool to call for the next page. */
  readonly toolName: string;
  /** Page and page size asked for (undefined: API defaults). */
  readonly page: number | undefined;
  readonly perPage: number | undefined;
  /** Whether the call had filters (the hint then says to repeat them). */
  readonly filtered: boolean;
  /** What to repeat for the next page when filtered (default "the same filter"). */
  readonly repeat?: string;
}

/** Renders one page of a list: text and structured result. */
export function renderList(data: readonly unknown[], metaRaw: unknown, ctx: ListContext): { text: string; structured: ListOutput } {
  const page = ctx.page ?? 1;
  const meta = pageMeta(metaRaw, page, data.length);
  const { kept, omitted } = boundItems(data);
  const nextPage = meta.current_page < meta.total_pages ? meta.current_page + 1 : null;
  const header =
    data.length === 0
      ? meta.total_count > 0
        ? `No ${ctx.noun} on page ${meta.current_page}; there are ${meta.total_count} in ${meta.total_pages} page(s).`
        : `No ${ctx.noun} found${ctx.filtered ? " for this filter" : ""}.`
      : `${capitalise(ctx.noun)}: ${data.length} shown, page ${meta.current_page} of ${meta.total_pages} (${meta.total_count} in total).`;
  const hint =
    nextPage === null
      ? ""
      : `Next page: call ${ctx.toolName} with page: ${nextPage}${ctx.perPage !== undefined ? `, per_page: ${ctx.perPage}` : ""}${ctx.filtered ? ` and ${ctx.repeat ?? "the same filter"}` : ""}.`;
  const structuredNote =
    omitted > 0
      ? `The structured result holds the first ${kept.length} of these ${data.length}; ask for a smaller per_page to get the rest.`
      : "";
  const footer = [hint, structuredNote].filter((s) => s !== "").join("\n");
  const budget = MAX_TEXT_CHARS - header.length - footer.length - 4;
  const lines = data.map((item) => `- ${compactLine(item)}`);
  const body = fitLines(
    lines,
    budget,
    (n) =>
      `… ${n} more item${n === 1 ? "" : "s"} not shown here; ${omitted > 0 ? "see the structured result or ask for a smaller per_page" : "all are in the structured result"}.`,
  );
  const text = [header, body, footer].filter((s) => s !== "").join("\n");
  return {
    text,
    structured: {
      items: kept,
      page: meta.current_page,
      per_page: ctx.perPage ?? null,
      total_pages: meta.total_pages,
      total_count: meta.total_count,
      next_page: nextPage,
      omitted,
    },
  };
}

/** Renders a single payload (get, create, update, delete, action): text and structured result. */
export function renderRecord(heading: string, data: unknown, message: string): { text: string; structured: RecordOutput } {
  const head = message !== "" ? `${heading} ${clip(message, 200)}` : heading;
  const body = isEmpty(data) ? "" : recordText(data, MAX_TEXT_CHARS - head.length - 2);
  return {
    text: body === "" ? head : `${head}\n${body}`,
    structured: { ...(message !== "" ? { message } : {}), data: data === undefined ? null : boundData(data) },
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
