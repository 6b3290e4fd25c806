/**
 * The sign-in commit of a SessionDO, as pure pieces: the request it gets over RPC, the
 * refusals it gives, what a new credential is merged into (the live session, else the
 * credentials carried from the presented session, else nothing) and the outcome it
 * reports. The SessionDO runs them under its lock (`SessionDO.login`).
 */
import type { Config } from "../config";
import type { Carried } from "./sign-in-carry";
import { modesOf, type Secrets, type SessionClient, type SessionMeta, viewOf } from "./state";
import type { LoginOutcome, SignIn } from "./types";

/**
 * Arguments of a login RPC (credentials travel only in memory, over the RPC). `carryFrom`:
 * the live session the signer's client presented, whose same-company credentials the new
 * session takes over (that session itself is left unchanged).
 */
export type LoginRequest = SignIn & {
  readonly sessionId: string;
  readonly requestId: string;
  readonly carryFrom?: string | null;
  /** The caps to apply (the caller's parsed MAX_SESSIONS_PER_*); the DO's own config when absent. */
  readonly maxSessions?: Config["maxSessions"];
  /** The OAuth client the session is signed in for (the authorize page); absent for header sessions. */
  readonly client?: SessionClient;
};

/** The refusal of a sign-in into an ID that has ended (retired or expired). */
export const ID_ENDED = "This session ID has ended and cannot be signed into again; sign in for a new one.";
/** The refusal of a sign-in whose session ended (logout, expiry) before it committed. */
export const ENDED_WHILE_SIGNING_IN = "The session ended (signed out or expired) while signing in. Sign in again to start a new session.";

/** What the new credential is merged into: the live session, else the carried credentials, else nothing. */
export function signInBase(
  meta: SessionMeta | null,
  secrets: Secrets | null,
  carried: Carried | null,
): { meta: SessionMeta; secrets: Secrets } | null {
  if (meta) return { meta, secrets: secrets ?? { user: null, apiKey: null } };
  return carried ? { meta: carried.meta, secrets: carried.secrets } : null;
}

/** The outcome of a committed sign-in: the session's view, whether it is new, and what it carried from whom. */
export function signInOutcome(sessionId: string, committed: SessionMeta, created: boolean, carried: Carried | null): LoginOutcome {
  return {
    sessionId,
    view: viewOf(committed),
    created,
    carried: carried ? { modes: modesOf(carried.secrets), from: carried.from } : null,
  };
}
