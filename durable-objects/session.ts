/**
 * SessionDO: the single source of truth for one signed-in Passgage session.
 * One object per session, named by the SHA-256 of the session ID (never the ID).
 *
 * Storage layout (SQLite-backed, synchronous KV API `ctx.storage.kv`):
 *   `meta`            SessionMeta (JSON, no secrets): company, user profile, modes, times
 *   `secret:user`     sealed UserCredential JSON  (AES-256-GCM, AAD = hash|secret:user)
 *   `secret:company`  sealed company API key      (AES-256-GCM, AAD = hash|secret:company)
 *   `conn:<id>`       { terminatedAt } tombstone of an ended MCP transport connection
 *   `retired`         { until } the session ended: its ID is never signed into again (30 days)
 * Sealed values are `v1.<kid>.<iv>.<ciphertext>` (src/crypto/envelope.ts), under a key
 * derived with HKDF from ENCRYPTION_KEY and the raw session ID, which is never stored.
 * Nothing secret is ever written in clear, not even for a moment: SQLite storage keeps
 * a 30-day recovery history. Decrypted credentials live only in memory (`#secrets`).
 * `meta` and the sealed secrets are written together, with no `await` in between, so
 * they commit atomically.
 *
 * KV `PASSGAGE_SESSIONS` mirrors `meta` and the sealed secrets under `session:<hash>`
 * (src/session/kv-mirror.ts), expiring with the session; it is never read back. The
 * RegistryDO holds an entry per session (short hash). Mirror and registry writes run
 * after the commit, in order, on one chain (`#effects`), and their failures are logged,
 * never fatal: this object stays the authority.
 *
 * Concurrency. Upstream calls run outside any lock. Every change of state (login
 * commit, token refresh commit, re-encryption, wipe) runs inside `#exclusive`, one at
 * a time, and a commit re-checks `#generation` right before its synchronous write: a
 * logout or expiry bumps the generation synchronously the moment it starts, so nothing
 * that began before it (a login or refresh in flight) can bring the session back.
 *
 * One alarm: at the session's expiry (wipe), or at the earliest tombstone's expiry.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod/mini";
import { type Config, loadConfig } from "../src/config";
import type { AuthMode } from "../src/contract/types";
import { aadFor, deriveSessionKey, importMasterKey, kidOf, open, seal, type SessionKey } from "../src/crypto/envelope";
import { constantTimeEqual, sessionHash, shortHash } from "../src/crypto/session-id";
import { createLogger, type Logger } from "../src/log";
import { type CallOutcome, runTool } from "../src/mcp/call-tool";
import { callUpstream, type UpstreamError, type UpstreamRequest, type UpstreamSuccess } from "../src/passgage/client";
import { admitLog } from "../src/rate-limit/policy";
import { listCompanySessions, registerSession, touchSession, unregisterSession } from "../src/registry/registry-client";
import type { RegistryEntry } from "../src/registry/schemas";
import { err, ok, type Result } from "../src/result";
import { logoutToken, passwordLogin, probeApiKey, refreshToken } from "../src/session/credentials";
import { kvMirrorEntry, kvMirrorKey } from "../src/session/kv-mirror";
import {
  type AddedCredential,
  isExpired,
  mergeLogin,
  mirrorTtlSeconds,
  REFRESH_RETRY_COOLDOWN_MS,
  registryEntryOf,
  type Secrets,
  type SessionMeta,
  SessionMetaSchema,
  shouldRefreshAhead,
  switchMode,
  type UserCredential,
  UserCredentialSchema,
  viewOf,
} from "../src/session/state";
import type { LoginOutcome, SessionControl, SessionError, SessionView } from "../src/session/types";

export { TOKEN_REFRESH_AHEAD_MS } from "../src/session/state";

/** How long a terminated-connection tombstone is kept (ms). */
export const CONNECTION_TOMBSTONE_TTL_MS = 24 * 3_600_000;
/** Persist lastSeenAt / touch the registry at most this often (ms). */
export const LAST_SEEN_PERSIST_INTERVAL_MS = 60_000;

/** Storage keys (see the file header). */
const KEY_META = "meta";
const KEY_SECRET_USER = "secret:user";
const KEY_SECRET_COMPANY = "secret:company";
const CONN_PREFIX = "conn:";

const TombstoneSchema = z.object({ terminatedAt: z.number() });
/** Key of the retirement marker: the ID's session ended; it can never be signed into again. */
const KEY_RETIRED = "retired";
const RetiredSchema = z.object({ until: z.number() });
/**
 * How long an ended session's ID stays retired. A connection's pending ID can be signed
 * into only within PENDING_SESSION_MAX_AGE_MS of issue (the same 30 days), so a retired
 * ID is never reused.
 */
export const RETIRED_ID_TTL_MS = 30 * 86_400_000;

/** Arguments of a login RPC (credentials travel only in memory, over the RPC). */
export type LoginRequest =
  | { readonly sessionId: string; readonly kind: "password"; readonly email: string; readonly password: string; readonly requestId: string }
  | { readonly sessionId: string; readonly kind: "api_key"; readonly apiKey: string; readonly requestId: string };

/** Outcome of a tool call routed to a session. */
export type SessionCallOutcome =
  { readonly kind: "no_session" } | { readonly kind: "rate_limited"; readonly retryAfterMs: number } | CallOutcome;

/** Keys of one session: the current key seals, every key (current and previous) opens. */
interface KeyRing {
  readonly hash: string;
  readonly current: SessionKey;
  readonly all: readonly SessionKey[];
}

/** The SessionDO. */
export class SessionDO extends DurableObject<Env> {
  #meta: SessionMeta | null = null;
  #secrets: Secrets | null = null;
  #keys: KeyRing | null = null;
  /** Bumped synchronously whenever the session ends; commits begun before that are dropped. */
  #generation = 0;
  /** Tail of the state-change queue (`#exclusive`). */
  #lock: Promise<void> = Promise.resolve();
  /** Tail of the ordered mirror/registry side effects. */
  #effects: Promise<void> = Promise.resolve();
  #refreshing: Promise<UserCredential | null> | null = null;
  /** The token whose refresh failed, and when a refresh may be tried again. */
  #refreshFailed: { token: string; retryAt: number } | null = null;
  /** A refreshed token that was itself issued inside the refresh-ahead window. */
  #shortLivedToken: string | null = null;
  #callLog: number[] = [];
  #lastPersistedSeen = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Synchronous reads only (no network): load the non-secret state.
    const parsed = SessionMetaSchema.safeParse(ctx.storage.kv.get(KEY_META));
    this.#meta = parsed.success ? parsed.data : null;
    this.#lastPersistedSeen = this.#meta?.lastSeenAt ?? 0;
  }

  // ---------------------------------------------------------------- RPC surface

  /** Signs in: creates the session, or adds a credential to it. */
  async login(req: LoginRequest): Promise<Result<LoginOutcome, SessionError>> {
    const config = this.#config();
    if (!config) return err({ code: "misconfigured", message: "The server is misconfigured (see /health)." });
    const hash = await sessionHash(req.sessionId);
    const logger = this.#logger(config, { requestId: req.requestId, sessionId: shortHash(hash) });
    if (!this.#isMyName(hash) || (this.#meta !== null && !constantTimeEqual(this.#meta.hash, hash))) {
      return err({ code: "not_signed_in", message: "Session mismatch." });
    }
    if (this.#meta === null && (await this.isRetired())) {
      return err({ code: "not_signed_in", message: "This session ID has ended and cannot be signed into again; sign in for a new one." });
    }
    const keys = await this.#keyRing(config, req.sessionId, hash);
    if (!keys) return err({ code: "misconfigured", message: "Sign-in is disabled: the server has no ENCRYPTION_KEY (see /health)." });
    if (this.#meta && isExpired(this.#meta, Date.now())) {
      await this.#end("expired", logger);
      return err({ code: "not_signed_in", message: "This session ID has ended and cannot be signed into again; sign in for a new one." });
    }
    const generation = this.#generation;

    const now = Date.now();
    let added: AddedCredential;
    if (req.kind === "password") {
      const r = await passwordLogin(config, logger, req.email, req.password, now);
      if (!r.ok) return r;
      added = { kind: "user", credential: r.value.credential, user: r.value.user, company: r.value.company };
    } else {
      const r = await probeApiKey(config, logger, req.apiKey);
      if (!r.ok) return r;
      added = { kind: "api_key", apiKey: req.apiKey, company: r.value };
    }

    const outcome = await this.#exclusive(async (): Promise<Result<LoginOutcome, SessionError>> => {
      if (this.#generation !== generation) {
        return err({
          code: "not_signed_in",
          message: "The session ended (signed out or expired) while signing in. Sign in again to start a new session.",
        });
      }
      // Re-checked under the lock: a logout queued before this commit retires the ID.
      if (this.#meta === null && (await this.isRetired())) {
        return err({ code: "not_signed_in", message: "This session ID has ended and cannot be signed into again; sign in for a new one." });
      }
      await this.#loadSecretsLocked(keys, logger);
      const existing = this.#meta ? { meta: this.#meta, secrets: this.#secrets ?? { user: null, apiKey: null } } : null;
      const merged = mergeLogin(existing, added, { hash, now: Date.now(), ttlMs: config.sessionTtlMs });
      if (!merged.ok) return merged;
      const committed = await this.#commit(keys, generation, merged.value.secrets, () => merged.value.meta, logger);
      if (!committed)
        return err({
          code: "not_signed_in",
          message: "The session ended (signed out or expired) while signing in. Sign in again to start a new session.",
        });
      if (merged.value.replacedUserToken) this.#logoutOrphan(config, logger, merged.value.replacedUserToken);
      logger.info(merged.value.created ? "session.created" : "session.credential_added", { mode: committed.mode, outcome: "ok" });
      return ok({ sessionId: req.sessionId, view: viewOf(committed), created: merged.value.created });
    });
    // A token the session did not keep must not stay valid upstream.
    if (!outcome.ok && added.kind === "user") this.#logoutOrphan(config, logger, added.credential.token);
    return outcome;
  }

  /** Runs a tool call for this session. */
  async callTool(req: { sessionId: string; name: string; args: unknown; requestId: string }): Promise<SessionCallOutcome> {
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
    const outcome = await runTool(req.name, req.args, {
      session: viewOf(this.#meta ?? meta),
      upstream: { call: (r) => this.#callUpstream(r, config, logger) },
      control: this.#control(config, logger),
      logger,
      now,
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

  /** Records that an MCP transport connection bound to this object was ended (DELETE). */
  async terminateConnection(connId: string): Promise<void> {
    this.ctx.storage.kv.put(`${CONN_PREFIX}${connId}`, { terminatedAt: Date.now() });
    await this.#scheduleAlarm();
  }

  /** Whether an MCP transport connection was ended. */
  async isConnectionTerminated(connId: string): Promise<boolean> {
    return TombstoneSchema.safeParse(this.ctx.storage.kv.get(`${CONN_PREFIX}${connId}`)).success;
  }

  /** Whether this object's session ID ended (logout or expiry, wiped or not yet) and is retired. */
  async isRetired(): Promise<boolean> {
    if (this.#meta && isExpired(this.#meta, Date.now())) return true;
    const r = RetiredSchema.safeParse(this.ctx.storage.kv.get(KEY_RETIRED));
    return r.success && r.data.until > Date.now();
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
    if (!this.#meta) {
      // No live session: anything but tombstones is a leftover (say, metadata of a shape
      // this version cannot read); it is sealed, but it has no reason to stay.
      for (const [key] of this.ctx.storage.kv.list())
        if (!key.startsWith(CONN_PREFIX) && key !== KEY_RETIRED) this.ctx.storage.kv.delete(key);
    }
    const retired = RetiredSchema.safeParse(this.ctx.storage.kv.get(KEY_RETIRED));
    if (!retired.success || retired.data.until <= now) this.ctx.storage.kv.delete(KEY_RETIRED);
    for (const [key, value] of this.ctx.storage.kv.list({ prefix: CONN_PREFIX })) {
      const t = TombstoneSchema.safeParse(value);
      if (!t.success || t.data.terminatedAt + CONNECTION_TOMBSTONE_TTL_MS <= now) this.ctx.storage.kv.delete(key);
    }
    await this.#scheduleAlarm();
  }

  // ---------------------------------------------------------------- internals

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

  /** Runs `fn` after every earlier state change has finished; one at a time. */
  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release: () => void = () => undefined;
    this.#lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Queues a side effect after the earlier ones (ordered), kept alive by waitUntil. */
  #effect(op: () => Promise<void>): Promise<void> {
    const next = this.#effects.then(op).catch(() => undefined);
    this.#effects = next;
    this.ctx.waitUntil(next);
    return next;
  }

  /** Loads the session for the presented ID; false when there is no live session here. */
  async #ready(config: Config, sessionId: string, hash: string, logger: Logger): Promise<boolean> {
    const meta = this.#meta;
    if (!meta || !constantTimeEqual(meta.hash, hash) || !this.#isMyName(hash)) return false;
    if (isExpired(meta, Date.now())) {
      await this.#end("expired", logger);
      return false;
    }
    const keys = await this.#keyRing(config, sessionId, hash);
    if (!keys) return false;
    if (!this.#secrets) await this.#exclusive(() => this.#loadSecretsLocked(keys, logger));
    if (!this.#meta || !this.#secrets || (!this.#secrets.user && !this.#secrets.apiKey)) {
      if (this.#meta) logger.error("session.undecryptable", { outcome: "error" });
      return false;
    }
    return true;
  }

  /** The key ring of this session, derived from ENCRYPTION_KEY (and _PREVIOUS) and the raw ID; null without a key. */
  async #keyRing(config: Config, sessionId: string, hash: string): Promise<KeyRing | null> {
    if (this.#keys && this.#keys.hash === hash) return this.#keys;
    if (!config.encryptionKeyHex) return null;
    const current = await deriveSessionKey(await importMasterKey(config.encryptionKeyHex), sessionId);
    const all = [current];
    if (config.previousEncryptionKeyHex && config.previousEncryptionKeyHex.toLowerCase() !== config.encryptionKeyHex.toLowerCase()) {
      all.push(await deriveSessionKey(await importMasterKey(config.previousEncryptionKeyHex), sessionId));
    }
    const ring: KeyRing = { hash, current, all };
    this.#keys = ring;
    return ring;
  }

  /**
   * Decrypts the stored secrets into memory (inside `#exclusive`). Ciphertext under a
   * previous key is re-encrypted under the current key right away (key rotation).
   */
  async #loadSecretsLocked(keys: KeyRing, logger: Logger): Promise<void> {
    const meta = this.#meta;
    if (this.#secrets || !meta) return;
    const generation = this.#generation;
    const sealedUser = this.ctx.storage.kv.get(KEY_SECRET_USER);
    const sealedKey = this.ctx.storage.kv.get(KEY_SECRET_COMPANY);
    let user: UserCredential | null = null;
    let apiKey: string | null = null;
    let stale = false;
    if (typeof sealedUser === "string") {
      const plain = await open(keys.all, sealedUser, aadFor(meta.hash, KEY_SECRET_USER));
      user = plain === null ? null : parseUserCredential(plain);
      stale ||= user !== null && kidOf(sealedUser) !== keys.current.kid;
    }
    if (typeof sealedKey === "string") {
      apiKey = await open(keys.all, sealedKey, aadFor(meta.hash, KEY_SECRET_COMPANY));
      stale ||= apiKey !== null && kidOf(sealedKey) !== keys.current.kid;
    }
    if (this.#generation !== generation || this.#meta === null) return;
    if (!user && !apiKey) return; // undecryptable (key missing): leave storage as it is
    const secrets: Secrets = { user, apiKey };
    this.#secrets = secrets;
    if (stale) {
      await this.#commit(keys, generation, secrets, (current) => current, logger);
      logger.info("session.reencrypted", { kid: keys.current.kid });
    }
  }

  /**
   * Seals `secrets` under the current key, then, if the session did not end meanwhile,
   * writes metadata and ciphertext in one synchronous batch and mirrors them. `build`
   * gets the metadata as it is at write time. Call inside `#exclusive`. Returns the
   * committed metadata, or null when the session ended first (nothing written).
   */
  async #commit(
    keys: KeyRing,
    generation: number,
    secrets: Secrets,
    build: (current: SessionMeta | null) => SessionMeta | null,
    logger: Logger,
  ): Promise<SessionMeta | null> {
    const hash = keys.hash;
    const sealedUser = secrets.user ? await seal(keys.current, JSON.stringify(secrets.user), aadFor(hash, KEY_SECRET_USER)) : null;
    const sealedKey = secrets.apiKey ? await seal(keys.current, secrets.apiKey, aadFor(hash, KEY_SECRET_COMPANY)) : null;
    if (this.#generation !== generation) return null;
    const meta = build(this.#meta);
    if (!meta) return null;
    // No await from here to the end of the writes: one atomic batch.
    this.ctx.storage.kv.put(KEY_META, meta);
    if (sealedUser) this.ctx.storage.kv.put(KEY_SECRET_USER, sealedUser);
    else this.ctx.storage.kv.delete(KEY_SECRET_USER);
    if (sealedKey) this.ctx.storage.kv.put(KEY_SECRET_COMPANY, sealedKey);
    else this.ctx.storage.kv.delete(KEY_SECRET_COMPANY);
    this.#meta = meta;
    this.#secrets = secrets;
    this.#lastPersistedSeen = meta.lastSeenAt;
    await this.#scheduleAlarm();
    this.#mirror(meta, { user: sealedUser, company: sealedKey }, logger, true);
    return meta;
  }

  /** Mirrors to KV (and, when `register`, upserts the registry entry), after the commit, in order. */
  #mirror(meta: SessionMeta, sealed: { user: string | null; company: string | null }, logger: Logger, register: boolean): void {
    const entry = kvMirrorEntry(meta, sealed);
    const ttl = mirrorTtlSeconds(meta, Date.now());
    void this.#effect(async () => {
      await Promise.all([
        attempt(
          () => this.env.PASSGAGE_SESSIONS.put(kvMirrorKey(meta.hash), entry.value, { expirationTtl: ttl, metadata: entry.metadata }),
          () => logger.warn("kv_mirror.write_failed", { outcome: "ignored" }),
        ),
        register
          ? attempt(
              () => registerSession(this.env, registryEntryOf(meta)),
              () => logger.warn("registry.write_failed", { outcome: "ignored" }),
            )
          : undefined,
      ]);
    });
  }

  /** Mirrors the current metadata with the sealed secrets as stored (after a mode switch). */
  #mirrorStored(meta: SessionMeta, logger: Logger): void {
    const user = this.ctx.storage.kv.get(KEY_SECRET_USER);
    const company = this.ctx.storage.kv.get(KEY_SECRET_COMPANY);
    this.#mirror(
      meta,
      { user: typeof user === "string" ? user : null, company: typeof company === "string" ? company : null },
      logger,
      false,
    );
  }

  /** Records use: lastSeenAt in memory always; in storage and the registry at most once per LAST_SEEN_PERSIST_INTERVAL_MS. */
  #touch(now: number, logger: Logger): void {
    const meta = this.#meta;
    if (!meta) return;
    const next: SessionMeta = { ...meta, lastSeenAt: Math.max(meta.lastSeenAt, now) };
    this.#meta = next;
    if (now - this.#lastPersistedSeen < LAST_SEEN_PERSIST_INTERVAL_MS) return;
    this.#lastPersistedSeen = now;
    this.ctx.storage.kv.put(KEY_META, next);
    void this.#effect(() =>
      attempt(
        () => touchSession(this.env, next.company.id, shortHash(next.hash), now, next.mode),
        () => logger.warn("registry.write_failed", { outcome: "ignored" }),
      ),
    );
  }

  async #scheduleAlarm(): Promise<void> {
    let next: number | null = this.#meta ? this.#meta.expiresAt : null;
    const retired = RetiredSchema.safeParse(this.ctx.storage.kv.get(KEY_RETIRED));
    if (retired.success) next = next === null ? retired.data.until : Math.min(next, retired.data.until);
    for (const [, value] of this.ctx.storage.kv.list({ prefix: CONN_PREFIX })) {
      const t = TombstoneSchema.safeParse(value);
      if (t.success) {
        const due = t.data.terminatedAt + CONNECTION_TOMBSTONE_TTL_MS;
        next = next === null ? due : Math.min(next, due);
      }
    }
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  /**
   * Ends the session: forgets it in memory at once (the very next request is refused,
   * commits in flight are dropped), then deletes storage, KV mirror and registry entry.
   */
  async #end(reason: "expired" | "logout", logger: Logger): Promise<void> {
    const meta = this.#meta;
    if (!meta) return;
    this.#meta = null;
    this.#secrets = null;
    this.#keys = null;
    this.#callLog = [];
    this.#refreshFailed = null;
    this.#generation++;
    // No await before #exclusive: the wipe is queued ahead of any later commit.
    await this.#exclusive(async () => {
      // Keep connection tombstones (they end transports); delete everything else.
      const tombstones = [...this.ctx.storage.kv.list({ prefix: CONN_PREFIX })];
      await this.ctx.storage.deleteAll();
      for (const [k, v] of tombstones) this.ctx.storage.kv.put(k, v);
      // The ID was shown to its user: it must never name a session again.
      this.ctx.storage.kv.put(KEY_RETIRED, { until: Date.now() + RETIRED_ID_TTL_MS });
      await this.#scheduleAlarm();
    });
    logger.info(reason === "logout" ? "session.logout" : "session.expired", { outcome: "wiped" });
    await this.#effect(async () => {
      await Promise.all([
        attempt(
          () => this.env.PASSGAGE_SESSIONS.delete(kvMirrorKey(meta.hash)),
          () => logger.warn("kv_mirror.delete_failed", { outcome: "expires_by_ttl" }),
        ),
        attempt(
          () => unregisterSession(this.env, meta.company.id, shortHash(meta.hash)),
          () => logger.warn("registry.delete_failed", { outcome: "expires_by_alarm" }),
        ),
      ]);
    });
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

  async #callUpstream(req: UpstreamRequest, config: Config, logger: Logger): Promise<Result<UpstreamSuccess, UpstreamError>> {
    const meta = this.#meta;
    const secrets = this.#secrets;
    if (!meta || !secrets) return err({ code: "unauthorized", status: 401, message: "The session has ended." });
    const opts = { baseUrl: config.passgageBaseUrl, timeoutMs: config.passgageTimeoutMs, logger, debug: config.passgageDebug };
    if (meta.mode === "company") {
      if (!secrets.apiKey) return err({ code: "unauthorized", status: 401, message: "No company API key in this session." });
      return callUpstream(req, { ...opts, credential: secrets.apiKey });
    }
    let user = secrets.user;
    if (!user) return err({ code: "unauthorized", status: 401, message: "No user login in this session." });
    if (shouldRefreshAhead(user, Date.now()) && this.#shortLivedToken !== user.token)
      user = (await this.#refresh(user, config, logger)) ?? user;
    const first = await callUpstream(req, { ...opts, credential: user.token });
    if (first.ok || first.error.code !== "unauthorized") return first;
    // One refresh per stale token, shared by concurrent callers, then one retry.
    const refreshed = await this.#refresh(user, config, logger);
    if (!refreshed || refreshed.token === user.token) return first;
    return callUpstream(req, { ...opts, credential: refreshed.token });
  }

  /**
   * Single-flight refresh of `stale`: concurrent callers share one upstream refresh;
   * callers that come after it see the new token and do not refresh again. A refused
   * refresh is not retried for that token; a transient failure waits a cooldown.
   * Resolves to the current credential, or null when there is none to use.
   */
  #refresh(stale: UserCredential, config: Config, logger: Logger): Promise<UserCredential | null> {
    const current = this.#secrets?.user ?? null;
    if (!current) return Promise.resolve(null);
    if (current.token !== stale.token) return Promise.resolve(current);
    if (this.#refreshing) return this.#refreshing;
    const failed = this.#refreshFailed;
    if (failed && failed.token === stale.token && Date.now() < failed.retryAt) return Promise.resolve(null);
    const generation = this.#generation;
    const keys = this.#keys;
    this.#refreshing = (async (): Promise<UserCredential | null> => {
      const r = await refreshToken(config, logger, stale.token, Date.now());
      logger.info("session.token_refresh", { outcome: r.ok ? "ok" : r.error.code });
      if (!r.ok) {
        this.#refreshFailed = {
          token: stale.token,
          retryAt: r.error.code === "unauthorized" ? Number.POSITIVE_INFINITY : Date.now() + REFRESH_RETRY_COOLDOWN_MS,
        };
        return null;
      }
      const fresh = r.value;
      const kept = keys
        ? await this.#exclusive(async () => {
            const secrets = this.#secrets;
            if (this.#generation !== generation || !secrets || secrets.user?.token !== stale.token) return null;
            return this.#commit(keys, generation, { ...secrets, user: fresh }, (m) => m, logger);
          })
        : null;
      if (!kept) {
        // The session ended (or changed) meanwhile: the new token must not stay valid.
        this.#logoutOrphan(config, logger, fresh.token);
        return this.#secrets?.user ?? null;
      }
      this.#refreshFailed = null;
      // A token issued already inside the refresh-ahead window is used until it expires
      // (then refreshed on its 401), not refreshed ahead again on every call.
      this.#shortLivedToken = shouldRefreshAhead(fresh, Date.now()) ? fresh.token : null;
      // The old token may stay valid upstream until its own expiry: it is no longer kept, so revoke it.
      this.#logoutOrphan(config, logger, stale.token);
      return fresh;
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  #control(config: Config, logger: Logger): SessionControl {
    const notHere = async (): Promise<Result<LoginOutcome, SessionError>> =>
      err({ code: "forbidden", message: "Sign-in is handled by the server's login path." });
    return {
      login: notHere,
      loginApiKey: notHere,
      switchMode: async (mode: AuthMode) => {
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
        const decided = switchMode(meta, mode);
        if (!decided.ok) return decided;
        const next = decided.value;
        this.#meta = next;
        this.ctx.storage.kv.put(KEY_META, next);
        this.#mirrorStored(next, logger);
        void this.#effect(() =>
          attempt(
            () => touchSession(this.env, next.company.id, shortHash(next.hash), Date.now(), mode),
            () => logger.warn("registry.write_failed", { outcome: "ignored" }),
          ),
        );
        logger.info("session.mode_switched", { mode });
        return ok(viewOf(next));
      },
      listCompanySessions: async () => {
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
        if (meta.mode !== "company") return err({ code: "mode_unavailable", message: "Listing sessions needs company mode." });
        const entries: readonly RegistryEntry[] = await listCompanySessions(this.env, meta.company.id, Date.now());
        return ok(entries.filter((e) => e.companyId === meta.company.id));
      },
      logout: async () => {
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has already ended." });
        const user = this.#secrets?.user ?? null;
        // #end forgets the session synchronously: from here on, every request is refused.
        const [, upstreamLoggedOut] = await Promise.all([
          this.#end("logout", logger),
          user ? logoutToken(config, logger, user.token) : Promise.resolve(false),
        ]);
        return ok({ upstreamLoggedOut });
      },
    };
  }
}

/** Runs a side effect; a failure (thrown or rejected) is reported, never propagated. */
async function attempt(op: () => Promise<unknown>, onError: () => void): Promise<void> {
  try {
    await op();
  } catch {
    onError();
  }
}

function parseUserCredential(plain: string): UserCredential | null {
  try {
    const parsed = UserCredentialSchema.safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
