/**
 * Discovery tools (issue 15): list the toolsets, enable one for this
 * connection, and, for clients that do not refresh their tool list, describe
 * and call any reachable tool by name. They are in the always-on `session`
 * toolset, so every operation stays reachable in every configuration.
 *
 * Each handler only calls `ctx.toolsets` (a `ToolsetHost` the integration
 * supplies, see create-toolset-host.ts): the run-by-name goes through the
 * normal tool runner there, so mode checks, validation and the read-only gate
 * apply exactly as for a direct call.
 */
import * as z from "zod/mini";
import { err, ok } from "../../result";
import { defineTool, type ToolAnnotations, type ToolContext, type ToolError } from "../define-tool";
import { TOOLSET_NAMES } from "../toolsets";
import type { ToolsetHost } from "./toolset-host";

const TOOL_NAME_PATTERN = /^passgage_[a-z0-9_]{1,64}$/;
const ToolNameArgSchema = z
  .string()
  .check(z.regex(TOOL_NAME_PATTERN), z.describe('A tool name, e.g. "passgage_list_departments" (see passgage_list_toolsets).'));

const READ_LOCAL: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The host of the connection, or the error every discovery tool gives without one. */
function hostOf(ctx: ToolContext): { ok: true; value: ToolsetHost } | { ok: false; error: ToolError } {
  return ctx.toolsets === undefined
    ? err({ code: "discovery_unavailable", message: "Toolset discovery is not available on this connection." })
    : ok(ctx.toolsets);
}

const ToolsetStatusSchema = z.object({
  name: z.string(),
  description: z.string(),
  tools: z.int(),
  enabled: z.boolean(),
  alwaysOn: z.boolean(),
});

/** Lists the toolsets with their tool counts and whether each is enabled. */
export const listToolsets = defineTool({
  name: "passgage_list_toolsets",
  title: "List toolsets",
  description:
    "Lists the toolsets (groups of Passgage tools: leaves, shifts, people, ...) with their tool counts and whether this connection lists them. Use it when no listed tool fits the question; then enable one with passgage_enable_toolset, or use passgage_describe_tool and passgage_call_tool.",
  inputSchema: z.strictObject({}),
  outputSchema: z.object({ readOnly: z.boolean(), toolsets: z.array(ToolsetStatusSchema) }),
  annotations: READ_LOCAL,
  access: "anyone",
  operations: [],
  group: "Discovery",
  handler: async (_input, ctx) => {
    const host = hostOf(ctx);
    if (!host.ok) return host;
    const o = host.value.overview();
    const lines = o.toolsets.map(
      (t) => `- ${t.name} (${t.tools} tools${t.alwaysOn ? ", always on" : t.enabled ? ", enabled" : ""}): ${t.description}`,
    );
    const head = o.readOnly ? "Toolsets (read-only connection: write tools are neither listed nor callable):" : "Toolsets:";
    return ok({ text: [head, ...lines].join("\n"), structured: { readOnly: o.readOnly, toolsets: [...o.toolsets] } });
  },
});

/** Enables toolsets for this connection. */
export const enableToolset = defineTool({
  name: "passgage_enable_toolset",
  title: "Enable toolsets",
  description:
    "Adds toolsets to the tool list (e.g. organisation, payroll; see passgage_list_toolsets); kept for the signed-in session. Returns the tools added: call them at once by name or with passgage_call_tool, since clients do not refresh their tool list by themselves.",
  inputSchema: z.strictObject({
    toolsets: z
      .array(z.enum([...TOOLSET_NAMES, "all"]))
      .check(z.minLength(1), z.maxLength(TOOLSET_NAMES.length + 1), z.describe('Toolsets to enable; "all" enables every toolset.')),
  }),
  outputSchema: z.object({
    added: z.array(z.string()),
    enabled: z.array(z.string()),
    addedTools: z.array(z.string()),
    notified: z.boolean(),
    persisted: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  access: "anyone",
  operations: [],
  group: "Discovery",
  handler: async (input, ctx) => {
    const host = hostOf(ctx);
    if (!host.ok) return host;
    const names = input.toolsets.includes("all") ? TOOLSET_NAMES : input.toolsets.filter((n) => n !== "all");
    const r = await host.value.enable(names);
    const url = `/mcp/x/${r.enabled.join(",")}`;
    const text =
      r.added.length === 0
        ? `Already enabled: ${names.join(", ")}. Enabled toolsets: ${r.enabled.join(", ")}.`
        : [
            `Enabled ${r.added.join(", ")}: ${r.addedTools.length} more tools.`,
            r.persisted
              ? "Kept for this signed-in session: its next tools/list shows them."
              : `Not kept (no signed-in session): to list them on every connection, connect to ${url} (or send X-MCP-Toolsets).`,
            r.notified
              ? "Your client was told the tool list changed."
              : "Your client is not told the list changed (this server sends no notifications): call the new tools now by name, or with passgage_call_tool (passgage_describe_tool shows their arguments).",
            r.addedTools.length > 0 ? `New tools: ${r.addedTools.join(", ")}.` : "",
          ]
            .filter((s) => s !== "")
            .join("\n");
    return ok({
      text,
      structured: {
        added: [...r.added],
        enabled: [...r.enabled],
        addedTools: [...r.addedTools],
        notified: r.notified,
        persisted: r.persisted,
      },
    });
  },
});

/** Describes one tool by name: its purpose and input schema. */
export const describeTool = defineTool({
  name: "passgage_describe_tool",
  title: "Describe a tool",
  description:
    "Returns a tool's description, toolset, allowed modes and full input JSON Schema, by name, including tools this connection does not list. Use it before passgage_call_tool.",
  inputSchema: z.strictObject({ name: ToolNameArgSchema }),
  annotations: READ_LOCAL,
  access: "anyone",
  operations: [],
  group: "Discovery",
  handler: async (input, ctx) => {
    const host = hostOf(ctx);
    if (!host.ok) return host;
    const d = host.value.describe(input.name);
    if (!d.ok) return d;
    const t = d.value;
    const modes = t.modes === "anyone" ? "any (no session needed)" : t.modes.join(", ");
    const how = t.listed
      ? "Listed on this connection: call it directly."
      : `Not listed here: call it with passgage_call_tool { name: "${t.name}", arguments: {...} }.`;
    const text = [
      `${t.name}: ${t.title} (toolset ${t.toolset}, modes ${modes}, ${t.effect}).`,
      t.description,
      how,
      `Input schema: ${JSON.stringify(t.inputSchema)}`,
    ].join("\n");
    return ok({ text });
  },
});

/** Calls any reachable tool by name. */
export const callToolByName = defineTool({
  name: "passgage_call_tool",
  title: "Call a tool by name",
  description:
    "Calls any Passgage tool by name with its arguments, including tools this connection does not list (see passgage_list_toolsets and passgage_describe_tool). Returns that tool's result. Mode and read-only rules apply as for a direct call.",
  inputSchema: z.strictObject({
    name: ToolNameArgSchema,
    arguments: z.optional(
      z.record(z.string(), z.unknown()).check(z.describe("The tool's arguments, as passgage_describe_tool shows them.")),
    ),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  access: "anyone",
  operations: [],
  group: "Discovery",
  handler: async (input, ctx) => {
    const host = hostOf(ctx);
    if (!host.ok) return host;
    const r = await host.value.call(input.name, input.arguments ?? {});
    return r.ok ? ok({ text: r.value.text }) : r;
  },
});

/** The discovery tools, in catalog order. */
export const DISCOVERY_TOOLS = [listToolsets, enableToolset, describeTool, callToolByName] as const;
