/**
 * Starts Workers for the benchmark the way test/e2e/helpers/dev-server.ts does: wrangler's
 * programmatic API (`unstable_startWorker`, the engine of `wrangler dev`), on a free
 * loopback port, inspector off (BENCHMARKING.md: it taxes every fetch and log line), no
 * persistence, no file watching, wrangler logging at "warn" (the Worker's own logger keeps
 * its production level: PASSGAGE_DEBUG=false).
 *
 * Each started Worker runs in its own workerd process; `pids` are the workerd processes
 * that appeared while it started, so their resident memory can be read from /proc.
 */
import { readdirSync, readFileSync } from "node:fs";
import { unstable_startWorker } from "wrangler";

/** Pids of every workerd process on the machine (from /proc). */
export function workerdPids() {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === "workerd") pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Resident memory (VmRSS) of the given pids, in bytes (0 for a vanished pid). */
export function rssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Starts one Worker from a wrangler config; `vars` override its `[vars]` (plain text).
 * Resolves to { origin, pids, stop }.
 */
export async function startWorker(config, vars = {}) {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  const before = new Set(workerdPids());
  const bindings = Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }]));
  const worker = await unstable_startWorker({
    config,
    bindings,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: "warn",
    },
  });
  try {
    await worker.ready;
    const url = await worker.url;
    const pids = workerdPids().filter((p) => !before.has(p));
    let stopped = null;
    return {
      origin: url.origin,
      pids,
      stop: () => {
        stopped ??= worker.dispose().catch(() => undefined);
        return stopped;
      },
    };
  } catch (e) {
    await worker.dispose().catch(() => undefined);
    throw e;
  }
}
