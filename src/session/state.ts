/**
 * The session state model and the pure decisions over it: what a session holds (its
 * non-secret metadata and, separately, its secrets), how a sign-in merges into it, how
 * a mode switch is decided, when a token is refreshed, and what the outside sees
 * (view, registry entry). The SessionDO loads, calls these, and persists.
 */
import * as z from "zod/mini";
import type { AuthMode } from "../contract/types";
import { shortHash } from "../crypto/session-id";
import { clientLabel } from "../registry/client-label";
import type { RegistryEntry } from "../registry/schemas";
import { err, ok, type Result } from "../result";
import type { SessionCompany, SessionError, SessionUser, SessionView } from "./types";
import { AuthModeSchema } from "../contract/enums";

/** Refresh a user token this long before it expires (ms). */
export const TOKEN_REFRESH_AHEAD_MS = 10 * 60_000;
/** After a refresh failed for a transient reason, do not try again for this long (ms): no refresh storm. */
export const REFRESH_RETRY_COOLDOWN_MS = 30_000;
/** KV `expirationTtl` minimum (seconds). */
export const KV_MIN_TTL_SECONDS = 60;

/** The OAuth client a session was signed in for: its client_id and the name it registered (no secret). */
export const SessionClientSchema = z.object({ id: z.string().check(z.maxLength(2048)), name: z.string().check(z.maxLength(200)) });
/** An OAuth client of a session. */
export type SessionClient = z.infer<typeof SessionClientSchema>;

/** Non-secret session state, stored in clear (no token, key, password or session ID). */
export const SessionMetaSchema = z.object({
  v: z.literal(1),
  /** SHA-256 of the session ID (hex): the object's name, never the ID. */
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  company: z.object({ id: z.string(), name: z.string() }),
  user: z.nullable(
    z.object({
      id: z.string(),
      email: z.string(),
      firstName: z.nullable(z.string()),
      lastName: z.nullable(z.string()),
      fullName: z.nullable(z.string()),
    }),
  ),
  mode: AuthModeSchema,
  modes: z.array(AuthModeSchema),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastSeenAt: z.number(),
  /**
   * The hash of the session whose credentials this one carried at sign-in (a fork): that
   * session ends this one when it ends, and this one never outlives it.
   */
  carriedFrom: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /**
   * The mode whose credential was carried from `carriedFrom` (the other one is this
   * session's own): only that credential goes when the source ends. Absent in forks made
   * before it was recorded, which end whole with their source.
   */
  carriedMode: z.optional(AuthModeSchema),
  /** The carried credential this session dropped because its source ended (shown by the status tool). */
  carryDropped: z.optional(z.object({ mode: AuthModeSchema, at: z.number() })),
  /** The OAuth client that holds the session (absent: a header session, X-Session-ID or in-chat sign-in). */
  client: z.optional(SessionClientSchema),
});
/** Parsed session metadata. */
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

/** A user credential as kept in memory (and sealed at rest). */
export const UserCredentialSchema = z.object({ token: z.string().check(z.minLength(1)), expiresAt: z.number() });
/** A user JWT and its expiry (epoch ms). */
export type UserCredential = z.infer<typeof UserCredentialSchema>;

/** The secrets of a session: decrypted, in memory only. */
export interface Secrets {
  readonly user: UserCredential | null;
  readonly apiKey: string | null;
}

/** A credential a successful upstream sign-in adds to a session. */
export type AddedCredential =
  | { readonly kind: "user"; readonly credential: UserCredential; readonly user: SessionUser; readonly company: SessionCompany }
  | { readonly kind: "api_key"; readonly apiKey: string; readonly company: SessionCompany };

/** The state after a sign-in, and a token it made obsolete (to be logged out upstream). */
export interface MergedLogin {
  readonly meta: SessionMeta;
  readonly secrets: Secrets;
  readonly created: boolean;
  /** The previous user token, replaced by a new login of the same user; null when none or unchanged. */
  readonly replacedUserToken: string | null;
}

/** Modes a set of secrets enables, in a stable order. */
export function modesOf(secrets: Secrets): AuthMode[] {
  const modes: AuthMode[] = [];
  if (secrets.user) modes.push("user");
  if (secrets.apiKey) modes.push("company");
  return modes;
}

/**
 * Merges a successful sign-in into the session (or creates it). One session belongs to
 * one company and at most one user: a credential of another company or another user is
 * refused. The absolute lifetime is fixed at creation; a later sign-in never extends it.
 * The session switches to the mode of the credential just added.
 */
export function mergeLogin(
  existing: { readonly meta: SessionMeta; readonly secrets: Secrets } | null,
  added: AddedCredential,
  at: { readonly hash: string; readonly now: number; readonly ttlMs: number },
): Result<MergedLogin, SessionError> {
  if (existing) {
    if (existing.meta.company.id !== added.company.id) {
      return err({
        code: "wrong_account",
        message: `This session belongs to ${existing.meta.company.name}; that credential is for another company. Sign out first (passgage_session_logout) or use a new session.`,
      });
    }
    if (added.kind === "user" && existing.meta.user && existing.meta.user.id !== added.user.id) {
      return err({
        code: "wrong_account",
        message: `This session is signed in as ${existing.meta.user.email}. Sign out first (passgage_session_logout) to sign in as someone else.`,
      });
    }
  }
  const before: Secrets = existing?.secrets ?? { user: null, apiKey: null };
  const secrets: Secrets = added.kind === "user" ? { ...before, user: added.credential } : { ...before, apiKey: added.apiKey };
  const replaced = added.kind === "user" && before.user && before.user.token !== added.credential.token ? before.user.token : null;
  const company = existing ? existing.meta.company : added.company;
  const meta: SessionMeta = {
    v: 1,
    hash: at.hash,
    company: { id: company.id, name: added.company.name || company.name },
    user: added.kind === "user" ? { ...added.user } : (existing?.meta.user ?? null),
    mode: added.kind === "user" ? "user" : "company",
    modes: modesOf(secrets),
    createdAt: existing?.meta.createdAt ?? at.now,
    expiresAt: existing?.meta.expiresAt ?? at.now + at.ttlMs,
    lastSeenAt: at.now,
    ...(existing?.meta.carriedFrom ? { carriedFrom: existing.meta.carriedFrom } : {}),
    ...(existing?.meta.carriedMode ? { carriedMode: existing.meta.carriedMode } : {}),
    ...(existing?.meta.client ? { client: existing.meta.client } : {}),
  };
  return ok({ meta, secrets, created: existing === null, replacedUserToken: replaced });
}

/** How a session without the credential of `mode` can add it. */
export function howToAdd(mode: AuthMode): string {
  return mode === "company" ? "passgage_session_login_api_key {apiKey}" : "passgage_session_login {email, password}";
}

/** Decides a mode switch: refused, naming the login that adds the mode, when its credential is missing. */
export function switchMode(meta: SessionMeta, mode: AuthMode): Result<SessionMeta, SessionError> {
  if (!meta.modes.includes(mode)) {
    return err({
      code: "mode_unavailable",
      message: `This session has no ${mode}-mode credential. To have both modes in one session, sign in with ${howToAdd(mode)} and carry: true while your client presents this session: that makes a new session with both logins.`,
    });
  }
  return ok({ ...meta, mode });
}

/** Whether the session's absolute lifetime is over at `now`. */
export function isExpired(meta: SessionMeta, now: number): boolean {
  return meta.expiresAt <= now;
}

/** Whether a user token should be refreshed before use (within TOKEN_REFRESH_AHEAD_MS of its expiry). */
export function shouldRefreshAhead(user: UserCredential, now: number): boolean {
  return user.expiresAt - now < TOKEN_REFRESH_AHEAD_MS;
}

/** KV `expirationTtl` for the mirror: the remaining lifetime in seconds, at least the KV minimum. */
export function mirrorTtlSeconds(meta: SessionMeta, now: number): number {
  return Math.max(KV_MIN_TTL_SECONDS, Math.ceil((meta.expiresAt - now) / 1000));
}

/** The public view of a session (safe to show the model). */
export function viewOf(meta: SessionMeta): SessionView {
  return {
    hash: shortHash(meta.hash),
    mode: meta.mode,
    modes: [...meta.modes],
    user: meta.user,
    company: meta.company,
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
    lastSeenAt: meta.lastSeenAt,
    ...(meta.carriedMode ? { carried: { mode: meta.carriedMode } } : {}),
    ...(meta.carryDropped ? { carryDropped: { ...meta.carryDropped } } : {}),
    ...(meta.client ? { client: { id: meta.client.id, name: meta.client.name } } : {}),
  };
}

/** The registry entry of a session (short hash only, never the ID). */
export function registryEntryOf(meta: SessionMeta): RegistryEntry {
  return {
    hash: shortHash(meta.hash),
    companyId: meta.company.id,
    companyName: meta.company.name,
    email: meta.user?.email ?? null,
    userId: meta.user?.id ?? null,
    mode: meta.mode,
    modes: [...meta.modes],
    createdAt: meta.createdAt,
    lastSeenAt: meta.lastSeenAt,
    expiresAt: meta.expiresAt,
    sessionHash: meta.hash,
    ...(meta.client ? { client: clientLabel(meta.client) } : {}),
  };
}
