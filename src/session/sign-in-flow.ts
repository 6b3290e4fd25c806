/**
 * One sign-in of a SessionDO (`SessionDO.login`), from the checks to the commit: name,
 * retirement and expiry checks; the upstream sign-in outside any lock; credentials carried
 * from the presented session (sign-in-carry.ts); the session caps (session-caps.ts); then,
 * under the object's lock, the generation and retirement re-checks, the merge and one
 * atomic commit. The SessionDO hands in its state and primitives through `SignInHost`; this
 * module decides, the DO keeps the state.
 */
import type { Config } from "../config";
import { constantTimeEqual, sessionHash, shortHash } from "../crypto/session-id";
import type { Logger } from "../log";
import { signInRecord } from "../registry/audit-sql";
import { clientLabel } from "../registry/client-label";
import { countLiveSessions, recordAudit } from "../registry/registry-client";
import { err, ok, type Result } from "../result";
import { signInUpstream } from "./credentials";
import type { KeyRing } from "./key-ring";
import { capRefusal } from "./session-caps";
import { ENDED_WHILE_SIGNING_IN, ID_ENDED, type LoginRequest, signInBase, signInOutcome } from "./sign-in";
import { sourceStillCarries } from "./fork";
import { carryCredentials, type HandedOver } from "./sign-in-carry";
import { isExpired, mergeLogin, type Secrets, type SessionMeta } from "./state";
import type { LoginOutcome, SessionError } from "./types";

/** What a sign-in needs of its SessionDO: live state (read at each use) and primitives. */
export interface SignInHost {
  readonly env: Env;
  config(): Config | null;
  logger(config: Config, fields: Record<string, string | undefined>): Logger;
  /** Whether `hash` names the object. */
  isMyName(hash: string): boolean;
  meta(): SessionMeta | null;
  secrets(): Secrets | null;
  generation(): number;
  isRetired(): Promise<boolean>;
  ringFor(config: Config, sessionId: string, hash: string): Promise<KeyRing | null>;
  end(reason: "expired", logger: Logger): Promise<void>;
  /** Runs `fn` under the object's lock. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
  /** Decrypts the stored secrets into memory (call under the lock). */
  loadSecretsLocked(keys: KeyRing, logger: Logger): Promise<void>;
  /** Seals and writes state atomically unless the session ended since `generation` (call under the lock). */
  commit(keys: KeyRing, generation: number, secrets: Secrets, meta: SessionMeta, logger: Logger): Promise<SessionMeta | null>;
  /** Logs a token the session does not keep out upstream, in the background. */
  logoutOrphan(config: Config, logger: Logger, token: string): void;
  /** Resolves once the KV mirror and registry writes queued so far are done. */
  effectsSettled(): Promise<void>;
}

/**
 * Signs in under the freshly minted `req.sessionId` (session routing never names an
 * existing one), carrying the same-company credentials of the presented session
 * `req.carryFrom` when given, unless the account or the company is at its session cap.
 */
export async function runSignIn(host: SignInHost, req: LoginRequest): Promise<Result<LoginOutcome, SessionError>> {
  const config = host.config();
  if (!config) return err({ code: "misconfigured", message: "The server is misconfigured (see /health)." });
  const hash = await sessionHash(req.sessionId);
  const logger = host.logger(config, { requestId: req.requestId, sessionId: shortHash(hash) });
  const current = host.meta();
  if (!host.isMyName(hash) || (current !== null && !constantTimeEqual(current.hash, hash))) {
    return err({ code: "not_signed_in", message: "Session mismatch." });
  }
  if (current === null && (await host.isRetired())) return err({ code: "not_signed_in", message: ID_ENDED });
  const keys = await host.ringFor(config, req.sessionId, hash);
  if (!keys) return err({ code: "misconfigured", message: "Sign-in is disabled: the server has no ENCRYPTION_KEY (see /health)." });
  const meta = host.meta();
  if (meta && isExpired(meta, Date.now())) {
    await host.end("expired", logger);
    return err({ code: "not_signed_in", message: ID_ENDED });
  }
  const generation = host.generation();

  const signedIn = await signInUpstream(config, logger, req, Date.now());
  if (!signedIn.ok) return signedIn;
  const added = signedIn.value;
  const handOver = async (fromId: string, forkHash: string): Promise<HandedOver | null> =>
    host.env.SESSION.getByName(await sessionHash(fromId)).handOver(fromId, forkHash);
  const fresh = host.meta() === null;
  let carried = fresh && req.carryFrom ? await carryCredentials(config, logger, handOver, req.carryFrom, added, hash) : null;
  const count = (companyId: string, userId: string | null) => countLiveSessions(host.env, companyId, userId, Date.now());
  const refusedByCap = fresh ? await capRefusal(req.maxSessions ?? config.maxSessions, added, carried, count, logger) : null;
  if (refusedByCap) {
    logger.warn("session.cap_reached", { outcome: "refused" });
    const who = { email: added.kind === "user" ? added.user.email : null, userId: added.kind === "user" ? added.user.id : null };
    await recordAudit(
      host.env,
      added.company.id,
      signInRecord({ ...who, handle: null, client: req.client ? clientLabel(req.client) : null }, Date.now(), "session cap"),
    );
    if (added.kind === "user") host.logoutOrphan(config, logger, added.credential.token);
    if (carried?.secrets.user) host.logoutOrphan(config, logger, carried.secrets.user.token);
    return err(refusedByCap);
  }

  const outcome = await host.locked(async (): Promise<Result<LoginOutcome, SessionError>> => {
    if (host.generation() !== generation) return err({ code: "not_signed_in", message: ENDED_WHILE_SIGNING_IN });
    // Re-checked under the lock: a logout queued before this commit retires the ID.
    if (host.meta() === null && (await host.isRetired())) return err({ code: "not_signed_in", message: ID_ENDED });
    // F1 (src/session/fork.ts): the source may have ended since the hand-over; asked under
    // this lock, right before the commit, so a later end of the source drops the carried
    // credential after the commit (its `endFork` waits for this lock).
    if (carried && !(await sourceStillCarries(host.env, carried.sourceHash, hash, carried.mode, logger))) {
      if (carried.secrets.user) host.logoutOrphan(config, logger, carried.secrets.user.token);
      logger.warn("session.carry_withdrawn", { outcome: "source_ended" });
      carried = null;
    }
    await host.loadSecretsLocked(keys, logger);
    const before = host.meta();
    const merged = mergeLogin(signInBase(before, host.secrets(), carried), added, { hash, now: Date.now(), ttlMs: config.sessionTtlMs });
    if (!merged.ok) return merged;
    const withClient = fresh && req.client ? { ...merged.value.meta, client: req.client } : merged.value.meta;
    const committed = await host.commit(keys, generation, merged.value.secrets, withClient, logger);
    if (!committed) return err({ code: "not_signed_in", message: ENDED_WHILE_SIGNING_IN });
    if (merged.value.replacedUserToken) host.logoutOrphan(config, logger, merged.value.replacedUserToken);
    const created = before === null || merged.value.created || carried !== null;
    logger.info(created ? "session.created" : "session.credential_added", { mode: committed.mode, outcome: "ok" });
    return ok(signInOutcome(req.sessionId, committed, created, carried));
  });
  // A token the session did not keep must not stay valid upstream.
  if (!outcome.ok && added.kind === "user") host.logoutOrphan(config, logger, added.credential.token);
  if (!outcome.ok && carried?.secrets.user) host.logoutOrphan(config, logger, carried.secrets.user.token);
  // The registry row is in place before the caller releases the account's sign-in slot,
  // so the next sign-in of the account counts this session (MAX_SESSIONS_PER_ACCOUNT).
  if (outcome.ok) await host.effectsSettled();
  // The company's audit trail (best effort: recordAudit never throws); the registry row exists by now.
  const v = outcome.ok && outcome.value.created ? outcome.value.view : null;
  if (v) {
    const who = {
      email: v.user?.email ?? null,
      userId: v.user?.id ?? null,
      handle: v.hash,
      client: req.client ? clientLabel(req.client) : null,
    };
    await recordAudit(host.env, v.company.id, signInRecord(who, Date.now()));
  }
  return outcome;
}
