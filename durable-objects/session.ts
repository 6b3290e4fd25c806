/**
 * SessionDO: the single source of truth for one signed-in Passgage session.
 * One object per session, named by the SHA-256 of the session ID (never the ID).
 *
 * Storage layout (SQLite-backed, synchronous KV API `ctx.storage.kv`):
 *   `meta`            SessionMeta (JSON, no secrets): company, user profile, modes, times
 *   `secret:user`     sealed UserCredential JSON  (AES-256-GCM, AAD = hash|secret:user)
 *   `secret:company`  sealed company API key      (AES-256-GCM, AAD = hash|secret:company)
 *   `conn:<id>`       { terminatedAt } tombstone of an ended MCP transport connection
 * Nothing secret is ever written in clear, not even for a moment: SQLite storage keeps
 * a 30-day recovery history. Decrypted credentials live only in memory (`#secrets`).
 * KV `PASSGAGE_SESSIONS` mirrors `meta` and the sealed secrets under `session:<hash>`,
 * expiring with the session; it is never read back as the authority.
 * One alarm: at the session's expiry (wipe), or at the last tombstone's expiry.
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
import { logoutToken, passwordLogin, probeApiKey, refreshToken, type UserCredential } from "../src/session/credentials";
import { kvMirrorKey } from "../src/session/kv-mirror";
import type { LoginOutcome, SessionControl, SessionError, SessionView } from "../src/session/types";

/** How long a terminated-connection tombstone is kept (ms). */
export const CONNECTION_TOMBSTONE_TTL_MS = 24 * 3_600_000;
/** Refresh a user token this long before it expires (ms). */
export const TOKEN_REFRESH_AHEAD_MS = 10 * 60_000;
/** Persist lastSeenAt / touch the registry at most this often (ms). */
export const LAST_SEEN_PERSIST_INTERVAL_MS = 60_000;

const ModeSchema = z.enum(["user", "company"]);

/** Non-secret session state, stored in clear. */
const SessionMetaSchema = z.object({
  v: z.literal(1),
  hash: z.string(),
  company: z.object({ id: z.string(), name: z.string() }),
  user: z.nullable(
    z.object({ id: z.string(), email: z.string(), firstName: z.nullable(z.string()), lastName: z.nullable(z.string()), fullName: z.nullable(z.string()) }),
  ),
  mode: ModeSchema,
  modes: z.array(ModeSchema),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastSeenAt: z.number(),
});
type SessionMeta = z.infer<typeof SessionMetaSchema>;

const UserCredentialSchema = z.object({ token: z.string(), expiresAt: z.number() });
const TombstoneSchema = z.object({ terminatedAt: z.number() });

interface Secrets {
  user: UserCredential | null;
  apiKey: string | null;
}

/** Arguments of a login RPC (credentials travel only in memory, over the RPC). */
export type LoginRequest =
  | { readonly sessionId: string; readonly kind: "password"; readonly email: string; readonly password: string; readonly requestId: string }
  | { readonly sessionId: string; readonly kind: "api_key"; readonly apiKey: string; readonly requestId: string };

/** Outcome of a tool call routed to a session. */
export type SessionCallOutcome =
  | { readonly kind: "no_session" }
  | { readonly kind: "rate_limited"; readonly retryAfterMs: number }
  | CallOutcome;

/** The SessionDO. */
export class SessionDO extends DurableObject<Env> {
  #meta: SessionMeta | null = null;
  #secrets: Secrets | null = null;
  #keys: { current: SessionKey | null; all: SessionKey[] } | null = null;
  #keysFor: string | null = null;
  #refreshing: Promise<Result<UserCredential, UpstreamError>> | null = null;
  #callLog: number[] = [];
  #lastPersistedSeen = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const raw = ctx.storage.kv.get("meta");
      const parsed = SessionMetaSchema.safeParse(raw);
      this.#meta = parsed.success ? parsed.data : null;
      this.#lastPersistedSeen = this.#meta?.lastSeenAt ?? 0;
    });
  }

  // ---------------------------------------------------------------- RPC surface

  /** Signs in: creates the session, or adds a credential to it. */
  async login(req: LoginRequest): Promise<Result<LoginOutcome, SessionError>> {
    const config = this.#config();
    if (!config) return err({ code: "misconfigured", message: "The server is misconfigured (see /health)." });
    const hash = await sessionHash(req.sessionId);
    const logger = createLogger({ requestId: req.requestId, sessionId: shortHash(hash) });
    if (!(await this.#bindKeys(config, req.sessionId, hash))) {
      return err({ code: "misconfigured", message: "Sign-in is disabled: the server has no ENCRYPTION_KEY (see /health)." });
    }
    const now = Date.now();
    if (this.#meta && this.#meta.expiresAt <= now) await this.#wipe("expired", logger);
    if (this.#meta && !constantTimeEqual(this.#meta.hash, hash)) return err({ code: "not_signed_in", message: "Session mismatch." });

    let addUser: { credential: UserCredential; user: NonNullable<SessionMeta["user"]> } | null = null;
    let addKey: string | null = null;
    let company: SessionMeta["company"];
    if (req.kind === "password") {
      const r = await passwordLogin(config, logger, req.email, req.password, now);
      if (!r.ok) return r;
      addUser = { credential: r.value.credential, user: r.value.user };
      company = r.value.company;
    } else {
      const r = await probeApiKey(config, logger, req.apiKey);
      if (!r.ok) return r;
      addKey = req.apiKey;
      company = r.value;
    }

    // Re-read after the upstream await: a logout or another login may have run meanwhile.
    await this.#loadSecrets();
    const existing = this.#meta;
    if (existing) {
      if (existing.company.id !== company.id) {
        return err({ code: "wrong_account", message: `This session belongs to ${existing.company.name}; that credential is for another company. Sign out first or use a new session.` });
      }
      if (addUser && existing.user && existing.user.id !== addUser.user.id) {
        return err({ code: "wrong_account", message: `This session is signed in as ${existing.user.email}. Sign out first to sign in as someone else.` });
      }
    }
    const secrets: Secrets = { user: addUser ? addUser.credential : (this.#secrets?.user ?? null), apiKey: addKey ?? this.#secrets?.apiKey ?? null };
    const modes: AuthMode[] = [];
    if (secrets.user) modes.push("user");
    if (secrets.apiKey) modes.push("company");
    const meta: SessionMeta = {
      v: 1,
      hash,
      company,
      user: addUser ? addUser.user : (existing?.user ?? null),
      mode: addUser ? "user" : "company",
      modes,
      createdAt: existing?.createdAt ?? now,
      expiresAt: existing?.expiresAt ?? now + config.sessionTtlMs,
      lastSeenAt: now,
    };
    await this.#persist(meta, secrets, logger);
    logger.info(existing ? "session.credential_added" : "session.created", { mode: meta.mode, outcome: "ok" });
    return ok({ sessionId: req.sessionId, view: viewOf(meta), created: existing === null });
  }

  /** Runs a tool call for this session. */
  async callTool(req: { sessionId: string; name: string; args: unknown; requestId: string }): Promise<SessionCallOutcome> {
    const config = this.#config();
    const hash = await sessionHash(req.sessionId);
    const logger = createLogger({ requestId: req.requestId, sessionId: shortHash(hash), tool: req.name });
    if (!config || !(await this.#ready(config, req.sessionId, hash, logger))) return { kind: "no_session" };
    const meta = this.#meta;
    if (!meta) return { kind: "no_session" };
    const now = Date.now();
    const decision = admitLog(this.#callLog, now, config.rateLimit);
    this.#callLog = decision.log;
    if (!decision.decision.allowed) {
      logger.warn("rate_limit.exceeded", { scope: "session", retryAfterMs: decision.decision.retryAfterMs });
      return { kind: "rate_limited", retryAfterMs: decision.decision.retryAfterMs };
    }
    this.#touch(now);
    const started = Date.now();
    const outcome = await runTool(req.name, req.args, {
      session: viewOf(meta),
      upstream: { call: (r) => this.#callUpstream(r, config, logger) },
      control: this.#control(config, logger),
      logger,
      now,
    });
    logger.info("tool.call", { durationMs: Date.now() - started, outcome: outcome.kind === "result" ? (outcome.result.isError ? "error" : "ok") : "rpc_error", code: outcome.kind === "result" ? outcome.code : outcome.code });
    return outcome;
  }

  /** The session's public view, or null when it does not exist (or expired). */
  async view(sessionId: string): Promise<SessionView | null> {
    const config = this.#config();
    const hash = await sessionHash(sessionId);
    if (!config || !(await this.#ready(config, sessionId, hash, createLogger({ sessionId: shortHash(hash) })))) return null;
    return this.#meta ? viewOf(this.#meta) : null;
  }

  /** Records that an MCP transport connection bound to this object was ended (DELETE). */
  async terminateConnection(connId: string): Promise<void> {
    this.ctx.storage.kv.put(`conn:${connId}`, { terminatedAt: Date.now() });
    await this.#scheduleAlarm();
  }

  /** Whether an MCP transport connection was ended. */
  async isConnectionTerminated(connId: string): Promise<boolean> {
    return TombstoneSchema.safeParse(this.ctx.storage.kv.get(`conn:${connId}`)).success;
  }

  /** Expiry: wipes an expired session and stale tombstones. Idempotent (alarms retry). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const logger = createLogger({ sessionId: this.#meta ? shortHash(this.#meta.hash) : undefined });
    if (this.#meta && this.#meta.expiresAt <= now) await this.#wipe("expired", logger);
    for (const [key, value] of this.ctx.storage.kv.list({ prefix: "conn:" })) {
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

  /** Loads keys and secrets for the presented session ID; false when there is no live session. */
  async #ready(config: Config, sessionId: string, hash: string, logger: Logger): Promise<boolean> {
    const meta = this.#meta;
    if (!meta || !constantTimeEqual(meta.hash, hash)) return false;
    if (meta.expiresAt <= Date.now()) {
      await this.#wipe("expired", logger);
      return false;
    }
    if (!(await this.#bindKeys(config, sessionId, hash))) return false;
    await this.#loadSecrets();
    if (!this.#secrets || (!this.#secrets.user && !this.#secrets.apiKey)) {
      logger.error("session.undecryptable", { outcome: "error" });
      return false;
    }
    return true;
  }

  async #bindKeys(config: Config, sessionId: string, hash: string): Promise<boolean> {
    if (this.#keys && this.#keysFor === hash) return this.#keys.current !== null;
    if (!config.encryptionKeyHex) return false;
    const current = await deriveSessionKey(await importMasterKey(config.encryptionKeyHex), sessionId);
    const all = [current];
    if (config.previousEncryptionKeyHex) all.push(await deriveSessionKey(await importMasterKey(config.previousEncryptionKeyHex), sessionId));
    this.#keys = { current, all };
    this.#keysFor = hash;
    return true;
  }

  async #loadSecrets(): Promise<void> {
    if (this.#secrets || !this.#meta || !this.#keys) return;
    const hash = this.#meta.hash;
    const sealedUser = this.ctx.storage.kv.get("secret:user");
    const sealedKey = this.ctx.storage.kv.get("secret:company");
    let user: UserCredential | null = null;
    let apiKey: string | null = null;
    let stale = false;
    if (typeof sealedUser === "string") {
      const pt = await open(this.#keys.all, sealedUser, aadFor(hash, "secret:user"));
      const parsed = pt === null ? null : UserCredentialSchema.safeParse(JSON.parse(pt));
      user = parsed?.success ? parsed.data : null;
      stale ||= kidOf(sealedUser) !== this.#keys.current?.kid;
    }
    if (typeof sealedKey === "string") {
      apiKey = await open(this.#keys.all, sealedKey, aadFor(hash, "secret:company"));
      stale ||= kidOf(sealedKey) !== this.#keys.current?.kid;
    }
    this.#secrets = { user, apiKey };
    // Key rotation: re-encrypt under the current key on load.
    if (stale && (user || apiKey)) await this.#persist(this.#meta, this.#secrets, createLogger({ sessionId: shortHash(hash) }));
  }

  async #persist(meta: SessionMeta, secrets: Secrets, logger: Logger): Promise<void> {
    const keys = this.#keys;
    if (!keys?.current) throw new Error("keys not bound");
    const sealedUser = secrets.user ? await seal(keys.current, JSON.stringify(secrets.user), aadFor(meta.hash, "secret:user")) : null;
    const sealedKey = secrets.apiKey ? await seal(keys.current, secrets.apiKey, aadFor(meta.hash, "secret:company")) : null;
    // All writes below happen without an await in between: one atomic batch.
    this.ctx.storage.kv.put("meta", meta);
    if (sealedUser) this.ctx.storage.kv.put("secret:user", sealedUser);
    else this.ctx.storage.kv.delete("secret:user");
    if (sealedKey) this.ctx.storage.kv.put("secret:company", sealedKey);
    else this.ctx.storage.kv.delete("secret:company");
    const wasNew = this.#meta === null;
    this.#meta = meta;
    this.#secrets = secrets;
    this.#lastPersistedSeen = meta.lastSeenAt;
    await this.#scheduleAlarm();
    this.#mirror(meta, sealedUser, sealedKey, logger);
    const entry = registryEntry(meta);
    this.ctx.waitUntil(
      registerSession(this.env, entry).catch(() => logger.warn("registry.write_failed", { outcome: wasNew ? "create" : "update" })),
    );
  }

  #mirror(meta: SessionMeta, sealedUser: string | null, sealedKey: string | null, logger: Logger): void {
    const ttl = Math.max(60, Math.ceil((meta.expiresAt - Date.now()) / 1000));
    const value = JSON.stringify({ meta, secrets: { user: sealedUser, company: sealedKey } });
    this.ctx.waitUntil(
      this.env.PASSGAGE_SESSIONS.put(kvMirrorKey(meta.hash), value, { expirationTtl: ttl, metadata: { companyId: meta.company.id, mode: meta.mode, expiresAt: meta.expiresAt } }).catch(() =>
        logger.warn("kv_mirror.write_failed", { outcome: "ignored" }),
      ),
    );
  }

  #touch(now: number): void {
    const meta = this.#meta;
    if (!meta) return;
    const next = { ...meta, lastSeenAt: now };
    this.#meta = next;
    if (now - this.#lastPersistedSeen >= LAST_SEEN_PERSIST_INTERVAL_MS) {
      this.#lastPersistedSeen = now;
      this.ctx.storage.kv.put("meta", next);
      this.ctx.waitUntil(touchSession(this.env, next.company.id, shortHash(next.hash), now, next.mode).catch(() => undefined));
    }
  }

  async #scheduleAlarm(): Promise<void> {
    let next: number | null = this.#meta ? this.#meta.expiresAt : null;
    for (const [, value] of this.ctx.storage.kv.list({ prefix: "conn:" })) {
      const t = TombstoneSchema.safeParse(value);
      if (t.success) {
        const due = t.data.terminatedAt + CONNECTION_TOMBSTONE_TTL_MS;
        next = next === null ? due : Math.min(next, due);
      }
    }
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  /** Deletes every trace of the session: memory, storage, KV mirror, registry entry. */
  async #wipe(reason: "expired" | "logout", logger: Logger): Promise<void> {
    const meta = this.#meta;
    this.#meta = null;
    this.#secrets = null;
    this.#keys = null;
    this.#keysFor = null;
    this.#callLog = [];
    // Keep connection tombstones (they end transports); delete everything else.
    const tombstones = [...this.ctx.storage.kv.list({ prefix: "conn:" })];
    await this.ctx.storage.deleteAll();
    for (const [k, v] of tombstones) this.ctx.storage.kv.put(k, v);
    await this.#scheduleAlarm();
    if (!meta) return;
    logger.info(reason === "logout" ? "session.logout" : "session.expired", { outcome: "wiped" });
    await Promise.allSettled([
      this.env.PASSGAGE_SESSIONS.delete(kvMirrorKey(meta.hash)),
      unregisterSession(this.env, meta.company.id, shortHash(meta.hash)),
    ]);
  }

  async #callUpstream(req: UpstreamRequest, config: Config, logger: Logger): Promise<Result<UpstreamSuccess, UpstreamError>> {
    const meta = this.#meta;
    const secrets = this.#secrets;
    if (!meta || !secrets) return err({ code: "unauthorized", status: 401, message: "Session ended" });
    const opts = { baseUrl: config.passgageBaseUrl, timeoutMs: config.passgageTimeoutMs, logger, debug: config.passgageDebug };
    if (meta.mode === "company") {
      if (!secrets.apiKey) return err({ code: "unauthorized", status: 401, message: "No company API key in this session" });
      return callUpstream(req, { ...opts, credential: secrets.apiKey });
    }
    let user = secrets.user;
    if (!user) return err({ code: "unauthorized", status: 401, message: "No user login in this session" });
    if (user.expiresAt - Date.now() < TOKEN_REFRESH_AHEAD_MS) {
      const r = await this.#refresh(user, config, logger);
      if (r.ok) user = r.value;
    }
    const first = await callUpstream(req, { ...opts, credential: user.token });
    if (first.ok || first.error.code !== "unauthorized") return first;
    // One refresh per 401, shared by concurrent callers, then one retry.
    const refreshed = await this.#refresh(user, config, logger);
    if (!refreshed.ok) return first;
    return callUpstream(req, { ...opts, credential: refreshed.value.token });
  }

  /** Single-flight refresh: concurrent callers share one upstream refresh. */
  async #refresh(stale: UserCredential, config: Config, logger: Logger): Promise<Result<UserCredential, UpstreamError>> {
    const current = this.#secrets?.user;
    if (current && current.token !== stale.token) return ok(current);
    if (!this.#refreshing) {
      this.#refreshing = (async () => {
        try {
          const r = await refreshToken(config, logger, stale.token, Date.now());
          logger.info("session.token_refresh", { outcome: r.ok ? "ok" : r.error.code });
          if (r.ok && this.#meta && this.#secrets) await this.#persist(this.#meta, { ...this.#secrets, user: r.value }, logger);
          return r;
        } finally {
          this.#refreshing = null;
        }
      })();
    }
    return this.#refreshing;
  }

  #control(config: Config, logger: Logger): SessionControl {
    const notHere = async (): Promise<Result<LoginOutcome, SessionError>> => err({ code: "forbidden", message: "Sign-in is handled by the server's login path." });
    return {
      login: notHere,
      loginApiKey: notHere,
      switchMode: async (mode) => {
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
        if (!meta.modes.includes(mode)) {
          const how = mode === "company" ? "passgage_session_login_api_key {apiKey}" : "passgage_session_login {email, password}";
          return err({ code: "mode_unavailable", message: `This session has no ${mode}-mode credential. Add one with ${how}.` });
        }
        const next = { ...meta, mode };
        this.#meta = next;
        this.ctx.storage.kv.put("meta", next);
        this.ctx.waitUntil(touchSession(this.env, next.company.id, shortHash(next.hash), Date.now(), mode).catch(() => undefined));
        logger.info("session.mode_switched", { mode });
        return ok(viewOf(next));
      },
      listCompanySessions: async () => {
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
        const entries: readonly RegistryEntry[] = await listCompanySessions(this.env, meta.company.id, Date.now());
        return ok(entries.filter((e) => e.companyId === meta.company.id));
      },
      logout: async () => {
        const user = this.#secrets?.user ?? null;
        // Mark ended first: any request from now on sees no session.
        const meta = this.#meta;
        if (!meta) return err({ code: "not_signed_in", message: "The session has already ended." });
        let upstreamLoggedOut = false;
        const wipe = this.#wipe("logout", logger);
        if (user) upstreamLoggedOut = await logoutToken(config, logger, user.token);
        await wipe;
        return ok({ upstreamLoggedOut });
      },
    };
  }
}

function viewOf(meta: SessionMeta): SessionView {
  return {
    hash: shortHash(meta.hash),
    mode: meta.mode,
    modes: meta.modes,
    user: meta.user,
    company: meta.company,
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
    lastSeenAt: meta.lastSeenAt,
  };
}

function registryEntry(meta: SessionMeta): RegistryEntry {
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
  };
}
