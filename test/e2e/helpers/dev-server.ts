/**
 * Starts the local stack the way `npm run dev` does (scripts/dev.mjs): the Passgage
 * sandbox (sandbox/wrangler.toml) and the MCP server (wrangler.toml) with its
 * PASSGAGE_BASE_URL pointing at the sandbox, both in workerd through wrangler's
 * programmatic API (`unstable_startWorker`, the engine behind `wrangler dev`), on free
 * loopback ports, with the inspector off (BENCHMARKING.md: it taxes every fetch and
 * log line) and no persistence, so every stack starts from the sandbox's
 * deterministic seed with no sessions.
 *
 * Shared by the end-to-end tests (official SDK clients, mcp-remote, browser).
 */
import { unstable_startWorker } from "wrangler";

/** A running sandbox + server pair. */
export interface Stack {
  /** The MCP server's origin, e.g. http://127.0.0.1:41234 (the endpoint is `${serverUrl}/mcp`). */
  readonly serverUrl: string;
  /** The sandbox's origin (the Passgage Public API lives under /api/public/v1). */
  readonly sandboxUrl: string;
  /** Stops both Workers; safe to call more than once. */
  stop(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /**
   * What a request with no credential gets (`ANONYMOUS_ACCESS`): "oauth", the server's default
   * (HTTP 401 with the OAuth challenge; the OAuth tests), or "open" (the anonymous catalog and
   * the in-chat sign-in tools, never 401; the tests of header clients and in-chat sign-in).
   * Required, so every test states which server it runs against.
   */
  readonly anonymousAccess: "oauth" | "open";
  /** Extra or overriding `[vars]` of the MCP server (e.g. a higher RATE_LIMIT_MAX_REQUESTS). */
  readonly vars?: Readonly<Record<string, string>>;
  /** wrangler log level for both Workers (default "warn"). */
  readonly logLevel?: "none" | "error" | "warn" | "info" | "log" | "debug";
}

type StartedWorker = Awaited<ReturnType<typeof unstable_startWorker>>;

async function startOne(
  config: string,
  vars: Readonly<Record<string, string>>,
  logLevel: NonNullable<StackOptions["logLevel"]>,
): Promise<{ worker: StartedWorker; origin: string }> {
  const bindings = Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]));
  const worker = await unstable_startWorker({
    config,
    bindings,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel,
    },
  });
  try {
    await worker.ready;
    const url = await worker.url;
    return { worker, origin: url.origin };
  } catch (e) {
    await worker.dispose().catch(() => undefined);
    throw e;
  }
}

/**
 * Starts the sandbox, then the MCP server wired to it. Resolves once both answer HTTP.
 * Call `stop()` in an afterAll.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  const logLevel = options.logLevel ?? "warn";
  const sandbox = await startOne("sandbox/wrangler.toml", {}, logLevel);
  let server: { worker: StartedWorker; origin: string };
  try {
    server = await startOne(
      "wrangler.toml",
      { PASSGAGE_BASE_URL: sandbox.origin, ANONYMOUS_ACCESS: options.anonymousAccess, ...options.vars },
      logLevel,
    );
  } catch (e) {
    await sandbox.worker.dispose().catch(() => undefined);
    throw e;
  }
  let stopped: Promise<void> | null = null;
  return {
    serverUrl: server.origin,
    sandboxUrl: sandbox.origin,
    stop: () => {
      stopped ??= Promise.allSettled([server.worker.dispose(), sandbox.worker.dispose()]).then(() => undefined);
      return stopped;
    },
  };
}
