/**
 * The SessionDO's side effects outside its own storage: the KV read mirror
 * (`session:<hash>` in PASSGAGE_SESSIONS, src/session/kv-mirror.ts) and the RegistryDO
 * entry. They run after the commit, in order, on one chain kept alive by `waitUntil`;
 * a failure is logged and never fatal (the SessionDO stays the authority, the mirror
 * expires by its TTL and registry entries by their alarm).
 */
import { shortHash } from "../crypto/session-id";
import type { Logger } from "../log";
import { registerSession, touchSession, unregisterSession } from "../registry/registry-client";
import type { RemovalReason } from "../registry/audit-sql";
import type { SealedSecrets } from "./key-ring";
import { kvMirrorEntry, kvMirrorKey } from "./kv-mirror";
import { mirrorTtlSeconds, registryEntryOf, type SessionMeta } from "./state";

/** What the effects need from their Durable Object: its bindings (read at each write) and `waitUntil`. */
export interface EffectsHost {
  bindings(): Pick<Env, "PASSGAGE_SESSIONS" | "REGISTRY">;
  waitUntil(promise: Promise<unknown>): void;
}

/** An ordered queue of mirror and registry writes for one session. */
export class SessionEffects {
  readonly #host: EffectsHost;
  /** Tail of the ordered side effects. */
  #tail: Promise<void> = Promise.resolve();

  constructor(host: EffectsHost) {
    this.#host = host;
  }

  /** Queues `op` after the earlier effects; resolves when it ran (never rejects). */
  #queue(op: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(op).catch(() => undefined);
    this.#tail = next;
    this.#host.waitUntil(next);
    return next;
  }

  /** Resolves once every effect queued so far ran (a sign-in waits for its registry row before it returns). */
  settled(): Promise<void> {
    return this.#tail;
  }

  /** Mirrors committed metadata and sealed secrets to KV and, when `register`, upserts the registry entry. */
  mirror(meta: SessionMeta, sealed: SealedSecrets, logger: Logger, register: boolean): void {
    const entry = kvMirrorEntry(meta, sealed);
    const ttl = mirrorTtlSeconds(meta, Date.now());
    void this.#queue(async () => {
      const env = this.#host.bindings();
      await Promise.all([
        attempt(
          () => env.PASSGAGE_SESSIONS.put(kvMirrorKey(meta.hash), entry.value, { expirationTtl: ttl, metadata: entry.metadata }),
          () => logger.warn("kv_mirror.write_failed", { outcome: "ignored" }),
        ),
        register
          ? attempt(
              () => registerSession(env, registryEntryOf(meta)),
              () => logger.warn("registry.write_failed", { outcome: "ignored" }),
            )
          : undefined,
      ]);
    });
  }

  /** Updates the registry entry's last-seen time (and mode, after a switch). */
  touch(meta: SessionMeta, at: number, logger: Logger, mode?: SessionMeta["mode"]): void {
    void this.#queue(() =>
      attempt(
        () => touchSession(this.#host.bindings(), meta.company.id, shortHash(meta.hash), at, mode),
        () => logger.warn("registry.write_failed", { outcome: "ignored" }),
      ),
    );
  }

  /** Deletes the KV mirror and the registry entry of an ended session (`reason` goes to the audit trail); resolves when done. */
  wipe(meta: SessionMeta, logger: Logger, reason?: RemovalReason): Promise<void> {
    return this.#queue(async () => {
      const env = this.#host.bindings();
      await Promise.all([
        attempt(
          () => env.PASSGAGE_SESSIONS.delete(kvMirrorKey(meta.hash)),
          () => logger.warn("kv_mirror.delete_failed", { outcome: "expires_by_ttl" }),
        ),
        attempt(
          () => unregisterSession(env, meta.company.id, shortHash(meta.hash), reason, registryEntryOf(meta)),
          () => logger.warn("registry.delete_failed", { outcome: "expires_by_alarm" }),
        ),
      ]);
    });
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
