/**
 * What the discovery tools need from the connection they run on (issue 15): the
 * toolsets and whether each is enabled, enabling more, describing and running a
 * tool by name. The integration (transport / SessionDO) supplies one per call as
 * `ToolContext.toolsets`, built with `createToolsetHost`; keeping it an interface
 * keeps the tools free of transport and catalog imports (the catalog imports
 * the tools).
 *
 * Types here are structural and import nothing from the tool definitions, so
 * `define-tool.ts` can reference them without an import cycle.
 */
import type { Result } from "../../result";
import type { ToolsetName } from "../toolsets";

/** A failure of a discovery call (the shape of `ToolError`). */
export interface HostError {
  readonly code: string;
  readonly message: string;
  readonly retryable?: boolean;
}

/** One toolset as the connection sees it. */
export interface ToolsetStatus {
  readonly name: ToolsetName;
  readonly description: string;
  /** Tools of the toolset this connection may list (read-only and the session's modes applied). */
  readonly tools: number;
  readonly enabled: boolean;
  readonly alwaysOn: boolean;
}

/** Every toolset and the connection's read-only flag. */
export interface ToolsetOverview {
  readonly readOnly: boolean;
  readonly toolsets: readonly ToolsetStatus[];
}

/** What enabling toolsets changed. */
export interface EnableOutcome {
  /** Toolsets newly enabled. */
  readonly added: readonly ToolsetName[];
  /** Every toolset enabled now. */
  readonly enabled: readonly ToolsetName[];
  /** Tools newly listed. */
  readonly addedTools: readonly string[];
  /** Whether the client was sent notifications/tools/list_changed. */
  readonly notified: boolean;
  /** Whether the new selection was kept beyond this call (for the signed-in session); false: this call only. */
  readonly persisted: boolean;
}

/** A tool described by name: everything needed to call it. */
export interface DescribedTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly toolset: ToolsetName;
  readonly effect: string;
  /** Modes that may call it ("anyone" when no session is needed). */
  readonly modes: readonly string[] | "anyone";
  /** Whether the connection lists it (false: call it with passgage_call_tool). */
  readonly listed: boolean;
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** An MCP CallToolResult, as the tool runner returns it. */
export interface NestedCallResult {
  readonly content: readonly { readonly type: "text"; readonly text: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly isError?: boolean;
}

/** Outcome of the normal tool runner (the shape of `RunOutcome` in src/tools/run-tool.ts). */
export type NestedCallOutcome =
  | { readonly kind: "result"; readonly result: NestedCallResult; readonly code?: string }
  | { readonly kind: "rpc_error"; readonly code: number; readonly message: string };

/** The normal tool runner: look-up, mode check, validation, handler (e.g. `(n, a) => runTool(n, a, ctx)`). */
export type RunToolFn = (name: string, args: Record<string, unknown>) => Promise<NestedCallOutcome>;

/** A tool result for the model: text, plus structured content when there is some. */
export interface HostAnswer {
  readonly text: string;
  readonly structured?: Record<string, unknown>;
}

/** The connection-side operations of the discovery tools. */
export interface ToolsetHost {
  /** Every toolset with its tool count and whether it is enabled here. */
  overview(): ToolsetOverview;
  /** Enables toolsets for this connection; persists the selection and notifies the client where it can. */
  enable(names: readonly ToolsetName[]): Promise<EnableOutcome>;
  /** A reachable tool's description and input schema, or why not. */
  describe(name: string): Result<DescribedTool, HostError>;
  /** Runs a reachable tool through the normal runner (mode and read-only apply). */
  call(name: string, args: Record<string, unknown>): Promise<Result<HostAnswer, HostError>>;
}
