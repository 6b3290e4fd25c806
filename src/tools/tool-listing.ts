/**
 * What tools/list shows (issue 15): the tools of a connection's selection, in
 * lean form, computed once per (selection, modes) and cached; plus the gate a
 * call must pass (`isCallable`) and what makes an operation reachable.
 *
 * Lean, not looser where it matters: the server still validates every call
 * against the tool's own zod schema (unchanged). The listed JSON Schema drops
 * only what tells a model nothing:
 * - integer bounds of ±9007199254740991 (zod's safe-integer range);
 * - `pattern` where the node has a description (every patterned field states
 *   its format there: "Format: YYYY-MM-DD.", "Format: UUID.", the sort's
 *   "<column> asc|desc"): the regex costs tens of tokens and a wrong value
 *   still gets a clear validation error naming the field;
 * - property descriptions that only restate the property's name;
 * - the generic output schemas (a page of `unknown` items, a record of
 *   `unknown` data) repeated on 120 tools: the text result says the same and
 *   structured content is still returned. Specific output schemas (composites,
 *   session and discovery tools) stay listed;
 * - annotation hints equal to the MCP defaults (readOnlyHint false,
 *   destructiveHint true, idempotentHint false, openWorldHint true), and the
 *   hints that do not apply to a read-only tool.
 *
 * Listing and modes: `listTools(selection, modes)` lists a tool when one of
 * `modes` may call it. Pass the session's available modes (both modes for a
 * session that can switch), not its current mode, so a mode switch never
 * changes the list a legacy client may have cached for the connection; pass
 * null when no session is known (anonymous), which lists every mode's tools.
 * The list then only ever shrinks for a session that can never call the
 * hidden tools, and passgage_describe_tool / passgage_call_tool still reach
 * them should the session gain a mode.
 */
import * as z from "zod/mini";
import type { AuthMode } from "../contract/types";
import type { AnyTool, ToolAnnotations } from "./define-tool";
import type { DescribedTool } from "./discovery/toolset-host";
import { ListOutputSchema, RecordOutputSchema } from "./render";
import { CATALOG, TOOLS_BY_NAME } from "./catalog";
import { allowedReadOnly, effectOf } from "./tool-effect";
import { type ToolSelection, selectionKey } from "./tool-selection";
import { TOOLSET_NAMES, type ToolsetName, toolsetOf } from "./toolsets";

/** A tools/list entry. */
export interface ListedTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, unknown>>;
}

/** The modes listing follows: a session's available modes, or null when unknown (lists every mode's tools). */
export type ListingModes = readonly AuthMode[] | null;

type Json = Record<string, unknown>;

/** Keys whose value maps names to schemas (names are kept; the schemas are leaned). */
const SCHEMA_MAPS: ReadonlySet<string> = new Set(["properties", "$defs", "definitions", "patternProperties"]);
/** Keys whose value is a schema or an array of schemas. */
const SCHEMA_KEYS: ReadonlySet<string> = new Set(["items", "prefixItems", "additionalProperties", "anyOf", "oneOf", "allOf", "not"]);

function isJson(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isSafeIntegerBound(v: unknown): boolean {
  return v === Number.MAX_SAFE_INTEGER || v === Number.MIN_SAFE_INTEGER;
}

/** Letters only, lower case: compares a description with a property name. */
function letters(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, "");
}

/**
 * A lean copy of a JSON Schema (never mutates its input): no ±MAX_SAFE_INTEGER
 * bounds; and, when `lean` (listing rather than describing), no `pattern` on a
 * node whose description states the format, and no description that only
 * restates its property's name ("Gender." on `gender`). `name` is the property
 * name of `node`, when it is one.
 */
export function leanSchema(node: unknown, lean: boolean, name?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => leanSchema(n, lean));
  if (!isJson(node)) return node;
  const description = typeof node.description === "string" ? node.description : null;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum" || key === "exclusiveMinimum" || key === "exclusiveMaximum") && isSafeIntegerBound(value))
      continue;
    if (lean && key === "pattern" && description !== null) continue;
    if (lean && key === "description" && name !== undefined && description !== null && letters(description) === letters(name)) continue;
    if (SCHEMA_MAPS.has(key) && isJson(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, leanSchema(v, lean, k)]));
    } else if (SCHEMA_KEYS.has(key)) {
      out[key] = leanSchema(value, lean);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function jsonSchemaOf(schema: z.ZodMiniType, io: "input" | "output"): Json {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
}

/** The annotations worth listing: only hints that differ from the MCP defaults and apply. */
function leanAnnotations(a: ToolAnnotations, readOnlyConnection: boolean, tool: AnyTool): Json {
  const out: Json = {};
  // On a read-only connection, the call-by-name tool can only reach reads.
  if (a.readOnlyHint || (readOnlyConnection && effectOf(tool) === "dispatch")) out.readOnlyHint = true;
  else {
    if (!a.destructiveHint) out.destructiveHint = false;
    if (a.idempotentHint) out.idempotentHint = true;
  }
  if (!a.openWorldHint) out.openWorldHint = false;
  return out;
}

function helpfulOutput(tool: AnyTool): z.ZodMiniType | undefined {
  const o = tool.outputSchema;
  return o === undefined || o === ListOutputSchema || o === RecordOutputSchema ? undefined : o;
}

const entryCache = new Map<string, ListedTool>();

/** The lean tools/list entry of one tool (cached; `readOnlyConnection` only changes the call-by-name tool's hints). */
export function listedEntry(tool: AnyTool, readOnlyConnection: boolean): ListedTool {
  const key = `${tool.name}${readOnlyConnection ? "/ro" : ""}`;
  const hit = entryCache.get(key);
  if (hit) return hit;
  const output = helpfulOutput(tool);
  const entry: ListedTool = {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: leanSchema(jsonSchemaOf(tool.inputSchema, "input"), true) as Json,
    ...(output ? { outputSchema: leanSchema(jsonSchemaOf(output, "output"), true) as Json } : {}),
    annotations: leanAnnotations(tool.annotations, readOnlyConnection, tool),
  };
  entryCache.set(key, entry);
  return entry;
}

/** Whether a session with one of `modes` may call the tool (every tool when modes is null). */
function callableInModes(tool: AnyTool, modes: ListingModes): boolean {
  return modes === null || tool.access === "anyone" || tool.access.some((m) => modes.includes(m));
}

/** Whether a connection with this selection lists the tool (before modes). */
function inSelection(tool: AnyTool, sel: ToolSelection): boolean {
  return sel.toolsets.includes(toolsetOf(tool)) && (!sel.readOnly || allowedReadOnly(tool));
}

/** Most (selection, modes) lists kept; past it the cache starts afresh (selections are few in practice). */
const MAX_CACHED_LISTS = 512;
const listCache = new Map<string, readonly ListedTool[]>();

function modesKey(modes: ListingModes): string {
  return modes === null ? "*" : [...new Set(modes)].sort().join("+");
}

/** A stable key of what a connection lists: its selection and its listing modes (for caches of the list or its JSON). */
export function listingKey(sel: ToolSelection, modes: ListingModes): string {
  return `${selectionKey(sel)}|${modesKey(modes)}`;
}

/** The tools a connection lists, in catalog order; computed once per (selection, modes). */
export function listTools(sel: ToolSelection, modes: ListingModes): readonly ListedTool[] {
  const key = listingKey(sel, modes);
  const hit = listCache.get(key);
  if (hit) return hit;
  const list = CATALOG.filter((t) => inSelection(t, sel) && callableInModes(t, modes)).map((t) => listedEntry(t, sel.readOnly));
  if (listCache.size >= MAX_CACHED_LISTS) listCache.clear();
  listCache.set(key, list);
  return list;
}

/**
 * The gate of every call, direct (tools/call) or by name (passgage_call_tool):
 * the tool exists and, on a read-only connection, is not a write. Toolsets
 * shape the list only: a tool outside them is still callable, so clients that
 * cached an older list, and passgage_call_tool, reach every operation. Modes
 * are checked by the tool runner, as before.
 */
export function isCallable(name: string, sel: ToolSelection): boolean {
  const tool = TOOLS_BY_NAME.get(name);
  return tool !== undefined && (!sel.readOnly || allowedReadOnly(tool));
}

/** The tools of one toolset, in catalog order. */
export function toolsOfToolset(name: ToolsetName): readonly AnyTool[] {
  return CATALOG.filter((t) => toolsetOf(t) === name);
}

/** Tool counts per toolset, for a connection (read-only and modes applied). */
export function toolsetCounts(sel: ToolSelection, modes: ListingModes): ReadonlyMap<ToolsetName, number> {
  const counts = new Map<ToolsetName, number>(TOOLSET_NAMES.map((n) => [n, 0]));
  for (const t of CATALOG)
    if ((!sel.readOnly || allowedReadOnly(t)) && callableInModes(t, modes)) counts.set(toolsetOf(t), (counts.get(toolsetOf(t)) ?? 0) + 1);
  return counts;
}

/**
 * Contract operations a connection reaches: those of the tools it lists, and,
 * when it lists passgage_call_tool, those of every tool it may call by name.
 * Modes filter both (a tool no mode of the session may call reaches nothing).
 */
export function reachableOperations(sel: ToolSelection, modes: ListingModes): ReadonlySet<string> {
  const listed = new Set(listTools(sel, modes).map((t) => t.name));
  const byName = listed.has("passgage_call_tool");
  const ops = new Set<string>();
  for (const t of CATALOG) {
    if (!callableInModes(t, modes)) continue;
    if (listed.has(t.name) || (byName && effectOf(t) !== "dispatch" && isCallable(t.name, sel))) for (const op of t.operations) ops.add(op);
  }
  return ops;
}

/** A tool's description for passgage_describe_tool: its full (validation) input schema minus meaningless bounds. */
export function describeServedTool(tool: AnyTool, sel: ToolSelection, modes: ListingModes): DescribedTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    toolset: toolsetOf(tool),
    effect: effectOf(tool),
    modes: tool.access === "anyone" ? "anyone" : [...tool.access],
    listed: listTools(sel, modes).some((t) => t.name === tool.name),
    annotations: leanAnnotations(tool.annotations, sel.readOnly, tool),
    inputSchema: leanSchema(jsonSchemaOf(tool.inputSchema, "input"), false) as Json,
  };
}

/**
 * Why a direct call (tools/call) must be refused on this connection, or null
 * when the gate lets it through (unknown tools are left to the runner, which
 * answers -32602). The integration answers a refusal as a tool error
 * (`isError: true`), before any upstream call.
 */
export function callRefusal(name: string, sel: ToolSelection): string | null {
  const tool = TOOLS_BY_NAME.get(name);
  if (tool === undefined || isCallable(name, sel)) return null;
  return `${tool.name} changes Passgage data, and this connection is read-only: write tools are neither listed nor callable here. Connect without /readonly (or X-MCP-Readonly) to use it.`;
}
