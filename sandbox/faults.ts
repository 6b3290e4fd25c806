/**
 * Fault injection (sandbox only, off unless asked). A fault comes from the
 * request header `X-Sandbox-Fault: <fault>` or from a rule armed through
 * `POST /__sandbox/faults`, which makes the next `count` matching requests
 * fail (matching on method, path prefix and the exact bearer credential).
 *
 * Faults: `slow:<ms>` (delay, then answer normally), `500`, `502` (an HTML
 * gateway page), `503`, `429` (with `Retry-After: 1`), `malformed` (200 with
 * a truncated JSON body), `expired` (the 401 of an expired token), `reset`
 * (the connection is dropped mid-response; see sandbox/index.ts).
 */
import * as z from "zod/mini";
import { type Reply, fail } from "./envelope";

/** A parsed fault. */
export type Fault =
  | { readonly kind: "slow"; readonly ms: number }
  | { readonly kind: "status"; readonly status: 500 | 502 | 503 | 429 }
  | { readonly kind: "malformed" }
  | { readonly kind: "expired" }
  | { readonly kind: "reset" };

/** Longest accepted `slow:<ms>` delay. */
export const MAX_SLOW_MS = 60_000;

/** Parses a fault name; null when unknown. */
export function parseFault(text: string): Fault | null {
  const t = text.trim().toLowerCase();
  const slow = /^slow:(\d{1,6})$/.exec(t);
  if (slow) {
    const ms = Number(slow[1]);
    return ms <= MAX_SLOW_MS ? { kind: "slow", ms } : null;
  }
  if (t === "500" || t === "502" || t === "503" || t === "429") return { kind: "status", status: Number(t) as 500 | 502 | 503 | 429 };
  if (t === "malformed") return { kind: "malformed" };
  if (t === "expired") return { kind: "expired" };
  if (t === "reset") return { kind: "reset" };
  return null;
}

/** Name of a fault for counters (`slow`, `500`, `malformed`, ...). */
export function faultName(f: Fault): string {
  return f.kind === "status" ? String(f.status) : f.kind;
}

const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/** The reply a failing fault produces (null for `slow`, which answers normally, and `reset`). */
export function faultReply(f: Fault): Reply | null {
  switch (f.kind) {
    case "slow":
    case "reset":
      return null;
    case "malformed":
      return {
        status: 200,
        body: null,
        raw: '{"success":true,"status":200,"message":"","data":[{"id":"3f2b',
      };
    case "expired":
      return fail(401, "Token has expired");
    case "status":
      switch (f.status) {
        case 500:
          return fail(500, "Internal server error");
        case 502:
          return { status: 502, body: null, raw: BAD_GATEWAY_HTML, headers: [["Content-Type", "text/html"]] };
        case 503:
          return { ...fail(503, "Service unavailable"), headers: [["Retry-After", "1"]] };
        case 429:
          return { ...fail(429, "Too many requests"), headers: [["Retry-After", "1"]] };
      }
  }
}

/** Body of `POST /__sandbox/faults`. */
export const ArmFaultSchema = z.object({
  fault: z.string(),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  match: z.optional(
    z.object({
      method: z.optional(z.string()),
      pathPrefix: z.optional(z.string()),
      credential: z.optional(z.string()),
    }),
  ),
});

/** An armed fault rule. */
export interface FaultRule {
  readonly id: string;
  readonly fault: string;
  /** Requests it will still fail. */
  remaining: number;
  /** Requests it has failed so far. */
  hits: number;
  readonly match: { readonly method?: string; readonly pathPrefix?: string; readonly credential?: string };
  readonly createdAt: string;
}

/** Schema of a stored rule (storage reads are parsed too). */
export const FaultRuleSchema = z.object({
  id: z.string(),
  fault: z.string(),
  remaining: z.number(),
  hits: z.number(),
  match: z.object({ method: z.optional(z.string()), pathPrefix: z.optional(z.string()), credential: z.optional(z.string()) }),
  createdAt: z.string(),
});

/** What a request looks like to fault matching. */
export interface FaultProbe {
  readonly method: string;
  readonly path: string;
  /** The bearer credential, if any. */
  readonly credential: string | null;
}

/** Whether a rule matches a request. */
export function ruleMatches(rule: FaultRule, probe: FaultProbe): boolean {
  const m = rule.match;
  if (m.method !== undefined && m.method.toUpperCase() !== probe.method.toUpperCase()) return false;
  if (m.pathPrefix !== undefined && !probe.path.startsWith(m.pathPrefix)) return false;
  if (m.credential !== undefined && m.credential !== probe.credential) return false;
  return true;
}
