/**
 * SessionDO: the single source of truth for one signed-in Passgage session, named by the SHA-256 of the session ID (never the
 * ID). A thin shell (lifecycle, storage, locking) over the pure modules of src/session/; tools run in src/tools/run-tool.ts.
 *
 * Storage (SQLite-backed, synchronous KV API): the keys are listed in src/session/session-layout.ts and ARCHITECTURE.md
 * ("Durable Objects and their storage"). Secrets are sealed under a key derived from ENCRYPTION_KEY and the raw session ID
 * (src/session/key-ring.ts), never written in clear; `meta` and the sealed secrets are written with no `await` in between;
 * the KV mirror and the registry follow the commit (src/session/session-effects.ts), their failures logged, never fatal.
 *
 * Concurrency. Upstream calls run outside any lock. Every change of state runs in `#lock`, one at a time, and a commit re-checks
 * `#generation` right before its synchronous write: a logout, expiry or revocation (`revoke`, src/session/revocation.ts) bumps
 * it the moment it starts, so nothing begun before can bring the session back. One alarm: session expiry, or the earliest
 * marker's (session-store.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { type Config, loadConfig } from "../src/config";
import { constantTimeEqual, sessionHash, shortHash } from "../src/crypto/session-id";
import { createLogger, type Logger } from "../src/log";
import { admitLog } from "../src/rate-limit/policy";
import { bearerSessionId, codeAbandoned, type GrantAnswer, type GrantHost, type GrantRequest, runGrant } from "../src/oauth/grant-desk";
import type { Result } from "../src/result";
import { logoutToken, refreshToken } from "../src/session/credentials";
import { deriveKeyRing, type KeyRing, openSecrets, sealSecrets } from "../src/session/key-ring";
import { SerialQueue } from "../src/session/serial-queue";
import { sessionControl } from "../src/session/session-control";
import { SessionEffects } from "../src/session/session-effects";
import { LAST_SEEN_PERSIST_INTERVAL_MS } from "../src/session/session-layout";
import { SessionStore } from "../src/session/session-store";
import { revocationRefusal } from "../src/session/revocation";
import type { RevocationCheck, RevocationOutcome } from "../src/session/revocation-check";
import { runSessionTool, type SessionCallRequest, sessionToolListing } from "../src/session/session-tool-call";
import { callAsSession } from "../src/session/session-upstream";
import type { LoginRequest } from "../src/session/sign-in";
import { applySourceDrop, dropCarriedAtExpiry, endForks, type ForkHost, stillCarries, withoutCredential } from "../src/session/fork";
import { runSignIn, type SignInHost } from "../src/session/sign-in-flow";
import { isExpired, type Secrets, type SessionMeta, type UserCredential, viewOf } from "../src/session/state";
import { TokenRefresher } from "../src/session/token-refresher";
import type { LoginOutcome, SessionControl, SessionError, SessionView } from "../src/session/types";
import type { AuthMode } from "../src/contract/types";
import { toWire, type WireOutcome } from "../src/session/wire-outcome";

export { CONNECTION_TOMBSTONE_TTL_MS, LAST_SEEN_PERSIST_INTERVAL_MS } from "../src/session/session-layout";
export { TOKEN_REFRESH_AHEAD_MS } from "../src/session/state";

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
  readonly #grantHost: GrantHost = { live: (id) => this.view(id), end: (l) => this.#end("revoked", l), lock: this.#lock };
  #callLog: number[] = [];
  #lastPersistedSeen = 0;
  /** What the sign-in flow and the fork logic use of this object (src/session/sign-in-flow.ts, src/session/fork.ts). */
  readonly #host: SignInHost & ForkHost = {
    env: this.env,
    config: () => this.#config(),
    logger: (config, fields) => this.#logger(config, fields),
    isMyName: (hash) => this.#isMyName(hash),
    meta: () => this.#meta,
    secrets: () => this.#secrets,
    forks: () => this.#store.readForks(),
    generation: () => this.#generation,
    isRetired: () => this.isRetired(),
    ringFor: (config, id, hash) => this.#ringFor(config, id, hash),
    end: (reason, logger) => this.#end(reason, logger),
    locked: (fn) => this.#lock.run(fn),
    loadSecretsLocked: (keys, logger) => this.#loadSecretsLocked(keys, logger),
    commit: (keys, generation, secrets, meta, logger) => this.#commit(keys, generation, secrets, () => meta, logger),
    dropCredential: async (meta, mode, logger) => {
      this.#store.dropCredential(meta, mode);
      [this.#meta, this.#secrets] = [meta, this.#secrets && withoutCredential(this.#secrets, mode)];
      await this.#scheduleAlarm();
      this.#effects.mirror(meta, this.#store.readSealed(), logger, true);
    },
    logoutOrphan: (config, logger, token) => this.#logoutOrphan(config, logger, token),
    effectsSettled: () => this.#effects.settled(),
  };

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

  /** Signs in under a freshly minted ID (src/session/sign-in-flow.ts). */
  async login(req: LoginRequest): Promise<Result<LoginOutcome, SessionError>> {
    return runSignIn(this.#host, req);
  }

  /** Hands this live session's credentials (memory, over the RPC) to the new session `forkHash`, recorded as its fork (carry). */
  async handOver(sessionId: string, forkHash: string): Promise<{ meta: SessionMeta; secrets: Secrets } | null> {
    if (!(await this.#liveFor(sessionId)) || !this.#meta || !this.#secrets) return null;
    this.#store.addFork(forkHash);
    return { meta: this.#meta, secrets: this.#secrets };
  }

  /** Whether this session is live, lists the fork `forkHash` and holds `mode`. Takes NO lock (deadlock: src/session/fork.ts). */
  async hasFork(forkHash: string, mode: AuthMode): Promise<boolean> {
    return stillCarries(this.#meta, this.#store.readForks(), forkHash, mode, Date.now());
  }

  /** The session `sourceHash` no longer holds `modes`: a credential carried from it is dropped (src/session/fork.ts). */
  async endFork(sourceHash: string, modes: AuthMode[]): Promise<void> {
    const config = this.#config();
    const logger = this.#endLogger();
    if (config && (await applySourceDrop(this.#host, config, logger, sourceHash, modes)) === "end") await this.#end("source_ended", logger);
  }

  /** Ends this session for a revocation the registry authorised, re-checked against its meta (src/session/revocation.ts). */
  async revoke(check: RevocationCheck): Promise<RevocationOutcome> {
    const refusal = revocationRefusal(this.#meta, check, this.ctx.id.name);
    if (refusal === null) await this.#end("revoked", this.#endLogger());
    return refusal ?? "revoked";
  }

  /** Runs a tool call for this session. `selection` is the connection's (URL or headers; the default when absent): the
   * read-only gate applies to it, and the toolsets this session enabled are added to it. */
  async callTool(req: SessionCallRequest): Promise<WireOutcome> {
    const config = this.#config();
    const sessionId = config && (await bearerSessionId(this.ctx.storage, config, req.sessionId, req.audience));
    if (!config || !sessionId) return { kind: "no_session" };
    const hash = await sessionHash(sessionId);
    const logger = this.#logger(config, { requestId: req.requestId, sessionId: shortHash(hash), tool: req.name });
    if (!(await this.#ready(config, sessionId, hash, logger))) return { kind: "no_session" };
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
    const host = {
      meta: () => this.#meta,
      upstream: {
        call: (r: Parameters<typeof callAsSession>[0]) =>
          callAsSession(r, { meta: this.#meta, secrets: this.#secrets }, config, logger, {
            dueAhead: (user) => this.#refresher.dueAhead(user),
            refresh: (stale) => this.#refresh(stale, logger),
          }),
      },
      control: this.#control(config, logger),
      store: this.#store,
    };
    return toWire(await runSessionTool(req, meta, host, logger, now));
  }

  /** The session's public view, or null when it does not exist (or expired). */
  async view(sessionId: string, audience?: string): Promise<SessionView | null> {
    return (await this.#liveFor(sessionId, audience)) && this.#meta ? viewOf(this.#meta) : null;
  }

  /** What tools/list needs of this session (issue 15): its available modes and the toolsets it enabled; null when not live. */
  async toolListing(sessionId: string, audience?: string): Promise<ReturnType<typeof sessionToolListing> | null> {
    const view = await this.view(sessionId, audience);
    return view === null ? null : sessionToolListing(view.modes, this.#store);
  }

  /** OAuth grant operations on this session: issue a code, exchange, refresh, revoke (src/oauth/grant-desk.ts). */
  async oauth(req: GrantRequest): Promise<GrantAnswer> {
    return runGrant(this.ctx.storage, this.env, req, this.#grantHost);
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
    return (this.#meta !== null && isExpired(this.#meta, Date.now())) || (this.#store.retiredUntil() ?? 0) > Date.now();
  }

  /** Expiry: wipes an expired session (storage, KV mirror, registry entry) and stale tombstones, then re-arms. Idempotent: a
   * late, early or repeated alarm does only what is due, and mirror/registry failures are logged, not thrown. */
  override async alarm(): Promise<void> {
    const logger = this.#endLogger();
    const now = Date.now();
    if (this.#meta && (isExpired(this.#meta, now) || codeAbandoned(this.ctx.storage, now))) await this.#end("expired", logger);
    this.#store.sweep(now, this.#meta !== null);
    await this.#scheduleAlarm();
  }

  // ---------------------------------------------------------------- internals
  #config(): Config | null {
    const c = loadConfig(this.env);
    return c.ok ? c.config : null;
  }

  #logger(config: Config | null, fields: Record<string, string | undefined>): Logger {
    return createLogger(fields, config?.passgageDebug ? "debug" : "info");
  }

  /** A logger for ending the session outside a request (alarm, fork, revocation), even with an invalid config. */
  #endLogger(): Logger {
    const config = this.#config();
    const fields = { sessionId: this.#meta ? shortHash(this.#meta.hash) : undefined };
    return config ? this.#logger(config, fields) : createLogger(fields);
  }

  /** Whether `hash` names this object (defence in depth: callers route by the hash). */
  #isMyName(hash: string): boolean {
    const name = this.ctx.id.name;
    return name === undefined || constantTimeEqual(name, hash);
  }

  /** Whether the presented ID names the live session here (loaded, secrets in memory). */
  async #liveFor(presented: string, audience?: string): Promise<boolean> {
    const config = this.#config();
    const sessionId = config && (await bearerSessionId(this.ctx.storage, config, presented, audience));
    if (!config || !sessionId) return false;
    const hash = await sessionHash(sessionId);
    return this.#ready(config, sessionId, hash, this.#logger(config, { sessionId: shortHash(hash) }));
  }

  /** Loads the session for the presented ID; false when there is no live session here. */
  async #ready(config: Config, sessionId: string, hash: string, logger: Logger): Promise<boolean> {
    const meta = this.#meta;
    if (!meta || !constantTimeEqual(meta.hash, hash) || !this.#isMyName(hash)) return false;
    if (isExpired(meta, Date.now())) {
      await this.#end("expired", logger);
      if (!this.#meta) return false; // a fork at its capped expiry drops the carried credential and lives on
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

  /** Decrypts the stored secrets into memory (inside `#lock`); ciphertext under a previous key is re-encrypted at once (rotation). */
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
   * Seals `secrets`, then, unless the session ended meanwhile, writes `build(current meta)` and
   * the ciphertext in one synchronous batch and mirrors them (inside `#lock`); null when ended.
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

  /** Ends the session: forgotten in memory at once (commits in flight dropped), then storage, mirror, registry and forks. */
  async #end(reason: "expired" | "logout" | "source_ended" | "revoked", logger: Logger): Promise<void> {
    if (reason === "expired" && this.#meta?.carriedMode && (await dropCarriedAtExpiry(this.#host, this.#meta, logger))) return;
    const meta = this.#meta; // (re)read: a fork at its capped expiry drops the carried login and lives on (fork.ts); no await for others
    if (!meta) return;
    // Expiry revokes upstream as logout does (logout revokes in session-control).
    const token = reason !== "logout" ? (this.#secrets?.user?.token ?? null) : null;
    const forks = this.#store.readForks();
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
    logger.info(`session.${reason === "source_ended" ? "fork_ended" : reason}`, { outcome: "wiped" });
    await endForks(this.env, forks, meta.hash, meta.modes, logger);
    await this.#effects.wipe(meta, logger, reason);
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

  /** Single-flight refresh of `stale`; the fresh token is committed only if the session did not end or change meanwhile. */
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
        env: this.env,
        userToken: () => this.#secrets?.user?.token ?? null,
        end: () => this.#end("logout", logger),
        logoutUpstream: (token) => logoutToken(config, logger, token),
      },
      logger,
    );
  }
}
