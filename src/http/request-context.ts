/**
 * The one per-request context: built once in the router (src/router.ts) for every
 * request, with the configuration parsed once and the client IP hashed once. Layers
 * below take it whole or as a `Pick` of it, never a look-alike of their own.
 */
import type { Config, ConfigResult } from "../config";
import type { Logger } from "../log";

/** Everything a route handler may use about the request it serves (never the raw body). */
export interface RequestContext {
  readonly env: Env;
  readonly exec: ExecutionContext;
  /** `cf-ray`, or a random UUID; echoed as X-Request-Id. */
  readonly requestId: string;
  /** Bound to `requestId`; debug level when PASSGAGE_DEBUG is on. */
  readonly logger: Logger;
  /** The configuration as parsed once for this request (or why it is invalid). */
  readonly configResult: ConfigResult;
  /** SHA-256 of the client IP (hex): the per-IP limiter's key; the IP itself is never kept. */
  readonly ipHash: string;
}

/** A request context whose configuration parsed: what the /mcp and /login handlers need. */
export type ConfiguredContext = RequestContext & { readonly config: Config };

/** The configured view of `rc`, or null when the configuration is invalid. */
export function configured(rc: RequestContext): ConfiguredContext | null {
  return rc.configResult.ok ? { ...rc, config: rc.configResult.config } : null;
}
