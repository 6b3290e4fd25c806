/**
 * JSON-RPC method dispatch: one handler per method, in a Map. Protocol-level methods
 * (initialize, ping, tools/list, server/discover) are answered here without touching
 * any Durable Object; tools/call is routed through the context.
 *
 * Under the stateless 2026-07-28 revision, methods outside its registry (initialize,
 * ping, ...) are method-not-found, and every result is encoded as that revision
 * requires: `resultType: "complete"`, `ttlMs` and `cacheScope` on cacheable results,
 * and the server's identity under `_meta["io.modelcontextprotocol/serverInfo"]`.
 */
import { retryAfterSeconds } from "../rate-limit/policy";
import type { DispatchContext } from "./dispatch-context";
import { RPC, type RpcResponse, rpcError, rpcResult } from "./errors";
import { FEATURE_CAPABILITIES, FEATURE_METHODS } from "./features";
import { exceedsDepth, MAX_ARGUMENT_DEPTH } from "./nesting";
import { encodeResult } from "./encode-result";
import { toolsListResult } from "./tools-list-result";
import {
  MODERN_REQUEST_METHODS,
  negotiateRevision,
  SERVER_INFO,
  SERVER_INSTRUCTIONS,
  STATELESS_REVISION,
  SUPPORTED_REVISIONS,
} from "./protocol";
import { initializeParamsProblem, type RpcRequest } from "./schemas";
import { isRecord } from "../is-record";

/** Thrown-free outcome of one request: the response, plus rate limiting to surface as HTTP 429. */
export type DispatchOutcome = { readonly response: RpcResponse; readonly rateLimitedMs?: number; readonly negotiated?: string };

type JsonObject = Record<string, unknown>;
type Handler = (
  req: RpcRequest,
  ctx: DispatchContext,
) => Promise<{ readonly result: JsonObject; readonly negotiated?: string } | DispatchOutcome>;

/** The capabilities announced by initialize and server/discover. */
function capabilities(): JsonObject {
  return { tools: { listChanged: false }, ...FEATURE_CAPABILITIES };
}

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [
    "initialize",
    async (req) => {
      const problem = initializeParamsProblem(req.params);
      if (problem !== null) return { response: rpcError(req.id, RPC.INVALID_PARAMS, `Invalid params: ${problem}`) };
      const negotiated = negotiateRevision(req.params?.protocolVersion);
      return {
        negotiated,
        result: { protocolVersion: negotiated, capabilities: capabilities(), serverInfo: SERVER_INFO, instructions: SERVER_INSTRUCTIONS },
      };
    },
  ],
  [
    "server/discover",
    // The stateless revision's discovery; the shape is the same whichever era asks.
    async (req) => ({
      response: rpcResult(
        req.id,
        encodeResult(
          "server/discover",
          { supportedVersions: [...SUPPORTED_REVISIONS], capabilities: capabilities(), instructions: SERVER_INSTRUCTIONS },
          true,
        ),
      ),
    }),
  ],
  ["ping", async () => ({ result: {} })],
  ["tools/list", async (req, ctx) => ({ response: rpcResult(req.id, toolsListResult(await ctx.toolListing(), ctx.stateless)) })],
  [
    "tools/call",
    async (req, ctx) => {
      const name = req.params?.name;
      if (typeof name !== "string" || name === "")
        return { response: rpcError(req.id, RPC.INVALID_PARAMS, "params.name must be a tool name") };
      const args = req.params?.arguments;
      if (args !== undefined && !isRecord(args))
        return { response: rpcError(req.id, RPC.INVALID_PARAMS, "params.arguments must be an object") };
      if (exceedsDepth(args, MAX_ARGUMENT_DEPTH)) {
        return {
          response: rpcError(req.id, RPC.INVALID_PARAMS, `params.arguments is nested too deeply (at most ${MAX_ARGUMENT_DEPTH} levels)`),
        };
      }
      const routed = await ctx.callTool(name, args ?? {});
      switch (routed.kind) {
        case "result":
          return { result: routed.result };
        case "rpc_error":
          return { response: rpcError(req.id, routed.code, routed.message) };
        case "rate_limited":
          return {
            rateLimitedMs: routed.retryAfterMs,
            response: rpcError(
              req.id,
              RPC.RATE_LIMITED,
              `Rate limit exceeded for this session; retry after ${retryAfterSeconds(routed.retryAfterMs)} s.`,
            ),
          };
      }
    },
  ],
]);

/** Dispatches one request. Never throws: a bug becomes -32603 with a generic message. */
export async function dispatchRequest(req: RpcRequest, ctx: DispatchContext): Promise<DispatchOutcome> {
  try {
    if (ctx.stateless && !MODERN_REQUEST_METHODS.has(req.method)) {
      return {
        response: rpcError(
          req.id,
          RPC.METHOD_NOT_FOUND,
          `Method not found: ${req.method.slice(0, 80)} is not part of protocol revision ${STATELESS_REVISION}`,
        ),
      };
    }
    const handler = HANDLERS.get(req.method);
    if (handler) {
      const out = await handler(req, ctx);
      if ("response" in out) return out;
      const response = rpcResult(req.id, encodeResult(req.method, out.result, ctx.stateless));
      return out.negotiated === undefined ? { response } : { response, negotiated: out.negotiated };
    }
    const feature = FEATURE_METHODS.get(req.method);
    if (feature) {
      const r = await feature(req.params ?? {}, ctx);
      return {
        response: r.ok
          ? rpcResult(req.id, encodeResult(req.method, r.value, ctx.stateless))
          : rpcError(req.id, r.error.code, r.error.message, r.error.data),
      };
    }
    return { response: rpcError(req.id, RPC.METHOD_NOT_FOUND, `Method not found: ${req.method.slice(0, 80)}`) };
  } catch (e) {
    ctx.logger.error("rpc.exception", { method: req.method.slice(0, 80), error: e instanceof Error ? e.name : "unknown" });
    return { response: rpcError(req.id, RPC.INTERNAL_ERROR, "Internal error") };
  }
}
