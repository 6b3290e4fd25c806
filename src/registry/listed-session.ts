/**
 * A session as every listing surface shows it (`passgage_session_list`, `/console/api/sessions`,
 * `/admin/sessions?view=…`, the console page): the handle (the registry's short hash, used to end
 * it, not a credential), who, which company, mode, the client holding it (an OAuth client's name
 * or "header session"), created, last seen, expires, active or idle. Never a session ID, token or
 * the SessionDO's name.
 */
import * as z from "zod/mini";
import { AuthModeSchema } from "../contract/enums";
import type { RegistryEntry } from "./schemas";
import { isActive } from "./session-filter";

/** What a listing shows for a session without an OAuth client (X-Session-ID, in-chat sign-in). */
export const HEADER_SESSION_LABEL = "header session";

/** One listed session. */
export const ListedSessionSchema = z.object({
  handle: z.string().check(z.describe("Names the session for passgage_session_revoke (not a credential).")),
  companyId: z.string(),
  companyName: z.string(),
  email: z.nullable(z.string()),
  userId: z.nullable(z.string()),
  mode: AuthModeSchema,
  client: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  active: z.boolean(),
  /** Whether this is the caller's own session (which revocation never ends: sign out instead). */
  current: z.boolean(),
});
/** A listed session. */
export type ListedSession = z.infer<typeof ListedSessionSchema>;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The listing view of a registry entry, at `now`, for a caller whose own handle is `selfHandle`. */
export function listedSession(e: RegistryEntry, now: number, selfHandle: string | null): ListedSession {
  return {
    handle: e.hash,
    companyId: e.companyId,
    companyName: e.companyName,
    email: e.email,
    userId: e.userId,
    mode: e.mode,
    client: e.client ?? HEADER_SESSION_LABEL,
    createdAt: iso(e.createdAt),
    lastSeenAt: iso(e.lastSeenAt),
    expiresAt: iso(e.expiresAt),
    active: isActive(e.lastSeenAt, now),
    current: selfHandle !== null && e.hash === selfHandle,
  };
}
