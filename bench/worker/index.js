/**
 * Bench-only Worker (see wrangler.toml beside this file). Routes:
 *   GET  /floor              the upstream read of passgage_list_leave_types, bare: one fetch to
 *                            the sandbox with the company key, JSON parsed and re-serialised
 *   GET  /floor/limiter      the floor after one RateLimiterDO.admit on a fixed key (the per-IP hop
 *                            alone, rule ?limit=&windowMs= as below): the first step from the floor to
 *                            the design floor
 *   POST /floor/design/mcp   the design floor in MCP's shape, with no MCP code: a JSON-RPC body read and
 *                            parsed, the same two hops, the object answering a tool-result-sized JSON text
 *                            (records as structuredContent, a text of about the server's size) after one
 *                            log line, the Worker answering it as a JSON-RPC response with the server's headers
 *   GET  /floor/design       the design floor: the least our architecture does per tool call, with
 *                            no MCP: one RateLimiterDO.admit on a fixed key (the per-IP hop, rule
 *                            ?limit=&windowMs=, default the bench server's 10000 per 1000 ms), then
 *                            one RPC to UpstreamDO (?name=, default one fixed object: the per-session
 *                            hop), which makes the floor's upstream read and returns its JSON as a string
 *   POST /hop/none           an empty answer (baseline of the limiter hop)
 *   POST /hop/limiter        one RateLimiterDO.admit on a fixed key, as the edge Worker does
 *                            per request (?limit=&windowMs=&key=)
 *   POST /probe              ?n=&tag=: wakes n empty Durable Objects (ProbeDO), 20 at a time
 *   POST /probe/upstream     ?n=&tag=: one upstream read (the floor's) in each of n UpstreamDO
 *                            objects, 20 at a time; called 10 times with one tag, it leaves n objects
 *                            that each made 10 reads (bench/run.mjs compares their memory with ProbeDO's)
 *   POST /probe/storage      ?n=&tag=&writes=: n StorageDO objects, 20 at a time; writes=0 (the
 *                            default): each does a session's sign-in writes (4 KV keys, an alarm);
 *                            writes=k: each then makes k call-equivalents (4 KV reads, 1 small write)
 *   POST /trials             ?keys=&perKey=&limit=&maxBurst=&seed=&run=: `keys` keys at once,
 *                            `perKey` trials on each in turn; a trial sends a burst of b
 *                            concurrent admits (b drawn in 1..maxBurst) to a key with exactly `limit` free slots and counts the
 *                            admissions, which must be exactly min(b, limit)
 */
import { DurableObject } from "cloudflare:workers";

export { RateLimiterDO } from "../../durable-objects/rate-limiter.ts";

/** An empty Durable Object (no state, no storage): what one live object costs the runtime. */
export class ProbeDO extends DurableObject {
  async touch() {
    return 1;
  }
}

const LIST_PATH = "/api/public/v1/leave_types";

/** The floor's upstream read: GET leave_types from the sandbox with the company key, JSON parsed. */
async function upstreamRead(env) {
  const res = await fetch(env.UPSTREAM_URL + LIST_PATH, {
    headers: { accept: "application/json", authorization: `Bearer ${env.UPSTREAM_KEY}` },
  });
  return { status: res.status, data: await res.json() };
}

/**
 * Stands in for the per-session Durable Object of the design floor: no state, one method that makes
 * the floor's upstream read inside the object (as SessionDO does, where the token lives) and returns
 * the answer as a JSON string.
 */
export class UpstreamDO extends DurableObject {
  async read() {
    const { status, data } = await upstreamRead(this.env);
    return { status, body: JSON.stringify(data) };
  }

  /**
   * The same read, answered in the shape of the server's tool result, with none of its code: the
   * records as `structuredContent`, a text of about the server's size (the records' JSON cut to
   * TEXT_CHARS), one `tool.call`-like log line; the result's JSON text is returned.
   */
  async readMcp(requestId) {
    const { status, data } = await upstreamRead(this.env);
    const items = Array.isArray(data?.data) ? data.data : [];
    const result = {
      content: [{ type: "text", text: JSON.stringify(items).slice(0, TEXT_CHARS) }],
      structuredContent: { items, page: 1, per_page: null, total_pages: 1, total_count: items.length, next_page: null, omitted: 0 },
    };
    console.log(
      JSON.stringify({
        ts: new Date().toISOString(),
        level: "info",
        event: "tool.call",
        requestId,
        sessionId: "000000000000",
        tool: "passgage_list_leave_types",
        mode: "company",
        durationMs: 0,
        outcome: "ok",
        code: "ok",
      }),
    );
    return { status, json: JSON.stringify(result) };
  }
}

/** Characters of the MCP-shaped design floor's text: about the server's list text for the bench's tool. */
const TEXT_CHARS = 2_900;

/** A string of `size` characters from `seed` (distinct per object, as sealed secrets and hashes are). */
function filler(seed, size) {
  const random = prng(seed);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let out = "";
  for (let i = 0; i < size; i++) out += alphabet[Math.floor(random() * 64)];
  return out;
}

/** A stable 32-bit seed from an object's name. */
function seedOf(name) {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

const SESSION_TTL_MS = 8 * 3_600_000;

/**
 * Stands in for a SessionDO's storage, with none of its code: SQLite-backed, and at sign-in it
 * writes what a session writes (its metadata, two sealed secrets and a small marker, about
 * 2 KB in all, through the synchronous KV API) and sets an alarm at the session's expiry; a
 * call-equivalent reads those four keys and writes the metadata back with a new last-seen time.
 * bench/run.mjs compares its memory per object with ProbeDO's and with a session's.
 */
export class StorageDO extends DurableObject {
  async signIn(name) {
    const kv = this.ctx.storage.kv;
    const seed = seedOf(name);
    const now = Date.now();
    kv.put("meta", {
      v: 1,
      mode: "company",
      companyId: 1000 + (seed % 9000),
      accountHash: filler(seed, 64),
      clientHash: filler(seed + 1, 64),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_TTL_MS,
      label: `bench ${name}`,
      scopes: ["leave", "shift", "approval", "attendance"],
    });
    kv.put("secret:user", `v1.${filler(seed + 2, 960)}`);
    kv.put("secret:company", `v1.${filler(seed + 3, 300)}`);
    kv.put("toolsets", ["core"]);
    await this.ctx.storage.setAlarm(now + SESSION_TTL_MS);
    return 1;
  }

  async call() {
    const kv = this.ctx.storage.kv;
    const meta = kv.get("meta");
    const user = kv.get("secret:user");
    const company = kv.get("secret:company");
    const toolsets = kv.get("toolsets");
    if (meta === undefined) return 0;
    kv.put("meta", { ...meta, lastSeenAt: Date.now() });
    return (typeof user === "string" ? 1 : 0) + (typeof company === "string" ? 1 : 0) + (Array.isArray(toolsets) ? 1 : 0);
  }

  async alarm() {
    this.ctx.storage.kv.delete("meta");
  }
}

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function intParam(url, name, fallback) {
  const v = Number(url.searchParams.get(name));
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

async function trial(stub, burst, rule, headroom) {
  const decisions = await Promise.allSettled(Array.from({ length: burst }, () => stub.admit(rule)));
  let admitted = 0;
  let failed = 0;
  for (const d of decisions) {
    if (d.status === "rejected") failed++;
    else if (d.value.allowed) admitted++;
  }
  const expected = Math.min(burst, headroom);
  return { admitted, expected, failed };
}

/** The design floor's per-IP hop: one RateLimiterDO admit on the fixed key `key` (rule ?limit=&windowMs=); a 429 when refused, else null. */
async function perIpAdmission(env, url, key) {
  const rule = { limit: intParam(url, "limit", 10_000), windowMs: intParam(url, "windowMs", 1_000) };
  const d = await env.RATE_LIMITER.getByName(key).admit(rule);
  return d.allowed ? null : Response.json({ error: "rate limited" }, { status: 429 });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/floor": {
        const { status, data } = await upstreamRead(env);
        return Response.json(data, { status });
      }
      case "/floor/limiter": {
        const refused = await perIpAdmission(env, url, "floor-limiter");
        if (refused) return refused;
        const { status, data } = await upstreamRead(env);
        return Response.json(data, { status });
      }
      case "/floor/design": {
        const refused = await perIpAdmission(env, url, "design");
        if (refused) return refused;
        const { status, body } = await env.UPSTREAM.getByName(url.searchParams.get("name") ?? "design").read();
        return new Response(body, { status, headers: { "content-type": "application/json" } });
      }
      case "/floor/design/mcp": {
        // The design floor in MCP's shape: a JSON-RPC POST read and parsed, the two hops, a tool-result-sized
        // answer with the server's headers, one log line; no MCP code (no validation, session checks, rendering).
        if (request.method !== "POST") return Response.json({ error: "POST only" }, { status: 405 });
        const message = JSON.parse(await request.text());
        const refused = await perIpAdmission(env, url, "design-mcp");
        if (refused) return refused;
        const requestId = request.headers.get("cf-ray") ?? crypto.randomUUID();
        const { status, json } = await env.UPSTREAM.getByName(url.searchParams.get("name") ?? "design-mcp").readMcp(requestId);
        return new Response(`{"jsonrpc":"2.0","id":${JSON.stringify(message?.id ?? null)},"result":${json}}`, {
          status: status === 200 ? 200 : 502,
          headers: {
            "content-type": "application/json",
            "x-request-id": requestId,
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
          },
        });
      }
      case "/hop/none":
        return Response.json({ allowed: true });
      case "/hop/limiter": {
        const rule = { limit: intParam(url, "limit", 10_000), windowMs: intParam(url, "windowMs", 1_000) };
        const d = await env.RATE_LIMITER.getByName(url.searchParams.get("key") ?? "hop").admit(rule);
        return Response.json(d);
      }
      case "/probe": {
        const n = intParam(url, "n", 1000);
        const tag = url.searchParams.get("tag") ?? "p";
        let next = 0;
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            for (let i = next++; i < n; i = next++) await env.PROBE.getByName(`${tag}:${i}`).touch();
          }),
        );
        return Response.json({ n });
      }
      case "/probe/upstream": {
        const n = intParam(url, "n", 1000);
        const tag = url.searchParams.get("tag") ?? "u";
        let next = 0;
        let ok = 0;
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            for (let i = next++; i < n; i = next++) if ((await env.UPSTREAM.getByName(`${tag}:${i}`).read()).status === 200) ok++;
          }),
        );
        return Response.json({ n, ok });
      }
      case "/probe/storage": {
        const n = intParam(url, "n", 1000);
        const tag = url.searchParams.get("tag") ?? "s";
        const writes = intParam(url, "writes", 0);
        let next = 0;
        let ok = 0;
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            for (let i = next++; i < n; i = next++) {
              const stub = env.STORAGE.getByName(`${tag}:${i}`);
              // One await per statement: `ok += await ...` would read `ok` before the await and lose counts.
              if (writes === 0) {
                if ((await stub.signIn(`${tag}:${i}`)) === 1) ok++;
              } else for (let w = 0; w < writes; w++) if ((await stub.call()) === 3) ok++;
            }
          }),
        );
        return Response.json({ n, writes, ok });
      }
      case "/trials": {
        // `keys` fresh keys at once, `perKey` trials on each in turn (creating many Durable
        // Objects at once is slow locally, so each key serves several trials). The window outlasts the run,
        // so a key's earlier admissions stay in its log: trial t allows `limit` more than the
        // key already holds, which leaves exactly `limit` free slots for the burst.
        const keys = intParam(url, "keys", 50);
        const perKey = intParam(url, "perKey", 10);
        const headroom = intParam(url, "limit", 5);
        const maxBurst = intParam(url, "maxBurst", 16);
        const random = prng(intParam(url, "seed", 1));
        const run = url.searchParams.get("run") ?? "0";
        const out = { trials: 0, over: 0, under: 0, failed: 0, admitted: 0, expected: 0 };
        await Promise.all(
          Array.from({ length: keys }, async (_, k) => {
            const stub = env.RATE_LIMITER.getByName(`trial:${run}:${k}`);
            let held = 0;
            for (let t = 0; t < perKey; t++) {
              const r = await trial(stub, 1 + Math.floor(random() * maxBurst), { limit: held + headroom, windowMs: 3_600_000 }, headroom);
              held += r.admitted;
              out.trials++;
              if (r.admitted > r.expected) out.over++;
              if (r.admitted < r.expected) out.under++;
              out.failed += r.failed;
              out.admitted += r.admitted;
              out.expected += r.expected;
            }
          }),
        );
        return Response.json(out);
      }
      default:
        return Response.json({ error: "not found" }, { status: 404 });
    }
  },
};
