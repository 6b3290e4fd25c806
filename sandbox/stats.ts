/**
 * Request counters for tests (`GET /__sandbox/stats`): calls per operation
 * id, and login / refresh / logout calls per user id and per presented
 * credential (the exact bearer token), so a test can prove that its own
 * session refreshed exactly once even when other tests run in parallel.
 * Kept in memory only (reset with `DELETE /__sandbox/stats`, a sandbox reset
 * or a restart).
 */
import type { JsonObject } from "./types";

type Counter = Map<string, number>;

function bump(map: Counter, key: string | null): void {
  if (key === null || key === "") return;
  map.set(key, (map.get(key) ?? 0) + 1);
}

function toObject(map: Counter): JsonObject {
  return Object.fromEntries(map);
}

/** Counters of auth calls of one kind. */
class AuthCounters {
  total = 0;
  readonly byUser: Counter = new Map();
  readonly byCredential: Counter = new Map();
  readonly byEmail: Counter = new Map();
}

/** The auth operations whose calls are counted per user and credential. */
export type AuthCall = "login" | "refresh" | "logout";

/** Request statistics. */
export class Stats {
  #operations: Counter = new Map();
  #auth = { login: new AuthCounters(), refresh: new AuthCounters(), logout: new AuthCounters() };
  #since = new Date().toISOString();

  /** Counts one call of an operation. */
  operation(id: string): void {
    bump(this.#operations, id);
  }

  /** Counts one auth call. */
  auth(kind: AuthCall, who: { userId?: string | null; credential?: string | null; email?: string | null }): void {
    const c = this.#auth[kind];
    c.total++;
    bump(c.byUser, who.userId ?? null);
    bump(c.byCredential, who.credential ?? null);
    bump(c.byEmail, who.email ?? null);
  }

  /** A JSON snapshot. */
  snapshot(): JsonObject {
    const auth = (c: AuthCounters): JsonObject => ({
      total: c.total,
      byUser: toObject(c.byUser),
      byCredential: toObject(c.byCredential),
      byEmail: toObject(c.byEmail),
    });
    return {
      since: this.#since,
      operations: toObject(this.#operations),
      login: auth(this.#auth.login),
      refresh: auth(this.#auth.refresh),
      logout: auth(this.#auth.logout),
    };
  }

  /** Clears every counter. */
  clear(): void {
    this.#operations = new Map();
    this.#auth = { login: new AuthCounters(), refresh: new AuthCounters(), logout: new AuthCounters() };
    this.#since = new Date().toISOString();
  }
}
