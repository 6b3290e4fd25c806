/**
 * SessionDO: the single source of truth for one signed-in Passgage session, named by
 * the SHA-256 of the session ID (never the ID). A thin shell: lifecycle, storage and
 * locking; the decisions live in pure modules of src/session/ (state, key-ring,
 * session-storage, token-refresher, session-control, session-upstream) and tools run in
 * src/tools/run-tool.ts.
 *
 * Storage layout (SQLite-backed, synchronous KV API `ctx.storage.kv`):
 *   `meta`            SessionMeta (JSON, no secrets): company, user profile, modes, times
 *   `secret:user`     sealed UserCredential JSON  (AES-256-GCM, AAD = hash|secret:user)
 *   `secret:company`  sealed company API key      (AES-256-GCM, AAD = hash|secret:company)
 *   `conn:<id>`       { terminatedAt } tombstone of an ended MCP transport connection, kept in
 *                     the object named by SHA-256(`connection:` + id) (src/mcp/transport-connection.ts)
 *   `retired`         { until } the session ended: its ID is never signed into again
 *   `toolsets`        toolset names the session enabled (passgage_enable_toolset), no secrets
 * Both markers live SESSION_ID_REUSE_HORIZON_MS (30 days), the longest a session or an
 * Mcp-Session-Id can live.
 * Sealed values are `v1.<kid>.<iv>.<ciphertext>` (src/crypto/sealing.ts) under a key derived
 * from ENCRYPTION_KEY and the raw session ID (src/session/key-ring.ts). Nothing secret is
 * written in clear, not even for a moment (SQLite keeps a 30-day recovery history);
 * decrypted credentials live only in memory. `meta` and the sealed secrets are written
 * with no `await` in between, so they commit atomically. KV `session:<hash>` and the
 * RegistryDO entry mirror them after the commit (src/session/session-effects.ts); their
 * failures are logged, never fatal.
 *
 * Concurrency. Upstream calls run outside any lock. Every change of state (login, refresh
 * commit, re-encryption, wipe) runs in `#lock`, one at a time, and a commit re-checks
 * `#generation` right before its synchronous write: a logout or expiry bumps it the moment
 * it starts, so nothing that began before it can bring the session back. One alarm: at
 * the session's expiry (wipe), or at the earliest marker's expiry (src/session/session-store.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { type Config, loadConfig } from "../src/config";
import { constantTimeEqual, sessionHash, shortHash } from "../src/crypto/session-id";
import { createLogger, type Logger } from "../src/log";
import { admitLog } from "../src/rate-limit/policy";
import { countLiveSessions, listCompanySessions } from "../src/registry/registry-client";
import { err, ok, type Result } from "../src/result";
import { logoutToken, refreshToken, signInUpstream } from "../src/session/credentials";
import { deriveKeyRing, type KeyRing, openSecrets, sealSecrets } from "../src/session/key-ring";
import { SerialQueue } from "../src/session/serial-queue";
import { sessionControl } from "../src/session/session-control";
import { SessionEffects } from "../src/session/session-effects";
import { SessionStore } from "../src/session/session-store";
import { callAsSession } from "../src/session/session-upstream";
import {
  type AddedCredential,
  isExpired,
  mergeLogin,
  modesOf,
  type Secrets,
  type SessionMeta,
  type UserCredential,
  viewOf,
} from "../src/session/state";
import { TokenRefresher } from "../src/session/token-refresher";
import type { LoginOutcome, SessionControl, SessionError, SessionView, SignIn } from "../src/session/types";
import type { AuthMode } from "../src/contract/types";
import { runConnectionTool } from "../src/tools/connection-tools";
import type { ToolContext } from "../src/tools/define-tool";
import type { ToolOutcome } from "../src/tools/run-tool";
import { DEFAULT_SELECTION, enableToolsets, keptToolsets, type ToolSelection } from "../src/tools/tool-selection";
import type { ToolsetName } from "../src/tools/toolsets";

export { CONNECTION_TOMBSTONE_TTL_MS } from "../src/session/session-layout";
export { TOKEN_REFRESH_AHEAD_MS } from "../src/session/state";

/** Persist lastSeenAt / touch the registry at most this often (ms). */
export const LAST_SEEN_PERSIST_INTERVAL_MS = 60_000;

/**
 * Arguments of a login RPC (credentials travel only in memory, over the RPC). `carryFrom`:
 * the live session the signer's client presented, whose same-company credentials the new
 * session takes over (that session itself is left unchanged).
 */
type LoginRequest = SignIn & {
  readonly sessionId: string;
  readonly requestId: string;
  readonly carryFrom?: string | null;
  /** The caps to apply (the caller's parsed MAX_SESSIONS_PER_*); the DO's own config when absent. */
  readonly maxSessions?: Config["maxSessions"];
};

/** Credentials carried into a new session from the session the client presented. */
interface Carried {
  readonly meta: SessionMeta;
  readonly secrets: Secrets;
  readonly from: string;
}

const ID_ENDED = "This session ID has ended and cannot be signed into again; sign in for a new one.";
const ENDED_WHILE_SIGNING_IN = "The session ended (signed out or expired) while signing in. Sign in again to start a new session.";

/** The SessionDO. */
export class SessionDO extends DurableObject<Env> {
  readonly #store: SessionStore;
  #meta: SessionMeta | null = null;
  #secrets: Secrets | null = null;
  #keys: KeyRing | null = null;
  /** Bumped synchronously whenever the session ends; commits begun before that are dropped. */
  #generation = 0;
  /** Every change of state runs in this queue, one at a time. */
  readonly #lock = new SerialQueue();
  /** Ordered KV mirror and registry writes. */
  readonly #effects: SessionEffects;
  readonly #refresher: TokenRefresher;
  #callLog: number[] = [];
  #lastPersistedSeen = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Synchronous reads only (no network): load the non-secret state.
    this.#store = new SessionStore(ctx.storage);
    this.#meta = this.#store.readMeta();
    this.#lastPersistedSeen = this.#meta?.lastSeenAt ?? 0;
    this.#effects = new SessionEffects({ bindings: () => this.env, waitUntil: (p) => ctx.waitUntil(p) });
    this.#refresher = new TokenRefresher({
      current: () => this.#secrets?.user ?? null,
      refresh: (token, logger) => this.#withConfig((config) => refreshToken(config, logger, token, Date.now())),
      revoke: (token, logger) => this.#withConfig((config) => this.#logoutOrphan(config, logger, token)),
      now: () => Date.now(),
    });
  }

  // ---------------------------------------------------------------- RPC surface
  /**
   * Signs in: creates the session under a freshly minted ID (session routing never names
   * an existing one), carrying the same-company credentials of the presented session
   * `carryFrom` when given, unless the account or the company is at its session cap.
   */
  async login(req: LoginRequest): Promise<Result<LoginOutcome, SessionError>> {
    const config = this.#config();
    if (!config) return err({ code: "misconfigured", message: "The server is misconfigured (see /health)." });
    const hash = await sessionHash(req.sessionId);
    const logger = this.#logger(config, { requestId: req.requestId, sessionId: shortHash(hash) });
    if (!this.#isMyName(hash) || (this.#meta !== null && !constantTimeEqual(this.#meta.hash, hash))) {
      return err({ code: "not_signed_in", message: "Session mismatch." });
    }
    if (this.#meta === null && (await this.isRetired())) {
      return err({ code: "not_signed_in", message: ID_ENDED });
    }
    const keys = await this.#ringFor(config, req.sessionId, hash);
    if (!keys) return err({ code: "misconfigured", message: "Sign-in is disabled: the server has no ENCRYPTION_KEY (see /health)." });
    if (this.#meta && isExpired(this.#meta, Date.now())) {
      await this.#end("expired", logger);
      return err({ code: "not_signed_in", message: ID_ENDED });
    }
    const generation = this.#generation;

    const signedIn = await signInUpstream(config, logger, req, Date.now());
    if (!signedIn.ok) return signedIn;
    const added = signedIn.value;
    const carried = this.#meta === null && req.carryFrom ? await this.#carry(config, logger, req.carryFrom, added, hash) : null;
    const refusedByCap = this.#meta === null ? await this.#atCap(req.maxSessions ?? config.maxSessions, added, carried, logger) : null;
    if (refusedByCap) {
      logger.warn("session.cap_reached", { outcome: "refused" });
      if (added.kind === "user") this.#logoutOrphan(config, logger, added.credential.token);
      if (carried?.secrets.user) this.#logoutOrphan(config, logger, carried.secrets.user.token);
      return err(refusedByCap);
    }

    const outcome = await this.#lock.run(async (): Promise<Result<LoginOutcome, SessionError>> => {
      if (this.#generation !== generation) {
        return err({ code: "not_signed_in", message: ENDED_WHILE_SIGNING_IN });
      }
      // Re-checked under the lock: a logout queued before this commit retires the ID.
      if (this.#meta === null && (await this.isRetired())) {
        return err({ code: "not_signed_in", message: ID_ENDED });
      }
      await this.#loadSecretsLocked(keys, logger);
      const existing = this.#meta
        ? { meta: this.#meta, secrets: this.#secrets ?? { user: null, apiKey: null } }
        : carried
          ? { meta: carried.meta, secrets: carried.secrets }
          : null;
      const merged = mergeLogin(existing, added, { hash, now: Date.now(), ttlMs: config.sessionTtlMs });
      if (!merged.ok) return merged;
      const committed = await this.#commit(keys, generation, merged.value.secrets, () => merged.value.meta, logger);
      if (!committed) return err({ code: "not_signed_in", message: ENDED_WHILE_SIGNING_IN });
      if (merged.value.replacedUserToken) this.#logoutOrphan(config, logger, merged.value.replacedUserToken);
      const created = this.#meta === null || merged.value.created || carried !== null;
      logger.info(created ? "session.created" : "session.credential_added", { mode: committed.mode, outcome: "ok" });
      const carriedModes = carried ? modesOf(carried.secrets) : [];
      return ok({
        sessionId: req.sessionId,
        view: viewOf(committed),
        created,
        carried: carried ? { modes: carriedModes, from: carried.from } : null,
      });
    });
    // A token the session did not keep must not stay valid upstream.
    if (!outcome.ok && added.kind === "user") this.#logoutOrphan(config, logger, added.credential.token);
    if (!outcome.ok && carried?.secrets.user) this.#logoutOrphan(config, logger, carried.secrets.user.token);
    // The registry row is in place before the caller releases the account's sign-in slot,
    // so the next sign-in of the account counts this session (MAX_SESSIONS_PER_ACCOUNT).
    if (outcome.ok) await this.#effects.settled();
    return outcome;
  }

  /**
   * Hands this live session's credentials to a new session minted by a sign-in of a
   * client that presented this ID (the raw ID is the proof of possession). In memory
   * only, over the RPC; this session is not changed. Null when no live session.
   */
  async handOver(sessionId: string): Promise<{ meta: SessionMeta; secrets: Secrets } | null> {
    const config = this.#config();
    if (!config) return null;
    const hash = await sessionHash(sessionId);
    if (!(await this.#ready(config, sessionId, hash, this.#logger(config, { sessionId: shortHash(hash) })))) return null;
    if (!this.#meta || !this.#secrets) return null;
    return { meta: this.#meta, secrets: this.#secrets };
  }

  /**
   * Runs a tool call for this session. `selection` is the connection's (URL or headers;
   * the default when absent): the read-only gate applies to it, and the toolsets this
   * session enabled are added to it.
   */
  async callTool(req: {
    sessionId: string;
    name: string;
    args: unknown;
    requestId: string;
    selection?: ToolSelection;
  }): Promise<ToolOutcome> {
    const config = this.#config();
    if (!config) return { kind: "no_session" };
    const hash = await sessionHash(req.sessionId);
    const logger = this.#logger(config, { requestId: req.requestId, sessionId: shortHash(hash), tool: req.name });
    if (!(await this.#ready(config, req.sessionId, hash, logger))) return { kind: "no_session" };
    const meta = this.#meta;
    if (!meta) return { kind: "no_session" };
    const now = Date.now();
    const decision = admitLog(this.#callLog, now, config.rateLimit);
    this.#callLog = decision.log;
    if (!decision.decision.allowed) {
      logger.warn("rate_limit.exceeded", { scope: "session", retryAfterMs: decision.decision.retryAfterMs });
      return { kind: "rate_limited", retryAfterMs: decision.decision.retryAfterMs };
    }
    this.#touch(now, logger);
    const started = Date.now();
    const connection = req.selection ?? DEFAULT_SELECTION;
    const selection = enableToolsets(connection, this.#store.readToolsets()).selection;
    const base: ToolContext = {
      session: viewOf(this.#meta ?? meta),
      upstream: {
        call: (r) =>
          callAsSession(r, { meta: this.#meta, secrets: this.#secrets }, config, logger, {
            dueAhead: (user) => this.#refresher.dueAhead(user),
            refresh: (stale) => this.#refresh(stale, logger),
          }),
      },
      control: this.#control(config, logger),
      logger,
      now,
    };
    const outcome = await runConnectionTool(req.name, req.args, base, {
      selection,
      modes: meta.modes,
      saveSelection: async (next) => {
        // Kept until the session ends (wipe deletes it); a connection's read-only flag is never kept.
        if (this.#meta !== null) this.#store.putToolsets(keptToolsets(this.#store.readToolsets(), connection, next));
        return { notified: false, persisted: this.#meta !== null };
      },
    });
    logger.info("tool.call", {
      mode: meta.mode,
      durationMs: Date.now() - started,
      outcome: outcome.kind === "result" ? (outcome.result.isError ? "error" : "ok") : "rpc_error",
      code: outcome.code,
    });
    return outcome;
  }

  /** The session's public view, or null when it does not exist (or expired). */
  async view(sessionId: string): Promise<SessionView | null> {
    const config = this.#config();
    if (!config) return null;
    const hash = await sessionHash(sessionId);
    if (!(await this.#ready(config, sessionId, hash, this.#logger(config, { sessionId: shortHash(hash) })))) return null;
    return this.#meta ? viewOf(this.#meta) : null;
  }

  /** What tools/list needs of this session (issue 15): its available modes and the toolsets it enabled; null when not live. */
  async toolListing(sessionId: string): Promise<{ modes: AuthMode[]; toolsets: ToolsetName[] } | null> {
    const view = await this.view(sessionId);
    return view === null ? null : { modes: [...view.modes], toolsets: this.#store.readToolsets() };
  }

  /** Records that an MCP transport connection bound to this object was ended (DELETE). */
  async terminateConnection(connId: string): Promise<void> {
    this.#store.endConnection(connId, Date.now());
    await this.#scheduleAlarm();
  }

  /** Whether an MCP transport connection was ended. */
  async isConnectionTerminated(connId: string): Promise<boolean> {
    return this.#store.isConnectionEnded(connId);
  }

  /** Whether this object's session ID ended (logout or expiry, wiped or not yet) and is retired. */
  async isRetired(): Promise<boolean> {
    if (this.#meta && isExpired(this.#meta, Date.now())) return true;
    const until = this.#store.retiredUntil();
    return until !== null && until > Date.now();
  }

  /**
   * Expiry: wipes an expired session (storage, KV mirror, registry entry) and stale
   * tombstones, then re-arms. Idempotent: a late, early or repeated alarm does only
   * what is due, and mirror/registry failures are logged, not thrown.
   */
  override async alarm(): Promise<void> {
    const config = this.#config();
    const logger = config
      ? this.#logger(config, { sessionId: this.#meta ? shortHash(this.#meta.hash) : undefined })
      : createLogger({ sessionId: this.#meta ? shortHash(this.#meta.hash) : undefined });
    const now = Date.now();
    if (this.#meta && isExpired(this.#meta, now)) await this.#end("expired", logger);
    this.#store.sweep(now, this.#meta !== null);
    await this.#scheduleAlarm();
  }

  // ---------------------------------------------------------------- internals
  /**
   * The credentials the new session takes from the presented session `fromId`: same
   * company only; the credential kind being signed in is never carried (the new one wins).
   * A carried user token is refreshed into a token of its own, so a logout or refresh of
   * either session leaves the other's intact. Null when nothing is carried.
   */
  async #carry(config: Config, logger: Logger, fromId: string, added: AddedCredential, hash: string): Promise<Carried | null> {
    let handed: { meta: SessionMeta; secrets: Secrets } | null;
    try {
      handed = await this.env.SESSION.getByName(await sessionHash(fromId)).handOver(fromId);
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
    const meta: SessionMeta = {
      ...handed.meta,
      hash,
      user: user ? handed.meta.user : null,
      modes: modesOf(secrets),
      mode: user ? "user" : "company",
      createdAt: now,
      expiresAt: now + config.sessionTtlMs,
      lastSeenAt: now,
    };
    logger.info("session.credentials_carried", { modes: modesOf(secrets).join(",") });
    return {
      meta,
      secrets,
      from: user && handed.meta.user ? handed.meta.user.email : `the company API key of ${handed.meta.company.name}`,
    };
  }

  /**
   * The refusal when the new session's account or company already has its cap of live
   * sessions (MAX_SESSIONS_PER_ACCOUNT, MAX_SESSIONS_PER_COMPANY), else null. The account
   * is the user (or, for a company-key-only session, the company's key sessions). Fails
   * open when the registry cannot be read (logged).
   */
  async #atCap(caps: Config["maxSessions"], added: AddedCredential, carried: Carried | null, logger: Logger): Promise<SessionError | null> {
    const userId = added.kind === "user" ? added.user.id : (carried?.meta.user?.id ?? null);
    let counts: { company: number; account: number };
    try {
      counts = await countLiveSessions(this.env, added.company.id, userId, Date.now());
    } catch {
      // The registry is a mirror: its outage must not block sign-in (the caps are then not enforced; logged).
      logger.warn("session.cap_unchecked", { outcome: "registry_unavailable" });
      return null;
    }
    const { perAccount, perCompany } = caps;
    const free = "Sign out a session you no longer use (passgage_session_logout with its X-Session-ID), or wait until one expires.";
    if (counts.account >= perAccount) {
      return {
        code: "forbidden",
        message: `This ${userId === null ? "company key" : "account"} already has ${counts.account} live sessions, the most allowed (MAX_SESSIONS_PER_ACCOUNT=${perAccount}). ${free}`,
      };
    }
    if (counts.company >= perCompany) {
      return {
        code: "forbidden",
        message: `${added.company.name} already has ${counts.company} live sessions, the most allowed (MAX_SESSIONS_PER_COMPANY=${perCompany}). ${free}`,
      };
    }
    return null;
  }

  #config(): Config | null {
    const c = loadConfig(this.env);
    return c.ok ? c.config : null;
  }

  #logger(config: Config, fields: Record<string, string | undefined>): Logger {
    return createLogger(fields, config.passgageDebug ? "debug" : "info");
  }

  /** Whether `hash` names this object (defence in depth: callers route by the hash). */
  #isMyName(hash: string): boolean {
    const name = this.ctx.id.name;
    return name === undefined || constantTimeEqual(name, hash);
  }

  /** Loads the session for the presented ID; false when there is no live session here. */
  async #ready(config: Config, sessionId: string, hash: string, logger: Logger): Promise<boolean> {
    const meta = this.#meta;
    if (!meta || !constantTimeEqual(meta.hash, hash) || !this.#isMyName(hash)) return false;
    if (isExpired(meta, Date.now())) {
      await this.#end("expired", logger);
      return false;
    }
    const keys = await this.#ringFor(config, sessionId, hash);
    if (!keys) return false;
    if (!this.#secrets) await this.#lock.run(() => this.#loadSecretsLocked(keys, logger));
    if (!this.#meta || !this.#secrets || (!this.#secrets.user && !this.#secrets.apiKey)) {
      if (this.#meta) logger.error("session.undecryptable", { outcome: "error" });
      return false;
    }
    return true;
  }

  /** The key ring of this session (cached while the session lives); null without ENCRYPTION_KEY. */
  async #ringFor(config: Config, sessionId: string, hash: string): Promise<KeyRing | null> {
    if (this.#keys && this.#keys.hash === hash) return this.#keys;
    const ring = await deriveKeyRing(config, sessionId, hash);
    if (ring) this.#keys = ring;
    return ring;
  }

  /**
   * Decrypts the stored secrets into memory (inside `#lock`). Ciphertext under a
   * previous key is re-encrypted under the current key right away (key rotation).
   */
  async #loadSecretsLocked(keys: KeyRing, logger: Logger): Promise<void> {
    const meta = this.#meta;
    if (this.#secrets || !meta) return;
    const generation = this.#generation;
    const { secrets, stale } = await openSecrets(keys, this.#store.readSealed());
    if (this.#generation !== generation || this.#meta === null) return;
    if (!secrets) return; // undecryptable (key missing): leave storage as it is
    this.#secrets = secrets;
    if (stale) {
      await this.#commit(keys, generation, secrets, (current) => current, logger);
      logger.info("session.reencrypted", { kid: keys.current.kid });
    }
  }

  /**
   * Seals `secrets` under the current key, then, if the session did not end meanwhile,
   * writes metadata and ciphertext in one synchronous batch and mirrors them. `build`
   * gets the metadata as it is at write time. Call inside `#lock`. Returns the
   * committed metadata, or null when the session ended first (nothing written).
   */
  async #commit(
    keys: KeyRing,
    generation: number,
    secrets: Secrets,
    build: (current: SessionMeta | null) => SessionMeta | null,
    logger: Logger,
  ): Promise<SessionMeta | null> {
    const sealed = await sealSecrets(keys, secrets);
    if (this.#generation !== generation) return null;
    const meta = build(this.#meta);
    if (!meta) return null;
    // No await from here to the end of the writes: one atomic batch.
    this.#store.writeState(meta, sealed);
    this.#meta = meta;
    this.#secrets = secrets;
    this.#lastPersistedSeen = meta.lastSeenAt;
    await this.#scheduleAlarm();
    this.#effects.mirror(meta, sealed, logger, true);
    return meta;
  }

  /** Records use: lastSeenAt in memory always; in storage and the registry at most once per LAST_SEEN_PERSIST_INTERVAL_MS. */
  #touch(now: number, logger: Logger): void {
    const meta = this.#meta;
    if (!meta) return;
    const next: SessionMeta = { ...meta, lastSeenAt: Math.max(meta.lastSeenAt, now) };
    this.#meta = next;
    if (now - this.#lastPersistedSeen < LAST_SEEN_PERSIST_INTERVAL_MS) return;
    this.#lastPersistedSeen = now;
    this.#store.putMeta(next);
    this.#effects.touch(next, now, logger, next.mode);
  }

  async #scheduleAlarm(): Promise<void> {
    await this.#store.scheduleAlarm(this.#meta ? this.#meta.expiresAt : null);
  }

  /**
   * Ends the session: forgets it in memory at once (the very next request is refused,
   * commits in flight are dropped), then deletes storage, KV mirror and registry entry.
   */
  async #end(reason: "expired" | "logout", logger: Logger): Promise<void> {
    const meta = this.#meta;
    if (!meta) return;
    // Expiry revokes upstream as logout does (logout revokes in session-control).
    const token = reason === "expired" ? (this.#secrets?.user?.token ?? null) : null;
    const config = token ? this.#config() : null;
    if (token && config) this.#logoutOrphan(config, logger, token);
    this.#meta = null;
    this.#secrets = null;
    this.#keys = null;
    this.#callLog = [];
    this.#refresher.reset();
    this.#generation++;
    // No await before #lock.run: the wipe is queued ahead of any later commit.
    await this.#lock.run(async () => {
      // Tombstones stay (they end transports); the ID is retired: it must never name a session again.
      await this.#store.wipe(Date.now());
      await this.#scheduleAlarm();
    });
    logger.info(reason === "logout" ? "session.logout" : "session.expired", { outcome: "wiped" });
    await this.#effects.wipe(meta, logger);
  }

  /** Logs a token out upstream in the background (a token the session no longer keeps). */
  #logoutOrphan(config: Config, logger: Logger, token: string): void {
    this.ctx.waitUntil(
      logoutToken(config, logger, token).then(
        (done) => logger.info("session.token_revoked", { outcome: done ? "ok" : "failed" }),
        () => undefined,
      ),
    );
  }

  /**
   * Refreshes `stale` through the single-flight refresher; a fresh token is committed
   * under the lock only if the session did not end (generation) or change meanwhile.
   */
  #refresh(stale: UserCredential, logger: Logger): Promise<UserCredential | null> {
    const generation = this.#generation;
    const keys = this.#keys;
    return this.#refresher.refresh(stale, logger, async (old, fresh) => {
      if (!keys) return false;
      const kept = await this.#lock.run(async () => {
        const secrets = this.#secrets;
        if (this.#generation !== generation || !secrets || secrets.user?.token !== old.token) return null;
        return this.#commit(keys, generation, { ...secrets, user: fresh }, (m) => m, logger);
      });
      return kept !== null;
    });
  }

  /** Runs `fn` with the current configuration (the refresher's host callbacks need it). */
  #withConfig<T>(fn: (config: Config) => T): T {
    const config = this.#config();
    if (config) return fn(config);
    throw new Error("configuration became invalid");
  }

  #control(config: Config, logger: Logger): SessionControl {
    return sessionControl(
      {
        meta: () => this.#meta,
        saveMode: (next, mode) => {
          this.#meta = next;
          this.#store.putMeta(next);
          this.#effects.mirror(next, this.#store.readSealed(), logger, false);
          this.#effects.touch(next, Date.now(), logger, mode);
        },
        listCompany: (companyId) => listCompanySessions(this.env, companyId, Date.now()),
        userToken: () => this.#secrets?.user?.token ?? null,
        end: () => this.#end("logout", logger),
        logoutUpstream: (token) => logoutToken(config, logger, token),
      },
      logger,
    );
  }
}
