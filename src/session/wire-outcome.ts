/**
 * A tool call's outcome as `SessionDO.callTool` answers it over RPC (issue 14). A result
 * crosses as its JSON text: the SessionDO serialises it once, and the edge writes that
 * text into the response (src/json-text.ts) instead of receiving a structured clone of the
 * nested result and serialising it again. With the bench's list tool (a 13 KB result), three
 * interleaved pairs of 2,000 calls at concurrency 16 used 3.23 against 3.50 ms of CPU per call
 * (the Worker and its objects), an effect about the size of this machine's run-to-run noise.
 */
import { isRecord } from "../is-record";
import { RPC } from "../mcp/errors";
import { withJsonText } from "../json-text";
import type { CallToolResult, ToolOutcome } from "../tools/run-tool";

/** `ToolOutcome` with a result carried as JSON text. */
export type WireOutcome =
  Exclude<ToolOutcome, { readonly kind: "result" }> | { readonly kind: "result"; readonly code: string; readonly json: string };

/** The outcome to send over RPC. */
export function toWire(outcome: ToolOutcome): WireOutcome {
  return outcome.kind === "result" ? { kind: "result", code: outcome.code, json: JSON.stringify(outcome.result) } : outcome;
}

/**
 * The outcome a SessionDO sent, with its result parsed once and registered with its text
 * (so it is not serialised again). The text is this server's own SessionDO's output; a
 * text that is not a result object (a bug) becomes an internal error, never a crash.
 */
export function fromWire(wire: WireOutcome): ToolOutcome {
  if (wire.kind !== "result") return wire;
  const parsed: unknown = JSON.parse(wire.json);
  if (!isRecord(parsed) || !Array.isArray(parsed.content))
    return { kind: "rpc_error", code: RPC.INTERNAL_ERROR, message: "Internal error" };
  // The shape was written by toWire from a CallToolResult: content checked above, the rest as sent.
  return { kind: "result", code: wire.code, result: withJsonText(parsed as unknown as CallToolResult, wire.json) };
}
