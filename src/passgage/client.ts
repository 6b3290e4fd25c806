/**
 * The HTTP client of the Passgage API: one call, with a timeout (PASSGAGE_TIMEOUT,
 * aborted), bounded retries with backoff for idempotent reads only, and every
 * failure turned into a tagged `UpstreamError` value. It never sees how the
 * credential is kept; callers pass it in. Debug logs carry method, path and status,
 * never credentials, bodies or query values.
 */
import type { Logger } from "../log";
import { err, ok, type Result } from "../result";
import { type ResponseEnvelope, ResponseEnvelopeSchema, type FieldError, messageOf, normaliseErrors } from "./response-envelope";
import type { HttpMethod } from "../contract/types";

/** One upstream request, already built from a contract operation. */
export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Path with parameters filled in, e.g. `/api/public/v1/leaves/abc`. */
  readonly path: string;
  readonly query?: URLSearchParams;
  /** JSON body, or a FormData for multipart operations. */
  readonly body?: unknown;
  /** A label for logs (operation id), never data. */
  readonly label?: string;
}

/** A successful upstream answer (2xx with a JSON body). */
export interface UpstreamSuccess {
  readonly status: number;
  readonly envelope: ResponseEnvelope;
}

/** Every way an upstream call can fail, as a value. */
export type UpstreamError =
  | { readonly code: "timeout"; readonly timeoutMs: number }
  | { readonly code: "network" }
  | { readonly code: "malformed"; readonly status: number }
  | { readonly code: "rate_limited"; readonly retryAfterSeconds: number | null }
  | { readonly code: "unauthorized"; readonly status: 401; readonly message: string }
  | { readonly code: "forbidden"; readonly message: string }
  | { readonly code: "not_found"; readonly message: string }
  | { readonly code: "validation"; readonly message: string; readonly fieldErrors: readonly FieldError[] }
  | { readonly code: "server"; readonly status: number; readonly message: string }
  | { readonly code: "http"; readonly status: number; readonly message: string; readonly fieldErrors: readonly FieldError[] };

/** Options of one call. */
export interface UpstreamCallOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** `Bearer` credential, or null for the unauthenticated login call. */
  readonly credential: string | null;
  readonly logger: Logger;
  readonly debug: boolean;
  /** Extra attempts for idempotent reads on timeout, network, 5xx or 429 (default 2). */
  readonly retries?: number;
  /** Backoff base in ms (default 150): attempt n waits base × 2^n plus jitter. */
  readonly backoffMs?: number;
  /** Injected fetch, for fault tests; defaults to the global. */
  readonly fetch?: typeof fetch;
  /** Extra request headers (never credentials). */
  readonly headers?: Readonly<Record<string, string>>;
}

const RETRYABLE: ReadonlySet<UpstreamError["code"]> = new Set(["timeout", "network", "server", "rate_limited", "malformed"]);

/** Performs one upstream call (with retries for GET only). */
export async function callUpstream(req: UpstreamRequest, opts: UpstreamCallOptions): Promise<Result<UpstreamSuccess, UpstreamError>> {
  const maxRetries = req.method === "GET" ? (opts.retries ?? 2) : 0;
  let attempt = 0;
  for (;;) {
    const result = await callOnce(req, opts);
    if (result.ok || attempt >= maxRetries || !RETRYABLE.has(result.error.code)) return result;
    const base = opts.backoffMs ?? 150;
    let waitMs = base * 2 ** attempt + Math.floor(Math.random() * base);
    if (result.error.code === "rate_limited" && result.error.retryAfterSeconds !== null) {
      waitMs = Math.max(waitMs, Math.min(result.error.retryAfterSeconds * 1000, 5_000));
    }
    attempt++;
    opts.logger.warn("upstream.retry", { op: req.label, attempt, code: result.error.code, waitMs });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

async function callOnce(req: UpstreamRequest, opts: UpstreamCallOptions): Promise<Result<UpstreamSuccess, UpstreamError>> {
  const url = opts.baseUrl + req.path + (req.query && [...req.query.keys()].length > 0 ? `?${req.query.toString()}` : "");
  const headers = new Headers({ accept: "application/json", ...opts.headers });
  if (opts.credential !== null) headers.set("authorization", `Bearer ${opts.credential}`);
  let body: BodyInit | undefined;
  if (req.body instanceof FormData) body = req.body;
  else if (req.body !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(req.body);
  }
  const started = Date.now();
  const doFetch = opts.fetch ?? fetch;
  // A timer cleared once the body is read, not AbortSignal.timeout(): a pending timeout
  // would keep the calling Durable Object active (not evictable) for PASSGAGE_TIMEOUT
  // after every call.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException("upstream timeout", "TimeoutError")), opts.timeoutMs);
  let res: Response;
  let text: string;
  try {
    try {
      res = await doFetch(url, { method: req.method, headers, body, signal: abort.signal });
    } catch (e) {
      const timedOut = abort.signal.aborted || (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError"));
      opts.logger.warn("upstream.error", {
        op: req.label,
        method: req.method,
        code: timedOut ? "timeout" : "network",
        durationMs: Date.now() - started,
      });
      return err(timedOut ? { code: "timeout", timeoutMs: opts.timeoutMs } : { code: "network" });
    }
    try {
      text = await res.text();
    } catch {
      const timedOut = abort.signal.aborted;
      opts.logger.warn("upstream.error", {
        op: req.label,
        method: req.method,
        code: timedOut ? "timeout" : "network",
        durationMs: Date.now() - started,
      });
      return err(timedOut ? { code: "timeout", timeoutMs: opts.timeoutMs } : { code: "network" });
    }
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Date.now() - started;
  if (opts.debug)
    opts.logger.info("upstream.call", { op: req.label, method: req.method, path: redactPath(req.path), status: res.status, durationMs });
  let envelope: ResponseEnvelope | null = null;
  if (text.trim() !== "") {
    try {
      const parsed = ResponseEnvelopeSchema.safeParse(JSON.parse(text));
      envelope = parsed.success ? parsed.data : null;
    } catch {
      envelope = null;
    }
  } else if (res.ok) {
    envelope = {};
  }
  if (res.ok) {
    if (envelope === null) {
      opts.logger.warn("upstream.error", { op: req.label, status: res.status, code: "malformed", durationMs });
      return err({ code: "malformed", status: res.status });
    }
    // The shift-settings "not found" comes back as success:true with status 404 (API.md §3).
    if (envelope.status === 404) return err({ code: "not_found", message: messageOf(envelope) || "Not found" });
    return ok({ status: res.status, envelope });
  }
  const e = toError(res, envelope);
  opts.logger.warn("upstream.error", { op: req.label, status: res.status, code: e.code, durationMs });
  return err(e);
}

function toError(res: Response, envelope: ResponseEnvelope | null): UpstreamError {
  const message = envelope ? messageOf(envelope) : "";
  const fieldErrors = envelope ? normaliseErrors(envelope.errors) : [];
  switch (res.status) {
    case 401:
      return { code: "unauthorized", status: 401, message: message || "Unauthorized" };
    case 403:
      return { code: "forbidden", message: message || "Forbidden" };
    case 404:
      return { code: "not_found", message: message || "Not found" };
    case 422:
      return { code: "validation", message: message || "Unprocessable entity", fieldErrors };
    case 429: {
      const ra = Number(res.headers.get("retry-after"));
      return { code: "rate_limited", retryAfterSeconds: Number.isFinite(ra) && ra >= 0 ? ra : null };
    }
    default:
      if (res.status >= 500)
        return envelope === null && res.status === 200
          ? { code: "malformed", status: res.status }
          : { code: "server", status: res.status, message };
      return { code: "http", status: res.status, message, fieldErrors };
  }
}

/** Replaces path segments that look like ids with `:id` so debug logs carry no data. */
export function redactPath(path: string): string {
  return path
    .split("/")
    .map((seg) => (seg === "" || /^(api|public|v1|auth)$/.test(seg) || /^[a-z_]+$/.test(seg) ? seg : ":id"))
    .join("/");
}
