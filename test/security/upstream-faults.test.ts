/**
 * Upstream faults (issue 7), through the sandbox's fault injection and, for what the
 * sandbox cannot do, the session's own configuration: timeouts (PASSGAGE_TIMEOUT
 * lowered in the object, `slow:` fault), 500/502/503, malformed JSON, a connection cut
 * mid-body, connection refused (PASSGAGE_BASE_URL pointed at a closed loopback port),
 * 429, and 401 with an expired token (refresh, then retry).
 *
 * Each fault gives a clear `isError` result; only idempotent reads are retried (three
 * attempts, waits of at least 150 ms then 300 ms, or Retry-After), writes are tried
 * once; the session stays intact; an expired token costs one refresh, never a storm.
 * Every fault is armed on the session's own JWT, so parallel test files never meet it.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionDO } from "../../durable-objects/session";
import { armFault, call, type Fresh, SEED, signedIn } from "../durable-objects/session-fixtures";
import { figure, quietLogs, tally } from "./figures";

quietLogs();

afterEach(() => {
  vi.restoreAllMocks();
});

const LEAVES = "/api/public/v1/leaves";
const PRESIGNED = "/api/public/v1/files/presigned_upload";
const RETRY_HINT = "calling the tool again in a moment may succeed";
/** Backoff base of src/passgage/client.ts: attempt n waits at least base × 2^n. */
const BACKOFF_BASE_MS = 150;

/** One upstream exchange seen by the spy. */
interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly credential: string | null;
  readonly start: number;
  readonly end: number;
  readonly outcome: number | "network";
}

/** Observes every outbound fetch of this isolate (the SessionDOs run in it), with times; learns issued tokens. */
function watchUpstream(): { readonly exchanges: Exchange[]; readonly tokens: string[] } {
  const exchanges: Exchange[] = [];
  const tokens: string[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const auth = req.headers.get("authorization");
    const credential = auth?.startsWith("Bearer ") ? auth.slice(7) : null;
    const start = Date.now();
    try {
      const res = await original(req);
      exchanges.push({ method: req.method, path: url.pathname, credential, start, end: Date.now(), outcome: res.status });
      if (/\/auth\/(login|refresh)$/.test(url.pathname) && res.ok) {
        const body: unknown = await res.clone().json();
        const token = (body as { data?: { token?: unknown } }).data?.token;
        if (typeof token === "string") tokens.push(token);
      }
      return res;
    } catch (e) {
      exchanges.push({ method: req.method, path: url.pathname, credential, start, end: Date.now(), outcome: "network" });
      throw e;
    }
  });
  return { exchanges, tokens };
}

/** A signed-in user session and its JWT. */
async function userSession(who: { email: string; password: string }, seen: { tokens: string[] }): Promise<{ s: Fresh; token: string }> {
  const before = seen.tokens.length;
  const s = await signedIn(who);
  const token = seen.tokens.slice(before).at(-1);
  if (!token) throw new Error("no token observed");
  return { s, token };
}

/** Replaces configuration variables inside the session's object (its `env`), or restores them. */
async function configure(s: Fresh, vars: Partial<Record<"PASSGAGE_TIMEOUT" | "PASSGAGE_BASE_URL", string>> | null): Promise<void> {
  await runInDurableObject(s.stub, (instance: SessionDO) => {
    const holder = instance as unknown as { env: Env };
    holder.env = vars === null ? env : { ...env, ...vars };
  });
}

/** The tool calls of the matrix: one read (GET, idempotent) and two writes (POST, DELETE). */
const CALLS = {
  read: { tool: "passgage_list_leaves", args: { per_page: 1 }, method: "GET", path: LEAVES },
  create: {
    tool: "passgage_create_presigned_upload",
    args: { files: [{ filename: "fault.txt", byte_size: 5, checksum: "XUFAKrxLKna5cZ2REBfFkg==", content_type: "text/plain" }] },
    method: "POST",
    path: PRESIGNED,
  },
  remove: {
    tool: "passgage_delete_leave",
    args: { id: "5f3c9a52-0000-4000-8000-00000000fa17" },
    method: "DELETE",
    path: `${LEAVES}/5f3c9a52-0000-4000-8000-00000000fa17`,
  },
} as const;

/** A fault kind and how it is produced and recognised. */
interface FaultKind {
  readonly name: string;
  /** Sandbox fault to arm (null: produced by configuration only). */
  readonly fault: string | null;
  readonly vars?: Partial<Record<"PASSGAGE_TIMEOUT" | "PASSGAGE_BASE_URL", string>>;
  /** Text the tool result must contain. */
  readonly says: string;
  /** Minimum wait before each retry, ms (backoff, or Retry-After). */
  readonly minWaitsMs: readonly [number, number];
}

const KINDS: readonly FaultKind[] = [
  {
    name: "timeout",
    fault: "slow:2500",
    vars: { PASSGAGE_TIMEOUT: "1000" },
    says: "did not answer within 1 s",
    minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS],
  },
  { name: "500", fault: "500", says: "Passgage failed with HTTP 500", minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS] },
  { name: "502", fault: "502", says: "HTTP 502", minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS] },
  { name: "503", fault: "503", says: "HTTP 503", minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS] },
  { name: "malformed JSON", fault: "malformed", says: "unreadable answer", minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS] },
  { name: "connection reset", fault: "reset", says: "could not be reached", minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS] },
  {
    name: "connection refused",
    fault: null,
    vars: { PASSGAGE_BASE_URL: "http://127.0.0.1:9" },
    says: "could not be reached",
    minWaitsMs: [BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS],
  },
  { name: "429", fault: "429", says: "limiting the request rate", minWaitsMs: [1_000, 1_000] },
];

/** What one fault kind did to one call. */
interface Row {
  readonly kind: string;
  readonly call: keyof typeof CALLS;
  readonly attempts: number;
  readonly waitsMs: number[];
  readonly isError: boolean;
  readonly clear: boolean;
  readonly retryable: boolean;
}

async function runKind(
  kind: FaultKind,
  { s, token }: { s: Fresh; token: string },
  seen: ReturnType<typeof watchUpstream>,
): Promise<{ rows: Row[]; intact: boolean }> {
  if (kind.vars) await configure(s, kind.vars);
  const rows: Row[] = [];
  for (const key of ["read", "create", "remove"] as const) {
    const c = CALLS[key];
    // Three faults for a read (every attempt fails); one for a write (a retry would succeed and show).
    if (kind.fault !== null)
      await armFault(kind.fault, key === "read" ? 3 : 1, { method: c.method, pathPrefix: c.path, credential: token });
    const from = seen.exchanges.length;
    const r = await call(s, c.tool, c.args);
    const mine = seen.exchanges.slice(from).filter((x) => x.credential === token && x.method === c.method && x.path === c.path);
    const waitsMs = mine.slice(1).map((x, i) => x.start - (mine[i]?.end ?? x.start));
    rows.push({
      kind: kind.name,
      call: key,
      attempts: mine.length,
      waitsMs,
      isError: r.isError,
      clear: r.text.includes(kind.says),
      retryable: r.text.includes(RETRY_HINT),
    });
  }
  if (kind.vars) await configure(s, null);
  // The session is intact: status, and a read that now succeeds with the same credential.
  const status = await call(s, "passgage_session_status");
  const read = await call(s, CALLS.read.tool, CALLS.read.args);
  const intact = status.structured?.signedIn === true && !read.isError;
  return { rows, intact };
}

describe("upstream faults", () => {
  it("every fault: a clear isError result; reads retried with backoff (3 attempts), writes tried once; the session stays intact", async () => {
    const seen = watchUpstream();
    const users = [SEED.ayse, SEED.mehmet, SEED.admin, SEED.john];
    // Sign in one after the other (each session's JWT is learnt from the traffic), then run the kinds in parallel.
    const sessions: { s: Fresh; token: string }[] = [];
    for (const [i] of KINDS.entries()) sessions.push(await userSession(users[i % users.length] ?? SEED.ayse, seen));
    const outcomes = await Promise.all(
      KINDS.map((k, i) => {
        const session = sessions[i];
        if (!session) throw new Error("missing session");
        return runKind(k, session, seen);
      }),
    );
    const rows = outcomes.flatMap((o) => o.rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const kind = KINDS.find((k) => k.name === r.kind);
      expect(r.isError, `${r.kind} ${r.call} isError`).toBe(true);
      expect(r.clear, `${r.kind} ${r.call} says "${kind?.says}"`).toBe(true);
      // Reads say "temporary: call again"; ambiguous write failures say to check first (429 excepted).
      const wantRetryable = r.call === "read" ? true : r.kind === "429" ? r.retryable : false;
      expect(r.retryable, `${r.kind} ${r.call}: ${r.call === "read" ? "marked" : "not marked"} temporary`).toBe(wantRetryable);
      expect(r.attempts, `${r.kind} ${r.call} attempts`).toBe(r.call === "read" ? 3 : 1);
      r.waitsMs.forEach((w, i) => expect(w, `${r.kind} wait ${i + 1}`).toBeGreaterThanOrEqual((kind?.minWaitsMs[i] ?? 0) - 5));
    }
    expect(outcomes.every((o) => o.intact)).toBe(true);
    const reads = rows.filter((r) => r.call === "read");
    const writes = rows.filter((r) => r.call !== "read");
    figure(
      "upstream faults",
      `${KINDS.length} kinds (${KINDS.map((k) => k.name).join(", ")}) x 3 calls: ${rows.filter((r) => r.isError && r.clear).length}/${rows.length} clear isError results; reads ${tally(reads.map((r) => `${r.attempts} attempts`))}, waits ${reads.map((r) => r.waitsMs.join("+")).join(" ")} ms; writes (POST, DELETE) ${tally(writes.map((r) => `${r.attempts} attempt${r.attempts === 1 ? "" : "s"}`))}; sessions intact ${outcomes.filter((o) => o.intact).length}/${outcomes.length}`,
    );
  }, 60_000);

  // FINDING (fixed in src/tools/upstream-errors.ts):
  // a write that fails ambiguously (timeout, connection reset, 5xx, or a 200 whose body is
  // unreadable) is reported like a read: "This is temporary: calling the tool again in a
  // moment may succeed". The write may well have been applied upstream (a 200 with a
  // truncated body almost surely was), so following that advice can make the change twice
  // (two leave requests). Writes are never retried automatically, rightly; the wording
  // should match. Proposed fix: in upstreamToolError, for `subject.write` and codes
  // timeout/network/server/malformed, say that it is unknown whether the change was made
  // and to check (list or get the record) before calling again, and set `retryable: false`
  // (429 stays retryable: a rate-limited request was not processed).
  it("an ambiguous write failure says the change may have been applied, not just 'call again'", async () => {
    const seen = watchUpstream();
    const texts: string[] = [];
    for (const fault of ["malformed", "500", "reset"]) {
      const { s, token } = await userSession(SEED.ayse, seen);
      await armFault(fault, 1, { method: "POST", pathPrefix: PRESIGNED, credential: token });
      const r = await call(s, CALLS.create.tool, CALLS.create.args);
      expect(r.isError).toBe(true);
      texts.push(r.text);
    }
    for (const text of texts) {
      expect(text).not.toContain(RETRY_HINT);
      expect(text).toMatch(/may (already )?have been (applied|made)|check .* before/i);
    }
  });

  it("one transient fault on a read is absorbed by the retry: the call succeeds", async () => {
    const seen = watchUpstream();
    const recovered: string[] = [];
    for (const fault of ["500", "502", "503", "malformed", "reset", "429"]) {
      const { s, token } = await userSession(SEED.ayse, seen);
      await armFault(fault, 1, { method: "GET", pathPrefix: LEAVES, credential: token });
      const r = await call(s, CALLS.read.tool, CALLS.read.args);
      expect(r.isError, `${fault}: ${r.text}`).toBe(false);
      recovered.push(fault);
    }
    figure("upstream faults", `one fault then success on a read: ${recovered.length}/6 recovered by the retry (${recovered.join(", ")})`);
  }, 30_000);

  it("401 with an expired token: one refresh, then the retry succeeds; 20 concurrent 401s share one refresh; a refused refresh is not repeated", async () => {
    const seen = watchUpstream();
    const refreshesWith = (token: string) =>
      seen.exchanges.filter((x) => x.path.endsWith("/auth/refresh") && x.credential === token).length;

    // Read and write: refreshed once, retried once with the new token.
    const single = await userSession(SEED.mehmet, seen);
    await armFault("expired", 1, { method: "GET", pathPrefix: LEAVES, credential: single.token });
    const read = await call(single.s, CALLS.read.tool, CALLS.read.args);
    expect(read.isError, read.text).toBe(false);
    expect(refreshesWith(single.token)).toBe(1);
    const fresh = seen.tokens.at(-1) ?? "";
    await armFault("expired", 1, { method: "POST", pathPrefix: PRESIGNED, credential: fresh });
    const write = await call(single.s, CALLS.create.tool, CALLS.create.args);
    expect(write.isError, write.text).toBe(false);
    expect(refreshesWith(fresh)).toBe(1);

    // A burst of 401s: one refresh for all.
    const burst = await userSession(SEED.ayse, seen);
    await armFault("expired", 20, { method: "GET", pathPrefix: LEAVES, credential: burst.token });
    const results = await Promise.all(Array.from({ length: 20 }, () => call(burst.s, CALLS.read.tool, CALLS.read.args)));
    expect(results.filter((r) => r.isError)).toEqual([]);
    const burstRefreshes = refreshesWith(burst.token);
    expect(burstRefreshes).toBe(1);

    // The refresh itself refused: every call fails clearly, the refresh is tried once, the session lives on.
    const refused = await userSession(SEED.admin, seen);
    await armFault("expired", 100, { method: "GET", pathPrefix: LEAVES, credential: refused.token });
    await armFault("expired", 100, { method: "POST", pathPrefix: "/api/public/auth/refresh", credential: refused.token });
    const failing = await Promise.all(Array.from({ length: 20 }, () => call(refused.s, CALLS.read.tool, CALLS.read.args)));
    for (let i = 0; i < 5; i++) failing.push(await call(refused.s, CALLS.read.tool, CALLS.read.args));
    expect(failing.every((r) => r.isError && r.text.includes("did not accept this session's credential (401)"))).toBe(true);
    const refusedRefreshes = refreshesWith(refused.token);
    expect(refusedRefreshes).toBe(1);
    expect((await call(refused.s, "passgage_session_status")).structured?.signedIn).toBe(true);

    figure(
      "upstream faults",
      `401 expired: read and write each refreshed once and retried (ok); 20 concurrent 401s -> ${burstRefreshes} refresh, 20/20 ok; refused refresh: 25 calls -> ${refusedRefreshes} refresh attempt, 25 clear 401 errors, session intact`,
    );
  }, 30_000);
});
