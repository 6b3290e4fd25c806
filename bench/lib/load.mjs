/**
 * A bounded closed-loop load generator over undici: `concurrency` workers, each sending
 * its next request as soon as the previous one answered, on one keep-alive connection
 * each, until a deadline or a request budget. Latency is client-side wall clock from
 * sending the request to reading the whole body.
 */
import { Pool } from "undici";
import { quantile } from "./stats.mjs";

/**
 * A keep-alive connection pool to one origin. Idle connections are closed after 1 s, before
 * the server side would close them (a request sent on a connection the server is closing
 * fails with "other side closed"); between two runs of a target they are opened anew.
 */
export function pool(origin, connections) {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 1_000,
    keepAliveMaxTimeout: 1_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
}

/**
 * Runs one load.
 * @param {object} o
 * @param {import("undici").Pool} o.pool
 * @param {number} o.concurrency
 * @param {number} [o.durationMs]   stop issuing after this long
 * @param {number} [o.requests]     or after this many requests
 * @param {(i: number) => {path: string, method?: string, headers?: Record<string,string>, body?: string}} o.request
 * @param {(status: number, body: string) => boolean} o.check  whether an answer counts as a success
 */
export async function runLoad(o) {
  const latencies = [];
  let errors = 0;
  const errorSamples = [];
  let issued = 0;
  const started = performance.now();
  const deadline = o.durationMs === undefined ? Number.POSITIVE_INFINITY : started + o.durationMs;
  const budget = o.requests ?? Number.POSITIVE_INFINITY;
  const worker = async () => {
    for (;;) {
      if (issued >= budget || performance.now() >= deadline) return;
      const i = issued++;
      const req = o.request(i);
      const t0 = performance.now();
      let ok = false;
      let note = "";
      try {
        const res = await o.pool.request({ path: req.path, method: req.method ?? "POST", headers: req.headers, body: req.body });
        const text = await res.body.text();
        ok = o.check(res.statusCode, text, i);
        if (!ok) note = `${res.statusCode} ${text.slice(0, 300)}`;
      } catch (e) {
        note = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      latencies.push(performance.now() - t0);
      if (!ok) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(note);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return {
    requests: latencies.length,
    errors,
    errorSamples,
    elapsedMs,
    rps: latencies.length / (elapsedMs / 1000),
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
  };
}
