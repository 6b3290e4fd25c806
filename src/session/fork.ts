/**
 * Forks (issue 11, findings F1 and F2). A fork is a session that, at its sign-in and on the
 * signer's request (`carry: true`), took ONE credential of the session the client presented
 * (its source; src/session/sign-in-carry.ts); its other credential is its own. The source
 * lists the fork (`forks` key) and, when it ends or drops a credential, tells each fork
 * (`SessionDO.endFork`), which then drops only the carried credential, logging its refreshed
 * copy out upstream (best effort: only when the decrypted token is in memory), keeps its own
 * and lives on with the lifetime its own sign-in would have had; with nothing left it ends.
 * A fork reaching its capped expiry (its source's) drops the carried credential the same way.
 *
 * The fork race (F1). The source lists the fork at hand-over, before the fork commits (a
 * token refresh and a registry read later). A source ending in that gap would find a fork
 * with nothing to drop yet, and the fork would then commit the carried credential. So the
 * fork, under its own lock and right before its commit, asks the source whether it is still
 * live, still lists it and still holds the carried mode (`SessionDO.hasFork`); if not, the
 * carried credential is logged out and only the own one is committed. Why no end can slip
 * through: the source changes its state (forgets its meta, or drops a mode) synchronously
 * BEFORE it sends `endFork`, and `hasFork` reads that state. If `hasFork` ran first, the
 * fork still holds its lock (taken before the check, released after the commit), and
 * `endFork` runs under that same lock, so it runs after the commit and drops the carried
 * credential then. If the change came first, the check fails and nothing is carried.
 * `hasFork` must not take the source's lock: the source's end may be awaiting `endFork` on
 * this very fork, which waits for the fork's lock, held by the sign-in awaiting `hasFork`.
 */
import type { Config } from "../config";
import type { AuthMode } from "../contract/types";
import { constantTimeEqual } from "../crypto/session-id";
import type { Logger } from "../log";
import { isExpired, type Secrets, type SessionMeta } from "./state";

/** What a fork does when its source stops holding some modes. */
export type ForkDecision =
  { readonly kind: "keep" } | { readonly kind: "end" } | { readonly kind: "drop"; readonly mode: AuthMode; readonly meta: SessionMeta };

/**
 * What the session `meta` does when the session `sourceHash` stops holding `modes` (ended:
 * all its modes; dropped a carried credential: that mode) at `now`: nothing unless it
 * carried one of those modes from that session; then it drops the carried credential and
 * keeps its own, its expiry no longer capped at the source's (`createdAt + ttlMs`, the
 * lifetime its own sign-in would have had); it ends when nothing or no time is left, or
 * when it is a fork from before the carried mode was recorded.
 */
export function afterSourceDrop(
  meta: SessionMeta | null,
  sourceHash: string,
  modes: readonly AuthMode[],
  now: number,
  ttlMs: number,
): ForkDecision {
  if (!meta?.carriedFrom || !constantTimeEqual(meta.carriedFrom, sourceHash)) return { kind: "keep" };
  const carried = meta.carriedMode;
  if (carried === undefined) return { kind: "end" };
  if (!modes.includes(carried)) return { kind: "keep" };
  const left = meta.modes.filter((m) => m !== carried);
  const own = left[0];
  const expiresAt = Math.max(meta.expiresAt, meta.createdAt + ttlMs);
  if (own === undefined || expiresAt <= now) return { kind: "end" };
  const next: SessionMeta = {
    v: 1,
    hash: meta.hash,
    company: meta.company,
    user: carried === "user" ? null : meta.user,
    mode: left.includes(meta.mode) ? meta.mode : own,
    modes: left,
    createdAt: meta.createdAt,
    expiresAt,
    lastSeenAt: meta.lastSeenAt,
    carryDropped: { mode: carried, at: now },
    ...(meta.client ? { client: meta.client } : {}),
  };
  return { kind: "drop", mode: carried, meta: next };
}

/**
 * Whether a source session (`meta`, its `forks`) may still hand the mode `mode` to the
 * fork `forkHash` at `now`: live, still listing the fork, still holding the mode.
 */
export function stillCarries(meta: SessionMeta | null, forks: readonly string[], forkHash: string, mode: AuthMode, now: number): boolean {
  return meta !== null && !isExpired(meta, now) && meta.modes.includes(mode) && forks.includes(forkHash);
}

/**
 * Asks the source `sourceHash` whether the fork `forkHash` may still commit the carried
 * mode `mode` (call under the fork's lock, right before its commit). A failed call counts
 * as no: the carried credential is dropped rather than kept unchecked.
 */
export async function sourceStillCarries(env: Env, sourceHash: string, forkHash: string, mode: AuthMode, logger: Logger): Promise<boolean> {
  try {
    return await env.SESSION.getByName(sourceHash).hasFork(forkHash, mode);
  } catch {
    logger.warn("session.carry_check_failed", { outcome: "nothing_carried" });
    return false;
  }
}

/**
 * Tells the forks of the session `sourceHash` that it no longer holds `modes` (it ended, or
 * dropped a carried credential), and waits for them: revocation reaches every copy before
 * a sign-out answers. A failure is logged; such a fork's carried credential still expires
 * no later than its source would have.
 */
export async function endForks(
  env: Env,
  forks: readonly string[],
  sourceHash: string,
  modes: readonly AuthMode[],
  logger: Logger,
): Promise<void> {
  await Promise.all(
    forks.map(async (fork) => {
      try {
        await env.SESSION.getByName(fork).endFork(sourceHash, [...modes]);
      } catch {
        logger.warn("session.fork_end_failed", { outcome: "expires_with_source" });
      }
    }),
  );
}

/** `secrets` without the credential of `mode` (in memory, after a drop). */
export function withoutCredential(secrets: Secrets, mode: AuthMode): Secrets {
  return mode === "user" ? { ...secrets, user: null } : { ...secrets, apiKey: null };
}

/** What dropping a carried credential needs of the fork's SessionDO. */
export interface ForkHost {
  readonly env: Env;
  config(): Config | null;
  meta(): SessionMeta | null;
  secrets(): Secrets | null;
  /** The hashes of this session's own forks. */
  forks(): string[];
  /** Runs `fn` under the object's lock. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
  /** Removes the credential of `mode` (memory and storage) and writes `meta`, re-arms the alarm, mirrors (call under the lock). */
  dropCredential(meta: SessionMeta, mode: AuthMode, logger: Logger): Promise<void>;
  /** Logs a token the session does not keep out upstream, in the background. */
  logoutOrphan(config: Config, logger: Logger, token: string): void;
}

/**
 * Applies `afterSourceDrop` under the fork's lock: drops the carried credential (its user
 * token logged out upstream when in memory), then tells this session's own forks that
 * carried that mode from it. Returns the decision's kind; on `end` the caller ends the session.
 */
export async function applySourceDrop(
  host: ForkHost,
  config: Config,
  logger: Logger,
  sourceHash: string,
  modes: readonly AuthMode[],
): Promise<ForkDecision["kind"]> {
  const decision = await host.locked(async (): Promise<ForkDecision> => {
    const d = afterSourceDrop(host.meta(), sourceHash, modes, Date.now(), config.sessionTtlMs);
    if (d.kind !== "drop") return d;
    const token = d.mode === "user" ? (host.secrets()?.user?.token ?? null) : null;
    await host.dropCredential(d.meta, d.mode, logger);
    if (token) host.logoutOrphan(config, logger, token);
    logger.info("session.carry_dropped", { mode: d.mode, outcome: token ? "revoked" : "dropped" });
    return d;
  });
  if (decision.kind === "drop") await endForks(host.env, host.forks(), decision.meta.hash, [decision.mode], logger);
  return decision.kind;
}

/**
 * A fork at its capped expiry (its source's): drops the carried credential as if the source
 * had ended and lives on with its own. True when the session lives on afterwards (dropped
 * here or by a concurrent call); false when it is no such fork, or nothing or no time is
 * left (the caller then ends it).
 */
export async function dropCarriedAtExpiry(host: ForkHost, meta: SessionMeta, logger: Logger): Promise<boolean> {
  const config = host.config();
  if (!config || !meta.carriedFrom || !meta.carriedMode) return false;
  await applySourceDrop(host, config, logger, meta.carriedFrom, [meta.carriedMode]);
  const after = host.meta();
  return after !== null && !isExpired(after, Date.now());
}
