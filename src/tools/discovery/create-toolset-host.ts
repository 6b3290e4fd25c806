/**
 * The `ToolsetHost` of one connection (issue 15): what the discovery tools
 * call. The integration builds one per tool call with the connection's current
 * selection, the session's modes, the normal tool runner and a way to persist
 * a new selection (and notify the client), and passes it as
 * `ToolContext.toolsets`. Everything else is decided here, purely.
 */
import { err, ok, type Result } from "../../result";
import { TOOLS_BY_NAME } from "../catalog";
import { effectOf } from "../tool-effect";
import { callRefusal, describeServedTool, type ListingModes, listTools, toolsetCounts } from "../tool-listing";
import { type ToolSelection, enableToolsets } from "../tool-selection";
import { TOOLSETS, type ToolsetName } from "../toolsets";
import type { DescribedTool, EnableOutcome, HostAnswer, HostError, RunToolFn, ToolsetHost, ToolsetOverview } from "./toolset-host";

/** What a connection supplies to its host. */
export interface ToolsetHostOptions {
  /** The connection's selection when the call starts. */
  readonly selection: ToolSelection;
  /** Listing modes: the session's available modes, or null without a session (see tool-listing.ts). */
  readonly modes: ListingModes;
  /** The normal tool runner (look-up, mode check, validation, handler), e.g. `(n, a) => runTool(n, a, ctx)`. */
  readonly run: RunToolFn;
  /**
   * Persists a new selection for the connection (where the transport keeps
   * per-connection state) and sends notifications/tools/list_changed where the
   * client supports it; says whether it did each. The list of a selection is
   * `listTools(selection, modes)`.
   */
  readonly saveSelection: (next: ToolSelection) => Promise<{ readonly notified: boolean; readonly persisted: boolean }>;
}

function unknownTool(name: string): HostError {
  return {
    code: "unknown_tool",
    message: `Unknown tool: ${name.slice(0, 80)}. passgage_list_toolsets shows the toolsets; docs/TOOLS.md lists every tool.`,
  };
}

function textOf(content: readonly { readonly text: string }[]): string {
  return content.map((c) => c.text).join("\n");
}

/** Builds the host of one connection. */
export function createToolsetHost(opts: ToolsetHostOptions): ToolsetHost {
  let current = opts.selection;
  return {
    overview(): ToolsetOverview {
      const counts = toolsetCounts(current, opts.modes);
      return {
        readOnly: current.readOnly,
        toolsets: TOOLSETS.map((t) => ({
          name: t.name,
          description: t.description,
          tools: counts.get(t.name) ?? 0,
          enabled: current.toolsets.includes(t.name),
          alwaysOn: t.alwaysOn,
        })),
      };
    },

    async enable(names: readonly ToolsetName[]): Promise<EnableOutcome> {
      const r = enableToolsets(current, names);
      if (r.added.length === 0) return { added: [], enabled: [...current.toolsets], addedTools: [], notified: false, persisted: false };
      const before = new Set(listTools(current, opts.modes).map((t) => t.name));
      const addedTools = listTools(r.selection, opts.modes)
        .map((t) => t.name)
        .filter((n) => !before.has(n));
      const saved = await opts.saveSelection(r.selection);
      current = r.selection;
      return { added: r.added, enabled: [...current.toolsets], addedTools, notified: saved.notified, persisted: saved.persisted };
    },

    describe(name: string): Result<DescribedTool, HostError> {
      const tool = TOOLS_BY_NAME.get(name);
      if (tool === undefined) return err(unknownTool(name));
      const refusal = callRefusal(name, current);
      if (refusal !== null) return err({ code: "read_only", message: refusal });
      return ok(describeServedTool(tool, current, opts.modes));
    },

    async call(name: string, args: Record<string, unknown>): Promise<Result<HostAnswer, HostError>> {
      const tool = TOOLS_BY_NAME.get(name);
      if (tool === undefined) return err(unknownTool(name));
      if (effectOf(tool) === "dispatch")
        return err({ code: "invalid_arguments", message: `${name} cannot call itself; name the tool to run.` });
      const refusal = callRefusal(name, current);
      if (refusal !== null) return err({ code: "read_only", message: refusal });
      const outcome = await opts.run(name, args);
      if (outcome.kind === "rpc_error") return err({ code: "call_failed", message: outcome.message });
      const text = textOf(outcome.result.content);
      if (outcome.result.isError === true) return err({ code: outcome.code ?? "tool_error", message: text });
      const structured = outcome.result.structuredContent;
      return ok(structured === undefined ? { text } : { text, structured });
    },
  };
}
