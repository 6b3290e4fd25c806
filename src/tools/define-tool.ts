/**
 * A tool is a plain object (STYLE.md "Declarative tool catalog"): name, title,
 * description, input schema, optional output schema, annotations, the modes that
 * may call it, and a handler `(input, ctx) => Promise<Result<ToolOutput, ToolError>>`.
 * `defineTool()` only infers types: no classes, no registration side effects.
 */
import type * as z from "zod/mini";
import type { AuthMode } from "../contract/types";
import type { UpstreamCaller } from "../passgage/upstream-caller";
import type { Logger } from "../log";
import type { Result } from "../result";
import type { SessionControl, SessionView } from "../session/types";
import type { ToolsetHost } from "./discovery/toolset-host";

/** MCP tool annotations (MCP 2025-06-18 "ToolAnnotations"). */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/**
 * Who may call a tool:
 * - `"anyone"`: also without a session (sign-in tools, status);
 * - a list of modes: a signed-in session whose current mode is in the list.
 */
export type ToolAccess = "anyone" | readonly AuthMode[];

/** What a tool handler gets: narrow, never the raw request. */
export interface ToolContext {
  /** The signed-in session (public facts only), or null when anonymous. */
  readonly session: SessionView | null;
  /** Calls the Passgage API with the session's current-mode credential (refresh handled). */
  readonly upstream: UpstreamCaller;
  /** Session lifecycle operations (login, logout, switch, list), where the state lives. */
  readonly control: SessionControl;
  readonly logger: Logger;
  /** Epoch ms at the start of the call. */
  readonly now: number;
  /**
   * The connection's toolsets, for the discovery tools (src/tools/discovery);
   * absent where the transport does not offer them yet, and those tools then
   * answer that discovery is unavailable.
   */
  readonly toolsets?: ToolsetHost;
}

/** A successful tool result: text for the model, plus structured content when the tool declares an output schema. */
export interface ToolOutput<O> {
  readonly text: string;
  readonly structured?: O;
}

/** A tool failure: becomes `isError: true` with this text (never a secret). */
export interface ToolError {
  readonly code: string;
  readonly message: string;
  /** Whether calling again later may succeed (timeouts, 5xx). */
  readonly retryable?: boolean;
}

/** One tool. */
export interface ToolDefinition<I = unknown, O = unknown> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: z.ZodMiniType<I>;
  readonly outputSchema?: z.ZodMiniType<O>;
  readonly annotations: ToolAnnotations;
  readonly access: ToolAccess;
  /** Contract operation ids this tool calls (for coverage and docs). */
  readonly operations: readonly string[];
  /** Catalog group for documentation ("Session", "Leaves", ...). */
  readonly group: string;
  readonly handler: (input: I, ctx: ToolContext) => Promise<Result<ToolOutput<O>, ToolError>>;
}

/** A tool of any input/output type, as stored in the catalog. */
// The handler's parameter is contravariant; `never` lets every concrete tool fit.
export type AnyTool = ToolDefinition<never, unknown> & {
  readonly handler: (input: never, ctx: ToolContext) => Promise<Result<ToolOutput<unknown>, ToolError>>;
};

/** Identity function that infers a tool's input and output types from its schemas. */
export function defineTool<I, O = never>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}
