/** JSON-RPC 2.0 error codes and response builders (MCP uses the standard codes). */

/** Standard JSON-RPC codes. */
export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Implementation-defined server error: used for rate limiting. */
  RATE_LIMITED: -32029,
  /** Server error: a transport-level refusal (bad header, method not allowed, not acceptable). */
  SERVER_ERROR: -32000,
  /** Unknown or terminated Mcp-Session-Id (HTTP 404), as the official SDKs answer it. */
  SESSION_NOT_FOUND: -32001,
  /** 2026-07-28 HeaderMismatch: MCP-Protocol-Version / Mcp-Method / Mcp-Name missing, malformed or disagreeing with the body (HTTP 400). */
  HEADER_MISMATCH: -32020,
  /** 2026-07-28 MissingRequiredClientCapability (HTTP 400). */
  MISSING_CLIENT_CAPABILITY: -32021,
  /** 2026-07-28 UnsupportedProtocolVersion; data `{ supported, requested }` (HTTP 400). */
  UNSUPPORTED_PROTOCOL_VERSION: -32022,
} as const;

/** A JSON-RPC id. */
export type RpcId = string | number | null;

/** A JSON-RPC error response. */
export interface RpcErrorResponse {
  readonly jsonrpc: "2.0";
  readonly id: RpcId;
  readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
}

/** A JSON-RPC success response. */
export interface RpcSuccessResponse {
  readonly jsonrpc: "2.0";
  readonly id: string | number;
  readonly result: Record<string, unknown>;
}

/** Any response. */
export type RpcResponse = RpcErrorResponse | RpcSuccessResponse;

/** Builds an error response. */
export function rpcError(id: RpcId, code: number, message: string, data?: unknown): RpcErrorResponse {
  return data === undefined ? { jsonrpc: "2.0", id, error: { code, message } } : { jsonrpc: "2.0", id, error: { code, message, data } };
}

/** Builds a success response. */
export function rpcResult(id: string | number, result: Record<string, unknown>): RpcSuccessResponse {
  return { jsonrpc: "2.0", id, result };
}
