/**
 * A tool call on one connection (issue 15): the read-only gate first, then the
 * normal tool runner with the connection's `ToolsetHost` in the `ToolContext`
 * (what the discovery tools call). Every place that builds a ToolContext (the
 * SessionDO for a signed-in session, session routing for anonymous calls and
 * sign-ins) runs tools through `runConnectionTool`, so a write tool is refused on
 * a read-only connection before the runner, whichever path the call takes;
 * `passgage_call_tool` checks the same gate for the tool it names.
 */
import { createToolsetHost, type ToolsetHostOptions } from "./discovery/create-toolset-host";
import type { ToolContext } from "./define-tool";
import { type RunOutcome, runTool, toolErrorResult } from "./run-tool";
import { callRefusal, type ListingModes } from "./tool-listing";
import type { ToolSelection } from "./tool-selection";

/** What a connection contributes to a tool call. */
export interface ConnectionTooling {
  /** The connection's selection: the URL's (or headers') plus what the session enabled. */
  readonly selection: ToolSelection;
  /** Listing modes: the session's available modes, or null when anonymous. */
  readonly modes: ListingModes;
  /** Keeps a selection enabled by passgage_enable_toolset (see `ToolsetHostOptions.saveSelection`). */
  readonly saveSelection: ToolsetHostOptions["saveSelection"];
}

/** A `saveSelection` for calls with no session to keep a selection in: nothing kept, nobody notified. */
export async function keepNothing(): Promise<{ readonly notified: false; readonly persisted: false }> {
  return { notified: false, persisted: false };
}

/**
 * The outcome of a call the read-only gate refuses (a tool error, before the runner
 * and any upstream call), or null when the call may go on.
 */
export function readOnlyRefusal(name: string, selection: ToolSelection): RunOutcome | null {
  const refusal = callRefusal(name, selection);
  return refusal === null ? null : { kind: "result", result: toolErrorResult(refusal), code: "read_only" };
}

/** Runs one tool call for a connection: the gate, then the runner with `ctx.toolsets` set. */
export async function runConnectionTool(name: string, args: unknown, base: ToolContext, tooling: ConnectionTooling): Promise<RunOutcome> {
  const refused = readOnlyRefusal(name, tooling.selection);
  if (refused !== null) return refused;
  const ctx: ToolContext = {
    ...base,
    toolsets: createToolsetHost({
      selection: tooling.selection,
      modes: tooling.modes,
      run: (n, a) => runTool(n, a, ctx),
      saveSelection: tooling.saveSelection,
    }),
  };
  return runTool(name, args, ctx);
}
