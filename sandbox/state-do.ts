/**
 * SandboxStateDO: the single SQLite-backed Durable Object holding all sandbox
 * state. Every API request is one RPC call (`handle`), so a request costs at
 * most one Durable Object hop.
 *
 * The dataset lives in memory (sandbox/store.ts) and is written through to
 * SQLite on every change, so reads never touch storage and state survives a
 * restart (`wrangler dev --persist-to`). The seed is deterministic, so storage
 * only holds what changed since it ("overlay").
 *
 * Storage layout (SQLite, `ctx.storage.sql`):
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *     'seed_version' → the SEED_VERSION the overlay applies to; on mismatch
 *     the overlay, revocations and faults are discarded and the new seed used.
 *   records(tbl TEXT, id TEXT, json TEXT NULL, PRIMARY KEY (tbl, id))
 *     one row per record written since the seed: `json` is the whole record,
 *     NULL marks a deleted one (tombstone). Rows replay in rowid (first
 *     write) order, which keeps records created through the API in order.
 *   revoked_tokens(jti TEXT PRIMARY KEY, exp INTEGER)
 *     user tokens invalidated by logout, until their expiry (epoch seconds).
 *   fault_rules(id TEXT PRIMARY KEY, json TEXT)
 *     armed faults (sandbox/faults.ts FaultRule), with remaining counts.
 *   fault_hits(name TEXT PRIMARY KEY, count INTEGER)
 *     how often each fault kind fired.
 * Request statistics are kept in memory only.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod/mini";
import { findOperation } from "../src/contract/operations";
import { type AuthDeps, bearer, login, logout, refresh, resolveCaller } from "./auth";
import type { Ctx } from "./context";
import { runOperation, uploadedFileNames, uploadReply } from "./engine";
import { fail, type Reply } from "./envelope";
import { ArmFaultSchema, type Fault, faultName, faultReply, FaultRuleSchema, type FaultRule, parseFault, ruleMatches } from "./faults";
import { isObject } from "./json";
import { JwtSigner } from "./jwt";
import { needsCredential, refusal } from "./policy";
import { parseQuery } from "./query";
import { SEED_VERSION, seedStore } from "./seed/build";
import { seedInfo } from "./seed-info";
import { Stats } from "./stats";
import { Store } from "./store";
import { nowTimestamp } from "./time";
import { type JsonObject, type Rec, type SandboxRequest, type SandboxResponse, TABLE_NAMES, type TableName } from "./types";

const TABLES = new Set<string>(TABLE_NAMES);

function isTable(name: string): name is TableName {
  return TABLES.has(name);
}

function isRec(v: unknown): v is Rec {
  return isObject(v) && typeof v.id === "string" && typeof v.company_id === "string";
}

/** Result of an admin call: HTTP status and JSON text. */
export interface AdminResult {
  readonly status: number;
  readonly body: string;
}

/**
 * The bindings the state object reads. Declared here (not in env.ts, which names
 * this class for its namespace binding) so the two modules do not import each other.
 */
export interface SandboxStateEnv {
  /** HS256 secret the sandbox signs user JWTs with (sandbox only). */
  readonly SANDBOX_JWT_SECRET: string;
}

/** The sandbox state object. */
export class SandboxStateDO extends DurableObject<SandboxStateEnv> {
  #store = new Store();
  readonly #revoked = new Map<string, number>();
  #rules: FaultRule[] = [];
  readonly #hits = new Map<string, number>();
  readonly #stats = new Stats();
  readonly #signer: JwtSigner;
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: SandboxStateEnv) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#signer = new JwtSigner(env.SANDBOX_JWT_SECRET);
    void ctx.blockConcurrencyWhile(async () => {
      try {
        await this.#load();
      } catch (err) {
        console.error(
          JSON.stringify({ level: "error", event: "sandbox.load_failed", message: err instanceof Error ? err.message : String(err) }),
        );
        throw err;
      }
    });
  }

  async #load(): Promise<void> {
    const sql = this.#sql;
    sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
    sql.exec("CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, id TEXT NOT NULL, json TEXT, PRIMARY KEY (tbl, id))");
    sql.exec("CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, exp INTEGER NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS fault_rules (id TEXT PRIMARY KEY, json TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS fault_hits (name TEXT PRIMARY KEY, count INTEGER NOT NULL)");
    const version = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'seed_version'").toArray()[0]?.value;
    if (version !== SEED_VERSION) this.#wipe();
    const store = new Store();
    await seedStore(store);
    for (const row of sql.exec<{ tbl: string; id: string; json: string | null }>("SELECT tbl, id, json FROM records ORDER BY rowid")) {
      if (!isTable(row.tbl)) continue;
      if (row.json === null) {
        store.unload(row.tbl, row.id);
        continue;
      }
      const parsed: unknown = JSON.parse(row.json);
      if (isRec(parsed)) store.load(row.tbl, parsed);
    }
    this.#attach(store);
    const now = Math.floor(Date.now() / 1000);
    sql.exec("DELETE FROM revoked_tokens WHERE exp <= ?", now);
    for (const row of sql.exec<{ jti: string; exp: number }>("SELECT jti, exp FROM revoked_tokens")) this.#revoked.set(row.jti, row.exp);
    this.#rules = [];
    for (const row of sql.exec<{ json: string }>("SELECT json FROM fault_rules ORDER BY rowid")) {
      const parsed = z.safeParse(FaultRuleSchema, JSON.parse(row.json));
      if (parsed.success) this.#rules.push(parsed.data);
    }
    for (const row of sql.exec<{ name: string; count: number }>("SELECT name, count FROM fault_hits")) this.#hits.set(row.name, row.count);
  }

  /** Drops every stored change and records the current seed version. */
  #wipe(): void {
    const sql = this.#sql;
    sql.exec("DELETE FROM records");
    sql.exec("DELETE FROM revoked_tokens");
    sql.exec("DELETE FROM fault_rules");
    sql.exec("DELETE FROM fault_hits");
    sql.exec(
      "INSERT INTO meta (key, value) VALUES ('seed_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      SEED_VERSION,
    );
  }

  /** Makes a loaded store current and points its writes at SQLite. */
  #attach(store: Store): void {
    store.setPersistHook((table, id, rec) => {
      this.#sql.exec(
        "INSERT INTO records (tbl, id, json) VALUES (?, ?, ?) ON CONFLICT(tbl, id) DO UPDATE SET json = excluded.json",
        table,
        id,
        rec === null ? null : JSON.stringify(rec),
      );
    });
    this.#store = store;
  }

  #deps(): AuthDeps {
    return {
      store: this.#store,
      signer: this.#signer,
      nowMs: () => Date.now(),
      revoked: {
        has: (jti) => this.#revoked.has(jti),
        add: (jti, exp) => {
          this.#revoked.set(jti, exp);
          this.#sql.exec("INSERT OR REPLACE INTO revoked_tokens (jti, exp) VALUES (?, ?)", jti, exp);
        },
      },
    };
  }

  /** Consumes the first armed rule matching the request. */
  #takeArmed(method: string, path: string, credential: string | null): Fault | null {
    for (const rule of this.#rules) {
      if (rule.remaining <= 0 || !ruleMatches(rule, { method, path, credential })) continue;
      const fault = parseFault(rule.fault);
      if (!fault) continue;
      rule.remaining--;
      rule.hits++;
      if (rule.remaining <= 0) {
        this.#rules = this.#rules.filter((r) => r !== rule);
        this.#sql.exec("DELETE FROM fault_rules WHERE id = ?", rule.id);
      } else {
        this.#sql.exec("UPDATE fault_rules SET json = ? WHERE id = ?", JSON.stringify(rule), rule.id);
      }
      return fault;
    }
    return null;
  }

  #countHit(fault: Fault): void {
    const name = faultName(fault);
    const n = (this.#hits.get(name) ?? 0) + 1;
    this.#hits.set(name, n);
    this.#sql.exec("INSERT INTO fault_hits (name, count) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET count = excluded.count", name, n);
  }

  /** Serves one API request (the Worker's only call per request). */
  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    // Routing is the contract table itself (static segments beat parameters).
    const route = findOperation(req.method, req.path);
    const credential = bearer(req.authorization);
    if (route) this.#stats.operation(route.op.id);

    let delayMs = 0;
    let fault: Fault | null = null;
    if (req.fault !== null && req.fault.trim() !== "") {
      fault = parseFault(req.fault);
      if (!fault)
        return respond(
          fail(400, "Unknown X-Sandbox-Fault", [
            `Unknown fault "${req.fault}"; expected slow:<ms>, 500, 502, 503, 429, malformed, expired or reset`,
          ]),
        );
    } else {
      fault = this.#takeArmed(req.method, req.path, credential);
    }
    if (fault) {
      this.#countHit(fault);
      if (fault.kind === "slow") delayMs = fault.ms;
      else this.#countAuth(route?.op.id ?? null, credential, null, null);
      if (fault.kind === "reset") return { status: 200, headers: {}, body: "", delayMs: 0, delivery: "reset" };
      const reply = faultReply(fault);
      if (reply) return respond(reply);
    }

    if (!route) return respond(fail(404, "Not found", [`No route matches ${req.method} ${req.path}`]), delayMs);
    const op = route.op;
    const deps = this.#deps();
    switch (op.id) {
      case "auth.login": {
        const text = req.body.kind === "json" ? req.body.text : null;
        const r = await login(deps, text, req.tokenTtl);
        this.#stats.auth("login", { userId: r.userId, email: r.email });
        return respond(r.reply, delayMs);
      }
      case "auth.refresh": {
        const r = await refresh(deps, req.authorization, req.tokenTtl);
        this.#stats.auth("refresh", { userId: r.userId, credential });
        return respond(r.reply, delayMs);
      }
      case "auth.logout": {
        const r = await logout(deps, req.authorization);
        this.#stats.auth("logout", { userId: r.userId, credential });
        return respond(r.reply, delayMs);
      }
      case "files.upload":
        return respond(uploadReply(route.params.encoded_token ?? "", this.#store), delayMs);
      default:
        break;
    }
    if (!needsCredential(op)) return respond(fail(404, "Not found"), delayMs);
    const resolved = await resolveCaller(deps, req.authorization);
    if (!resolved.ok) return respond(resolved.reply, delayMs);
    const caller = resolved.caller;
    const refused = refusal(op, caller);
    if (refused) return respond(refused, delayMs);
    const ctx: Ctx = {
      store: this.#store,
      caller,
      companyId: caller.company.id,
      params: route.params,
      query: parseQuery(req.query),
      now: nowTimestamp(),
      origin: req.origin,
      files: uploadedFileNames(req.body),
    };
    return respond(await runOperation(op, ctx, req.body), delayMs);
  }

  /** Counts auth calls that a fault answered (they were still calls). */
  #countAuth(opId: string | null, credential: string | null, userId: string | null, email: string | null): void {
    if (opId === "auth.refresh") this.#stats.auth("refresh", { userId, credential });
    else if (opId === "auth.logout") this.#stats.auth("logout", { userId, credential });
    else if (opId === "auth.login") this.#stats.auth("login", { userId, email });
  }

  /** `GET /__sandbox/health`. */
  health(): string {
    return JSON.stringify({ status: "ok", seed_version: SEED_VERSION, records: this.#store.counts(), armed_faults: this.#rules.length });
  }

  /** `GET /__sandbox/seed`. Admin methods answer JSON text (deep JSON types overwhelm the RPC typings). */
  seed(): string {
    return JSON.stringify(seedInfo(this.#store));
  }

  /** `POST /__sandbox/reset`: back to the seed; revocations, faults and stats cleared. */
  async reset(): Promise<string> {
    this.#wipe();
    const store = new Store();
    await seedStore(store);
    this.#attach(store);
    this.#revoked.clear();
    this.#rules = [];
    this.#hits.clear();
    this.#stats.clear();
    return JSON.stringify({ status: "reset", seed_version: SEED_VERSION, records: store.counts() });
  }

  /** `POST /__sandbox/faults`. */
  armFault(body: unknown): AdminResult {
    const parsed = z.safeParse(ArmFaultSchema, body);
    if (!parsed.success) {
      return {
        status: 422,
        body: JSON.stringify({ error: "invalid fault rule", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }),
      };
    }
    if (!parseFault(parsed.data.fault)) {
      return {
        status: 422,
        body: JSON.stringify({
          error: `unknown fault "${parsed.data.fault}"`,
          expected: ["slow:<ms>", "500", "502", "503", "429", "malformed", "expired", "reset"],
        }),
      };
    }
    const m = parsed.data.match ?? {};
    const rule: FaultRule = {
      id: crypto.randomUUID(),
      fault: parsed.data.fault.trim().toLowerCase(),
      remaining: parsed.data.count ?? 1,
      hits: 0,
      match: {
        ...(m.method !== undefined ? { method: m.method.toUpperCase() } : {}),
        ...(m.pathPrefix !== undefined ? { pathPrefix: m.pathPrefix } : {}),
        ...(m.credential !== undefined ? { credential: m.credential } : {}),
      },
      createdAt: new Date().toISOString(),
    };
    this.#rules.push(rule);
    this.#sql.exec("INSERT INTO fault_rules (id, json) VALUES (?, ?)", rule.id, JSON.stringify(rule));
    return { status: 201, body: JSON.stringify({ rule: ruleJson(rule) }) };
  }

  /** `GET /__sandbox/faults`. */
  faults(): string {
    return JSON.stringify({ armed: this.#rules.map(ruleJson), hits: Object.fromEntries(this.#hits) });
  }

  /** `DELETE /__sandbox/faults` (all, or one rule by id). */
  clearFaults(id: string | null): string {
    const before = this.#rules.length;
    if (id === null) {
      this.#rules = [];
      this.#sql.exec("DELETE FROM fault_rules");
    } else {
      this.#rules = this.#rules.filter((r) => r.id !== id);
      this.#sql.exec("DELETE FROM fault_rules WHERE id = ?", id);
    }
    return JSON.stringify({ cleared: before - this.#rules.length });
  }

  /** `GET /__sandbox/stats`. */
  stats(): string {
    return JSON.stringify(this.#stats.snapshot());
  }

  /** `DELETE /__sandbox/stats`. */
  clearStats(): string {
    this.#stats.clear();
    return JSON.stringify({ cleared: true });
  }
}

function ruleJson(rule: FaultRule): JsonObject {
  return {
    id: rule.id,
    fault: rule.fault,
    remaining: rule.remaining,
    hits: rule.hits,
    match: { ...rule.match },
    createdAt: rule.createdAt,
  };
}

/** Turns a reply into the serialisable response the Worker sends. */
function respond(reply: Reply, delayMs = 0): SandboxResponse {
  const headers: Record<string, string> = {};
  let hasType = false;
  for (const [k, v] of reply.headers ?? []) {
    if (k.toLowerCase() === "content-type") hasType = true;
    headers[k] = v;
  }
  if (!hasType && !(reply.raw === "" && reply.body === null)) headers["Content-Type"] = "application/json; charset=utf-8";
  return { status: reply.status, headers, body: reply.raw ?? JSON.stringify(reply.body), delayMs, delivery: "normal" };
}
