/**
 * Writes BENCHMARKS.md from a bench summary. The hand-written analysis between the
 * `<!-- notes -->` and `<!-- /notes -->` markers of the existing file is kept as it is.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const NOTES_START = "<!-- notes -->";
const NOTES_END = "<!-- /notes -->";

const LABELS = {
  upstream: "sandbox endpoint itself (upstream, no Worker in front)",
  floor: "**floor**: bare Worker, one upstream read",
  floorLimiter: "floor + per-IP limiter DO hop (the design floor's first hop alone)",
  designFloor: "design floor: floor + per-IP limiter DO hop + session DO hop (no MCP)",
  designFloorMcp: "design floor in MCP's shape: POST body, the two hops, a 13 KB tool-result answer, one log line (no MCP code)",
  peerCall: "**McpAgent peer**: tools/call, Mcp-Session-Id",
  toolsCall: "**tools/call** list tool, X-Session-ID",
  toolsCallSessions: "tools/call list tool, spread over 64 sessions",
  toolsCallConnection: "tools/call + Mcp-Session-Id (as after initialize)",
  toolsList: "tools/list (anonymous)",
  initialize: "initialize (anonymous)",
  ping: "ping (edge only: per-IP limiter hop)",
  sessionStatus: "tools/call passgage_session_status (SessionDO hop, no upstream)",
};

const fmt = (x, unit = "") => (x === null || x === undefined || Number.isNaN(x) ? "n/a" : `${x}${unit}`);

function keptNotes(file) {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(NOTES_START);
  const b = text.indexOf(NOTES_END);
  return a >= 0 && b > a ? text.slice(a, b + NOTES_END.length) : null;
}

function gap(name, g) {
  if (g.met) return "met";
  switch (name) {
    case "p50AtC1VsFloor":
      return `missed by ${Math.round((g.value / 1.5 - 1) * 100)} % (${g.value}× against 1.5×)`;
    case "rpsAtC64VsFloor":
      return `missed: ${g.value}× against 0.5× (${Math.round((1 - g.value / 0.5) * 100)} % short)`;
    case "memoryPerSessionMB":
      return `missed: ${g.value} MB against 0.2 MB (${Math.round((g.value / 0.2) * 10) / 10}×)`;
    case "bundleGzipKB":
      return `missed: ${g.value} KB against 100 KB (+${Math.round((g.value - 100) * 10) / 10} KB)`;
    default:
      return `missed: ${g.value} against ${g.target}`;
  }
}

const kb = (mb) => (mb === null || mb === undefined ? null : Math.round(mb * 1024));
const beyondKB = (x, base) => (x === null || x === undefined || base === null || base === undefined ? null : kb(x - base));

/** The memory paragraph's comparison with Durable Objects that store a session's state (none in older summaries). */
function storageSentence(m) {
  const t = m.storageDurableObject;
  if (!t) return "";
  return ` A Durable Object that stores a session's state (SQLite KV, none of the server's code: 4 keys written, about 2 KB, and an alarm set, as at sign-in; then ${t.callsPerObject} call-equivalents of 4 reads and 1 small write each, interleaved across objects; ${t.objects} objects, ${t.failed} failures, ${t.seconds} s) costs ${fmt(t.perObjectAfterWritesMB)} MB after the writes and ${fmt(t.perObjectMB)} MB after the calls (of that: anonymous ${fmt(t.perObjectAnonMB)} MB, file-backed ${fmt(t.perObjectFileMB)} MB, shared ${fmt(t.perObjectShmemMB)} MB). **Per session beyond it: ${fmt(beyondKB(m.perSessionAfterSignInMB, t.perObjectAfterWritesMB))} KB after the sign-ins, ${fmt(beyondKB(m.perSessionMB, t.perObjectMB))} KB after the calls.**`;
}

/** The memory paragraph's comparison with the design floor served as the scale phase's calls (absent unless measured). */
function designScaleSentence(m) {
  const d = m.designFloorAtScale;
  if (!d) return "";
  return ` The design floor served as the scale phase's calls (${d.requests} HTTP requests of \`/floor/design\` at concurrency ${d.concurrency}, spread over ${d.objects} fresh session objects, ${d.errors} errors, ${d.rps} req/s; like the server's figure, and unlike the probes above, this carries what the local runtime and its dev proxy grow by per HTTP request) grows its processes by ${fmt(d.perObjectMB)} MB per session object (anonymous ${fmt(d.perObjectAnonMB)} MB). **Per session beyond it: ${fmt(beyondKB(m.perSessionMB, d.perObjectMB))} KB after the calls.**`;
}

/** The memory paragraph's comparison with Durable Objects that made upstream reads (none in older summaries). */
function readingSentence(m) {
  const r = m.readingDurableObject;
  if (!r) return "";
  return `, and a Durable Object that made ${r.readsPerObject} upstream reads (the floor's read, inside the object; ${r.objects} objects, reads interleaved across them, ${r.reads} reads answered, ${r.failed} failed, ${r.seconds} s) costs ${fmt(r.perObjectMB)} MB. Per session beyond an empty Durable Object: ${fmt(beyondKB(m.perSessionAfterSignInMB, m.emptyDurableObjectMB))} KB after the sign-ins, ${fmt(beyondKB(m.perSessionMB, m.emptyDurableObjectMB))} KB after the calls; **beyond a Durable Object that made ${r.readsPerObject} upstream reads: ${fmt(beyondKB(m.perSessionMB, r.perObjectMB))} KB after the calls**`;
}

const designGoalNames = {
  designP50AtC1VsFloor: "design floor p50 at concurrency 1, against the floor (what the two hops cost)",
  designRpsAtC16VsFloor: "design floor throughput at concurrency 16, against the floor (what the two hops cost)",
  designRpsAtC64VsFloor: "design floor throughput at concurrency 64, against the floor (what the two hops cost)",
  p50AtC1VsDesign: "tools/call p50 at concurrency 1, against the design floor",
  rpsAtC16VsDesign: "tools/call throughput at concurrency 16, against the design floor",
  rpsAtC64VsDesign: "tools/call throughput at concurrency 64, against the design floor",
  p99AtC64VsDesign: "tools/call p99 at concurrency 64, against the design floor",
  memoryBeyondReadingDOAfterCallsKB: "memory per session beyond a Durable Object that made 10 upstream reads, after 10 calls (KB)",
  memoryBeyondStorageDOAfterSignInKB:
    "memory per session beyond a Durable Object that stores a session's state (SQLite KV: 4 keys written), after sign-in (KB)",
  memoryBeyondStorageDOAfterCallsKB:
    "memory per session beyond a Durable Object that stores a session's state (SQLite KV: 4 keys written, then 10 reads + 10 small writes), after 10 calls (KB)",
  memoryBeyondDesignFloorAtScaleAfterCallsKB:
    "memory per session beyond the design floor served as the scale phase's calls (as many HTTP requests over as many session objects), after 10 calls (KB)",
};

/** Issue 14's goals re-stated against the design floor, below the Goals table (informative). */
function designGoalsTable(L, s) {
  L.push("### Issue 14's goals against the design floor");
  L.push("");
  L.push(
    "Informative, beside the goals above (which stay against the floor): the design floor is the floor plus the two Durable Object hops this server's design puts on every tool call (the per-IP RateLimiterDO admit and a hop to a per-session object that makes the upstream read), with no MCP. Its own ratios to the floor are what the architecture costs; the server's ratios to it are what this server's code costs on top.",
  );
  L.push("");
  L.push("| goal | target | measured | verdict |");
  L.push("|---|---|---|---|");
  for (const [k, g] of Object.entries(s.designGoals)) {
    const verdict = g.met === null ? "no goal (the two hops)" : g.met ? "met" : `missed: ${fmt(g.value)} against ${g.target}`;
    L.push(`| ${designGoalNames[k] ?? k} | ${g.target} | ${fmt(g.value)} | ${verdict} |`);
  }
  L.push("");
}

/** The floor, the design floor and this server side by side (none in older summaries). */
function designFloorTable(L, s) {
  if (!s.latency.designFloor) return;
  L.push("### The design floor: the floor plus this design's two Durable Object hops");
  L.push("");
  L.push(
    "| conc. | floor req/s | design floor req/s (/ floor) | server req/s (/ floor, / design floor) | floor p50 | design floor p50 (/ floor) | server p50 (/ floor, / design floor) | floor p99 | design floor p99 (/ floor) | server p99 (/ floor, / design floor) | CPU ms/call: floor, design floor, server |",
  );
  L.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of ["c1", "c16", "c64"]) {
    const fl = s.latency.floor?.[c];
    const de = s.latency.designFloor?.[c];
    const sv = s.latency.toolsCall?.[c];
    if (!fl || !de || !sv) continue;
    L.push(
      `| ${c.slice(1)} | ${fl.rps} | ${de.rps} (${fmt(de.rpsVsFloor)}×) | ${sv.rps} (${fmt(sv.rpsVsFloor)}×, ${fmt(sv.rpsVsDesign)}×) | ${fl.p50} | ${de.p50} (${fmt(de.p50VsFloor)}×) | ${sv.p50} (${fmt(sv.p50VsFloor)}×, ${fmt(sv.p50VsDesign)}×) | ${fl.p99} | ${de.p99} (${fmt(de.p99VsFloor)}×) | ${sv.p99} (${fmt(sv.p99VsFloor)}×, ${fmt(sv.p99VsDesign)}×) | ${fmt(fl.cpuMsPerCall)}, ${fmt(de.cpuMsPerCall)}, ${fmt(sv.cpuMsPerCall)} |`,
    );
  }
  L.push("");
  L.push(
    `Design floor: ${s.settings.designFloor ?? "the floor plus a RateLimiterDO hop and a Durable Object hop that makes the upstream read"}. It runs in the bench Worker, as the floor does (same processes, same CPU accounting), so its ratios to the floor are the two hops alone. The server's ratios to it are everything else: MCP parsing and answering, validation, the session lookup and its storage, logging, and a larger Worker in its own processes.`,
  );
  L.push("");
}

/**
 * The ladder from the floor to the server, one layer at a time (none in older summaries): the
 * floor, plus the per-IP limiter hop, plus the session hop (the design floor), plus everything
 * else (the server). CPU per call and throughput, each against the floor of the same round.
 */
function ladderTable(L, s) {
  const lat = s.latency;
  if (!lat.floorLimiter || !lat.designFloor) return;
  L.push("### From the floor to the server, one layer at a time");
  L.push("");
  L.push(
    "What each layer of a tool call adds, in CPU per call (ms, the target's workerd processes) and throughput against the floor of the same round. All rows but the last run in the bench Worker (bench/worker/: /floor, /floor/limiter, /floor/design, /floor/design/mcp); the last is the server.",
  );
  L.push("");
  L.push("| layer | CPU ms/call c=1 | c=16 | c=64 | CPU added at c=16 | req/s / floor c=1 | c=16 | c=64 | p50 / floor c=1 |");
  L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  const rows = [
    ["the floor: one upstream read", "floor"],
    ["+ the per-IP limiter hop (RateLimiterDO admit)", "floorLimiter"],
    ["+ the session hop (the read made in a Durable Object): the design floor", "designFloor"],
    ["+ MCP's shape with none of its code: a JSON-RPC POST, a tool-result-sized answer, one log line", "designFloorMcp"],
    ["+ MCP's code: validation, the session's checks, rendering: this server", "toolsCall"],
  ];
  let previous = null;
  for (const [label, name] of rows) {
    const t = lat[name];
    if (!t) continue;
    const cpu16 = t.c16?.cpuMsPerCall;
    const added = previous === null || !Number.isFinite(cpu16) || !Number.isFinite(previous) ? "" : `${round2(cpu16 - previous)}`;
    previous = cpu16;
    const ratio = (c, key) => (name === "floor" ? 1 : fmt(t[c]?.[key]));
    L.push(
      `| ${label} | ${fmt(t.c1?.cpuMsPerCall)} | ${fmt(cpu16)} | ${fmt(t.c64?.cpuMsPerCall)} | ${added} | ${ratio("c1", "rpsVsFloor")} | ${ratio("c16", "rpsVsFloor")} | ${ratio("c64", "rpsVsFloor")} | ${ratio("c1", "p50VsFloor")} |`,
    );
  }
  L.push("");
}

const round2 = (x) => Math.round(x * 100) / 100;

/** Stage timings of the server's own JavaScript per call (bench/stages/; none in older summaries). */
function stagesTable(L, s) {
  const st = s.stages;
  if (!st) return;
  L.push("### Where the server's own JavaScript goes in one call (stage timings in workerd)");
  L.push("");
  L.push(
    `The server's own functions, run on real data (the sandbox's ${st.upstreamBytes}-byte answer, a ${st.resultBytes}-byte result) in loops of ${st.runs} inside workerd by bench/stages/ (a bench-only entry with the server's bindings); µs per call, median of 5 batches per request and of ${st.requests} requests. Only JavaScript shows here: the runtime's work around it (Durable Object RPCs, the upstream fetch, the dev proxy, garbage collection between requests) does not, and code run in a tight loop finds its caches warm, as code run once per request does not.`,
  );
  L.push("");
  L.push("| where | stage | µs per call |");
  L.push("|---|---|---:|");
  const sums = {};
  for (const r of st.rows) {
    L.push(`| ${r.where} | ${r.stage} | ${r.us} |`);
    if (r.inTotal !== false) sums[r.where] = (sums[r.where] ?? 0) + r.us;
  }
  const own = (sums.edge ?? 0) + (sums.session ?? 0);
  const floorJs = sums.floor ?? 0;
  L.push("");
  const cpu16 = (name) => s.latency[name]?.c16?.cpuMsPerCall;
  const gapTo = (name) =>
    Number.isFinite(cpu16("toolsCall")) && Number.isFinite(cpu16(name)) ? Math.round((cpu16("toolsCall") - cpu16(name)) * 1000) : null;
  const gaps = [
    [gapTo("designFloor"), "the design floor"],
    [gapTo("designFloorMcp"), "the design floor in MCP's shape (the same runtime work: body, answer size, log line)"],
  ].filter(([g]) => g !== null);
  L.push(
    `In all: ${Math.round(sums.edge ?? 0)} µs at the edge and ${Math.round(sums.session ?? 0)} µs in the SessionDO, ${Math.round(own)} µs, of which the floor does about ${Math.round(floorJs)} µs too (parsing and serialising the upstream answer): about ${Math.round(own - floorJs)} µs of JavaScript per call that the floor does not do.${gaps.length === 0 ? "" : ` Under load (concurrency 16, above) the server used ${gaps.map(([g, what]) => `${g} µs more CPU per call than ${what}`).join(", and ")}, counted in its processes.`}`,
  );
  L.push("");
}

/** Renders and writes the report. */
export function writeReport(file, s) {
  const notes = keptNotes(file) ?? `${NOTES_START}\n${NOTES_END}`;
  const L = [];
  L.push("# Benchmarks");
  L.push("");
  L.push(
    `Generated by \`npm run bench\` (bench/run.mjs) on ${s.date.slice(0, 10)} in ${s.durationSeconds} s: the Passgage sandbox, the MCP server, a bench-only Worker (bench/worker/: the floor) and the McpAgent peer (bench/peer/) in workerd through wrangler's programmatic API (the engine of \`wrangler dev\`), inspector off, the server's logging at its production level, load from a bounded undici loop on loopback. Local \`wrangler dev\` is many times slower than production workerd, so only the **ratios to the floor measured in the same run** mean anything; absolute figures are for this machine only.`,
  );
  L.push("");
  L.push(
    `- Machine: ${s.machine.cpu}, ${s.machine.cores} cores, ${s.machine.memoryGB} GB, ${s.machine.os}. Load average (1/5/15 min) at start ${s.loadAverageAtStart.join(" / ")}, at end ${s.loadAverageAtEnd.join(" / ")} (a shared machine: other processes ran during the bench).`,
  );
  L.push(
    `- Versions: Node ${s.versions.node}, wrangler ${s.versions.wrangler}, workerd ${s.versions.workerd}, undici ${s.versions.undici}, zod ${s.versions.zod}, agents ${s.versions.agents}, @modelcontextprotocol/sdk ${s.versions.mcpSdk}; commit ${s.versions.commit}${s.versions.dirty ? " with uncommitted changes" : ""}.`,
  );
  L.push(
    `- Tool measured: \`${s.settings.tool}\` (${s.settings.toolCallBytes} bytes per answer); tools/list lists ${s.settings.toolsListed} tools in ${s.settings.toolsListBytes} bytes.`,
  );
  L.push(
    `- Each figure is the median of ${s.settings.rounds} runs of ${s.settings.runMs / 1000} s; targets interleaved in every round; ratios taken against the floor of the same round and concurrency, then their median. Server vars for the bench: ${Object.entries(
      s.settings.serverVars,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")} (every local request comes from 127.0.0.1). Durable Object storage on ${s.settings.storage}.`,
  );
  L.push("");

  if (s.toolTokens) {
    const t = s.toolTokens;
    L.push("## Tool list tokens (issue 15)");
    L.push("");
    L.push(
      "What a client puts into the model's context from tools/list, counted by scripts/count-tool-tokens.mjs with `@anthropic-ai/tokenizer` (Claude) and the o200k encoding of `gpt-tokenizer`, listed without a session (every mode's tools).",
    );
    L.push("");
    L.push("| list | tools | bytes | Claude tokens | o200k tokens | goal |");
    L.push("|---|---|---|---|---|---|");
    const row = (label, x, goal) => L.push(`| ${label} | ${x.tools} | ${x.bytes} | ${x.claude} | ${x.o200k} | ${goal} |`);
    row("before toolsets (full catalog)", t.legacy, "");
    row("default (`/mcp`)", t.default, `<= ${t.goals.default} ${t.default.claude <= t.goals.default ? "met" : "MISSED"}`);
    row("default, read-only (`/mcp/readonly`)", t.defaultReadOnly, "");
    row("all (`/mcp/x/all`)", t.all, `<= ${t.goals.all} ${t.all.claude <= t.goals.all ? "met" : "MISSED"}`);
    row("all, read-only (`/mcp/x/all/readonly`)", t.allReadOnly, "");
    L.push("");
  }
  L.push("## Goals");
  L.push("");
  L.push("| goal | target | measured | verdict |");
  L.push("|---|---|---|---|");
  const goalNames = {
    p50AtC1VsFloor: "tools/call p50 at concurrency 1, against the floor",
    rpsAtC64VsFloor: "tools/call throughput at concurrency 64, against the floor",
    scaleErrors: "errors at scale (sign-ins + calls)",
    memoryPerSessionMB: "resident memory per live session (MB)",
    limiterErrors: "limiter over- + under-admissions + failed admits",
    bundleGzipKB: "production bundle, gzip (KB)",
    rpsAtC16VsFloor: "issue 14: tools/call throughput at concurrency 16, against the floor",
    rpsAtC64VsFloor075: "issue 14: tools/call throughput at concurrency 64, against the floor",
    rpsAtC16VsPeer: "issue 14: tools/call throughput at concurrency 16, against the McpAgent peer",
    rpsAtC64VsPeer: "issue 14: tools/call throughput at concurrency 64, against the McpAgent peer",
    p50AtC1VsFloor13: "issue 14: tools/call p50 at concurrency 1, against the floor",
    p99AtC64VsFloor: "issue 14: tools/call p99 at concurrency 64, against the floor",
    cpuPerCallVsFloor: "issue 14: CPU per tool call (concurrency 16), against the floor",
    memoryBeyondEmptyDOAfterSignInKB: "issue 14: memory per session beyond an empty Durable Object, after sign-in (KB)",
    memoryBeyondEmptyDOAfterCallsKB: "issue 14: memory per session beyond an empty Durable Object, after 10 calls (KB)",
    doRequestsPerCall: "issue 14: Durable Object requests per tool call",
    kvWritesPerCall: "issue 14: KV writes + deletes per tool call",
  };
  for (const [k, g] of Object.entries(s.goals)) L.push(`| ${goalNames[k] ?? k} | ${g.target} | ${fmt(g.value)} | ${gap(k, g)} |`);
  L.push("");
  if (s.designGoals) designGoalsTable(L, s);

  L.push("## 1–3. Latency and throughput");
  L.push("");
  L.push("Requests per second and client-side latency (ms) from sending the request to reading the whole answer.");
  L.push("");
  L.push("| target | conc. | req/s | p50 | p90 | p99 | CPU ms/call | p50 / floor | p99 / floor | req/s / floor | req/s / peer | errors |");
  L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [name, byC] of Object.entries(s.latency)) {
    for (const [c, x] of Object.entries(byC)) {
      const f = name === "floor";
      L.push(
        `| ${LABELS[name] ?? name} | ${c.slice(1)} | ${fmt(x.rps)} | ${fmt(x.p50)} | ${fmt(x.p90)} | ${fmt(x.p99)} | ${x.cpuMsPerCall === undefined ? "" : fmt(x.cpuMsPerCall)} | ${f ? "1" : fmt(x.p50VsFloor)} | ${f ? "1" : fmt(x.p99VsFloor)} | ${f ? "1" : fmt(x.rpsVsFloor)} | ${x.rpsVsPeer === undefined || !name.startsWith("toolsCall") ? "" : fmt(x.rpsVsPeer)} | ${x.errors} |`,
      );
    }
  }
  L.push("");
  L.push(`Floor: ${s.settings.floor}.`);
  L.push("");
  L.push(
    `CPU ms/call: user + system CPU of the target's workerd processes (the Worker's and its dev proxy's) during the run, divided by the requests answered; the sandbox's CPU is not included for any target. Peer: ${s.settings.peer}.`,
  );
  L.push("");

  L.push("### The McpAgent peer beside the floor and this server");
  L.push("");
  L.push(
    "| conc. | floor req/s | peer req/s (/ floor) | server req/s (/ floor, / peer) | floor p50 | peer p50 (/ floor) | server p50 (/ floor, / peer) | floor p99 | peer p99 (/ floor) | server p99 (/ floor) | CPU ms/call: floor, peer, server |",
  );
  L.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of ["c1", "c16", "c64"]) {
    const fl = s.latency.floor?.[c];
    const pe = s.latency.peerCall?.[c];
    const sv = s.latency.toolsCall?.[c];
    if (!fl || !pe || !sv) continue;
    L.push(
      `| ${c.slice(1)} | ${fl.rps} | ${pe.rps} (${fmt(pe.rpsVsFloor)}×) | ${sv.rps} (${fmt(sv.rpsVsFloor)}×, ${fmt(sv.rpsVsPeer)}×) | ${fl.p50} | ${pe.p50} (${fmt(pe.p50VsFloor)}×) | ${sv.p50} (${fmt(sv.p50VsFloor)}×, ${fmt(sv.p50VsPeer)}×) | ${fl.p99} | ${pe.p99} (${fmt(pe.p99VsFloor)}×) | ${sv.p99} (${fmt(sv.p99VsFloor)}×) | ${fmt(fl.cpuMsPerCall)}, ${fmt(pe.cpuMsPerCall)}, ${fmt(sv.cpuMsPerCall)} |`,
    );
  }
  L.push("");
  L.push(
    "Server: tools/call with X-Session-ID (a signed-in session). Ratios are medians of the per-round ratios, so they need not equal the ratio of the medians.",
  );
  L.push("");

  designFloorTable(L, s);
  ladderTable(L, s);
  stagesTable(L, s);

  if (s.cost) {
    L.push("## Cost: billed operations per sign-in and per tool call");
    L.push("");
    L.push(
      "Counted on a separate server started with bench/cost/index.js as its entry: the server's own Worker and Durable Object classes, with counting wrappers around the Durable Object and KV bindings and around each object's `ctx.storage`; upstream calls from the sandbox's `/__sandbox/stats`. Averages over operations made one at a time.",
    );
    L.push("");
    L.push(
      "| operation | n | Worker requests | DO requests (by binding) | DO wall ms (caller side) | DO rows read | DO rows written | alarms set/deleted | KV reads | KV writes | KV deletes | upstream calls |",
    );
    L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    const names = {
      signIn: "sign-in (company API key)",
      toolCall: `tools/call \`${s.settings.tool}\`, X-Session-ID`,
      toolCallConnection: "the same with Mcp-Session-Id (after initialize)",
      handshake: "connection handshake: initialize + notifications/initialized + tools/list, signed in",
    };
    for (const [k, c] of Object.entries(s.cost)) {
      const by = Object.entries(c.doRequestsByBinding)
        .map(([b, v]) => `${b} ${v}`)
        .join(", ");
      L.push(
        `| ${names[k] ?? k} | ${c.n} | ${c.workerRequests} | ${c.doRequests} (${by}) | ${c.doWallMs} | ${c.rowsRead} | ${c.rowsWritten} | ${c.alarmsSet} | ${c.kvReads} | ${c.kvWrites} | ${c.kvDeletes} | ${c.upstream} |`,
      );
    }
    L.push("");
    L.push(
      "Rows: the KV API of SQLite-backed objects counted as one row per key put, deleted or returned, plus the SQL API's own rowsRead/rowsWritten; reads made by an object's constructor (state loaded on wake) are not counted. DO wall ms is the caller's time until each call settled, an upper bound of the billed duration (concurrent requests on one object share it).",
    );
    L.push("");
  }

  const sc = s.scale;
  L.push("## 4. Scale");
  L.push("");
  L.push(
    `${sc.signedIn} of ${sc.sessions} sessions signed in (company API key, one at a time, as the server allows one sign-in in flight per IP and per account: ${sc.signIn.rps} sign-ins/s, p50 ${sc.signIn.p50} ms, p99 ${sc.signIn.p99} ms, ${sc.signIn.errors} errors), then each made ${sc.calls.requests / Math.max(1, sc.signedIn)} calls of \`${s.settings.tool}\`, interleaved across sessions, at concurrency ${sc.calls.concurrency}:`,
  );
  L.push("");
  L.push("| calls | errors | req/s | p50 | p90 | p99 |");
  L.push("|---:|---:|---:|---:|---:|---:|");
  L.push(`| ${sc.calls.requests} | ${sc.calls.errors} | ${sc.calls.rps} | ${sc.calls.p50} | ${sc.calls.p90} | ${sc.calls.p99} |`);
  L.push("");
  const m = sc.memory;
  L.push(
    `Resident memory of the server's workerd processes (${m.processes}: the Worker's and wrangler's dev proxy): ${m.rssBeforeMB} MB before, ${m.rssAfterSignInMB} MB after the sign-ins, ${m.rssAfterMB} MB after the calls${m.rssAfterIdleMB === undefined ? "" : `, ${m.rssAfterIdleMB} MB after ${m.settleSeconds} s idle`}: **${fmt(m.perSessionMB)} MB per live session** after the calls (${fmt(m.perSessionAfterSignInMB)} MB after the sign-ins${m.perSessionAfterIdleMB === undefined ? "" : `, ${fmt(m.perSessionAfterIdleMB)} MB after ${m.settleSeconds} s idle`}; of the growth after the calls: anonymous memory ${fmt(m.perSessionAnonMB)} MB, file-backed ${fmt(m.perSessionFileMB)} MB, shared ${fmt(m.perSessionShmemMB)} MB). For comparison, an empty Durable Object (no state, no storage) costs this runtime ${fmt(m.emptyDurableObjectMB)} MB when ${sc.sessions} are woken in ${m.storageDurableObject ? "a fresh bench Worker (started for these probes)" : "the bench Worker"}${readingSentence(m)}.${storageSentence(m)}${designScaleSentence(m)}`,
  );
  L.push("");

  const lm = s.limiter;
  L.push("## 5. Rate limiter");
  L.push("");
  L.push(
    `${lm.trials} trials in ${lm.seconds} s (bench Worker, RateLimiterDO as shipped): each sends a burst of 1–${lm.maxBurst} concurrent \`admit\` calls to a key with exactly ${lm.freeSlots} free slots (the first trial of a key has limit ${lm.freeSlots}; later trials on it raise the limit by what it already holds), and must admit exactly min(burst, ${lm.freeSlots}).`,
  );
  L.push("");
  L.push("| trials | admitted | expected | over-admissions | under-admissions | failed admits | trial requests lost | dev-proxy retries |");
  L.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
  L.push(
    `| ${lm.trials} | ${lm.admitted} | ${lm.expected} | ${lm.over} | ${lm.under} | ${lm.failed} | ${lm.requestErrors} | ${lm.proxyRetries} |`,
  );
  L.push("");
  L.push(
    "Latency the limiter hop adds (bench Worker answering at once, with and without one `admit` on a fixed key, rule 10000 per 1 s as in the bench server):",
  );
  L.push("");
  L.push("| conc. | without: req/s | p50 | p99 | with limiter: req/s | p50 | p99 | added p50 (ms) | added p99 (ms) |");
  L.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [c, h] of Object.entries(lm.hop)) {
    L.push(
      `| ${c.slice(1)} | ${h.withoutLimiter.rps} | ${h.withoutLimiter.p50} | ${h.withoutLimiter.p99} | ${h.withLimiter.rps} | ${h.withLimiter.p50} | ${h.withLimiter.p99} | ${h.addedP50Ms} | ${h.addedP99Ms} |`,
    );
  }
  L.push("");

  const b = s.bundle;
  L.push("## 6. Bundle");
  L.push("");
  L.push(
    `\`wrangler deploy --dry-run --outdir <tmp> --env production\`: ${b.files.join(", ")}, **${b.totalKB} KB, ${b.gzipKB} KB gzip** (as wrangler.toml configures the build); with \`--minify\`: ${b.minifiedTotalKB} KB, ${b.minifiedGzipKB} KB gzip. Sandbox or bench-only code in the bundle: ${b.sandboxFree ? "none (no sandbox module, class, seed key or secret; nothing of the McpAgent peer or the counting entry)" : b.sandboxHits.join(", ")}.`,
  );
  L.push("");

  L.push("## Notes and optimisations");
  L.push("");
  L.push(notes);
  L.push("");
  L.push("## Raw summary");
  L.push("");
  L.push("<details><summary>JSON printed by <code>npm run bench</code></summary>");
  L.push("");
  L.push("```json");
  L.push(JSON.stringify(s, null, 2));
  L.push("```");
  L.push("");
  L.push("</details>");
  L.push("");
  writeFileSync(file, L.join("\n"));
}
