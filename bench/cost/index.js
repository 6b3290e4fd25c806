/**
 * Bench-only entry module (never deployed) for counting what a request costs in billed
 * operations, without changing src/: the server's own Worker and Durable Object classes,
 * run with counting wrappers around everything they bill through.
 *
 * - Worker requests: every fetch of this entry (the bench's own routes excepted).
 * - Durable Object requests: every RPC method call or fetch on a stub obtained from a
 *   namespace binding (one billed request each), with the caller's wall time until it
 *   settles; alarm invocations.
 * - Durable Object storage: calls of the synchronous and asynchronous KV API (`put` and
 *   `delete` count one row written per key, `get` and `list` one row read per key returned),
 *   `setAlarm`/`deleteAlarm`/`deleteAll`, and the SQL API's own rowsRead/rowsWritten.
 * - Workers KV: reads (get, getWithMetadata), writes (put), deletes and lists per binding.
 *
 * Started by bench/run.mjs with the server's wrangler.toml and this file as the entrypoint.
 * Routes of its own: GET /__bench/counts (the counters so far), DELETE /__bench/counts (reset).
 * Counters live in the module, which workerd shares between the Worker and its Durable
 * Objects (one isolate per Worker locally).
 */
import server, { RateLimiterDO as RateLimiterBase, RegistryDO as RegistryBase, SessionDO as SessionBase } from "../../src/index.ts";

function fresh() {
  return {
    workerRequests: 0,
    doRequests: {},
    doWallMs: {},
    alarms: {},
    storage: {},
    kv: {},
  };
}

let counts = fresh();
/** SQL cursors of the current period; their rowsRead/rowsWritten are final once consumed. */
let cursors = [];

const bump = (map, key, by = 1) => {
  map[key] = (map[key] ?? 0) + by;
};

function storageCounter(cls) {
  return (counts.storage[cls] ??= { rowsRead: 0, rowsWritten: 0, sqlRowsRead: 0, sqlRowsWritten: 0, alarmsSet: 0, deleteAll: 0 });
}

/** The number of keys a KV-API put/delete/get touches (one key, or an array / object of them). */
function keysOf(arg) {
  if (Array.isArray(arg)) return arg.length;
  if (arg !== null && typeof arg === "object") return Object.keys(arg).length;
  return 1;
}

/** Binds a property of a native object to it (native getters and methods refuse a Proxy as `this`). */
function plain(target, prop) {
  const v = Reflect.get(target, prop, target);
  return typeof v === "function" ? v.bind(target) : v;
}

function countingKvApi(kv, cls) {
  return new Proxy(kv, {
    get(target, prop) {
      const v = plain(target, prop);
      if (typeof v !== "function") return v;
      const c = storageCounter(cls);
      switch (prop) {
        case "put":
          return (...a) => {
            c.rowsWritten += typeof a[0] === "string" ? 1 : keysOf(a[0]);
            return v(...a);
          };
        case "delete":
          return (...a) => {
            c.rowsWritten += keysOf(a[0]);
            return v(...a);
          };
        case "get":
          return (...a) => {
            c.rowsRead += keysOf(a[0]);
            return v(...a);
          };
        case "list":
          return (...a) => {
            const r = v(...a);
            const counted = (entries) => {
              c.rowsRead += entries instanceof Map ? entries.size : 0;
              return entries;
            };
            if (r instanceof Map) return counted(r);
            if (r && typeof r.then === "function") return r.then(counted);
            // The synchronous API returns an iterator: count what the caller takes.
            if (r && typeof r[Symbol.iterator] === "function") {
              return (function* () {
                for (const e of r) {
                  c.rowsRead++;
                  yield e;
                }
              })();
            }
            return r;
          };
        default:
          return v;
      }
    },
  });
}

function countingSql(sql, cls) {
  return new Proxy(sql, {
    get(target, prop) {
      const v = plain(target, prop);
      if (prop !== "exec" || typeof v !== "function") return v;
      return (...a) => {
        const cursor = v(...a);
        cursors.push({ cursor, cls });
        return cursor;
      };
    },
  });
}

function countingStorage(storage, cls) {
  const kvApi = countingKvApi(storage, cls);
  return new Proxy(storage, {
    get(target, prop) {
      const c = storageCounter(cls);
      switch (prop) {
        case "kv":
          return countingKvApi(plain(target, "kv"), cls);
        case "sql":
          return countingSql(plain(target, "sql"), cls);
        case "put":
        case "delete":
        case "get":
        case "list":
          return Reflect.get(kvApi, prop);
        case "setAlarm":
        case "deleteAlarm": {
          const v = plain(target, prop);
          return (...a) => {
            c.alarmsSet++;
            return v(...a);
          };
        }
        case "deleteAll": {
          const v = plain(target, prop);
          return (...a) => {
            c.deleteAll++;
            return v(...a);
          };
        }
        default:
          return plain(target, prop);
      }
    },
  });
}

function countingCtx(ctx, cls) {
  const storage = countingStorage(ctx.storage, cls);
  return new Proxy(ctx, {
    get(target, prop) {
      return prop === "storage" ? storage : plain(target, prop);
    },
  });
}

/** A stub whose every method call or fetch counts as one billed Durable Object request. */
function countingStub(stub, binding) {
  return new Proxy(stub, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof prop === "symbol" || prop === "then" || typeof v !== "function") return v;
      return (...a) => {
        bump(counts.doRequests, binding);
        const t0 = performance.now();
        const settle = () => bump(counts.doWallMs, binding, performance.now() - t0);
        const r = Reflect.apply(v, target, a);
        if (r && typeof r.then === "function") r.then(settle, settle);
        return r;
      };
    },
  });
}

function countingNamespace(ns, binding) {
  return new Proxy(ns, {
    get(target, prop) {
      const v = plain(target, prop);
      if (prop === "get" || prop === "getByName") return (...a) => countingStub(v(...a), binding);
      return v;
    },
  });
}

function countingKv(kv, binding) {
  return new Proxy(kv, {
    get(target, prop) {
      const v = plain(target, prop);
      if (typeof v !== "function") return v;
      const kind = { get: "reads", getWithMetadata: "reads", put: "writes", delete: "deletes", list: "lists" }[prop];
      if (kind === undefined) return v;
      return (...a) => {
        // A bulk get (an array of keys) bills one read per key.
        const c = (counts.kv[binding] ??= { reads: 0, writes: 0, deletes: 0, lists: 0 });
        c[kind] += kind === "reads" && Array.isArray(a[0]) ? a[0].length : 1;
        return v(...a);
      };
    },
  });
}

/** The env with its Durable Object namespaces and KV namespaces counted. */
function countingEnv(env) {
  const out = { ...env };
  for (const [name, value] of Object.entries(env)) {
    if (value === null || typeof value !== "object") continue;
    if (typeof value.idFromName === "function") out[name] = countingNamespace(value, name);
    else if (typeof value.getWithMetadata === "function") out[name] = countingKv(value, name);
  }
  return out;
}

/**
 * Wraps a Durable Object class: counted env, alarm invocations counted, and `this.ctx`
 * replaced by a counted one once the base constructor has run (the runtime's base class
 * accepts only the real DurableObjectState, so storage used by the constructor through its
 * own `ctx` parameter, such as the state loaded on wake, is not counted).
 */
function counted(Base, cls) {
  return class extends Base {
    constructor(ctx, env) {
      super(ctx, countingEnv(env));
      Object.defineProperty(this, "ctx", { value: countingCtx(ctx, cls), writable: true, configurable: true, enumerable: false });
    }

    async alarm(...a) {
      bump(counts.alarms, cls);
      return super.alarm?.(...a);
    }
  };
}

export const SessionDO = counted(SessionBase, "SessionDO");
export const RateLimiterDO = counted(RateLimiterBase, "RateLimiterDO");
export const RegistryDO = counted(RegistryBase, "RegistryDO");

function snapshot() {
  const out = structuredClone(counts);
  for (const { cursor, cls } of cursors) {
    const c = (out.storage[cls ?? "unknown"] ??= {
      rowsRead: 0,
      rowsWritten: 0,
      sqlRowsRead: 0,
      sqlRowsWritten: 0,
      alarmsSet: 0,
      deleteAll: 0,
    });
    c.sqlRowsRead += cursor.rowsRead ?? 0;
    c.sqlRowsWritten += cursor.rowsWritten ?? 0;
  }
  return out;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/counts") {
      if (request.method === "DELETE") {
        counts = fresh();
        cursors = [];
      }
      return Response.json(snapshot());
    }
    counts.workerRequests++;
    return server.fetch(request, countingEnv(env), ctx);
  },
};
