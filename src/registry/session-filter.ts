/**
 * Filters of the session listings (`passgage_session_list`, `GET /admin/sessions`, the console):
 * by user (e-mail or user id), mode, client (an OAuth client's name, or `header` for header
 * sessions) and activity (active: seen in the last IDLE_AFTER_MS; idle: not). A listing scoped
 * to one user (a user sees only their own sessions) carries that user's id in `scopeUserId`,
 * which callers set from the caller's session, never from input. Each filter becomes a SQL
 * condition with bound values (src/registry/registry-sql.ts); the keyset order is unchanged.
 */
import * as z from "zod/mini";
import { AuthModeSchema } from "../contract/enums";

/** A session unseen for this long is idle (ms). */
export const IDLE_AFTER_MS = 15 * 60_000;

/** The `client` filter value that selects header sessions (X-Session-ID, no OAuth client). */
export const HEADER_CLIENT = "header";

/** The filters a caller may give (all optional; absent = no condition). */
export const SessionFilterSchema = z.object({
  user: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254), z.describe("A user's e-mail (any case) or user id."))),
  mode: z.optional(AuthModeSchema.check(z.describe("The session's current mode."))),
  client: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(200),
        z.describe(`An OAuth client's name (as listed), or "${HEADER_CLIENT}" for header sessions (X-Session-ID).`),
      ),
  ),
  activity: z.optional(z.enum(["active", "idle"]).check(z.describe(`active: seen in the last ${IDLE_AFTER_MS / 60_000} min; idle: not.`))),
});

/** Parsed filters, plus the scope a caller's own session imposes (a user lists only their sessions). */
export type SessionFilter = z.infer<typeof SessionFilterSchema> & { readonly scopeUserId?: string };

/** The SQL condition (ANDed, possibly empty) and its bindings for `filter` at `now`. */
export function filterCondition(filter: SessionFilter, now: number): { readonly sql: string; readonly bindings: (string | number)[] } {
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  if (filter.scopeUserId !== undefined) {
    parts.push("user_id = ?");
    bindings.push(filter.scopeUserId);
  }
  if (filter.user !== undefined) {
    parts.push("(LOWER(email) = LOWER(?) OR user_id = ?)");
    bindings.push(filter.user, filter.user);
  }
  if (filter.mode !== undefined) {
    parts.push("mode = ?");
    bindings.push(filter.mode);
  }
  if (filter.client !== undefined) {
    if (filter.client.toLowerCase() === HEADER_CLIENT) parts.push("client_name IS NULL");
    else {
      parts.push("client_name = ?");
      bindings.push(filter.client);
    }
  }
  if (filter.activity !== undefined) {
    parts.push(filter.activity === "active" ? "last_seen_at > ?" : "last_seen_at <= ?");
    bindings.push(now - IDLE_AFTER_MS);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(""), bindings };
}

/** Whether an entry last seen at `lastSeenAt` is active at `now`. */
export function isActive(lastSeenAt: number, now: number): boolean {
  return lastSeenAt > now - IDLE_AFTER_MS;
}
