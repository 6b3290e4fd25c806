#!/usr/bin/env node
/**
 * `npm run bench`: latency, throughput and scale of the full stack against a floor
 * measured in the same run (GitHub issue 6). Starts the Passgage sandbox, the MCP server
 * (wrangler.toml, bench vars as binding overrides) and a bench-only Worker
 * (bench/worker/: the floor, the design floor and a RateLimiterDO harness) in workerd through wrangler's
 * programmatic API (and, on servers of their own, bench/cost/ for billed operations and bench/stages/
 * for the server's JavaScript per call, stage by stage),
 * inspector off, on loopback; measures with a bounded undici loop;
 * prints a JSON summary on stdout and writes BENCHMARKS.md.
 *
 * Every figure is the median of ROUNDS runs; targets are interleaved within a round
 * (floor, full stack, floor, full stack, ...) and each ratio is taken against the floor
 * of the same round and concurrency, then the median of the ratios is reported.
 *
 * Options: --quick (one short round and a smaller scale phase, for trying the harness; the
 * report goes to <tmpdir>/BENCHMARKS.quick.md), --no-write (leave BENCHMARKS.md alone).
 * Environment: BENCH_STORAGE=disk (Durable Object storage on the temporary folder's disk
 * instead of /dev/shm), BENCH_LOG_LEVEL (wrangler's log level, default warn),
 * BENCH_SANDBOX_CONFIG (another upstream Worker config, default sandbox/wrangler.toml),
 * BENCH_DESIGN_SCALE=1|0 (the design floor's memory under the scale phase's calls; default on with
 * --quick only, as it takes as long as the scale phase's calls).
 * `npm run -s bench` keeps npm's banner off stdout, which then holds only the JSON.
 * Takes about four minutes on a 2-core machine.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { countToolTokens, GOALS as TOKEN_GOALS } from "../scripts/count-tool-tokens.mjs";
import { pool, runLoad } from "./lib/load.mjs";
import { writeReport } from "./lib/report.mjs";
import { cpuTicks, memory, snapshot, startWorker, storageDir } from "./lib/stack.mjs";
import { median, round } from "./lib/stats.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

const QUICK = process.argv.includes("--quick");
const WRITE = !process.argv.includes("--no-write") && !QUICK;
/** Rounds (each figure is the median over them) and length of one timed run. */
const ROUNDS = QUICK ? 1 : 5;
const RUN_MS = 1000;
const SCALE_SESSIONS = QUICK ? 200 : 1000;
const MANY_SESSIONS = 64;
const SCALE_CALLS_PER_SESSION = 10;
const SCALE_CONCURRENCY = 64;
/** Idle time after the scale phase's calls before its memory is read again. */
const SETTLE_MS = 10_000;
/**
 * The design floor served as the scale phase's calls are (SCALE_SESSIONS session objects, as many
 * HTTP requests as the scale phase's calls, at its concurrency), for its memory: as long as the scale
 * phase's calls themselves, so on by default only with --quick (BENCH_DESIGN_SCALE=1 or 0 decides).
 */
const DESIGN_SCALE = process.env.BENCH_DESIGN_SCALE === undefined ? QUICK : process.env.BENCH_DESIGN_SCALE === "1";
const LIMITER_TRIALS = QUICK ? 2000 : 10_000;
/** Stage timings (bench/stages/): runs per batch of each stage, and requests (the first a warm-up). */
const STAGE_RUNS = QUICK ? 1000 : 4000;
const STAGE_REQUESTS = QUICK ? 2 : 4;
const LIMITER_KEYS_PER_REQUEST = 25;
const LIMITER_TRIALS_PER_KEY = 4;
const LIMITER_LIMIT = 5;
const LIMITER_MAX_BURST = 12;

const SANDBOX_KEY = "psg_cmp_sandbox_acme_0000000000000000";
const LIST_TOOL = "passgage_list_leave_types";
const FALLBACK_TOOL = "passgage_session_status";
/** Calls counted in the cost phase (bench/cost/ wraps the server's bindings with counters). */
const COST_SIGN_INS = QUICK ? 2 : 5;
const COST_CALLS = QUICK ? 10 : 50;
/** Clock ticks per second of /proc/<pid>/stat (utime, stime). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
/**
 * Bench configuration of the server: the per-IP limit raised (every request comes from 127.0.0.1), and
 * the successful sign-in limit and live-session caps raised (the scale phase signs the same seed
 * accounts in a thousand times; the caps are still checked on every sign-in, so their cost is measured).
 * ANONYMOUS_ACCESS=open: the bench signs in with the login tool over plain /mcp (the default, "oauth",
 * answers a request without a credential with the 401 challenge).
 */
const SERVER_VARS = {
  ANONYMOUS_ACCESS: "open",
  RATE_LIMIT_MAX_REQUESTS: "10000",
  RATE_LIMIT_WINDOW_MS: "1000",
  PASSGAGE_DEBUG: "false",
  LOGIN_SUCCESS_LIMIT: "100000",
  MAX_SESSIONS_PER_ACCOUNT: "1000000",
  MAX_SESSIONS_PER_COMPANY: "1000000",
};

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const log = (...a) => console.error("[bench]", ...a);

let rpcId = 1;
const rpcBody = (method, params) =>
  JSON.stringify(params === undefined ? { jsonrpc: "2.0", id: rpcId++, method } : { jsonrpc: "2.0", id: rpcId++, method, params });

/** A tool result counts when HTTP 200, a JSON-RPC result, and no isError. */
const toolOk = (status, text) => status === 200 && text.includes('"result"') && !text.includes('"isError":true');
const rpcOk = (status, text) => status === 200 && text.includes('"result"');
const upstreamOk = (status, text) => status === 200 && text.includes('"success":true');

function versions() {
  const pkg = (...p) => {
    for (const dir of p) {
      try {
        return JSON.parse(readFileSync(path.join(ROOT, "node_modules", dir, "package.json"), "utf8")).version;
      } catch {
        // try the next place
      }
    }
    return "unknown";
  };
  let commit = "unknown";
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    // BENCHMARKS.md is this run's own output: a report left from an earlier run does not make the measured code dirty.
    dirty =
      execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)BENCHMARKS.md"], {
        encoding: "utf8",
      }).trim() !== "";
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    wrangler: pkg("wrangler"),
    workerd: pkg("wrangler/node_modules/workerd", "workerd"),
    undici: pkg("undici"),
    zod: pkg("zod"),
    agents: pkg("agents"),
    mcpSdk: pkg("@modelcontextprotocol/sdk"),
    commit,
    dirty,
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// ------------------------------------------------------------------ bundle (item 6)

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** One `wrangler deploy --dry-run` of the production environment; sizes of the emitted code. */
function dryRun(src, extra) {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "passgage-bench-bundle-"));
  try {
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
        "deploy",
        "--dry-run",
        "--outdir",
        outdir,
        "--env",
        "production",
        ...extra,
      ],
      {
        cwd: src,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
      },
    );
    const code = walk(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
    let bytes = 0;
    let gzip = 0;
    const sandboxHits = [];
    for (const f of code) {
      const buf = readFileSync(f);
      bytes += buf.byteLength;
      gzip += gzipSync(buf, { level: 9 }).byteLength;
      const text = buf.toString("utf8");
      for (const marker of [
        "psg_cmp_sandbox",
        "SandboxStateDO",
        "SANDBOX_JWT_SECRET",
        "sandbox/index.ts",
        "sandbox/router.ts",
        "sandbox/store.ts",
        "sandbox/seed/",
        // bench-only code: the McpAgent peer and the counting entry
        "McpAgent",
        "passgage-bench-peer",
        "__bench/counts",
      ]) {
        if (text.includes(marker)) sandboxHits.push(`${path.basename(f)}: ${marker}`);
      }
    }
    return {
      files: code.map((f) => path.relative(outdir, f)),
      totalKB: round(bytes / 1024, 1),
      gzipKB: round(gzip / 1024, 1),
      sandboxHits,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The production bundle as wrangler.toml configures it, and (for comparison) minified. */
function bundle(src) {
  const asConfigured = dryRun(src, []);
  const minified = dryRun(src, ["--minify"]);
  return {
    files: asConfigured.files,
    totalKB: asConfigured.totalKB,
    gzipKB: asConfigured.gzipKB,
    minifiedTotalKB: minified.totalKB,
    minifiedGzipKB: minified.gzipKB,
    // sandboxHits also lists bench-only code (bench/peer, bench/cost) found in the bundle.
    sandboxFree: asConfigured.sandboxHits.length === 0,
    sandboxHits: asConfigured.sandboxHits,
  };
}

// ------------------------------------------------------------------ helpers

async function post(origin, headers, body) {
  const res = await fetch(`${origin}/mcp`, { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body });
  return { res, text: await res.text() };
}

async function signIn(origin) {
  const { res, text } = await post(
    origin,
    {},
    rpcBody("tools/call", { name: "passgage_session_login_api_key", arguments: { apiKey: SANDBOX_KEY } }),
  );
  const id = /"sessionId":"(sess_[A-Za-z0-9_-]{43})"/.exec(text)?.[1];
  if (res.status !== 200 || !id) throw new Error(`sign-in failed (${res.status}): ${text.slice(0, 400)}`);
  return id;
}

/** Medians over the per-round runs of one target at one concurrency; errors and requests summed. */
function summarise(runs) {
  const pick = (k) => round(median(runs.map((r) => r[k])), k === "rps" ? 0 : 2);
  return {
    rps: pick("rps"),
    p50: pick("p50"),
    p90: pick("p90"),
    p99: pick("p99"),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    runs: runs.length,
  };
}

// ------------------------------------------------------------------ tool-list tokens (issue 15)

/**
 * Tokens of what tools/list shows (scripts/count-tool-tokens.mjs, real tokenizers): the
 * full catalog before toolsets, the default list, `all`, and both read-only; printed here
 * and reported with the goals (default <= 15,000 and all <= 35,000 Claude tokens).
 */
async function toolTokens() {
  const r = await countToolTokens();
  const rows = { legacy: r.legacy, default: r.default, all: r.all, defaultReadOnly: r.defaultReadOnly, allReadOnly: r.allReadOnly };
  for (const [label, x] of Object.entries(rows))
    log(`tools/list ${label}: ${x.tools} tools, ${x.bytes} B, ${x.claude} tokens (Claude), ${x.o200k} tokens (o200k)`);
  return { ...rows, goals: { ...TOKEN_GOALS } };
}

// ------------------------------------------------------------------ main

async function main() {
  const startedAt = new Date();
  const t0 = performance.now();
  const summary = {
    date: startedAt.toISOString(),
    machine: machine(),
    versions: versions(),
    settings: {},
    quick: QUICK,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };

  // Workers run from a copy of the sources: wrangler's dev bundler watches them, and on a
  // shared checkout an edit elsewhere would restart a Worker mid-run.
  const src = snapshot(ROOT);
  const stops = [];
  try {
    log("bundle: wrangler deploy --dry-run --env production");
    summary.bundle = bundle(src);
    summary.toolTokens = await toolTokens();

    const sandboxConfig = process.env.BENCH_SANDBOX_CONFIG ?? path.join(src, "sandbox/wrangler.toml");
    log(`starting the sandbox, the server and the bench Worker (Durable Object storage under ${storageDir()})`);
    const sandbox = await startWorker(sandboxConfig);
    stops.push(sandbox.stop);
    const server = await startWorker(path.join(src, "wrangler.toml"), { PASSGAGE_BASE_URL: sandbox.origin, ...SERVER_VARS });
    stops.push(server.stop);
    const bench = await startWorker(path.join(src, "bench/worker/wrangler.toml"), {
      UPSTREAM_URL: sandbox.origin,
      UPSTREAM_KEY: SANDBOX_KEY,
    });
    stops.push(bench.stop);
    const peer = await startWorker(path.join(src, "bench/peer/wrangler.toml"), { UPSTREAM_URL: sandbox.origin, UPSTREAM_KEY: SANDBOX_KEY });
    stops.push(peer.stop);
    if (server.pids.length === 0) log("warning: could not identify the server's workerd process; memory figures will be missing");

    // A signed-in session for the full-stack runs, and a transport connection for the variant.
    const sessionId = await signIn(server.origin);
    const list = await post(server.origin, {}, rpcBody("tools/list"));
    const toolCount = (list.text.match(/"inputSchema"/g) ?? []).length;
    const tool = list.text.includes(`"name":"${LIST_TOOL}"`) ? LIST_TOOL : FALLBACK_TOOL;
    if (tool !== LIST_TOOL) log(`warning: ${LIST_TOOL} is not in tools/list; measuring ${FALLBACK_TOOL} instead`);
    const init = await fetch(`${server.origin}/mcp`, {
      method: "POST",
      headers: MCP_HEADERS,
      body: rpcBody("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } }),
    });
    await init.text();
    const mcpSessionId = init.headers.get("mcp-session-id");
    // The McpAgent peer, as a real client uses it: initialize (its answer names the session's
    // Durable Object in Mcp-Session-Id), notifications/initialized, then calls with the header.
    const peerHeaders = await peerHandshake(peer.origin);
    const peerProbe = await post(peer.origin, peerHeaders, rpcBody("tools/call", { name: LIST_TOOL, arguments: {} }));
    if (!toolOk(peerProbe.res.status, peerProbe.text))
      throw new Error(`peer ${LIST_TOOL} failed: ${peerProbe.res.status} ${peerProbe.text.slice(0, 400)}`);
    const probe = await post(server.origin, { "x-session-id": sessionId }, rpcBody("tools/call", { name: tool, arguments: {} }));
    if (!toolOk(probe.res.status, probe.text)) throw new Error(`${tool} failed: ${probe.res.status} ${probe.text.slice(0, 400)}`);
    summary.settings = {
      tool,
      toolsListed: toolCount,
      toolsListBytes: list.text.length,
      toolCallBytes: probe.text.length,
      peerToolCallBytes: peerProbe.text.length,
      rounds: ROUNDS,
      runMs: RUN_MS,
      serverVars: SERVER_VARS,
      storage: storageDir() === "/dev/shm" ? "tmpfs (/dev/shm; BENCH_STORAGE=disk for the local disk)" : `disk (${storageDir()})`,
      floor:
        "bench Worker GET /floor: one fetch of GET /api/public/v1/leave_types from the sandbox (company key), JSON parsed and re-serialised; no MCP, no Durable Object",
      designFloor:
        "bench Worker GET /floor/design: one RateLimiterDO.admit on a fixed key (rule 10000 per 1000 ms, as the bench server's per-IP limit), then one RPC to one UpstreamDO object, which makes the floor's upstream read (fetch + res.json()) and returns the answer as a JSON string that the Worker answers; the two Durable Object hops of every tool call of this server, no MCP",
      peer: `bench/peer: McpAgent (agents ${summary.versions.agents}, a Durable Object per MCP session) around the MCP SDK's McpServer (@modelcontextprotocol/sdk ${summary.versions.mcpSdk}); tool ${LIST_TOOL} makes the same upstream read and answers its JSON as text; measured after initialize + notifications/initialized, with Mcp-Session-Id on every call`,
    };

    // Many-session variant: the same call spread over MANY_SESSIONS sessions (as many users
    // would), to separate what one session's Durable Object serialises from the stack's cost.
    const manySessions = [];
    for (let i = 0; i < MANY_SESSIONS; i++) manySessions.push(await signIn(server.origin));

    const serverPool = pool(server.origin, 64);
    const benchPool = pool(bench.origin, 64);
    const sandboxPool = pool(sandbox.origin, 64);
    const peerPool = pool(peer.origin, 64);
    const callBody = rpcBody("tools/call", { name: tool, arguments: {} });
    const pingBody = rpcBody("ping");
    const statusBody = rpcBody("tools/call", { name: FALLBACK_TOOL, arguments: {} });
    const targets = {
      upstream: {
        pool: sandboxPool,
        check: upstreamOk,
        request: () => ({
          path: "/api/public/v1/leave_types",
          method: "GET",
          headers: { accept: "application/json", authorization: `Bearer ${SANDBOX_KEY}` },
        }),
      },
      floor: { pool: benchPool, pids: bench.pids, check: upstreamOk, request: () => ({ path: "/floor", method: "GET" }) },
      floorLimiter: {
        pool: benchPool,
        pids: bench.pids,
        check: upstreamOk,
        request: () => ({ path: "/floor/limiter?limit=10000&windowMs=1000", method: "GET" }),
      },
      designFloor: {
        pool: benchPool,
        pids: bench.pids,
        check: upstreamOk,
        request: () => ({ path: "/floor/design?limit=10000&windowMs=1000", method: "GET" }),
      },
      designFloorMcp: {
        pool: benchPool,
        pids: bench.pids,
        check: toolOk,
        request: () => ({
          path: "/floor/design/mcp?limit=10000&windowMs=1000",
          headers: { ...MCP_HEADERS, "x-session-id": sessionId },
          body: callBody,
        }),
      },
      peerCall: {
        pool: peerPool,
        pids: peer.pids,
        check: toolOk,
        request: () => ({ path: "/mcp", headers: { ...MCP_HEADERS, ...peerHeaders }, body: callBody }),
      },
      toolsCall: {
        pool: serverPool,
        pids: server.pids,
        check: toolOk,
        request: () => ({ path: "/mcp", headers: { ...MCP_HEADERS, "x-session-id": sessionId }, body: callBody }),
      },
      toolsCallSessions: {
        pool: serverPool,
        check: toolOk,
        request: (i) => ({ path: "/mcp", headers: { ...MCP_HEADERS, "x-session-id": manySessions[i % MANY_SESSIONS] }, body: callBody }),
      },
      toolsCallConnection: {
        pool: serverPool,
        pids: server.pids,
        check: toolOk,
        request: () => ({
          path: "/mcp",
          headers: {
            ...MCP_HEADERS,
            "x-session-id": sessionId,
            "mcp-session-id": mcpSessionId ?? "",
            "mcp-protocol-version": "2025-11-25",
          },
          body: callBody,
        }),
      },
      toolsList: { pool: serverPool, check: rpcOk, request: () => ({ path: "/mcp", headers: MCP_HEADERS, body: rpcBody("tools/list") }) },
      // Breakdown: ping is the edge alone (per-IP limiter hop, no session); session_status adds the SessionDO hop, no upstream.
      ping: { pool: serverPool, check: rpcOk, request: () => ({ path: "/mcp", headers: MCP_HEADERS, body: pingBody }) },
      sessionStatus: {
        pool: serverPool,
        check: toolOk,
        request: () => ({ path: "/mcp", headers: { ...MCP_HEADERS, "x-session-id": sessionId }, body: statusBody }),
      },
      initialize: {
        pool: serverPool,
        check: rpcOk,
        request: () => ({
          path: "/mcp",
          headers: MCP_HEADERS,
          body: rpcBody("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } }),
        }),
      },
      hopNone: { pool: benchPool, check: rpcOkPlain, request: () => ({ path: "/hop/none" }) },
      hopLimiter: { pool: benchPool, check: rpcOkPlain, request: () => ({ path: "/hop/limiter?limit=10000&windowMs=1000" }) },
    };
    /** One timed run; with the target's workerd pids, also the CPU they used per answered request (ms). */
    const run = async (name, concurrency, ms = RUN_MS) => {
      const t = targets[name];
      const before = t.pids ? cpuTicks(t.pids) : 0;
      const r = await runLoad({ ...t, concurrency, durationMs: ms });
      if (t.pids && r.requests > 0) r.cpuMs = ((cpuTicks(t.pids) - before) * 1000) / CLK_TCK / r.requests;
      return r;
    };

    log("warm-up");
    for (const name of Object.keys(targets)) await run(name, 16, QUICK ? 300 : 1000);

    // ---------------------------------------------------------------- items 1-3
    /** results[name][concurrency] = per-round runs; ratios likewise against the floor of the same round. */
    const results = {};
    const ratios = {};
    const record = (name, c, r) => {
      ((results[name] ??= {})[c] ??= []).push(r);
      if (r.errors > 0) log(`  ${name} c=${c}: ${r.errors} errors, e.g. ${r.errorSamples[0]}`);
    };
    // The ladder from the floor to the server (and the peer beside it) at every concurrency; the rest where they say something.
    const ladder = ["floor", "floorLimiter", "designFloor", "designFloorMcp", "peerCall", "toolsCall"];
    const edgeOnly = ["toolsList", "initialize", "ping", "sessionStatus"];
    const plan = [
      { c: 1, names: ["upstream", ...ladder, "toolsCallConnection", ...edgeOnly] },
      { c: 16, names: [...ladder, "toolsCallSessions", "toolsCallConnection", ...edgeOnly] },
      { c: 64, names: [...ladder, "toolsCallSessions", "toolsCallConnection"] },
    ];
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      for (const { c, names } of plan) {
        // Rotate the order each round so no target always runs first.
        const order = names.map((_, i) => names[(i + round_) % names.length]);
        const got = {};
        for (const name of order) {
          got[name] = await run(name, c);
          record(name, c, got[name]);
        }
        for (const name of names) {
          if (name === "floor") continue;
          const r = ((ratios[name] ??= {})[c] ??= {
            p50: [],
            p99: [],
            rps: [],
            cpu: [],
            peerP50: [],
            peerRps: [],
            designP50: [],
            designP99: [],
            designRps: [],
          });
          r.p50.push(got[name].p50 / got.floor.p50);
          r.p99.push(got[name].p99 / got.floor.p99);
          r.rps.push(got[name].rps / got.floor.rps);
          if (got[name].cpuMs !== undefined && got.floor.cpuMs > 0) r.cpu.push(got[name].cpuMs / got.floor.cpuMs);
          if (got.peerCall && name !== "peerCall") {
            r.peerP50.push(got[name].p50 / got.peerCall.p50);
            r.peerRps.push(got[name].rps / got.peerCall.rps);
          }
          // Against the design floor of the same round: what is left once the two hops are paid.
          if (got.designFloor && name !== "designFloor") {
            r.designP50.push(got[name].p50 / got.designFloor.p50);
            r.designP99.push(got[name].p99 / got.designFloor.p99);
            r.designRps.push(got[name].rps / got.designFloor.rps);
          }
        }
      }
      log(`round ${round_ + 1}/${ROUNDS} done (${Math.round((performance.now() - t0) / 1000)} s)`);
    }
    summary.latency = {};
    for (const [name, byC] of Object.entries(results)) {
      summary.latency[name] = {};
      for (const [c, runs] of Object.entries(byC)) {
        const s = summarise(runs);
        const r = ratios[name]?.[c];
        const cpu = runs.filter((x) => x.cpuMs !== undefined).map((x) => x.cpuMs);
        if (cpu.length > 0) s.cpuMsPerCall = round(median(cpu), 2);
        summary.latency[name][`c${c}`] = r
          ? {
              ...s,
              p50VsFloor: round(median(r.p50), 2),
              p99VsFloor: round(median(r.p99), 2),
              rpsVsFloor: round(median(r.rps), 2),
              ...(r.cpu.length > 0 ? { cpuVsFloor: round(median(r.cpu), 2) } : {}),
              ...(r.peerRps.length > 0 ? { p50VsPeer: round(median(r.peerP50), 2), rpsVsPeer: round(median(r.peerRps), 2) } : {}),
              ...(r.designRps.length > 0
                ? {
                    p50VsDesign: round(median(r.designP50), 2),
                    p99VsDesign: round(median(r.designP99), 2),
                    rpsVsDesign: round(median(r.designRps), 2),
                  }
                : {}),
            }
          : s;
      }
    }

    // ---------------------------------------------------------------- item 5b: limiter hop
    log("limiter hop");
    const hop = { hopNone: { 1: [], 16: [] }, hopLimiter: { 1: [], 16: [] } };
    for (let round_ = 0; round_ < Math.min(ROUNDS, 3); round_++) {
      for (const c of [1, 16]) {
        const order = round_ % 2 === 0 ? ["hopNone", "hopLimiter"] : ["hopLimiter", "hopNone"];
        for (const name of order) hop[name][c].push(await run(name, c, QUICK ? 500 : 1000));
      }
    }
    summary.limiterHop = {};
    for (const c of [1, 16]) {
      const none = summarise(hop.hopNone[c]);
      const lim = summarise(hop.hopLimiter[c]);
      summary.limiterHop[`c${c}`] = {
        withoutLimiter: none,
        withLimiter: lim,
        addedP50Ms: round(median(hop.hopLimiter[c].map((r, i) => r.p50 - hop.hopNone[c][i].p50)), 2),
        addedP99Ms: round(median(hop.hopLimiter[c].map((r, i) => r.p99 - hop.hopNone[c][i].p99)), 2),
      };
    }

    // ---------------------------------------------------------------- item 4: scale
    // A fresh server for the scale phase, so its memory carries nothing of the runs above.
    await server.stop();
    log("scale: a fresh server");
    const scaleServer = await startWorker(path.join(src, "wrangler.toml"), { PASSGAGE_BASE_URL: sandbox.origin, ...SERVER_VARS });
    stops.push(scaleServer.stop);
    // A fresh bench Worker for the memory probes, for the same reason: in the one that served the
    // latency rounds, new objects would partly fill memory its garbage left free, and grow it less.
    log("scale: a fresh bench Worker for the memory probes");
    const probeWorker = await startWorker(path.join(src, "bench/worker/wrangler.toml"), {
      UPSTREAM_URL: sandbox.origin,
      UPSTREAM_KEY: SANDBOX_KEY,
    });
    stops.push(probeWorker.stop);
    for (const p of [
      "/probe?n=20&tag=warm",
      "/probe/upstream?n=20&tag=warm",
      "/probe/storage?n=20&tag=warm",
      "/probe/storage?n=20&tag=warm&writes=1",
    ])
      await (await fetch(`${probeWorker.origin}${p}`, { method: "POST" })).arrayBuffer();
    const scalePool = pool(scaleServer.origin, 64);
    const warmId = await signIn(scaleServer.origin);
    await runLoad({
      pool: scalePool,
      concurrency: 4,
      requests: 100,
      request: () => ({ path: "/mcp", headers: { ...MCP_HEADERS, "x-session-id": warmId }, body: callBody }),
      check: toolOk,
    });
    await sleep(1000);
    const memBefore = memory(scaleServer.pids);
    log(`scale: ${SCALE_SESSIONS} sessions signing in`);
    const sessions = Array.from({ length: SCALE_SESSIONS });
    // Sign-ins one at a time: the server allows one sign-in in flight per IP and per account
    // (a concurrent one is refused as busy), and all of these come from 127.0.0.1 with one key.
    const loginRun = await runLoad({
      pool: scalePool,
      concurrency: 1,
      requests: SCALE_SESSIONS,
      request: () => ({
        path: "/mcp",
        headers: MCP_HEADERS,
        body: rpcBody("tools/call", { name: "passgage_session_login_api_key", arguments: { apiKey: SANDBOX_KEY } }),
      }),
      check: (status, text, i) => {
        const id = /"sessionId":"(sess_[A-Za-z0-9_-]{43})"/.exec(text)?.[1];
        if (status !== 200 || !id) return false;
        sessions[i] = id;
        return true;
      },
    });
    const live = sessions.filter((s) => s !== undefined);
    const memAfterLogin = memory(scaleServer.pids);
    log(`scale: ${live.length} sessions × ${SCALE_CALLS_PER_SESSION} calls at concurrency ${SCALE_CONCURRENCY}`);
    const callRun = await runLoad({
      pool: scalePool,
      concurrency: SCALE_CONCURRENCY,
      requests: live.length * SCALE_CALLS_PER_SESSION,
      request: (i) => ({ path: "/mcp", headers: { ...MCP_HEADERS, "x-session-id": live[i % live.length] }, body: callBody }),
      check: toolOk,
    });
    const memAfter = memory(scaleServer.pids);
    await scalePool.close();
    // The same processes again after SETTLE_MS with no request (how much of the growth the runtime
    // gives back), read on a timer while the bench Worker's memory probes run (below).
    const settled = sleep(SETTLE_MS).then(() => memory(scaleServer.pids));
    // The runtime's own cost of a live Durable Object, in the fresh bench Worker: empty objects,
    // objects that store a session's state, objects that made upstream reads.
    const probeBefore = memory(probeWorker.pids);
    await fetch(`${probeWorker.origin}/probe?n=${SCALE_SESSIONS}&tag=${Date.now().toString(36)}`, { method: "POST" }).then((r) =>
      r.arrayBuffer(),
    );
    const probeAfter = memory(probeWorker.pids);
    const emptyDurableObjectMB = round((probeAfter.rss - probeBefore.rss) / 2 ** 20 / SCALE_SESSIONS, 3);
    const storageDurableObject = await storageProbe(probeWorker);
    const readingDurableObject = await readingProbe(probeWorker);
    const designFloorAtScale = DESIGN_SCALE ? await designFloorScale(probeWorker) : null;
    const memSettled = await settled;
    await probeWorker.stop();
    const mb = (b) => round(b / 2 ** 20, 1);
    summary.scale = {
      sessions: SCALE_SESSIONS,
      signedIn: live.length,
      signIn: {
        errors: loginRun.errors,
        rps: round(loginRun.rps, 0),
        p50: round(loginRun.p50),
        p99: round(loginRun.p99),
        errorSamples: loginRun.errorSamples,
      },
      calls: {
        requests: callRun.requests,
        concurrency: SCALE_CONCURRENCY,
        errors: callRun.errors,
        rps: round(callRun.rps, 0),
        p50: round(callRun.p50),
        p90: round(callRun.p90),
        p99: round(callRun.p99),
        errorSamples: callRun.errorSamples,
      },
      memory: {
        processes: scaleServer.pids.length,
        rssBeforeMB: mb(memBefore.rss),
        rssAfterSignInMB: mb(memAfterLogin.rss),
        rssAfterMB: mb(memAfter.rss),
        settleSeconds: SETTLE_MS / 1000,
        rssAfterIdleMB: mb(memSettled.rss),
        perSessionAfterIdleMB: live.length > 0 ? round((memSettled.rss - memBefore.rss) / 2 ** 20 / live.length, 3) : null,
        perSessionMB: live.length > 0 ? round((memAfter.rss - memBefore.rss) / 2 ** 20 / live.length, 3) : null,
        perSessionAfterSignInMB: live.length > 0 ? round((memAfterLogin.rss - memBefore.rss) / 2 ** 20 / live.length, 3) : null,
        // Where the growth is: anonymous memory (JS heaps, SQLite caches) vs file-backed and shared mappings.
        perSessionAnonMB: live.length > 0 ? round((memAfter.anon - memBefore.anon) / 2 ** 20 / live.length, 3) : null,
        perSessionFileMB: live.length > 0 ? round((memAfter.file - memBefore.file) / 2 ** 20 / live.length, 3) : null,
        perSessionShmemMB: live.length > 0 ? round((memAfter.shmem - memBefore.shmem) / 2 ** 20 / live.length, 3) : null,
        emptyDurableObjectMB,
        readingDurableObject,
        storageDurableObject,
        designFloorAtScale,
      },
    };

    // ---------------------------------------------------------------- item 5a: limiter trials
    log(`limiter: ${LIMITER_TRIALS} burst trials (${LIMITER_LIMIT} free slots, bursts of 1..${LIMITER_MAX_BURST})`);
    const runTag = Date.now().toString(36);
    const batches = Math.ceil(LIMITER_TRIALS / (LIMITER_KEYS_PER_REQUEST * LIMITER_TRIALS_PER_KEY));
    const totals = { trials: 0, over: 0, under: 0, failed: 0, admitted: 0, expected: 0, requestErrors: 0, proxyRetries: 0 };
    const trialsStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (;;) {
          const b = next++;
          if (b >= batches) return;
          for (let attempt = 0; ; attempt++) {
            try {
              // Fresh keys on every attempt, so an interrupted attempt leaves nothing behind.
              const res = await fetch(
                `${bench.origin}/trials?keys=${LIMITER_KEYS_PER_REQUEST}&perKey=${LIMITER_TRIALS_PER_KEY}&limit=${LIMITER_LIMIT}&maxBurst=${LIMITER_MAX_BURST}&seed=${b + 1}&run=${runTag}-${b}-${attempt}`,
                { method: "POST" },
              );
              const text = await res.text();
              // wrangler's dev proxy drops a long request now and then ("Your worker restarted
              // mid-request"); that is the local proxy, not the limiter: retry on fresh keys.
              if (res.status === 503 && text.includes("restarted mid-request") && attempt < 3) {
                totals.proxyRetries++;
                continue;
              }
              if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
              const r = JSON.parse(text);
              for (const k of ["trials", "over", "under", "failed", "admitted", "expected"]) totals[k] += r[k];
            } catch (e) {
              totals.requestErrors++;
              log(`limiter trial batch ${b} failed: ${e instanceof Error ? e.message : String(e)}`);
            }
            break;
          }
        }
      }),
    );
    summary.limiter = {
      ...totals,
      freeSlots: LIMITER_LIMIT,
      maxBurst: LIMITER_MAX_BURST,
      seconds: round((performance.now() - trialsStarted) / 1000, 1),
      hop: summary.limiterHop,
    };
    delete summary.limiterHop;

    // ---------------------------------------------------------------- cost: billed operations
    log(`cost: ${COST_SIGN_INS} sign-ins and ${COST_CALLS} calls on a counting server (bench/cost/)`);
    const costServer = await startWorker(
      path.join(src, "wrangler.toml"),
      { PASSGAGE_BASE_URL: sandbox.origin, ...SERVER_VARS },
      storageDir(),
      { entrypoint: path.join(src, "bench/cost/index.js") },
    );
    stops.push(costServer.stop);
    summary.cost = await measureCost(costServer.origin, sandbox.origin, tool);
    await costServer.stop();

    // ---------------------------------------------------------------- stages: the server's own JavaScript per call
    log(`stages: the server's JavaScript per tools/call, stage by stage, in workerd (bench/stages/, ${STAGE_RUNS} runs per batch)`);
    const stagesServer = await startWorker(
      path.join(src, "wrangler.toml"),
      { PASSGAGE_BASE_URL: sandbox.origin, ...SERVER_VARS },
      storageDir(),
      { entrypoint: path.join(src, "bench/stages/index.js") },
    );
    stops.push(stagesServer.stop);
    summary.stages = await measureStages(stagesServer.origin);
    await stagesServer.stop();

    await Promise.all([serverPool.close(), benchPool.close(), sandboxPool.close(), peerPool.close()]);
  } finally {
    await Promise.allSettled(stops.reverse().map((s) => s()));
    rmSync(src, { recursive: true, force: true });
  }

  summary.durationSeconds = round((performance.now() - t0) / 1000, 0);
  summary.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  summary.goals = goals(summary);
  summary.designGoals = designGoals(summary);
  return summary;
}

/**
 * Stage timings from bench/stages/ (the server's own functions run in loops inside workerd):
 * STAGE_REQUESTS requests of GET /__stages, the first a warm-up; per stage, the median of the rest.
 */
async function measureStages(origin) {
  const runs = [];
  for (let i = 0; i < STAGE_REQUESTS; i++) {
    const res = await fetch(`${origin}/__stages?k=${STAGE_RUNS}`);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`stages: HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    if (i > 0) runs.push(body);
  }
  const first = runs[0];
  const rows = first.rows.map((row, i) => ({ ...row, us: round(median(runs.map((r) => r.rows[i].us)), 1) }));
  return { runs: STAGE_RUNS, requests: runs.length, upstreamBytes: first.upstreamBytes, resultBytes: first.resultBytes, rows };
}

/**
 * The runtime's cost of a live Durable Object that made upstream reads: SCALE_SESSIONS fresh
 * UpstreamDO objects in the given bench Worker each make SCALE_CALLS_PER_SESSION reads of the floor's
 * endpoint, interleaved across objects as the scale phase spreads its calls across sessions (one
 * request of the bench Worker per pass, 20 objects at a time), measured as the empty probe is:
 * resident memory of the bench Worker's workerd processes before and after, per object.
 */
async function readingProbe(bench) {
  const tag = `u${Date.now().toString(36)}`;
  const started = performance.now();
  const before = memory(bench.pids);
  let reads = 0;
  let failed = 0;
  for (let pass = 0; pass < SCALE_CALLS_PER_SESSION; pass++) {
    try {
      const res = await fetch(`${bench.origin}/probe/upstream?n=${SCALE_SESSIONS}&tag=${tag}`, { method: "POST" });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      const r = JSON.parse(text);
      reads += r.ok;
      failed += r.n - r.ok;
    } catch (e) {
      failed += SCALE_SESSIONS;
      log(`reading probe pass ${pass} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const after = memory(bench.pids);
  return {
    objects: SCALE_SESSIONS,
    readsPerObject: SCALE_CALLS_PER_SESSION,
    reads,
    failed,
    seconds: round((performance.now() - started) / 1000, 1),
    perObjectMB: round((after.rss - before.rss) / 2 ** 20 / SCALE_SESSIONS, 3),
  };
}

/**
 * The runtime's cost of a live Durable Object that stores a session's state: SCALE_SESSIONS fresh
 * StorageDO objects in the given bench Worker (SQLite-backed, none of the server's code) each write what a
 * session writes at sign-in (4 KV keys, about 2 KB, and an alarm), then make SCALE_CALLS_PER_SESSION
 * call-equivalents (4 KV reads and one small write each), interleaved across objects as the scale
 * phase's calls are (one request of the bench Worker per pass, 20 objects at a time). Measured as
 * the empty probe is, after the writes and after the calls: resident memory of the bench Worker's
 * workerd processes, per object (and, after the calls, its anonymous, file-backed and shared parts).
 */
async function storageProbe(bench) {
  const tag = `s${Date.now().toString(36)}`;
  const started = performance.now();
  let failed = 0;
  const pass = async (writes) => {
    try {
      const res = await fetch(`${bench.origin}/probe/storage?n=${SCALE_SESSIONS}&tag=${tag}&writes=${writes}`, { method: "POST" });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      const r = JSON.parse(text);
      failed += r.n * Math.max(1, writes) - r.ok;
    } catch (e) {
      failed += SCALE_SESSIONS;
      log(`storage probe pass (writes=${writes}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const before = memory(bench.pids);
  await pass(0);
  const afterWrites = memory(bench.pids);
  for (let i = 0; i < SCALE_CALLS_PER_SESSION; i++) await pass(1);
  const after = memory(bench.pids);
  const per = (a, b) => round((a - b) / 2 ** 20 / SCALE_SESSIONS, 3);
  return {
    objects: SCALE_SESSIONS,
    keysWritten: 4,
    callsPerObject: SCALE_CALLS_PER_SESSION,
    failed,
    seconds: round((performance.now() - started) / 1000, 1),
    perObjectAfterWritesMB: per(afterWrites.rss, before.rss),
    perObjectMB: per(after.rss, before.rss),
    perObjectAnonMB: per(after.anon, before.anon),
    perObjectFileMB: per(after.file, before.file),
    perObjectShmemMB: per(after.shmem, before.shmem),
  };
}

/**
 * The design floor under the scale phase's calls: SCALE_SESSIONS × SCALE_CALLS_PER_SESSION HTTP
 * requests of GET /floor/design at SCALE_CONCURRENCY, each to one of SCALE_SESSIONS fresh UpstreamDO
 * objects in turn (the per-session hop; the limiter hop on its fixed key), measured as the scale
 * phase is: resident memory of the bench Worker's workerd processes (its Worker's and the dev
 * proxy's) before and after, per object. Unlike the probes above (one HTTP request per pass), it
 * carries what the local runtime grows by per HTTP request, as the server's figure does.
 */
async function designFloorScale(bench) {
  const tag = `d${Date.now().toString(36)}`;
  const p = pool(bench.origin, SCALE_CONCURRENCY);
  const before = memory(bench.pids);
  const run = await runLoad({
    pool: p,
    concurrency: SCALE_CONCURRENCY,
    requests: SCALE_SESSIONS * SCALE_CALLS_PER_SESSION,
    request: (i) => ({ path: `/floor/design?limit=10000&windowMs=1000&name=${tag}:${i % SCALE_SESSIONS}`, method: "GET" }),
    check: upstreamOk,
  });
  const after = memory(bench.pids);
  await p.close();
  const per = (a, b) => round((a - b) / 2 ** 20 / SCALE_SESSIONS, 3);
  return {
    objects: SCALE_SESSIONS,
    requests: run.requests,
    concurrency: SCALE_CONCURRENCY,
    errors: run.errors,
    rps: round(run.rps, 0),
    perObjectMB: per(after.rss, before.rss),
    perObjectAnonMB: per(after.anon, before.anon),
  };
}

/** initialize + notifications/initialized on an MCP server; the headers a client then sends on every request. */
async function peerHandshake(origin) {
  const init = await post(
    origin,
    {},
    rpcBody("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } }),
  );
  const id = init.res.headers.get("mcp-session-id");
  if (init.res.status !== 200 || !id) throw new Error(`peer initialize failed (${init.res.status}): ${init.text.slice(0, 400)}`);
  const headers = { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" };
  const note = await post(origin, headers, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  if (note.res.status >= 300) throw new Error(`peer notifications/initialized failed (${note.res.status}): ${note.text.slice(0, 200)}`);
  return headers;
}

/** Counters of the counting server (bench/cost/) and the sandbox's calls, then both cleared. */
async function takeCounts(origin, sandboxOrigin) {
  const counts = await (await fetch(`${origin}/__bench/counts`)).json();
  const st = await (await fetch(`${sandboxOrigin}/__sandbox/stats`)).json();
  await (await fetch(`${origin}/__bench/counts`, { method: "DELETE" })).arrayBuffer();
  await (await fetch(`${sandboxOrigin}/__sandbox/stats`, { method: "DELETE" })).arrayBuffer();
  const sum = (o) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
  const storage = Object.values(counts.storage);
  const kv = Object.values(counts.kv);
  return {
    workerRequests: counts.workerRequests,
    doRequests: sum(counts.doRequests),
    doRequestsByBinding: counts.doRequests,
    doWallMs: sum(counts.doWallMs),
    alarms: sum(counts.alarms),
    rowsRead: storage.reduce((a, c) => a + c.rowsRead + c.sqlRowsRead, 0),
    rowsWritten: storage.reduce((a, c) => a + c.rowsWritten + c.sqlRowsWritten, 0),
    alarmsSet: storage.reduce((a, c) => a + c.alarmsSet, 0),
    storageByClass: counts.storage,
    kvReads: kv.reduce((a, c) => a + c.reads, 0),
    kvWrites: kv.reduce((a, c) => a + c.writes, 0),
    kvDeletes: kv.reduce((a, c) => a + c.deletes, 0),
    kvLists: kv.reduce((a, c) => a + c.lists, 0),
    upstream: sum(st.operations),
  };
}

/** Per-operation averages of a counts object over n operations. */
function perOp(c, n) {
  const out = { n };
  for (const [k, v] of Object.entries(c)) if (typeof v === "number") out[k] = round(v / n, k === "doWallMs" ? 2 : 3);
  out.doRequestsByBinding = Object.fromEntries(Object.entries(c.doRequestsByBinding).map(([k, v]) => [k, round(v / n, 3)]));
  return out;
}

/**
 * The cost phase: billed operations of one sign-in (company API key), one tools/call with
 * X-Session-ID, and one with Mcp-Session-Id as after initialize, each averaged over
 * several, one at a time, on a fresh counting server.
 */
async function measureCost(origin, sandboxOrigin, tool) {
  // A first sign-in wakes the shared objects (registry directory) and is not counted.
  const warm = await signIn(origin);
  await post(origin, { "x-session-id": warm }, rpcBody("tools/call", { name: tool, arguments: {} }));
  await takeCounts(origin, sandboxOrigin);
  const ids = [];
  for (let i = 0; i < COST_SIGN_INS; i++) ids.push(await signIn(origin));
  const signInCounts = await takeCounts(origin, sandboxOrigin);
  const callBody = rpcBody("tools/call", { name: tool, arguments: {} });
  for (let i = 0; i < COST_CALLS; i++) {
    const r = await post(origin, { "x-session-id": ids[i % ids.length] }, callBody);
    if (!toolOk(r.res.status, r.text)) throw new Error(`cost: ${tool} failed: ${r.res.status} ${r.text.slice(0, 300)}`);
  }
  const callCounts = await takeCounts(origin, sandboxOrigin);
  const init = await post(
    origin,
    {},
    rpcBody("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } }),
  );
  const conn = init.res.headers.get("mcp-session-id") ?? "";
  await takeCounts(origin, sandboxOrigin);
  for (let i = 0; i < COST_CALLS; i++) {
    const r = await post(origin, { "x-session-id": ids[0], "mcp-session-id": conn, "mcp-protocol-version": "2025-11-25" }, callBody);
    if (!toolOk(r.res.status, r.text)) throw new Error(`cost: ${tool} (connection) failed: ${r.res.status} ${r.text.slice(0, 300)}`);
  }
  const connCounts = await takeCounts(origin, sandboxOrigin);
  // A client's connection handshake: initialize, notifications/initialized, tools/list.
  for (let i = 0; i < COST_SIGN_INS; i++) {
    const h = { "x-session-id": ids[i] };
    const ini = await post(
      origin,
      h,
      rpcBody("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } }),
    );
    const c = { ...h, "mcp-session-id": ini.res.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
    await post(origin, c, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    const list = await post(origin, c, rpcBody("tools/list"));
    if (!rpcOk(list.res.status, list.text)) throw new Error(`cost: tools/list failed: ${list.res.status} ${list.text.slice(0, 300)}`);
  }
  const handshakeCounts = await takeCounts(origin, sandboxOrigin);
  return {
    signIn: perOp(signInCounts, COST_SIGN_INS),
    toolCall: perOp(callCounts, COST_CALLS),
    toolCallConnection: perOp(connCounts, COST_CALLS),
    handshake: perOp(handshakeCounts, COST_SIGN_INS),
  };
}

/** Issue 14's goals: against the floor and the McpAgent peer of the same rounds, memory and billed operations. */
function issue14Goals(s) {
  const L = s.latency.toolsCall;
  const g = (value, target, met) => ({ value, target, met: value !== null && value !== undefined && met });
  const m = s.scale.memory;
  const beyondEmpty = (x) => (x === null || m.emptyDurableObjectMB === null ? null : round((x - m.emptyDurableObjectMB) * 1024, 0));
  const afterSignIn = beyondEmpty(m.perSessionAfterSignInMB);
  const afterCalls = beyondEmpty(m.perSessionMB);
  const c = s.cost.toolCall;
  return {
    rpsAtC16VsFloor: g(L.c16.rpsVsFloor, ">= 0.75", L.c16.rpsVsFloor >= 0.75),
    rpsAtC64VsFloor075: g(L.c64.rpsVsFloor, ">= 0.75", L.c64.rpsVsFloor >= 0.75),
    rpsAtC16VsPeer: g(L.c16.rpsVsPeer, ">= 2", L.c16.rpsVsPeer >= 2),
    rpsAtC64VsPeer: g(L.c64.rpsVsPeer, ">= 2", L.c64.rpsVsPeer >= 2),
    p50AtC1VsFloor13: g(L.c1.p50VsFloor, "<= 1.3", L.c1.p50VsFloor <= 1.3),
    p99AtC64VsFloor: g(L.c64.p99VsFloor, "<= 1.5", L.c64.p99VsFloor <= 1.5),
    cpuPerCallVsFloor: g(L.c16.cpuVsFloor ?? null, "<= 2", (L.c16.cpuVsFloor ?? Infinity) <= 2),
    memoryBeyondEmptyDOAfterSignInKB: g(afterSignIn, "<= 50", afterSignIn <= 50),
    memoryBeyondEmptyDOAfterCallsKB: g(afterCalls, "<= 50", afterCalls <= 50),
    doRequestsPerCall: g(c.doRequests, "<= 3", c.doRequests <= 3),
    kvWritesPerCall: g(c.kvWrites + c.kvDeletes, "0", c.kvWrites + c.kvDeletes === 0),
  };
}

/**
 * Issue 14's latency and throughput goals re-stated against the design floor (the floor plus the
 * two Durable Object hops of every tool call, no MCP), and the memory per session beyond a Durable
 * Object that made the same number of upstream reads, and beyond one that stores a session's state
 * (after the sign-in writes and after the same number of calls), and, when measured, beyond the
 * design floor served as the scale phase's calls. Informative: how much of each gap to the
 * floor is the architecture's two hops and how much is this server's own code. The issue's goals
 * (against the floor) stay as they are in `goals`.
 */
function designGoals(s) {
  const L = s.latency.toolsCall;
  const D = s.latency.designFloor;
  const g = (value, target, met) => ({ value, target, met: value !== null && value !== undefined && met });
  // The design floor against the floor has no goal: it is what the two hops cost (met: null).
  const hops = (value) => ({ value, target: "none", met: null });
  const m = s.scale.memory;
  const reading = m.readingDurableObject?.perObjectMB ?? null;
  const beyond = (x) => (x === null || reading === null ? null : round((x - reading) * 1024, 0));
  const afterCalls = beyond(m.perSessionMB);
  const storage = m.storageDurableObject ?? null;
  const beyondStorage = (x, base) => (x === null || base === null || base === undefined ? null : round((x - base) * 1024, 0));
  const storageAfterSignIn = beyondStorage(m.perSessionAfterSignInMB, storage?.perObjectAfterWritesMB);
  const storageAfterCalls = beyondStorage(m.perSessionMB, storage?.perObjectMB);
  const designAtScale = beyondStorage(m.perSessionMB, m.designFloorAtScale?.perObjectMB);
  return {
    designP50AtC1VsFloor: hops(D.c1.p50VsFloor),
    designRpsAtC16VsFloor: hops(D.c16.rpsVsFloor),
    designRpsAtC64VsFloor: hops(D.c64.rpsVsFloor),
    p50AtC1VsDesign: g(L.c1.p50VsDesign, "<= 1.3", L.c1.p50VsDesign <= 1.3),
    rpsAtC16VsDesign: g(L.c16.rpsVsDesign, ">= 0.75", L.c16.rpsVsDesign >= 0.75),
    rpsAtC64VsDesign: g(L.c64.rpsVsDesign, ">= 0.75", L.c64.rpsVsDesign >= 0.75),
    p99AtC64VsDesign: g(L.c64.p99VsDesign, "<= 1.5", L.c64.p99VsDesign <= 1.5),
    memoryBeyondReadingDOAfterCallsKB: g(afterCalls, "<= 50", afterCalls <= 50),
    memoryBeyondStorageDOAfterSignInKB: g(storageAfterSignIn, "<= 50", storageAfterSignIn <= 50),
    memoryBeyondStorageDOAfterCallsKB: g(storageAfterCalls, "<= 50", storageAfterCalls <= 50),
    ...(m.designFloorAtScale ? { memoryBeyondDesignFloorAtScaleAfterCallsKB: g(designAtScale, "<= 50", designAtScale <= 50) } : {}),
  };
}

function rpcOkPlain(status) {
  return status === 200;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** The issue's goals, each with its figure and whether it is met. */
function goals(s) {
  const call1 = s.latency.toolsCall.c1;
  const call64 = s.latency.toolsCall.c64;
  const limiterErrors =
    s.limiter.over + s.limiter.under + s.limiter.failed + s.limiter.requestErrors + (s.limiter.trials < LIMITER_TRIALS ? 1 : 0);
  return {
    p50AtC1VsFloor: { value: call1.p50VsFloor, target: "<= 1.5", met: call1.p50VsFloor <= 1.5 },
    rpsAtC64VsFloor: { value: call64.rpsVsFloor, target: ">= 0.5", met: call64.rpsVsFloor >= 0.5 },
    scaleErrors: {
      value: s.scale.signIn.errors + s.scale.calls.errors,
      target: "0",
      met: s.scale.signIn.errors + s.scale.calls.errors === 0,
    },
    memoryPerSessionMB: {
      value: s.scale.memory.perSessionMB,
      target: "<= 0.2",
      met: s.scale.memory.perSessionMB !== null && s.scale.memory.perSessionMB <= 0.2,
    },
    limiterErrors: { value: limiterErrors, target: "0", met: limiterErrors === 0 },
    bundleGzipKB: { value: s.bundle.gzipKB, target: "<= 100 (and no sandbox code)", met: s.bundle.gzipKB <= 100 && s.bundle.sandboxFree },
    ...issue14Goals(s),
  };
}

const summary = await main();
console.log(JSON.stringify(summary, null, 2));
if (WRITE) {
  writeReport(path.join(ROOT, "BENCHMARKS.md"), summary);
  log("wrote BENCHMARKS.md");
} else if (QUICK) {
  const file = path.join(os.tmpdir(), "BENCHMARKS.quick.md");
  writeReport(file, summary);
  log(`quick run: report in ${file} (BENCHMARKS.md untouched)`);
}
