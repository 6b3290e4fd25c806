/**
 * Time formatting and parsing in the company's zone. Passgage renders
 * timestamps as ISO-8601 with milliseconds and the Istanbul offset
 * (`2024-03-01T00:47:52.669+03:00`, API.md §1); Türkiye has used a fixed
 * +03:00 offset since 2016, so no zone database is needed.
 */

/** Offset of the company zone, in minutes. */
export const ZONE_OFFSET_MINUTES = 180;
const OFFSET_MS = ZONE_OFFSET_MINUTES * 60_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Formats an instant as `YYYY-MM-DDTHH:MM:SS.mmm+03:00`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+03:00`
  );
}

/** The current time as a company-zone timestamp. */
export function nowTimestamp(): string {
  return formatTimestamp(Date.now());
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/**
 * Parses a date, a local date-time (`YYYY-MM-DD HH:MM[:SS]`, company zone) or
 * an ISO-8601 timestamp with an offset into epoch milliseconds; null if it is
 * none of these. A bare date means midnight in the company zone (as Rails
 * casts it with the application time zone).
 */
export function parseInstant(value: string): number | null {
  const s = value.trim();
  const d = DATE_ONLY.exec(s);
  if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) - OFFSET_MS;
  const l = LOCAL_DATE_TIME.exec(s);
  if (l) {
    const ms = Number((l[7] ?? "0").padEnd(3, "0"));
    return Date.UTC(Number(l[1]), Number(l[2]) - 1, Number(l[3]), Number(l[4]), Number(l[5]), Number(l[6] ?? "0"), ms) - OFFSET_MS;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Start of a calendar day (`YYYY-MM-DD`) as a company-zone timestamp. */
export function startOfDay(date: string): string {
  return `${date.slice(0, 10)}T00:00:00.000+03:00`;
}

/** Last millisecond of a calendar day as a company-zone timestamp. */
export function endOfDay(date: string): string {
  return `${date.slice(0, 10)}T23:59:59.999+03:00`;
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Day of week of a `YYYY-MM-DD` date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whole calendar days from one date to another, inclusive of both. */
export function daysInclusive(from: string, to: string): number {
  const a = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  const b = Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000) + 1;
}

/** Minutes between two `HH:MM` times of day (wrapping past midnight). */
export function minutesBetween(start: string, end: string): number {
  const toMin = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const diff = toMin(end) - toMin(start);
  return diff >= 0 ? diff : diff + 24 * 60;
}
