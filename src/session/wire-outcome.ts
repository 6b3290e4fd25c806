/**
 * A tool call's outcome as `SessionDO.callTool` answers it over RPC (issue 14). A result
 * crosses as its JSON text with the names of its top-level members: the SessionDO serialises
 * it once, and the edge writes that text into the response (src/json-text.ts) without
 * parsing it, also under the stateless revision, whose added members are spliced into the
 * text. Before, a structured clone of the nested result crossed the RPC and was serialised
 * again at the edge; then the edge parsed the text it was about to write (a 13 KB
 * JSON.parse per call with the bench's list tool).
 */
import { isRecord } from "../is-record";
import { RPC } from "../mcp/errors";
import { lazyJsonObject, withJsonText } from "../json-text";
import type { CallToolResult, ToolOutcome } from "../tools/run-tool";

/** `ToolOutcome` with a result carried as JSON text (and the names of its top-level members). */
export type WireOutcome =
  | Exclude<ToolOutcome, { readonly kind: "result" }>
  | { readonly kind: "result"; readonly code: string; readonly json: string; readonly keys?: readonly string[] };

const INTERNAL: ToolOutcome = Object.freeze({ kind: "rpc_error", code: RPC.INTERNAL_ERROR, message: "Internal error" });

/** The outcome to send over RPC. */
export function toWire(outcome: ToolOutcome): WireOutcome {
  return outcome.kind === "result"
    ? { kind: "result", code: outcome.code, json: JSON.stringify(outcome.result), keys: Object.keys(outcome.result) }
    : outcome;
}

/**
 * The outcome a SessionDO sent, its result registered with its text (so it is neither parsed
 * nor serialised again on the way out). With the member names, the result is parsed only if
 * something reads a member; without them (an object still running older code), it is parsed
 * here. The text is this server's own SessionDO's output; one that is not a result object (a
 * bug) becomes an internal error, never a crash.
 */
export function fromWire(wire: WireOutcome): ToolOutcome {
  if (wire.kind !== "result") return wire;
  const { json, keys } = wire;
  if (keys !== undefined) {
    // The text is written as it is: it must at least be delimited as an object (a cut-off text is refused).
    if (!keys.includes("content") || !json.startsWith('{"') || !json.endsWith("}")) return INTERNAL;
    const load = (): Record<string, unknown> => {
      const parsed: unknown = JSON.parse(json);
      return isRecord(parsed) ? parsed : {};
    };
    return { kind: "result", code: wire.code, result: lazyJsonObject<CallToolResult>(json, keys, load) };
  }
  const parsed: unknown = JSON.parse(json);
  if (!isRecord(parsed) || !Array.isArray(parsed.content)) return INTERNAL;
  // The shape was written by toWire from a CallToolResult: content checked above, the rest as sent.
  return { kind: "result", code: wire.code, result: withJsonText(parsed as unknown as CallToolResult, json) };
}
