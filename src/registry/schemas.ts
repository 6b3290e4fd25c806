/**
 * Shapes of the session registry (RegistryDO): one entry per live session, as
 * listed by `passgage_session_list`, `GET /admin/sessions` and counted by
 * `GET /stats`. An entry names a session only by a short hash, never its ID.
 */
import * as z from "zod/mini";
import { AuthModeSchema } from "../contract/enums";

/** Short hash of a session ID: 12 lowercase hex chars (never the ID itself). */
export const SessionHashSchema = z.string().check(z.regex(/^[0-9a-f]{12}$/));

const EpochMsSchema = z.int().check(z.nonnegative());

/**
 * One live session in the registry. Times are epoch milliseconds; a session is
 * live while `expiresAt > now`.
 */
export const RegistryEntrySchema = z.object({
  /** Short hash of the session ID (12 hex chars). */
  hash: SessionHashSchema,
  companyId: z.string().check(z.minLength(1)),
  companyName: z.string(),
  /** The signed-in user's e-mail; null for a company (API key) only session. */
  email: z.nullable(z.string()),
  userId: z.nullable(z.string()),
  /** The mode the session currently acts in. */
  mode: AuthModeSchema,
  /** Every mode the session holds credentials for. */
  modes: z.array(AuthModeSchema),
  createdAt: EpochMsSchema,
  lastSeenAt: EpochMsSchema,
  expiresAt: EpochMsSchema,
  /**
   * SHA-256 of the session ID (64 hex): the SessionDO's name, used only inside the Worker to
   * route a revocation to it; never listed (see `publicEntry`). Absent on rows written before
   * revocation existed.
   */
  sessionHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /** Name of the OAuth client that holds the session; absent for a header session (X-Session-ID). */
  client: z.optional(z.string().check(z.maxLength(200))),
});

/** A parsed registry entry. */
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

/** A registry entry as listings show it: everything but the SessionDO's name (`sessionHash`). */
export type PublicEntry = Omit<RegistryEntry, "sessionHash">;

/** The entry without `sessionHash`, for every listing that leaves the Worker (JSON, tools, the console). */
export function publicEntry(entry: RegistryEntry): PublicEntry {
  const { sessionHash: _routing, ...rest } = entry;
  return rest;
}

/** Live-session counts, in total and by current mode. */
export const SessionCountsSchema = z.object({
  total: z.int(),
  byMode: z.object({ user: z.int(), company: z.int() }),
});

/** Live-session counts. */
export type SessionCounts = z.infer<typeof SessionCountsSchema>;

/** Global request counters kept by the registry directory since `since` (epoch ms). */
export const RequestCountsSchema = z.object({
  requests: z.int(),
  rateLimited: z.int(),
  since: EpochMsSchema,
});

/** Global request counters. */
export type RequestCounts = z.infer<typeof RequestCountsSchema>;
