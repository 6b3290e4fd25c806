/**
 * JSON-RPC method dispatch: one handler per method, in a Map. Protocol-level methods
 * (initialize, ping, tools/list, server/discover) are answered here without touching
 * any Durable Object; tools/call is routed through the context.
 */
import { toolList } from "../tools/catalog";
import type { DispatchContext } from "./dispatch-context";
import { RPC, type RpcResponse, rpcError, rpcResult } from "./errors";
import { FEATURE_CAPABILITIES, FEATURE_METHODS } from "./features";
import { LEGACY_REVISIONS, negotiateRevision, SERVER_INFO, SERVER_INSTRUCTIONS, STATELESS_REVISION } from "./protocol";
import type { RpcRequest } from "./schemas";

/** Thrown-free outcome of one request: the response, plus rate limiting to surface as HTTP 429. */
export type DispatchOutcome = { readonly response: RpcResponse; readonly rateLimitedMs?: number; readonly negotiated?: string };

type Handler = (req: RpcRequest, ctx: DispatchContext) => Promise<DispatchOutcome>;

function capabilities(): Record<string, unknown> {
  return { tools: { listChanged: false }, ...FEATURE_CAPABILITIES };
}

function withResultType(ctx: DispatchContext, result: Record<string, unknown>): Record<string, unknown> {
  return ctx.stateless ? { ...result, resultType: "complete" } : result;
}

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [
    "initialize",
    async (req) => {
      const negotiated = negotiateRevision(req.params?.protocolVersion);
      return {
        negotiated,
        response: rpcResult(req.id, { protocolVersion: negotiated, capabilities: capabilities(), serverInfo: SERVER_INFO, instructions: SERVER_INSTRUCTIONS }),
      };
    },
  ],
  [
    "server/discover",
    async (req, ctx) => ({
      response: rpcResult(
        req.id,
        withResultType(ctx, {
          supportedVersions: [STATELESS_REVISION, ...LEGACY_REVISIONS],
          capabilities: capabilities(),
          serverInfo: SERVER_INFO,
          instructions: SERVER_INSTRUCTIONS,
        }),
      ),
    }),
  ],
  ["ping", async (req, ctx) => ({ response: rpcResult(req.id, withResultType(ctx, {})) })],
  ["tools/list", async (req, ctx) => ({ response: rpcResult(req.id, withResultType(ctx, { tools: toolList() })) })],
  [
    "tools/call",
    async (req, ctx) => {
      const name = req.params?.name;
      if (typeof name !== "string" || name === "") return { response: rpcError(req.id, RPC.INVALID_PARAMS, "params.name must be a tool name") };
      const args = req.params?.arguments;
      if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args))) {
        return { response: rpcError(req.id, RPC.INVALID_PARAMS, "params.arguments must be an object") };
      }
      const routed = await ctx.callTool(name, args ?? {});
      switch (routed.kind) {
        case "result":
          return { response: rpcResult(req.id, withResultType(ctx, { ...routed.result })) };
        case "rpc_error":
          return { response: rpcError(req.id, routed.code, routed.message) };
        case "rate_limited":
          return {
            rateLimitedMs: routed.retryAfterMs,
            response: rpcError(req.id, RPC.RATE_LIMITED, `Rate limit exceeded for this session; retry after ${Math.ceil(routed.retryAfterMs / 1000)} s.`),
          };
      }
    },
  ],
]);

/** Dispatches one request. Never throws: a bug becomes -32603 with a generic message. */
export async function dispatchRequest(req: RpcRequest, ctx: DispatchContext): Promise<DispatchOutcome> {
  const handler = HANDLERS.get(req.method);
  try {
    if (handler) return await handler(req, ctx);
    const feature = FEATURE_METHODS.get(req.method);
    if (feature) {
      const r = await feature(req.params ?? {}, ctx);
      return { response: r.ok ? rpcResult(req.id, withResultType(ctx, r.value)) : rpcError(req.id, r.error.code, r.error.message) };
    }
    return { response: rpcError(req.id, RPC.METHOD_NOT_FOUND, `Method not found: ${req.method.slice(0, 80)}`) };
  } catch (e) {
    ctx.logger.error("rpc.exception", { method: req.method.slice(0, 80), error: e instanceof Error ? e.name : "unknown" });
    return { response: rpcError(req.id, RPC.INTERNAL_ERROR, "Internal error") };
  }
}
