/**
 * The tool runner: runs one tool call for a given ToolContext (a session's, or the
 * anonymous one): look-up, access check (before any upstream call), argument
 * validation, the handler, and the mapping of its Result onto an MCP CallToolResult.
 * Unknown tools are a JSON-RPC -32602; invalid arguments and tool failures are
 * `isError: true` results; a thrown bug is -32603 with a generic message.
 *
 * `ToolOutcome` is the one outcome type of a tool call on every layer (runner,
 * SessionDO RPC, session routing, dispatch). It only borrows the JSON-RPC error code
 * table (src/mcp/errors.ts, a leaf module of constants).
 */
import { RPC } from "../mcp/errors";
import { formatIssues } from "../validation";
import { TOOLS_BY_NAME } from "./catalog";
import type { AnyTool, ToolContext, ToolError } from "./define-tool";
import { modeGuidance } from "./guidance";

/** An MCP CallToolResult (a type, not an interface: a JSON-RPC result object, passed as one without copying). */
export type CallToolResult = {
  readonly content: readonly { readonly type: "text"; readonly text: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly isError?: boolean;
};

/**
 * Outcome of a tool call, on every layer:
 * - `result`: a CallToolResult (success, or `isError` with guidance), with a log code;
 * - `rpc_error`: a JSON-RPC error (unknown tool -32602, internal -32603);
 * - `rate_limited`: the session's own limit refused the call (SessionDO);
 * - `no_session`: the SessionDO holds no live session for the ID (session routing then
 *   tries the next candidate, else the anonymous context; never reaches dispatch).
 */
export type ToolOutcome =
  | { readonly kind: "result"; readonly result: CallToolResult; readonly code: string }
  | { readonly kind: "rpc_error"; readonly code: number; readonly message: string }
  | { readonly kind: "rate_limited"; readonly retryAfterMs: number }
  | { readonly kind: "no_session" };

/** What the runner itself yields (no limiter, no session look-up). */
export type RunOutcome = Extract<ToolOutcome, { readonly kind: "result" | "rpc_error" }>;

/** What session routing hands the transport: a session was found or the anonymous context ran the call. */
export type RoutedOutcome = Exclude<ToolOutcome, { readonly kind: "no_session" }>;

/** Builds an error result (isError) from a message. */
export function toolErrorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Whether the session in ctx may call the tool; an error message otherwise. */
function accessError(tool: AnyTool, ctx: ToolContext): string | null {
  if (tool.access === "anyone") return null;
  const s = ctx.session;
  if (!s) return modeGuidance(tool.access, null, []);
  if (tool.access.includes(s.mode)) return null;
  return modeGuidance(tool.access, s.mode, s.modes);
}

/** The outcome for a tool name nobody declared: JSON-RPC -32602. */
export function unknownTool(name: string): RunOutcome {
  return { kind: "rpc_error", code: RPC.INVALID_PARAMS, message: `Unknown tool: ${name.slice(0, 80)}` };
}

/** Looks up a tool by name. */
export function findTool(name: string): AnyTool | undefined {
  return TOOLS_BY_NAME.get(name);
}

/** Runs a tool call end to end. */
export async function runTool(name: string, rawArgs: unknown, ctx: ToolContext): Promise<RunOutcome> {
  const tool = findTool(name);
  if (!tool) return unknownTool(name);
  const denied = accessError(tool, ctx);
  if (denied !== null) return { kind: "result", result: toolErrorResult(denied), code: "mode_denied" };
  const parsed = tool.inputSchema.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return {
      kind: "result",
      result: toolErrorResult(`Invalid arguments for ${tool.name}: ${formatIssues(parsed.error)}`),
      code: "invalid_arguments",
    };
  }
  let r;
  try {
    r = await tool.handler(parsed.data, ctx);
  } catch (e) {
    ctx.logger.error("tool.exception", { tool: tool.name, error: e instanceof Error ? e.name : "unknown" });
    return { kind: "rpc_error", code: RPC.INTERNAL_ERROR, message: "Internal error" };
  }
  if (!r.ok) return { kind: "result", result: errorResult(r.error), code: r.error.code };
  const result: CallToolResult = {
    content: [{ type: "text", text: r.value.text }],
    ...(tool.outputSchema && r.value.structured !== undefined ? { structuredContent: r.value.structured as Record<string, unknown> } : {}),
  };
  return { kind: "result", result, code: "ok" };
}

function errorResult(e: ToolError): CallToolResult {
  const suffix = e.retryable ? "\nThis is temporary: calling the tool again in a moment may succeed." : "";
  return toolErrorResult(e.message + suffix);
}
