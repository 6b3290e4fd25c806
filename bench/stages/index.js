/**
 * Bench-only entry module (never deployed): where the server's own CPU goes in one
 * `tools/call` of the bench's list tool, stage by stage, measured inside workerd (the same
 * V8 and runtime as the server) with the server's own functions on real data: the
 * sandbox's answer, a signed-in session's call, the server's configuration.
 *
 * Each stage runs K times in a loop between two clock reads (local workerd's clock is not
 * frozen during execution), after a warm-up of K/4; the figure is µs per run, median of 5
 * batches. Only JavaScript work is seen here: what the runtime does around it (the
 * Durable Object RPCs, the upstream fetch, the dev proxy) is the design floor's share and is
 * measured by the bench's load runs instead.
 *
 * Started by bench/run.mjs with the server's wrangler.toml and this file as the entrypoint
 * (so `env` holds the server's bindings and vars). Route: GET /__stages?k=<runs per batch>.
 */
import { loadConfig } from "../../src/config.ts";
import { sessionHash, shortHash, constantTimeEqual, generateSessionId } from "../../src/crypto/session-id.ts";
import { utf8Decode } from "../../src/crypto/encoding.ts";
import { clientIp, ipHash } from "../../src/http/client-ip.ts";
import { corsHeaders, originAllowed } from "../../src/http/cors.ts";
import { readBodyCapped } from "../../src/http/responses.ts";
import { createLogger, logSink } from "../../src/log.ts";
import { classifyInbound } from "../../src/mcp/classify-inbound.ts";
import { encodeResult } from "../../src/mcp/encode-result.ts";
import { rpcResult } from "../../src/mcp/errors.ts";
import { rpcJsonResponse } from "../../src/mcp/pre-encoded.ts";
import { classifyMessage } from "../../src/mcp/schemas.ts";
import { bearerOf } from "../../src/oauth/challenge.ts";
import { ResponseEnvelopeSchema } from "../../src/passgage/response-envelope.ts";
import { admitLog } from "../../src/rate-limit/policy.ts";
import { fromWire, toWire } from "../../src/session/wire-outcome.ts";
import { runConnectionTool, keepNothing } from "../../src/tools/connection-tools.ts";
import { DEFAULT_SELECTION, enableToolsets, parseToolSelection } from "../../src/tools/tool-selection.ts";
import server from "../../src/index.ts";

export { RateLimiterDO, RegistryDO, SessionDO } from "../../src/index.ts";

const TOOL = "passgage_list_leave_types";
const KEY = "psg_cmp_sandbox_acme_0000000000000000";

/** µs per run of `fn` (sync or async), median of 5 batches of k runs after a warm-up. */
async function time(fn, k) {
  for (let i = 0; i < Math.max(10, k >> 2); i++) await fn(i);
  const batches = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) await fn(i);
    batches.push(((performance.now() - t0) * 1000) / k);
  }
  batches.sort((a, b) => a - b);
  return batches[2];
}

async function stages(env, origin, k) {
  const cfg = loadConfig(env);
  if (!cfg.ok) throw new Error(`config: ${cfg.errors.join("; ")}`);
  const config = cfg.config;
  const up = await fetch(`${env.PASSGAGE_BASE_URL}/api/public/v1/leave_types`, { headers: { authorization: `Bearer ${KEY}` } });
  const upstreamText = await up.text();
  if (!up.ok) throw new Error(`upstream ${up.status}: ${upstreamText.slice(0, 200)}`);
  const envelope = ResponseEnvelopeSchema.parse(JSON.parse(upstreamText));
  const sessionId = generateSessionId();
  const hash = await sessionHash(sessionId);
  const body = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: TOOL, arguments: {} } });
  const headers = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "x-session-id": sessionId,
    "cf-connecting-ip": "127.0.0.1",
    // As a client sends it: the server then reads the body in one call (readBodyCapped).
    "content-length": String(new TextEncoder().encode(body).byteLength),
  };
  const url = `${origin}/mcp`;
  const request = () => new Request(url, { method: "POST", headers, body });
  const parsedBody = JSON.parse(body);
  const session = {
    hash: shortHash(hash),
    mode: "company",
    modes: ["company"],
    user: null,
    company: { id: "c1", name: "Acme" },
    createdAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    lastSeenAt: Date.now(),
  };
  const silent = createLogger({}, "warn");
  const upstream = { call: async () => ({ ok: true, value: { status: 200, envelope } }) };
  const control = {};
  const base = () => ({ session, upstream, control, logger: silent, now: Date.now() });
  const tooling = { selection: enableToolsets(DEFAULT_SELECTION, []).selection, modes: ["company"], saveSelection: keepNothing };
  const outcome = await runConnectionTool(TOOL, {}, base(), tooling);
  if (outcome.kind !== "result" || outcome.result.isError) throw new Error(`tool run failed: ${JSON.stringify(outcome).slice(0, 300)}`);
  const wire = toWire(outcome);
  const rule = config.rateLimit;
  let callLog = [];
  let sink = 0;

  // Lines go nowhere during the log stages' "format only" half (the bench's logger writes to stdout otherwise).
  const realWrite = logSink.write;

  const rows = [];
  // Stages that build a Request (the harness's own cost) have that cost subtracted.
  const requestUs = await time(() => {
    sink += request().method.length;
  }, k);
  // `inTotal: false`: a part of the next row, shown on its own but not added to the sums.
  const add = async (where, stage, fn, { buildsRequest = false, inTotal = true } = {}) => {
    const us = (await time(fn, k)) - (buildsRequest ? requestUs : 0);
    rows.push({ where, stage, us: Math.max(0, Math.round(us * 10) / 10), inTotal });
  };

  await add(
    "edge",
    "request context: client IP and its hash (memoised), config (cached), logger",
    async () => {
      const r = request();
      const c = loadConfig(env);
      const logger = createLogger({ requestId: "r" }, c.ok && c.config.passgageDebug ? "debug" : "info");
      sink += (await ipHash(clientIp(r))).length + (logger ? 1 : 0);
    },
    { buildsRequest: true },
  );
  await add(
    "edge",
    "Origin check, CORS, bearer, tool selection from the URL",
    () => {
      const r = request();
      sink += originAllowed(r, config.allowedOrigins, config.environment) ? 1 : 0;
      sink += Object.keys(corsHeaders(r, config.allowedOrigins, config.environment)).length;
      sink += bearerOf(r) === null ? 1 : 0;
      const sel = parseToolSelection(new URL(r.url), r.headers);
      sink += sel.ok ? 1 : 0;
    },
    { buildsRequest: true },
  );
  await add(
    "edge",
    "body: read, decode, JSON.parse",
    async () => {
      const bytes = await readBodyCapped(request());
      sink += JSON.parse(utf8Decode.decode(bytes)).id;
    },
    { buildsRequest: true },
  );
  await add("edge", "JSON-RPC: classifyInbound + classifyMessage (zod)", () => {
    const era = classifyInbound(parsedBody, { protocolVersion: null, method: null, name: null });
    const m = classifyMessage(parsedBody);
    sink += era.kind.length + m.kind.length;
  });
  await add("edge", "session ID → object name: SHA-256", async () => {
    sink += (await sessionHash(sessionId)).length;
  });
  await add("session", "session check: SHA-256 again, constant-time compares", async () => {
    const h = await sessionHash(sessionId);
    sink += constantTimeEqual(h, hash) && constantTimeEqual(hash, h) ? 1 : 0;
  });
  await add("session", "per-session limit: admitLog", () => {
    const d = admitLog(callLog, Date.now(), rule);
    callLog = d.log.length > 64 ? [] : d.log;
    sink += d.decision.allowed ? 1 : 0;
  });
  await add("session", "upstream answer: JSON.parse + envelope schema (zod)", () => {
    const p = ResponseEnvelopeSchema.safeParse(JSON.parse(upstreamText));
    sink += p.success ? 1 : 0;
  });
  await add("session", "tool run: arguments (zod), request building, rendering text + structuredContent", async () => {
    const o = await runConnectionTool(TOOL, {}, base(), tooling);
    sink += o.kind.length;
  });
  await add("session", "result → JSON text (toWire)", () => {
    sink += toWire(outcome).json.length;
  });
  await add(
    "session",
    "tool.call log line: formatting only (not written)",
    () => {
      logSink.write = (line) => {
        sink += line.length;
      };
      createLogger({ requestId: "r", sessionId: "abc", tool: TOOL }).info("tool.call", {
        mode: "company",
        durationMs: 3,
        outcome: "ok",
        code: "ok",
      });
      logSink.write = realWrite;
    },
    { inTotal: false },
  );
  await add("session", "tool.call log line: formatted and written (console.log)", () => {
    createLogger({ requestId: "r", sessionId: "abc", tool: TOOL }).info("tool.call", {
      mode: "company",
      durationMs: 3,
      outcome: "ok",
      code: "ok",
    });
  });
  await add("edge", "JSON-RPC answer: fromWire, encode, response text, headers, Response", async () => {
    const o = fromWire(wire);
    const res = rpcJsonResponse(rpcResult(2, encodeResult("tools/call", o.result, false)), 200, "r", {});
    sink += res.status;
  });
  // The floor's own JavaScript, for comparison: the upstream answer parsed and serialised again.
  await add("floor", "the floor's JSON.parse, JSON.stringify and Response of the upstream answer", () => {
    sink += Response.json(JSON.parse(upstreamText), { status: 200 }).status;
  });
  return { k, requestUs: Math.round(requestUs * 10) / 10, rows, upstreamBytes: upstreamText.length, resultBytes: wire.json.length, sink };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__floor" || url.pathname === "/__floor/limiter") {
      // The bench Worker's floor (and the floor after a per-IP admission), run in the server's Worker: what the
      // server's isolate and processes cost around the same work.
      if (url.pathname === "/__floor/limiter") {
        const d = await env.RATE_LIMITER.getByName("floor").admit({ limit: 100_000, windowMs: 1_000 });
        if (!d.allowed) return Response.json({ error: "rate limited" }, { status: 429 });
      }
      const res = await fetch(`${env.PASSGAGE_BASE_URL}/api/public/v1/leave_types`, {
        headers: { accept: "application/json", authorization: `Bearer ${KEY}` },
      });
      return Response.json(await res.json(), { status: res.status });
    }
    if (url.pathname !== "/__stages") return server.fetch(request, env, ctx);
    const k = Math.min(20_000, Math.max(10, Number(url.searchParams.get("k") ?? 2000)));
    try {
      return Response.json(await stages(env, url.origin, k));
    } catch (e) {
      return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 500 });
    }
  },
};
