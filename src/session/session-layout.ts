/**
 * The SessionDO's storage layout apart from the sealed secrets (src/session/key-ring.ts):
 * key names, the shapes of the markers it keeps, their lifetimes, and the pure
 * decisions over them (when a marker is due, when the next alarm is).
 *
 *   `meta`        SessionMeta (JSON, no secrets)
 *   `conn:<id>`   { terminatedAt } tombstone of an ended MCP transport connection
 *                 (CONNECTION_TOMBSTONE_TTL_MS)
 *   `retired`     { until } the session ended: its ID is never signed into again
 *                 (RETIRED_ID_TTL_MS)
 *   `toolsets`    toolset names the session enabled with passgage_enable_toolset
 *                 (issue 15; no secrets; lives and is wiped with the session)
 *   `oauth:grant` the session's OAuth grant (src/oauth/grant-state.ts; token digests,
 *                 the ID sealed under each token; wiped with the session)
 */
import * as z from "zod/mini";
import { SESSION_ID_REUSE_HORIZON_MS } from "../crypto/session-id";

/** Key of the session's metadata. */
export const KEY_META = "meta";
/** Prefix of connection tombstones. */
export const CONN_PREFIX = "conn:";
/** Key of the retirement marker. */
export const KEY_RETIRED = "retired";
/** Key of the toolsets the session enabled. */
export const KEY_TOOLSETS = "toolsets";

/**
 * How long a terminated-connection tombstone is kept (ms): the session-ID horizon, which
 * is also how long an Mcp-Session-Id is accepted (CONNECTION_MAX_AGE_MS) and the longest
 * session (SESSION_TIMEOUT_HOURS' bound), so an ended connection never comes back.
 */
export const CONNECTION_TOMBSTONE_TTL_MS = SESSION_ID_REUSE_HORIZON_MS;
/** Persist lastSeenAt / touch the registry at most this often (ms). */
export const LAST_SEEN_PERSIST_INTERVAL_MS = 60_000;
/** How long an ended session's ID stays retired: the same horizon, so a retired ID is never reused. */
export const RETIRED_ID_TTL_MS = SESSION_ID_REUSE_HORIZON_MS;

const TombstoneSchema = z.object({ terminatedAt: z.number() });
const RetiredSchema = z.object({ until: z.number() });

/** When a stored tombstone expires (epoch ms), or null when the value is not a tombstone. */
export function tombstoneExpiry(value: unknown): number | null {
  const t = TombstoneSchema.safeParse(value);
  return t.success ? t.data.terminatedAt + CONNECTION_TOMBSTONE_TTL_MS : null;
}

/** Until when a stored retirement marker holds (epoch ms), or null when the value is not one. */
export function retiredUntil(value: unknown): number | null {
  const r = RetiredSchema.safeParse(value);
  return r.success ? r.data.until : null;
}

/** The retirement marker to store when a session ends at `now`. */
export function retiredMarker(now: number): z.infer<typeof RetiredSchema> {
  return { until: now + RETIRED_ID_TTL_MS };
}

/** The tombstone to store when a connection ends at `now`. */
export function tombstone(now: number): z.infer<typeof TombstoneSchema> {
  return { terminatedAt: now };
}

/**
 * The next alarm: the earliest of the session's expiry, the retirement marker's end
 * and the tombstones' expiries; null when nothing is due (delete the alarm).
 */
export function nextAlarmAt(sessionExpiresAt: number | null, retired: unknown, tombstones: Iterable<unknown>): number | null {
  let next = sessionExpiresAt;
  const until = retiredUntil(retired);
  if (until !== null) next = next === null ? until : Math.min(next, until);
  for (const value of tombstones) {
    const due = tombstoneExpiry(value);
    if (due !== null) next = next === null ? due : Math.min(next, due);
  }
  return next;
}

/**
 * The keys an alarm deletes at `now`: expired or malformed tombstones and retirement
 * markers, and, when no session lives here, every other key (a leftover, say metadata
 * of a shape this version cannot read: sealed, but with no reason to stay).
 */
export function keysToSweep(entries: Iterable<readonly [string, unknown]>, now: number, sessionLive: boolean): string[] {
  const out: string[] = [];
  for (const [key, value] of entries) {
    if (key.startsWith(CONN_PREFIX)) {
      const due = tombstoneExpiry(value);
      if (due === null || due <= now) out.push(key);
    } else if (key === KEY_RETIRED) {
      const until = retiredUntil(value);
      if (until === null || until <= now) out.push(key);
    } else if (!sessionLive) out.push(key);
  }
  return out;
}
