/**
 * The SessionDO's storage I/O over `ctx.storage` (SQLite-backed, synchronous KV API),
 * following the layout of src/session/session-layout.ts and the sealed-secret keys of
 * src/session/key-ring.ts. Synchronous writes with no `await` between them commit
 * atomically; the SessionDO decides when to write (under its lock).
 */
import * as z from "zod/mini";
import type { AuthMode } from "../contract/types";
import { type ToolsetName, ToolsetNameSchema } from "../tools/toolsets";
import * as keyRing from "./key-ring";
import * as layout from "./session-layout";
import { KEY_GRANT, pendingCodeExpiry } from "../oauth/grant-state";
import { type SessionMeta, SessionMetaSchema } from "./state";

/** Storage key of the sessions that carried this one's credentials (their hashes; no secrets). */
const KEY_FORKS = "forks";

/** Typed access to one SessionDO's storage. */
export class SessionStore {
  readonly #storage: DurableObjectStorage;
  /** The stored toolsets as last read or written (issue 14: read on every tool call); undefined until read. */
  #toolsets: ToolsetName[] | undefined;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /** The stored metadata, or null (none, or a shape this version cannot read). */
  readMeta(): SessionMeta | null {
    const parsed = SessionMetaSchema.safeParse(this.#storage.kv.get(layout.KEY_META));
    return parsed.success ? parsed.data : null;
  }

  /** Writes the metadata alone (last-seen time, mode switch). */
  putMeta(meta: SessionMeta): void {
    this.#storage.kv.put(layout.KEY_META, meta);
  }

  /** Writes metadata and sealed secrets in one synchronous batch (an absent secret is deleted). */
  writeState(meta: SessionMeta, sealed: keyRing.SealedSecrets): void {
    const kv = this.#storage.kv;
    kv.put(layout.KEY_META, meta);
    if (sealed.user) kv.put(keyRing.KEY_SECRET_USER, sealed.user);
    else kv.delete(keyRing.KEY_SECRET_USER);
    if (sealed.company) kv.put(keyRing.KEY_SECRET_COMPANY, sealed.company);
    else kv.delete(keyRing.KEY_SECRET_COMPANY);
  }

  /** Writes the metadata and deletes the sealed credential of `mode` in one synchronous batch (a fork dropping a carried credential). */
  dropCredential(meta: SessionMeta, mode: AuthMode): void {
    this.#storage.kv.put(layout.KEY_META, meta);
    this.#storage.kv.delete(mode === "user" ? keyRing.KEY_SECRET_USER : keyRing.KEY_SECRET_COMPANY);
  }

  /** The sealed secrets as stored. */
  readSealed(): keyRing.SealedSecrets {
    const user = this.#storage.kv.get(keyRing.KEY_SECRET_USER);
    const company = this.#storage.kv.get(keyRing.KEY_SECRET_COMPANY);
    return { user: typeof user === "string" ? user : null, company: typeof company === "string" ? company : null };
  }

  /** The toolsets the session enabled (passgage_enable_toolset); none when absent or unreadable. */
  readToolsets(): ToolsetName[] {
    if (this.#toolsets === undefined) {
      const parsed = z.array(ToolsetNameSchema).safeParse(this.#storage.kv.get(layout.KEY_TOOLSETS));
      this.#toolsets = parsed.success ? parsed.data : [];
    }
    return [...this.#toolsets];
  }

  /** Keeps the toolsets the session enabled (wiped with the session, see `wipe`). */
  putToolsets(toolsets: readonly ToolsetName[]): void {
    this.#storage.kv.put(layout.KEY_TOOLSETS, toolsets);
    this.#toolsets = [...toolsets];
  }

  /** Records a session that carried this one's credentials (its hash; ended with this one, see `wipe`). */
  addFork(forkHash: string): void {
    const forks = this.readForks();
    if (!forks.includes(forkHash)) this.#storage.kv.put(KEY_FORKS, [...forks, forkHash]);
  }

  /** The hashes of the sessions that carried this one's credentials. */
  readForks(): string[] {
    const parsed = z.array(z.string().check(z.regex(/^[0-9a-f]{64}$/))).safeParse(this.#storage.kv.get(KEY_FORKS));
    return parsed.success ? parsed.data : [];
  }

  /** Stores the tombstone of an ended transport connection. */
  endConnection(connId: string, now: number): void {
    this.#storage.kv.put(`${layout.CONN_PREFIX}${connId}`, layout.tombstone(now));
  }

  /** Whether a transport connection's tombstone is stored. */
  isConnectionEnded(connId: string): boolean {
    return layout.tombstoneExpiry(this.#storage.kv.get(`${layout.CONN_PREFIX}${connId}`)) !== null;
  }

  /** Until when this ID is retired (epoch ms), or null. */
  retiredUntil(): number | null {
    return layout.retiredUntil(this.#storage.kv.get(layout.KEY_RETIRED));
  }

  /** Deletes what is due at `now` (see `keysToSweep`). */
  sweep(now: number, sessionLive: boolean): void {
    this.#toolsets = undefined;
    for (const key of layout.keysToSweep(this.#storage.kv.list(), now, sessionLive)) this.#storage.kv.delete(key);
  }

  /** Deletes everything but connection tombstones, and retires the ID (it was shown to its user). */
  async wipe(now: number): Promise<void> {
    const tombstones = [...this.#storage.kv.list({ prefix: layout.CONN_PREFIX })];
    this.#toolsets = undefined;
    await this.#storage.deleteAll();
    this.#toolsets = undefined;
    for (const [k, v] of tombstones) this.#storage.kv.put(k, v);
    this.#storage.kv.put(layout.KEY_RETIRED, layout.retiredMarker(now));
  }

  /** Sets the one alarm at the next due time (session expiry or a marker's), or deletes it. */
  async scheduleAlarm(sessionExpiresAt: number | null): Promise<void> {
    const tombstones = [...this.#storage.kv.list({ prefix: layout.CONN_PREFIX })].map(([, value]) => value);
    const code = sessionExpiresAt === null ? null : pendingCodeExpiry(this.#storage.kv.get(KEY_GRANT));
    const due = layout.nextAlarmAt(sessionExpiresAt, this.#storage.kv.get(layout.KEY_RETIRED), tombstones);
    const next = code !== null && due !== null ? Math.min(code, due) : due;
    if (next === null) await this.#storage.deleteAlarm();
    else await this.#storage.setAlarm(next);
  }
}
