/**
 * A tiny HTTP client for the sandbox tests: the sandbox origin from the
 * vitest globalSetup (`inject("sandboxUrl")`), the seed credentials, and
 * helpers that call the API and parse the envelope. Tests talk to the sandbox
 * over HTTP only, exactly as the MCP server does.
 */
import { inject } from "vitest";

/** Origin of the running sandbox. */
export const SANDBOX = inject("sandboxUrl");

/** Acme's company API key (seed). */
export const ACME_KEY = "psg_cmp_sandbox_acme_0000000000000000";
/** Globex's company API key (seed). */
export const GLOBEX_KEY = "psg_cmp_sandbox_globex_00000000000000";

/** Seed user credentials. */
export const USERS = {
  admin: { email: "admin@acme.example", password: "acme-admin-2026" },
  ayse: { email: "ayse@acme.example", password: "acme-ayse-2026" },
  mehmet: { email: "mehmet@acme.example", password: "acme-mehmet-2026" },
  inactive: { email: "kemal.arslan@acme.example", password: "acme-kemal-2026" },
  john: { email: "john@globex.example", password: "globex-john-2026" },
} as const;

/** A parsed JSON object. */
export type Obj = Record<string, unknown>;

/** Narrows to a plain object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value as an object (throws otherwise, failing the test). */
export function obj(v: unknown): Obj {
  if (!isObj(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v;
}

/** The value as an array of objects (throws otherwise). */
export function objs(v: unknown): Obj[] {
  if (!Array.isArray(v) || !v.every(isObj)) throw new Error(`expected an array of objects, got ${JSON.stringify(v)?.slice(0, 200)}`);
  return v;
}

/** The value as a string (throws otherwise). */
export function s(v: unknown): string {
  if (typeof v !== "string") throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Options of one API call. */
export interface CallOptions {
  readonly method?: string;
  /** Bearer credential (API key or JWT). */
  readonly auth?: string;
  /** JSON body (serialised), or a FormData / raw string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A response with its parsed JSON body (null when not JSON). */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Obj | null;
}

/** Calls the sandbox. `path` may carry a query string with literal brackets. */
export async function call(path: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth !== undefined) headers.Authorization = `Bearer ${opts.auth}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData || typeof opts.body === "string") body = opts.body;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(`${SANDBOX}${path}`, { method: opts.method ?? "GET", headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: Obj | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    json = isObj(parsed) ? parsed : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Calls and returns the envelope's `data` as a list, asserting a 200 list envelope. */
export async function list(path: string, auth: string): Promise<{ data: Obj[]; meta: Obj }> {
  const r = await call(path, { auth });
  if (r.status !== 200 || !r.json) throw new Error(`GET ${path} → ${r.status} ${r.text.slice(0, 300)}`);
  return { data: objs(r.json.data), meta: obj(r.json.meta) };
}

/** Signs in a seed user; returns the token and the user's id. */
export async function login(
  who: { email: string; password: string },
  ttlSeconds?: number,
): Promise<{ token: string; userId: string; expiresAt: string }> {
  const r = await call("/api/public/auth/login", {
    method: "POST",
    body: who,
    ...(ttlSeconds !== undefined ? { headers: { "X-Sandbox-Token-TTL": String(ttlSeconds) } } : {}),
  });
  if (r.status !== 200 || !r.json) throw new Error(`login ${who.email} → ${r.status} ${r.text}`);
  const data = obj(r.json.data);
  return { token: s(data.token), userId: s(obj(data.user).id), expiresAt: s(data.expires_at) };
}

/** Decodes a JWT payload (no verification). */
export function jwtPayload(token: string): Obj {
  const part = token.split(".")[1] ?? "";
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4);
  return obj(JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))));
}

/** The seed facts of `GET /__sandbox/seed`. */
export async function seedInfo(): Promise<Obj> {
  const r = await call("/__sandbox/seed");
  if (!r.json) throw new Error("no seed info");
  return r.json;
}

/** A sample id of a table in a company (`acme` / `globex`) from the seed facts. */
export async function sampleId(company: "acme" | "globex", table: string): Promise<string> {
  const info = await seedInfo();
  return s(obj(obj(info.samples)[company])[table]);
}

/** A unique suffix for names created by a test. */
export function unique(prefix: string): string {
  return `${prefix} ${crypto.randomUUID().slice(0, 8)}`;
}
