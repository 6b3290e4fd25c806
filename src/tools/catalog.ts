/**
 * The tool catalog: every served tool, in one readonly array in stable order (session
 * tools first, then the API tools generated from the contract and the composite tools,
 * then the discovery tools of issue 15). `tools/list` shows the part a connection
 * selects (src/tools/tool-listing.ts); `tools/call` looks tools up in a Map built once
 * per isolate, whatever the selection.
 */
import * as z from "zod/mini";
import type { AnyTool } from "./define-tool";
import { SESSION_TOOLS } from "./session-tools";
import { API_TOOLS } from "./api-tools";
import { DISCOVERY_TOOLS } from "./discovery/discovery-tools";

/** Every tool, in the order tools/list shows them. */
export const CATALOG: readonly AnyTool[] = [
  ...(SESSION_TOOLS as readonly unknown[] as readonly AnyTool[]),
  ...API_TOOLS,
  ...(DISCOVERY_TOOLS as readonly unknown[] as readonly AnyTool[]),
];

/** Tools by name. */
export const TOOLS_BY_NAME: ReadonlyMap<string, AnyTool> = new Map(CATALOG.map((t) => [t.name, t]));

/** A tools/list entry. */
export interface ToolListEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
}

// Output schemas are shared between many tools: convert each schema object once.
const schemaCache = { input: new WeakMap<object, Record<string, unknown>>(), output: new WeakMap<object, Record<string, unknown>>() };

function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): Record<string, unknown> {
  const hit = schemaCache[io].get(schema);
  if (hit) return hit;
  const s = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete s.$schema;
  schemaCache[io].set(schema, s);
  return s;
}

/** The tools/list entry of one tool. */
export function toolListEntry(tool: AnyTool): ToolListEntry {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema, "input"),
    ...(tool.outputSchema ? { outputSchema: jsonSchema(tool.outputSchema, "output") } : {}),
    annotations: { title: tool.title, ...tool.annotations },
  };
}

let listCache: readonly ToolListEntry[] | null = null;

/**
 * Every tool at full weight (the tools/list of before issue 15), computed once per
 * isolate: what scripts/count-tool-tokens.mjs measures as the "before" figure. The
 * server lists `listTools` (src/tools/tool-listing.ts).
 */
export function toolList(): readonly ToolListEntry[] {
  listCache ??= CATALOG.map(toolListEntry);
  return listCache;
}
