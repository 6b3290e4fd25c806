/**
 * Runs one tool call: look-up, access check (before any upstream call), argument
 * validation, the handler, and the mapping of its Result onto an MCP CallToolResult.
 * Unknown tools are a JSON-RPC -32602; invalid arguments and tool failures are
 * `isError: true` results; a thrown bug is -32603 with a generic message.
 */
import type { AnyTool, ToolContext, ToolError } from "../tools/define-tool";
import { modeGuidance } from "../tools/guidance";
import { TOOLS_BY_NAME } from "../tools/catalog";
import { formatIssues } from "../validation";
import { RPC } from "./errors";

/** An MCP CallToolResult. */
export interface CallToolResult {
  readonly content: readonly { readonly type: "text"; readonly text: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly isError?: boolean;
}

/** Outcome of a call: a result, or a JSON-RPC error (unknown tool, internal). */
export type CallOutcome =
  | { readonly kind: "result"; readonly result: CallToolResult; readonly code: string }
  | { readonly kind: "rpc_error"; readonly code: number; readonly message: string };

/** Builds an error result (isError) from a message. */
export function toolErrorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Whether the session in ctx may call the tool; an error message otherwise. */
export function accessError(tool: AnyTool, ctx: ToolContext): string | null {
  if (tool.access === "anyone") return null;
  const s = ctx.session;
  if (!s) return modeGuidance(tool.access, null, []);
  if (tool.access.includes(s.mode)) return null;
  return modeGuidance(tool.access, s.mode, s.modes);
}

/** Looks up a tool by name. */
export function findTool(name: string): AnyTool | undefined {
  return TOOLS_BY_NAME.get(name);
}

/** Runs a tool call end to end. */
export async function runTool(name: string, rawArgs: unknown, ctx: ToolContext): Promise<CallOutcome> {
  const tool = findTool(name);
  if (!tool) return { kind: "rpc_error", code: RPC.INVALID_PARAMS, message: `Unknown tool: ${name.slice(0, 80)}` };
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
    r = await tool.handler(parsed.data as never, ctx);
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
