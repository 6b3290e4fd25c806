/**
 * Single-flight refresh of a session's user token. Concurrent callers share one
 * upstream refresh; callers that come after it see the new token and do not refresh
 * again. A refused refresh (401) is not retried for that token; a transient failure
 * waits REFRESH_RETRY_COOLDOWN_MS. A token that was already issued inside the
 * refresh-ahead window is used until it expires (then refreshed on its 401), not
 * refreshed ahead on every call. Holds no secrets of its own: the SessionDO passes
 * the credential and commits the result under its lock.
 */
import type { Logger } from "../log";
import type { Result } from "../result";
import { REFRESH_RETRY_COOLDOWN_MS, shouldRefreshAhead, type UserCredential } from "./state";

/** What the refresher needs from the session that owns the token. */
export interface RefresherHost {
  /** The user credential the session holds right now (null: none). */
  current(): UserCredential | null;
  /** Asks Passgage for a fresh token in exchange for `token`. */
  refresh(token: string, logger: Logger): Promise<Result<UserCredential, { readonly code: string }>>;
  /** Revokes a token upstream in the background (a token the session does not keep). */
  revoke(token: string, logger: Logger): void;
  now(): number;
}

/**
 * Commits a fresh credential in place of the stale one, unless the session ended or
 * changed since the refresh began; true when the fresh credential was kept.
 */
export type CommitRefresh = (stale: UserCredential, fresh: UserCredential) => Promise<boolean>;

/** The refresh state of one session's user token. */
export class TokenRefresher {
  readonly #host: RefresherHost;
  #inFlight: Promise<UserCredential | null> | null = null;
  /** The token whose refresh failed, and when a refresh may be tried again. */
  #failed: { token: string; retryAt: number } | null = null;
  /** A refreshed token that was itself issued inside the refresh-ahead window. */
  #shortLived: string | null = null;

  constructor(host: RefresherHost) {
    this.#host = host;
  }

  /** Whether `user` should be refreshed before it is used now. */
  dueAhead(user: UserCredential): boolean {
    return shouldRefreshAhead(user, this.#host.now()) && this.#shortLived !== user.token;
  }

  /** Forgets past failures (the session ended). */
  reset(): void {
    this.#failed = null;
  }

  /**
   * Refreshes `stale` once for all concurrent callers. `commit` is used by the caller
   * that starts the flight (it captures the session state at that moment). Resolves to
   * the current credential, or null when there is none to use.
   */
  refresh(stale: UserCredential, logger: Logger, commit: CommitRefresh): Promise<UserCredential | null> {
    const host = this.#host;
    const current = host.current();
    if (!current) return Promise.resolve(null);
    if (current.token !== stale.token) return Promise.resolve(current);
    if (this.#inFlight) return this.#inFlight;
    const failed = this.#failed;
    if (failed && failed.token === stale.token && host.now() < failed.retryAt) return Promise.resolve(null);
    this.#inFlight = (async (): Promise<UserCredential | null> => {
      const r = await host.refresh(stale.token, logger);
      logger.info("session.token_refresh", { outcome: r.ok ? "ok" : r.error.code });
      if (!r.ok) {
        this.#failed = {
          token: stale.token,
          retryAt: r.error.code === "unauthorized" ? Number.POSITIVE_INFINITY : host.now() + REFRESH_RETRY_COOLDOWN_MS,
        };
        return null;
      }
      const fresh = r.value;
      if (!(await commit(stale, fresh))) {
        // The session ended (or changed) meanwhile: the new token must not stay valid.
        host.revoke(fresh.token, logger);
        return host.current();
      }
      this.#failed = null;
      this.#shortLived = shouldRefreshAhead(fresh, host.now()) ? fresh.token : null;
      // The old token may stay valid upstream until its own expiry: it is no longer kept, so revoke it.
      host.revoke(stale.token, logger);
      return fresh;
    })().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }
}
