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
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unstable_readConfig, unstable_startWorker } from "wrangler";

/** Parent pid of a process, or 0 when it is gone. */
function parentOf(pid) {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** Whether `pid` descends from this Node process. */
function isOurs(pid) {
  for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
    p = parentOf(p);
    if (p === process.pid) return true;
  }
  return false;
}

/** Pids of the workerd processes started by this Node process (others' are ignored). */
export function workerdPids() {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === "workerd" && isOurs(Number(name))) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Copies the Worker sources of the working tree (as they are, committed or not) to a
 * temporary folder that links the project's node_modules, and returns its path. Workers
 * are started from there because wrangler's dev bundler always watches its sources: on
 * a shared checkout, anyone's edit would rebuild and restart a Worker mid-run.
 */
export function snapshot(root) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "passgage-bench-src-"));
  for (const entry of [
    "src",
    "durable-objects",
    "sandbox",
    "bench/worker",
    "bench/peer",
    "bench/cost",
    "bench/stages",
    "wrangler.toml",
    "package.json",
    "tsconfig.json",
    "worker-configuration.d.ts",
  ]) {
    const from = path.join(root, entry);
    if (existsSync(from)) cpSync(from, path.join(dir, entry), { recursive: true, filter: (f) => !f.includes(`${path.sep}.wrangler`) });
  }
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** CPU time (user + system, in clock ticks, all threads) the given pids have used so far. */
export function cpuTicks(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after "(comm) ": state is field 3, utime 14 and stime 15.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks;
}

/** Resident memory of the given pids, in bytes: total (VmRSS) and its anonymous, file and shared-memory parts. */
export function memory(pids) {
  const total = { rss: 0, anon: 0, file: 0, shmem: 0 };
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? 0) * 1024;
      total.rss += kb("VmRSS");
      total.anon += kb("RssAnon");
      total.file += kb("RssFile");
      total.shmem += kb("RssShmem");
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Where the Workers' local Durable Object storage goes. With `persist: false` miniflare
 * keeps it under os.tmpdir(); on this kind of machine /tmp is a disk, and every DO write
 * then waits for an fsync before the output gate lets the reply out (about 5 ms: one
 * RateLimiterDO key tops out near 150 admits/s), a cost of the local disk that production
 * storage does not have. The bench puts it on tmpfs (/dev/shm) unless BENCH_STORAGE=disk.
 */
export function storageDir() {
  if (process.env.BENCH_STORAGE === "disk") return os.tmpdir();
  return existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
}

/**
 * Starts one Worker from a wrangler config; `vars` override its `[vars]` (plain text);
 * `options.entrypoint` replaces the config's `main` (bench/cost/ wraps the server's entry
 * this way, with the server's bindings and vars). Resolves to { origin, pids, stop }.
 */
export async function startWorker(config, vars = {}, tmpdir = storageDir(), options = {}) {
  // The programmatic API leaves the bundler's Node.js compatibility mode unset (the CLI sets it
  // from the config's flags); without it, a Worker with nodejs_compat (the McpAgent peer)
  // fails to build on its `node:` imports.
  const nodejsCompat = unstable_readConfig({ config }).compatibility_flags.includes("nodejs_compat");
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  // miniflare reads os.tmpdir() (TMPDIR) when it is constructed.
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmpdir;
  const before = new Set(workerdPids());
  const bindings = Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }]));
  const worker = await unstable_startWorker({
    config,
    ...(options.entrypoint === undefined ? {} : { entrypoint: options.entrypoint }),
    bindings,
    ...(nodejsCompat ? { build: { nodejsCompatMode: "v2" } } : {}),
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: process.env.BENCH_LOG_LEVEL ?? "warn",
    },
  });
  try {
    const url = await withTimeout(
      worker.ready.then(() => worker.url),
      120_000,
      `${config} did not start within 120 s`,
    ).finally(() => {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
    });
    // unstable_startWorker resolves even when the build failed: make sure it answers.
    try {
      await (await fetch(`${url.origin}/__bench_probe`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer();
    } catch (e) {
      throw new Error(`${config} started but does not answer HTTP (build error above?)`, { cause: e });
    }
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

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
