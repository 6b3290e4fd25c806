/**
 * Bench-only Worker (see wrangler.toml beside this file). Routes:
 *   GET  /floor              the upstream read of passgage_list_leave_types, bare: one fetch to
 *                            the sandbox with the company key, JSON parsed and re-serialised
 *   POST /hop/none           an empty answer (baseline of the limiter hop)
 *   POST /hop/limiter        one RateLimiterDO.admit on a fixed key, as the edge Worker does
 *                            per request (?limit=&windowMs=&key=)
 *   POST /trials             ?n=&limit=&maxBurst=&seed=&run=: n trials at once; each sends a
 *                            burst of b concurrent admits (b drawn in 1..maxBurst) to a fresh
 *                            key and counts the admissions, which must be exactly min(b, limit)
 */
export { RateLimiterDO } from "../../durable-objects/rate-limiter.ts";

const LIST_PATH = "/api/public/v1/leave_types";

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

async function trial(env, key, burst, rule) {
  const decisions = await Promise.allSettled(Array.from({ length: burst }, () => env.RATE_LIMITER.getByName(key).admit(rule)));
  let admitted = 0;
  let failed = 0;
  for (const d of decisions) {
    if (d.status === "rejected") failed++;
    else if (d.value.allowed) admitted++;
  }
  const expected = Math.min(burst, rule.limit);
  return { admitted, expected, failed };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/floor": {
        const res = await fetch(env.UPSTREAM_URL + LIST_PATH, { headers: { accept: "application/json", authorization: `Bearer ${env.UPSTREAM_KEY}` } });
        const data = await res.json();
        return Response.json(data, { status: res.status });
      }
      case "/hop/none":
        return Response.json({ allowed: true });
      case "/hop/limiter": {
        const rule = { limit: intParam(url, "limit", 10_000), windowMs: intParam(url, "windowMs", 1_000) };
        const d = await env.RATE_LIMITER.getByName(url.searchParams.get("key") ?? "hop").admit(rule);
        return Response.json(d);
      }
      case "/trials": {
        const n = intParam(url, "n", 100);
        const rule = { limit: intParam(url, "limit", 5), windowMs: 600_000 };
        const maxBurst = intParam(url, "maxBurst", 16);
        const random = prng(intParam(url, "seed", 1));
        const run = url.searchParams.get("run") ?? "0";
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) => trial(env, `trial:${run}:${i}`, 1 + Math.floor(random() * maxBurst), rule)),
        );
        const out = { trials: n, over: 0, under: 0, failed: 0, admitted: 0, expected: 0, bursts: 0 };
        for (const r of results) {
          if (r.admitted > r.expected) out.over++;
          if (r.admitted < r.expected) out.under++;
          out.failed += r.failed;
          out.admitted += r.admitted;
          out.expected += r.expected;
        }
        return Response.json(out);
      }
      default:
        return Response.json({ error: "not found" }, { status: 404 });
    }
  },
};
