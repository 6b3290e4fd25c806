/**
 * Carrying credentials into a new session at sign-in (issue 11), only when the signer asks
 * for it (`carry: true` on the login tools, finding F2): the session the signer's client
 * presented hands over its credentials in memory (`SessionDO.handOver`), and the new session
 * takes the one of the same company that the sign-in did not replace. A carried user token
 * is refreshed into one of its own (revoked upstream when the new session drops it). The
 * presented session's data is never changed, but it records the new session as its fork:
 * the carried credential never outlives it (the fork's expiry is capped at the presented
 * session's while it carries) and is dropped when it ends (sign-out, expiry, revocation),
 * so a leaked session ID cannot be forked past its revocation; the fork's own credential
 * stays (src/session/fork.ts).
 */
import type { Config } from "../config";
import type { Logger } from "../log";
import { refreshToken } from "./credentials";
import type { AuthMode } from "../contract/types";
import { type AddedCredential, modesOf, type Secrets, type SessionMeta, type UserCredential } from "./state";

/** What a live session hands over: its metadata and decrypted secrets (memory only). */
export interface HandedOver {
  readonly meta: SessionMeta;
  readonly secrets: Secrets;
}

/** Credentials carried into a new session from the session the client presented. */
export interface Carried extends HandedOver {
  /** Whose credentials they are, for the sign-in's answer (e-mail or the company key). */
  readonly from: string;
  /** The hash of the presented session they come from (it lists the new session as its fork). */
  readonly sourceHash: string;
  /** The mode of the carried credential (the other mode is the new session's own). */
  readonly mode: AuthMode;
}

/**
 * The credentials the new session (`hash`) takes from the presented session `fromId`,
 * asked for through `handOver`: same company only; the credential kind being signed in is
 * never carried (the new one wins). Null when nothing is carried (or the hand-over failed, logged).
 */
export async function carryCredentials(
  config: Config,
  logger: Logger,
  handOver: (fromId: string, forkHash: string) => Promise<HandedOver | null>,
  fromId: string,
  added: AddedCredential,
  hash: string,
): Promise<Carried | null> {
  let handed: HandedOver | null;
  try {
    handed = await handOver(fromId, hash);
  } catch {
    logger.warn("session.carry_failed", { outcome: "nothing_carried" });
    return null;
  }
  if (!handed || handed.meta.company.id !== added.company.id) return null;
  let user: UserCredential | null = null;
  if (added.kind === "api_key" && handed.secrets.user && handed.meta.user) {
    const fresh = await refreshToken(config, logger, handed.secrets.user.token, Date.now());
    user = fresh.ok ? fresh.value : null;
  }
  const apiKey = added.kind === "user" ? handed.secrets.apiKey : null;
  if (!user && !apiKey) return null;
  const secrets: Secrets = { user, apiKey };
  const now = Date.now();
  // Built field by field: the source's own markers (its OAuth client, a dropped carry) stay with it.
  const meta: SessionMeta = {
    v: 1,
    hash,
    company: handed.meta.company,
    user: user ? handed.meta.user : null,
    modes: modesOf(secrets),
    mode: user ? "user" : "company",
    createdAt: now,
    expiresAt: Math.min(now + config.sessionTtlMs, handed.meta.expiresAt),
    lastSeenAt: now,
    carriedFrom: handed.meta.hash,
    carriedMode: user ? "user" : "company",
  };
  logger.info("session.credentials_carried", { modes: modesOf(secrets).join(",") });
  return {
    meta,
    secrets,
    from: user && handed.meta.user ? handed.meta.user.email : `the company API key of ${handed.meta.company.name}`,
    sourceHash: handed.meta.hash,
    mode: user ? "user" : "company",
  };
}
