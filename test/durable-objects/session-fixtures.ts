/**
 * Fixtures of the SessionDO tests: fresh sessions, raw storage and KV dumps, captured
 * log lines and upstream traffic, and the sandbox's fault and stats endpoints
 * (sandbox/README.md). The upstream is the local Passgage sandbox, whose origin the
 * Worker under test sees as PASSGAGE_BASE_URL.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";
import * as z from "zod/mini";
import type { SessionDO } from "../../durable-objects/session";
import { fromWire } from "../../src/session/wire-outcome";
import { generateSessionId, sessionHash, shortHash } from "../../src/crypto/session-id";
import { logSink, type LogLevel } from "../../src/log";
import { listCompanySessions } from "../../src/registry/registry-client";
import type { RegistryEntry } from "../../src/registry/schemas";
import { kvMirrorKey } from "../../src/session/kv-mirror";
import type { LoginOutcome, SessionError } from "../../src/session/types";
import type { Result } from "../../src/result";
import { SEED } from "../helpers/mcp";

export { SEED };

/** Origin of the sandbox (what the Worker uses as PASSGAGE_BASE_URL in tests). */
export function sandboxUrl(): string {
  return env.PASSGAGE_BASE_URL;
}

/** A fresh session ID, its hash and the stub of its (not yet existing) object. */
export interface Fresh {
  readonly id: string;
  readonly hash: string;
  readonly stub: DurableObjectStub<SessionDO>;
}

/** A fresh, unused session ID and its object. */
export async function freshSession(): Promise<Fresh> {
  const id = generateSessionId();
  const hash = await sessionHash(id);
  return { id, hash, stub: env.SESSION.getByName(hash) };
}

let requestCounter = 0;
/** A request id for an RPC. */
export function rid(): string {
  requestCounter += 1;
  return `test-${requestCounter}`;
}

/** Password login through the SessionDO's RPC. */
export function loginPassword(s: Fresh, who: { email: string; password: string }): Promise<Result<LoginOutcome, SessionError>> {
  return s.stub.login({ sessionId: s.id, kind: "password", email: who.email, password: who.password, requestId: rid() });
}

/** Company-key login through the SessionDO's RPC. */
export function loginKey(s: Fresh, apiKey: string): Promise<Result<LoginOutcome, SessionError>> {
  return s.stub.login({ sessionId: s.id, kind: "api_key", apiKey, requestId: rid() });
}

/** A signed-in session (password), or the test fails. */
export async function signedIn(who: { email: string; password: string }): Promise<Fresh> {
  const s = await freshSession();
  const r = await loginPassword(s, who);
  if (!r.ok) throw new Error(`login failed: ${r.error.code} ${r.error.message}`);
  return s;
}

/** A signed-in session (company key), or the test fails. */
export async function signedInWithKey(apiKey: string): Promise<Fresh> {
  const s = await freshSession();
  const r = await loginKey(s, apiKey);
  if (!r.ok) throw new Error(`api key login failed: ${r.error.code} ${r.error.message}`);
  return s;
}

/** The text of a tool call's result, or the JSON-RPC error. */
export interface ToolAnswer {
  readonly kind: string;
  readonly text: string;
  readonly isError: boolean;
  readonly structured: Record<string, unknown> | undefined;
  readonly code: string | number | undefined;
}

/** Calls a tool through the SessionDO's RPC. */
export async function call(s: Fresh, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  // A result crosses the RPC as JSON text (src/session/wire-outcome.ts); decoded as the edge decodes it.
  const o = fromWire(await s.stub.callTool({ sessionId: s.id, name, args, requestId: rid() }));
  if (o.kind === "result") {
    return {
      kind: o.kind,
      text: o.result.content.map((c) => c.text).join("\n"),
      isError: o.result.isError === true,
      structured: o.result.structuredContent,
      code: o.code,
    };
  }
  if (o.kind === "rpc_error") return { kind: o.kind, text: o.message, isError: true, structured: undefined, code: o.code };
  return { kind: o.kind, text: "", isError: true, structured: undefined, code: undefined };
}

/** Everything the object has in durable storage: KV entries, SQL tables, the alarm. */
export interface StorageDump {
  readonly kv: [string, unknown][];
  readonly sql: Record<string, unknown>[];
  readonly alarm: number | null;
}

/** Reads the object's raw storage. */
export function dumpStorage(stub: DurableObjectStub<SessionDO>): Promise<StorageDump> {
  return runInDurableObject(stub, async (_instance, state) => {
    // The retirement marker (`retired`: no session data, only a time; kept so an ended
    // ID is never signed into again) and its alarm are left out; session-retired tests check them.
    const all = [...state.storage.kv.list()];
    const retired = all.find(([k]) => k === "retired")?.[1] as { until?: number } | undefined;
    const kv = all.filter(([k]) => k !== "retired");
    const tables = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
      .toArray()
      .map((r) => (typeof r.name === "string" ? r.name : JSON.stringify(r.name)));
    const sql: Record<string, unknown>[] = [];
    for (const t of tables) for (const row of state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray()) sql.push({ table: t, ...row });
    const alarm = await state.storage.getAlarm();
    return { kv, sql, alarm: retired && alarm === retired.until ? null : alarm };
  });
}

/** Everything under the session's KV mirror key (value and metadata), or null. */
export async function mirrorOf(hash: string): Promise<{ value: string; metadata: unknown } | null> {
  const r = await env.PASSGAGE_SESSIONS.getWithMetadata(kvMirrorKey(hash), "text");
  return r.value === null ? null : { value: r.value, metadata: r.metadata };
}

/** Every KV entry of the namespace: key, value and metadata, as one searchable text. */
export async function dumpKv(): Promise<string> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page: KVNamespaceListResult<unknown, string> = await env.PASSGAGE_SESSIONS.list(cursor ? { cursor } : {});
    for (const k of page.keys) {
      out.push(k.name, JSON.stringify(k.metadata ?? null), (await env.PASSGAGE_SESSIONS.get(k.name, "text")) ?? "");
    }
    if (page.list_complete) break;
    cursor = page.cursor;
  }
  return out.join("\n");
}

/** The registry entries of a company. */
export function registryOf(companyId: string): Promise<RegistryEntry[]> {
  return listCompanySessions(env, companyId, Date.now());
}

/** Whether the registry lists the session. */
export async function registered(companyId: string, hash: string): Promise<boolean> {
  return (await registryOf(companyId)).some((e) => e.hash === shortHash(hash));
}

/** Waits until `check` holds (mirror and registry writes run after the reply), or fails. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Captured log lines (parsed JSON), while installed. */
export interface LogCapture {
  readonly lines: Record<string, unknown>[];
  readonly raw: string[];
  events(): string[];
  restore(): void;
}

/** Captures every log line written through src/log.ts. */
export function captureLogs(): LogCapture {
  const original = logSink.write;
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  logSink.write = (line: string, _level: LogLevel) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  };
  return {
    lines,
    raw,
    events: () => lines.map((l) => String(l.event)),
    restore: () => {
      logSink.write = original;
    },
  };
}

/** Upstream traffic seen while installed: every call, and the tokens the sandbox issued. */
export interface UpstreamCapture {
  readonly calls: { method: string; path: string; status: number; credential: string | null }[];
  readonly tokens: string[];
  restore(): void;
}

/**
 * Observes outbound fetches to the sandbox (the SessionDO runs in this isolate), to learn
 * the JWTs it issued: the tests then search storage for them and arm faults on them.
 * With `tokenTtlSeconds`, sign-ins and refreshes ask the sandbox for short-lived tokens.
 */
export function captureUpstream(options: { readonly tokenTtlSeconds?: number } = {}): UpstreamCapture {
  const original = globalThis.fetch;
  const calls: UpstreamCapture["calls"] = [];
  const tokens: string[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    // Short-lived tokens (sandbox/README.md): the SessionDO cannot add this header itself.
    if (options.tokenTtlSeconds !== undefined && /\/auth\/(login|refresh)$/.test(url.pathname)) {
      req.headers.set("x-sandbox-token-ttl", String(options.tokenTtlSeconds));
    }
    const res = await original(req);
    if (url.origin === new URL(sandboxUrl()).origin) {
      const auth = req.headers.get("authorization");
      calls.push({
        method: req.method,
        path: url.pathname,
        status: res.status,
        credential: auth?.startsWith("Bearer ") ? auth.slice(7) : null,
      });
      if (/\/auth\/(login|refresh)$/.test(url.pathname) && res.ok) {
        const body: unknown = await res.clone().json();
        const data = body && typeof body === "object" ? (body as { data?: { token?: unknown }; token?: unknown }) : {};
        const token = data.data?.token ?? data.token;
        if (typeof token === "string") tokens.push(token);
      }
    }
    return res;
  });
  return { calls, tokens, restore: () => spy.mockRestore() };
}

/** Arms a sandbox fault (sandbox/README.md "Faults"). */
export async function armFault(
  fault: string,
  count: number,
  match: { method?: string; pathPrefix?: string; credential?: string },
): Promise<void> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fault, count, match }),
  });
  if (!res.ok) throw new Error(`arming fault failed: ${res.status} ${await res.text()}`);
}

const AuthCountersSchema = z.object({ total: z.number(), byCredential: z.record(z.string(), z.number()) });
const StatsSchema = z.object({ refresh: AuthCountersSchema, logout: AuthCountersSchema });

/**
 * How many refreshes the sandbox served for these tokens (its stats count per presented
 * credential, so parallel test files do not disturb the count).
 */
export async function refreshCount(tokens: readonly string[]): Promise<number> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/stats`);
  if (!res.ok) throw new Error(`sandbox stats failed: ${res.status}`);
  const stats = StatsSchema.parse(await res.json());
  return [...new Set(tokens)].reduce((sum, t) => sum + (stats.refresh.byCredential[t] ?? 0), 0);
}

/** Whether the sandbox still accepts a user token (a cheap authenticated read). */
export async function tokenWorks(token: string): Promise<boolean> {
  const res = await fetch(`${sandboxUrl()}/api/public/v1/leaves?per_page=1`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
  });
  return res.status !== 401;
}
