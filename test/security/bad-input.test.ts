/**
 * Bad input (issue 7): a corpus of malformed and hostile requests, hand-written and
 * generated with fast-check (fixed seed, so every run sends the same corpus), sent
 * to the Worker's fetch handler: broken and truncated JSON, wrong types, huge ids,
 * deep nesting, 2 MB bodies, invalid UTF-8, `__proto__` and `constructor` keys,
 * unknown methods and tools, wrong headers and HTTP methods; some with a live session.
 *
 * Every answer must be a 4xx, or a JSON-RPC error with a standard code (the JSON-RPC
 * codes -32700/-32600/-32601/-32602 or the reserved server range -32000..-32099), or,
 * for a tools/call that reached a tool, an `isError` result. -32603 (an exception on
 * the server) counts as a failure: bad input is the client's fault. No 5xx, no hang,
 * no prototype pollution, and both sessions work afterwards.
 *
 * The corpus goes to the Worker's fetch handler (the default export of src/index.ts,
 * with the real bindings and a fresh ExecutionContext per request) rather than through
 * the pool's self-fetch, whose cost per call grows with the number of calls made
 * (measured here: about 2 ms per call at first, 19 ms after 250 calls), which would
 * make a corpus of this size take minutes.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { exceedsDepth, MAX_ARGUMENT_DEPTH } from "../../src/mcp/nesting";
import { toolList } from "../../src/tools/catalog";
import { BASE, callTool, loginAs, loginWithKey, SEED } from "../helpers/mcp";
import { figure, ipSource, quietLogs, tally, TIMED_OUT, within } from "./figures";

quietLogs();

const nextIp = ipSource("198.19");
const SEED_FC = 20_261_127;
/** A request that has not answered after this long counts as a hang. */
const HANG_MS = 10_000;
const PARALLEL = 8;

const ACCEPT = "application/json, text/event-stream";
const KNOWN_METHODS = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "server/discover",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/read",
  "resources/templates/list",
];
const READ_TOOLS = [
  "passgage_list_leaves",
  "passgage_list_users",
  "passgage_get_leave",
  "passgage_list_departments",
  "passgage_list_user_shifts",
  "passgage_list_approvals",
];

/** Which session, if any, a case presents in X-Session-ID. */
type SessionUse = "none" | "company" | "user";

/** One request of the corpus. */
interface Case {
  readonly group: string;
  readonly source: "hand" | "generated";
  readonly method?: string;
  /** Extra or replacing headers; `null` removes a default header. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** The body: a string, raw bytes, a stream, or a value to serialise. */
  readonly body?: string | Uint8Array | (() => ReadableStream<Uint8Array>) | { readonly json: unknown };
  readonly session?: SessionUse;
  /** The body is a notification: 202 with no body is the right answer. */
  readonly notification?: boolean;
  /** The request may be valid after all (e.g. hostile keys in an ignored place): a result is fine. */
  readonly mayBeValid?: boolean;
  /** Expected HTTP status, when the case pins one. */
  readonly status?: number;
  /** Expected JSON-RPC error code, when the case pins one. */
  readonly code?: number;
}

/** How one answer was judged. */
interface Verdict {
  readonly status: number | "hang";
  readonly ok: boolean;
  readonly why: string;
  readonly code?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A standard code: JSON-RPC's pre-defined ones (except -32603) or the reserved server-error range. */
function standardCode(code: unknown): code is number {
  return typeof code === "number" && ([-32700, -32600, -32601, -32602].includes(code) || (code >= -32099 && code <= -32000));
}

function rpc(method: unknown, params?: unknown, id: unknown = 1): { json: unknown } {
  const m: Record<string, unknown> = { jsonrpc: "2.0", id, method };
  if (params !== undefined) m.params = params;
  return { json: m };
}

function toolCall(name: unknown, args?: unknown): { json: unknown } {
  return rpc("tools/call", args === undefined ? { name } : { name, arguments: args });
}

function nested(depth: number, leaf: string, open: string, close: string): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

/** A tools/call of a read tool whose `filter` argument is nested `depth` objects deep. */
function deepArguments(depth: number): string {
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{"filter":${nested(depth, "1", '{"a":', "}")}}}}`;
}

const enc = new TextEncoder();

function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

// ------------------------------------------------------------------ hand-written corpus

function handWritten(): Case[] {
  const cases: Case[] = [];
  const add = (group: string, c: Omit<Case, "group" | "source">): void => {
    cases.push({ group, source: "hand", ...c });
  };
  const valid = JSON.stringify(toolCall("passgage_list_leaves", { per_page: 1 }).json);

  // Broken JSON.
  for (const body of [
    "",
    " ",
    "{",
    "}",
    "[",
    "{not json",
    "{'jsonrpc':'2.0'}",
    '{"jsonrpc":"2.0",}',
    '{"a":1}{"b":2}',
    "NaN",
    "undefined",
    "nul",
    '{"id":1,"method":"ping",/*c*/"jsonrpc":"2.0"}',
    '"\\u00"',
    "\u0000",
    '{"jsonrpc":"2.0","id":01,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping"',
    "[[[[",
    '{"x":"\\q"}',
  ]) {
    add("broken JSON", { body, status: 400, code: -32700 });
  }
  // Valid JSON that is no JSON-RPC message.
  for (const json of [
    null,
    0,
    -1,
    true,
    "ping",
    [],
    [1, 2],
    {},
    { hello: "world" },
    [null],
    [[]],
    { jsonrpc: "2.0" },
    { id: 1 },
    { method: "ping" },
  ]) {
    add("not JSON-RPC", { body: { json } });
  }
  // Truncated JSON: a valid tools/call cut at 40 places.
  for (let i = 1; i <= 40; i++)
    add("truncated JSON", { body: valid.slice(0, Math.floor((valid.length * i) / 41)), status: 400, code: -32700 });

  // Wrong types of the envelope.
  for (const jsonrpc of [2, "2", "1.0", null, true, {}, ["2.0"], "2.0 "])
    add("wrong types", { body: { json: { jsonrpc, id: 1, method: "ping" } }, code: -32600 });
  for (const id of [{}, [], true, false, 1.5, -0.5, { id: 1 }])
    add("wrong types", { body: { json: { jsonrpc: "2.0", id, method: "ping" } }, code: -32600 });
  for (const method of [5, null, true, {}, [], ["ping"], ""])
    add("wrong types", { body: { json: { jsonrpc: "2.0", id: 1, method } }, code: -32600 });
  for (const params of ["x", 5, true, [], [1], null])
    add("wrong types", { body: { json: { jsonrpc: "2.0", id: 1, method: "tools/list", params } }, code: -32600 });
  for (const name of [5, null, true, {}, [], ""]) add("wrong types", { body: toolCall(name), code: -32602 });
  for (const args of ["x", 5, true, [], [1, 2], null])
    add("wrong types", { body: toolCall("passgage_session_status", args), code: -32602 });
  for (const args of [
    { per_page: "ten" },
    { per_page: -1 },
    { per_page: 1e9 },
    { per_page: 1.5 },
    { page: {} },
    { filter: "x" },
    { filter: [1] },
    { sort: 5 },
    { per_page: null },
  ]) {
    add("wrong types", { body: toolCall("passgage_list_leaves", args), session: "company" });
  }
  for (const args of [
    {},
    { email: 5, password: "x" },
    { email: "a@b.c" },
    { email: ["a"], password: {} },
    { email: "not-an-email", password: "p" },
    { apiKey: 5 },
  ]) {
    add("wrong types", { body: toolCall("passgage_session_login", args) });
  }
  add("wrong types", { body: toolCall("passgage_session_login_api_key", { apiKey: { toString: "x" } }) });

  // Huge and odd ids (raw JSON text, beyond what JSON.stringify would write).
  for (const id of ["1e308", "-1e308", "9007199254740993", "123456789012345678901234567890", "1e-320", "-0.0000001", "1E400"]) {
    add("huge ids", { body: `{"jsonrpc":"2.0","id":${id},"method":"ping"}`, code: -32600 });
  }
  for (const len of [257, 10_000, 500_000])
    add("huge ids", { body: { json: { jsonrpc: "2.0", id: "x".repeat(len), method: "ping" } }, code: -32600 });
  add("huge ids", { body: toolCall("passgage_get_leave", { id: "9".repeat(5_000) }), session: "company" });
  add("huge ids", { body: toolCall("passgage_get_leave", { id: "../../users" }), session: "company" });
  add("huge ids", { body: toolCall("passgage_get_leave", { id: "00000000-0000-4000-8000-000000000000/../../x" }), session: "user" });
  add("huge ids", { body: toolCall("passgage_get_leave", { id: "%2e%2e%2fusers" }), session: "user" });

  // Deep nesting: in the body, in params, in tool arguments (with and without a session).
  for (const depth of [1_000, 10_000, 100_000, 400_000]) add("deep nesting", { body: nested(depth, "1", "[", "]") });
  for (const depth of [1_000, 50_000, 200_000])
    add("deep nesting", {
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":${nested(depth, "1", '{"a":', "}")}}}`,
      mayBeValid: true,
    });
  for (const depth of [100, 1_000, 10_000, 100_000]) add("deep nesting", { body: deepArguments(depth) });
  for (const depth of [100, 1_000, 2_000]) add("deep nesting", { body: deepArguments(depth), session: "company" });
  for (const depth of [1_000, 100_000])
    add("deep nesting", {
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_session_login","arguments":{"email":${nested(depth, '"x"', "[", "]")},"password":"p"}}}`,
    });
  add("deep nesting", {
    body: `[${Array.from({ length: 60 }, () => '{"jsonrpc":"2.0","id":1,"method":"ping"}').join(",")}]`,
    headers: { "mcp-protocol-version": "2025-03-26" },
    status: 400,
    code: -32600,
  });

  // 2 MB bodies, declared and streamed; just over the 1 MB cap.
  const twoMb = JSON.stringify(toolCall("passgage_list_leaves", { filter: { title_cont: "x".repeat(2 * 1_048_576) } }).json);
  add("2 MB bodies", { body: twoMb, status: 413 });
  add("2 MB bodies", { body: () => streamOf(enc.encode(twoMb), 64 * 1024), status: 413 });
  add("2 MB bodies", { body: `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"p":"${"y".repeat(1_048_576)}"}}`, status: 413 });
  add("2 MB bodies", { body: "[".repeat(2 * 1_048_576), status: 413 });
  add("2 MB bodies", { body: () => streamOf(new Uint8Array(2 * 1_048_576).fill(0x20), 8 * 1024), status: 413 });
  add("2 MB bodies", { body: twoMb, session: "company", status: 413 });

  // Invalid UTF-8: stray bytes, overlong forms, surrogates, truncated sequences, inside strings and keys.
  const badBytes: number[][] = [
    [0xff],
    [0xfe, 0xff],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc3],
    [0xe2, 0x82],
    [0x80],
    [0xf4, 0x90, 0x80, 0x80],
  ];
  for (const b of badBytes) {
    add("invalid UTF-8", {
      body: bytes(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_session_login","arguments":{"email":"a',
        b,
        '@b.c","password":"p"}}}',
      ),
      status: 400,
      code: -32700,
    });
    add("invalid UTF-8", { body: bytes('{"jsonrpc":"2.0","id":1,"method":"', b, '"}'), status: 400, code: -32700 });
  }
  add("invalid UTF-8", { body: bytes([0xef, 0xbb, 0xbf], '{"jsonrpc":"2.0","id":1,"method":"nope"}'), code: -32601 });
  add("invalid UTF-8", {
    body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_session_login","arguments":{"email":"\\ud800@b.c","password":"\\udfff"}}}',
  });

  // __proto__ and constructor keys, everywhere.
  const protoBodies = [
    '{"__proto__":{"polluted":"yes"},"jsonrpc":"2.0","id":1,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"__proto__":{"polluted":"yes"}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{"__proto__":{"polluted":"yes","per_page":1}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{"constructor":{"prototype":{"polluted":"yes"}}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{"filter":{"__proto__":{"polluted":"yes"}}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_session_login","arguments":{"__proto__":{"email":"ayse@acme.example","password":"acme-ayse-2026"}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"__proto__":{"name":"passgage_session_status"}}}',
    '{"jsonrpc":"2.0","id":{"__proto__":{"polluted":"yes"}},"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping","__proto__":{"method":"tools/list"}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{"per_page":1},"_meta":{"__proto__":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}}',
    '[{"__proto__":[]},{"constructor":{"name":"x"}}]',
  ];
  for (const body of protoBodies) {
    // Smuggled through __proto__, the credentials must not be seen: that sign-in is refused.
    const mayBeValid = !body.includes('"arguments":{"__proto__":{"email"');
    add("__proto__/constructor", { body, mayBeValid });
    add("__proto__/constructor", { body, session: "company", mayBeValid });
  }
  for (const m of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "prototype"])
    add("__proto__/constructor", { body: rpc(m), code: -32601 });
  for (const t of ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"]) {
    add("__proto__/constructor", { body: toolCall(t), code: -32602 });
    add("__proto__/constructor", { body: toolCall(t), session: "user", code: -32602 });
  }

  // Unknown methods and tools.
  for (const m of [
    "foo",
    "tools/cal",
    "tools/call/",
    "TOOLS/LIST",
    "rpc.discover",
    " ping",
    "ping\u0000",
    "a".repeat(256),
    "sampling/createMessage",
    "logging/setLevel",
    "completion/complete",
    "notifications/initialized",
  ]) {
    add("unknown methods", { body: rpc(m), code: -32601 });
  }
  add("unknown methods", { body: rpc("a".repeat(257)), code: -32600 });
  // Notifications (no id) of unknown or hostile methods: nothing to answer, 202.
  for (const m of ["notifications/unknown", "__proto__", "tools/call", "constructor", "x".repeat(256)]) {
    add("unknown methods", {
      body: `{"jsonrpc":"2.0","method":${JSON.stringify(m)},"params":{"__proto__":{"polluted":"yes"}}}`,
      notification: true,
      status: 202,
    });
  }
  for (const t of [
    "nope",
    "passgage_",
    "passgage_list_leave",
    "../../etc/passwd",
    "passgage_list_leaves\u0000",
    "パスゲージ",
    "a".repeat(100_000),
    "passgage_list_leaves ",
    "PASSGAGE_LIST_LEAVES",
  ]) {
    add("unknown tools", { body: toolCall(t), code: -32602 });
  }
  add("unknown tools", { body: toolCall("nope"), session: "company", code: -32602 });
  for (const m of ["prompts/get", "resources/read"])
    add("unknown tools", { body: rpc(m, { name: "nope", uri: "passgage://nope/../../x" }) });

  // Wrong headers.
  const ping = rpc("ping");
  add("wrong headers", { body: ping, headers: { accept: null }, status: 406 });
  add("wrong headers", { body: ping, headers: { accept: "application/json" }, status: 406 });
  add("wrong headers", { body: ping, headers: { accept: "text/event-stream" }, status: 406 });
  add("wrong headers", { body: ping, headers: { accept: "*/*" }, status: 406 });
  add("wrong headers", { body: ping, headers: { "content-type": null }, status: 415 });
  for (const ct of [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "application/json-patch+json",
    "json",
    "",
  ]) {
    add("wrong headers", { body: ping, headers: { "content-type": ct }, status: 415 });
  }
  for (const v of ["1900-01-01", "latest", "2025-11-25x", "2025-13-45", "x".repeat(4_000), "2026-07-28"])
    add("wrong headers", { body: ping, headers: { "mcp-protocol-version": v }, status: 400 });
  for (const v of ["garbage", "x".repeat(8_000), "v1.abc.def", "sess_" + "A".repeat(43)])
    add("wrong headers", { body: ping, headers: { "mcp-session-id": v }, status: 404 });
  for (const v of ["garbage", "x".repeat(8_000), "sess_" + "A".repeat(43), "sess_" + "!".repeat(43), "sess_../../x"]) {
    add("wrong headers", { body: toolCall("passgage_list_leaves"), headers: { "x-session-id": v } });
  }
  add("wrong headers", { body: ping, headers: { origin: "https://evil.example" }, status: 403 });
  add("wrong headers", { body: ping, headers: { origin: "null" }, status: 403 });
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  add("wrong headers", {
    body: rpc("tools/list", { _meta: meta }),
    headers: { "mcp-protocol-version": "2026-07-28" },
    status: 400,
    code: -32020,
  });
  add("wrong headers", {
    body: rpc("tools/list", { _meta: meta }),
    headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call" },
    status: 400,
    code: -32020,
  });
  add("wrong headers", {
    body: rpc("tools/call", { name: "passgage_session_status", _meta: meta }),
    headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "=?base64?%%%?=" },
    status: 400,
    code: -32020,
  });
  add("wrong headers", {
    body: rpc("tools/list", { _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": 5 } }),
    headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" },
    status: 400,
  });
  add("wrong headers", {
    body: rpc("tools/list", { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } }),
    headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" },
    status: 400,
  });
  add("wrong headers", {
    body: rpc("tools/list", { _meta: meta }),
    headers: { "mcp-protocol-version": "2025-11-25", "mcp-method": "tools/list" },
    status: 400,
  });
  add("wrong headers", { body: ping, headers: { "content-length": "99999999" }, status: 413 });

  // Wrong HTTP methods and paths.
  for (const method of ["GET", "PUT", "PATCH"])
    add("wrong methods", { method, body: method === "GET" ? undefined : JSON.stringify(ping.json), status: 405 });
  add("wrong methods", { method: "DELETE", status: 400 });
  add("wrong methods", { method: "DELETE", headers: { "mcp-session-id": "garbage" }, status: 404 });
  add("wrong methods", { method: "HEAD", status: 405 });
  for (const path of [
    "/mcp/../admin/sessions",
    "/MCP",
    "/mcp?x=1%00",
    "/admin/sessions",
    "/.well-known/oauth-authorization-server",
    "/%2e%2e/",
    "/mcp//",
  ]) {
    add("wrong paths", { method: "POST", body: JSON.stringify(ping.json), headers: { "x-path": path }, mayBeValid: true });
  }
  return cases;
}

function streamOf(data: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

// ------------------------------------------------------------------ generated corpus (fast-check)

const notTwoPointZero = fc.oneof(
  fc.string().filter((s) => s !== "2.0"),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const badId = fc.oneof(
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.boolean(),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.string({ minLength: 257, maxLength: 600 }),
);
const unknownMethod = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }))
  .filter((m) => !KNOWN_METHODS.includes(m) && !m.startsWith("notifications/"));
const nonString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const nonObject = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 4 }));
const unknownTool = fc.string({ minLength: 1, maxLength: 60 }).filter((t) => !t.startsWith("passgage_"));
const badPerPage = fc.oneof(
  fc.integer({ min: 51 }),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "__defineSetter__", "valueOf");

function generated(): Case[] {
  const g = (group: string, c: Omit<Case, "group" | "source">): Case => ({ group, source: "generated", ...c });
  const runs = (n: number) => ({ numRuns: n, seed: SEED_FC });
  const base = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "passgage_list_leaves", arguments: { per_page: 1 } } };
  const out: Case[] = [];

  out.push(
    ...fc
      .sample(notTwoPointZero, runs(25))
      .map((jsonrpc) => g("gen: wrong jsonrpc", { body: { json: { ...base, jsonrpc } }, code: -32600 })),
  );
  out.push(...fc.sample(badId, runs(25)).map((id) => g("gen: wrong id", { body: { json: { ...base, id } }, code: -32600 })));
  out.push(
    ...fc.sample(nonString, runs(20)).map((method) => g("gen: wrong method type", { body: { json: { ...base, method } }, code: -32600 })),
  );
  out.push(
    ...fc.sample(unknownMethod, runs(30)).map((method) => g("gen: unknown method", { body: { json: { ...base, method, params: {} } } })),
  );
  out.push(
    ...fc
      .sample(nonObject, runs(20))
      .map((params) => g("gen: params not an object", { body: { json: { ...base, params } }, code: -32600 })),
  );
  out.push(...fc.sample(unknownTool, runs(30)).map((name) => g("gen: unknown tool", { body: toolCall(name, {}), code: -32602 })));
  out.push(...fc.sample(nonString, runs(15)).map((name) => g("gen: tool name not a string", { body: toolCall(name, {}), code: -32602 })));
  out.push(
    ...fc
      .sample(nonObject, runs(15))
      .map((args) => g("gen: arguments not an object", { body: toolCall("passgage_list_leaves", args), code: -32602 })),
  );
  out.push(
    ...fc
      .sample(fc.tuple(fc.constantFrom(...READ_TOOLS), badPerPage, fc.constantFrom<SessionUse>("company", "user")), runs(40))
      .map(([tool, per_page, session]) => g("gen: tool arguments of wrong type", { body: toolCall(tool, { per_page, id: 42 }), session })),
  );
  out.push(
    ...fc
      .sample(
        fc.tuple(
          fc.constantFrom(...READ_TOOLS),
          fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 5 }),
        ),
        runs(30),
      )
      .map(([tool, args]) => g("gen: tool arguments, random", { body: toolCall(tool, args), session: "none", mayBeValid: true })),
  );
  out.push(
    ...fc
      .sample(fc.tuple(hostileKey, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("top", "params", "arguments", "meta")), runs(30))
      .map(([key, value, where]) => {
        const v = JSON.stringify(value);
        const k = JSON.stringify(key);
        const body =
          where === "top"
            ? `{${k}:${v},"jsonrpc":"2.0","id":1,"method":"tools/list"}`
            : where === "params"
              ? `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{${k}:${v}}}`
              : where === "arguments"
                ? `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"passgage_list_leaves","arguments":{${k}:${v}}}}`
                : `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{${k}:${v}}}}`;
        return g("gen: hostile keys", { body, mayBeValid: where !== "arguments" });
      }),
  );
  const validText = JSON.stringify(base);
  out.push(
    ...fc
      .sample(fc.integer({ min: 1, max: validText.length - 1 }), runs(30))
      .map((cut) => g("gen: truncated JSON", { body: validText.slice(0, cut), status: 400, code: -32700 })),
  );
  out.push(
    ...fc
      .sample(
        fc
          .jsonValue({ maxDepth: 4 })
          .map((v) => JSON.stringify(v))
          .filter((t) => t.length > 2),
        runs(25),
      )
      .map((t, i) => g("gen: truncated JSON", { body: t.slice(0, Math.max(1, Math.floor(t.length / 2) - (i % 2))) })),
  );
  out.push(...fc.sample(fc.jsonValue({ maxDepth: 4 }), runs(30)).map((json) => g("gen: random JSON", { body: { json } })));
  out.push(...fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), runs(40)).map((b) => g("gen: random bytes", { body: b })));
  out.push(
    ...fc.sample(fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })), runs(20)).map(([accept, ct]) =>
      g("gen: random Accept/Content-Type", {
        body: rpc("ping"),
        headers: { accept: accept.includes("json") ? "text/html" : accept, "content-type": ct },
        status: 406,
      }),
    ),
  );
  out.push(
    ...fc.sample(fc.constantFrom("PUT", "PATCH", "GET", "HEAD"), runs(8)).map((method) =>
      g("gen: wrong HTTP method", {
        method,
        body: method === "GET" || method === "HEAD" ? undefined : JSON.stringify(rpc("ping").json),
        status: 405,
      }),
    ),
  );
  out.push(
    ...fc.sample(fc.integer({ min: 1, max: 5_000 }), runs(12)).map((depth) =>
      g("gen: deep nesting", {
        body: nested(depth, "null", '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"p":', "}}"),
        mayBeValid: true,
      }),
    ),
  );
  return out;
}

// ------------------------------------------------------------------ sending and judging

/**
 * Client IP of the i-th request: 20 requests per IP, well under the per-IP limit
 * (RATE_LIMIT_MAX_REQUESTS a minute) even though a batch of N messages costs N admissions
 * (issue 11), so the corpus tests input handling, not the limiter; a new IP per request
 * would also create a RateLimiterDO per request.
 */
function corpusIp(i: number): string {
  return `198.19.${200 + Math.floor(i / 5000)}.${(Math.floor(i / 20) % 250) + 1}`;
}

async function send(c: Case, i: number, sessions: Record<Exclude<SessionUse, "none">, string>): Promise<Response | typeof TIMED_OUT> {
  const headers = new Headers({ "content-type": "application/json", accept: ACCEPT, "cf-connecting-ip": corpusIp(i) });
  let path = "/mcp";
  for (const [k, v] of Object.entries(c.headers ?? {})) {
    if (k === "x-path" && v !== null) path = v;
    else if (v === null) headers.delete(k);
    else headers.set(k, v);
  }
  if (c.session && c.session !== "none") headers.set("x-session-id", sessions[c.session]);
  let body: BodyInit | undefined;
  if (c.body === undefined) body = undefined;
  else if (typeof c.body === "string" || c.body instanceof Uint8Array) body = c.body;
  else if (typeof c.body === "function") body = c.body();
  else body = JSON.stringify(c.body.json);
  const method = c.method ?? "POST";
  return within(handlerFetch(new Request(BASE + path, { method, headers, ...(body !== undefined ? { body } : {}) })), HANG_MS);
}

/** Calls the Worker's fetch handler; background work (waitUntil) is awaited before the answer is returned. */
async function handlerFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  const body = await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return new Response(body, res);
}

async function judge(c: Case, res: Response | typeof TIMED_OUT): Promise<Verdict> {
  if (res === TIMED_OUT) return { status: "hang", ok: false, why: "no answer (hang)" };
  const status = res.status;
  const text = await res.text();
  if (status >= 500) return { status, ok: false, why: `5xx: ${text.slice(0, 160)}` };
  if (c.status !== undefined && status !== c.status)
    return { status, ok: false, why: `expected HTTP ${c.status}, got ${status}: ${text.slice(0, 160)}` };
  let parsed: unknown = null;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    if (status >= 400 && status < 500) return { status, ok: true, why: "4xx (non-JSON body)" };
    return { status, ok: false, why: `unparseable ${status} body` };
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const codes: number[] = [];
  for (const m of messages) {
    if (isRecord(m) && m.jsonrpc === "2.0" && isRecord(m.error)) {
      if (!standardCode(m.error.code))
        return {
          status,
          ok: false,
          why: `non-standard or internal error code ${String(m.error.code)}: ${String(m.error.message).slice(0, 120)}`,
          code: Number(m.error.code),
        };
      codes.push(m.error.code);
    }
  }
  const code = codes[0];
  if (c.code !== undefined && code !== c.code)
    return { status, ok: false, why: `expected code ${c.code}, got ${String(code)}`, ...(code !== undefined ? { code } : {}) };
  if (status >= 400 && status < 500) return { status, ok: true, why: "4xx", ...(code !== undefined ? { code } : {}) };
  if (status === 202)
    return (c.notification || c.mayBeValid) && text === ""
      ? { status, ok: true, why: "202 (no response due)" }
      : { status, ok: false, why: "202 to a request" };
  if (status !== 200) return { status, ok: false, why: `unexpected status ${status}` };
  if (codes.length === messages.length) return { status, ok: true, why: "JSON-RPC error", ...(code !== undefined ? { code } : {}) };
  // A result: a tool error is a refusal; anything else only where the case may be valid.
  const results = messages.filter((m) => isRecord(m) && isRecord(m.result)).map((m) => (m as { result: Record<string, unknown> }).result);
  if (results.length > 0 && results.every((r) => r.isError === true)) return { status, ok: true, why: "tool error (isError)" };
  if (c.mayBeValid) return { status, ok: true, why: "valid after all (result)" };
  return { status, ok: false, why: `accepted: ${text.slice(0, 160)}` };
}

describe("bad input", () => {
  it("a corpus of at least 500 malformed or hostile requests: 4xx or standard JSON-RPC errors, no 5xx, no hang; sessions intact", async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const ip = { "cf-connecting-ip": nextIp() };
    const sessions = { company: await loginWithKey(SEED.acmeKey, ip), user: await loginAs(SEED.ayse, ip) };
    const corpus = [...handWritten(), ...generated()];
    const hand = corpus.filter((c) => c.source === "hand").length;
    for (const use of ["company", "user"] as const) {
      // The per-session limit (RATE_LIMIT_MAX_REQUESTS a minute) must leave room for the checks afterwards.
      expect(corpus.filter((c) => c.session === use).length).toBeLessThan(90);
    }

    const verdicts: { c: Case; v: Verdict }[] = [];
    const started = Date.now();
    for (let i = 0; i < corpus.length; i += PARALLEL) {
      const batch = corpus.slice(i, i + PARALLEL);
      const answers = await Promise.all(batch.map(async (c, j) => ({ c, v: await judge(c, await send(c, i + j, sessions)) })));
      verdicts.push(...answers);
    }
    const elapsed = Date.now() - started;

    const failures = verdicts.filter((x) => !x.v.ok);
    const fiveXx = verdicts.filter((x) => typeof x.v.status === "number" && x.v.status >= 500).length;
    const hangs = verdicts.filter((x) => x.v.status === "hang").length;
    const internal = verdicts.filter((x) => x.v.code === -32603).length;
    const after = Object.getOwnPropertyNames(Object.prototype).sort();
    const probe: Record<string, unknown> = {};

    // Both sessions still work.
    const companyStatus = await callTool("passgage_session_status", {}, { ...ip, "x-session-id": sessions.company });
    const userStatus = await callTool("passgage_session_status", {}, { ...ip, "x-session-id": sessions.user });
    const companyRead = await callTool("passgage_list_leaves", { per_page: 1 }, { ...ip, "x-session-id": sessions.company });
    const userRead = await callTool("passgage_list_my_leaves", {}, { ...ip, "x-session-id": sessions.user });
    const sessionsOk = [
      companyStatus.structuredContent?.signedIn === true,
      userStatus.structuredContent?.signedIn === true,
      companyRead.isError !== true,
      userRead.isError !== true,
    ].filter(Boolean).length;

    figure(
      "bad input",
      `${verdicts.length} requests (${hand} hand-written, ${verdicts.length - hand} generated by fast-check, seed ${SEED_FC}) in ${elapsed} ms: ${fiveXx} 5xx, ${hangs} hangs, ${internal} -32603, ${failures.length} wrong answers; statuses ${tally(verdicts.map((x) => x.v.status))}; JSON-RPC codes ${tally(verdicts.flatMap((x) => (x.v.code !== undefined ? [x.v.code] : [])))}; answers ${tally(verdicts.map((x) => x.v.why.replace(/:.*$/, "")))}; groups ${new Set(corpus.map((c) => c.group)).size}; prototype keys added ${after.length - before.length}; sessions working afterwards ${sessionsOk}/4`,
    );
    if (failures.length > 0) {
      figure(
        "bad input",
        `failures: ${failures
          .slice(0, 15)
          .map(
            (x) =>
              `[${x.c.group}] ${x.v.why} <- ${typeof x.c.body === "string" ? x.c.body.length + " " + x.c.body.slice(0, 100) : typeof x.c.body === "object" && x.c.body !== null && "json" in x.c.body ? JSON.stringify(x.c.body.json).slice(0, 300) : ""} ${x.c.session ?? ""}`,
          )
          .join(" | ")}`,
      );
    }

    expect(verdicts.length).toBeGreaterThanOrEqual(500);
    expect(fiveXx).toBe(0);
    expect(hangs).toBe(0);
    expect(failures.map((x) => `[${x.c.group}] ${x.v.why}`)).toEqual([]);
    expect(after).toEqual(before);
    expect(probe.polluted).toBeUndefined();
    expect(sessionsOk).toBe(4);
  }, 120_000);

  // Found by this suite: tool arguments nested about 5,000 levels deep (a 30 KB body)
  // passed the edge, and forwarding them to the SessionDO failed in RPC serialisation
  // (RangeError), so the client got -32603 "Internal error" instead of -32602. Fixed:
  // dispatch refuses arguments nested deeper than MAX_ARGUMENT_DEPTH (src/mcp/nesting.ts).
  it("tool arguments nested past the bound, with a session: -32602 (not -32603); at the bound they reach the tool", async () => {
    const ip = { "cf-connecting-ip": "198.19.201.1" };
    const sessions = { company: await loginWithKey(SEED.acmeKey, ip), user: await loginAs(SEED.ayse, ip) };
    // The arguments object is level 1 and `filter`'s n nested objects add n levels: n + 1 in all.
    const depths = [MAX_ARGUMENT_DEPTH - 1, MAX_ARGUMENT_DEPTH, 5_000, 10_000, 100_000];
    const verdicts: Verdict[] = [];
    for (const [i, depth] of depths.entries()) {
      for (const session of ["company", "user"] as const) {
        const tooDeep = depth + 1 > MAX_ARGUMENT_DEPTH;
        const c: Case = {
          group: "deep nesting",
          source: "hand",
          body: deepArguments(depth),
          session,
          ...(tooDeep ? { code: -32602 } : {}),
        };
        const v = await judge(c, await send(c, 800 + i, sessions));
        verdicts.push(v);
        expect(v.ok, `depth ${depth} (${session}): ${v.why}`).toBe(true);
        // Within the bound the arguments reach the tool, which refuses them as a tool error.
        expect(tooDeep ? "tool error (isError)" : v.why, `depth ${depth} (${session})`).toBe("tool error (isError)");
      }
    }
    figure(
      "bad input",
      `tool arguments nested ${depths.map((d) => d + 1).join("/")} levels with a session: codes ${tally(verdicts.map((v) => v.code ?? v.why))} (bound ${MAX_ARGUMENT_DEPTH})`,
    );
  });

  it("the depth bound: no recursion on a million levels, exact at the bound, above what every tool's schema needs", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(exceedsDepth(deep, MAX_ARGUMENT_DEPTH)).toBe(true);
    expect(exceedsDepth(JSON.parse(nested(MAX_ARGUMENT_DEPTH, "1", "[", "]")), MAX_ARGUMENT_DEPTH)).toBe(false);
    expect(exceedsDepth(JSON.parse(nested(MAX_ARGUMENT_DEPTH + 1, "1", "[", "]")), MAX_ARGUMENT_DEPTH)).toBe(true);
    expect(exceedsDepth({ a: "x", b: [1, 2, { c: null }] }, 3)).toBe(false);
    // The deepest input schema of the catalog, in object/array levels of its arguments.
    const schemaDepth = (schema: unknown): number => {
      if (!isRecord(schema)) return 0;
      let inner = 0;
      for (const key of ["properties", "patternProperties"]) {
        const props = schema[key];
        if (isRecord(props)) for (const p of Object.values(props)) inner = Math.max(inner, schemaDepth(p));
      }
      for (const key of ["items", "additionalProperties"]) inner = Math.max(inner, schemaDepth(schema[key]));
      for (const key of ["anyOf", "oneOf", "allOf"]) {
        const alts = schema[key];
        if (Array.isArray(alts)) for (const a of alts) inner = Math.max(inner, schemaDepth(a) - (schema.type === undefined ? 1 : 0));
      }
      const own = schema.type === "object" || schema.type === "array" || isRecord(schema.properties) || schema.items !== undefined ? 1 : 0;
      return own + inner;
    };
    const deepest = Math.max(...toolList().map((t) => schemaDepth(t.inputSchema)));
    expect(deepest).toBeGreaterThan(0);
    expect(deepest).toBeLessThan(MAX_ARGUMENT_DEPTH / 4);
  });
});
