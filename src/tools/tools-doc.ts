/**
 * Renders docs/TOOLS.md from the served tools: the toolsets with their tool
 * counts and token cost, the cost of the default and full lists, then one table
 * per toolset (tool, title, modes, kind, tokens, upstream calls). Pure; the
 * token counter is passed in (o200k of gpt-tokenizer, which runs in Node and in
 * workerd alike). Used by `npm run docs:tools` (scripts/gen-tools-doc.mjs
 * writes the file) and by test/unit/tools-doc.test.ts (fails when the committed
 * file is stale). Not imported by the Worker, so it adds nothing to the bundle.
 */
import { OPERATIONS_BY_ID } from "../contract/operations";
import type { AnyTool } from "./define-tool";
import { CATALOG } from "./catalog";
import { effectOf } from "./tool-effect";
import { listedEntry, listTools, toolsOfToolset } from "./tool-listing";
import { DEFAULT_SELECTION, makeSelection } from "./tool-selection";
import { DEFAULT_TOOLSETS, TOOLSET_NAMES, TOOLSETS } from "./toolsets";

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

function modesOf(tool: AnyTool): string {
  if (tool.access === "anyone") return "any (no session needed)";
  return tool.access.length === 2 ? "user, company" : tool.access.join(", ");
}

function kindOf(tool: AnyTool): string {
  const effect = effectOf(tool);
  if (effect === "write" && tool.annotations.destructiveHint) return "delete";
  return effect;
}

function callsOf(tool: AnyTool): string {
  if (tool.operations.length === 0) return "(none)";
  return tool.operations
    .map((id) => {
      const op = OPERATIONS_BY_ID.get(id);
      return op === undefined ? id : `\`${op.method} ${op.path.replace("/api/public/v1", "")}\``;
    })
    .join("<br>");
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

/** The Markdown of docs/TOOLS.md. */
export function renderToolsDoc(count: TokenCounter): string {
  const listTokens = (names: readonly (typeof TOOLSET_NAMES)[number][], readOnly: boolean): { tools: number; tokens: number } => {
    const list = listTools(makeSelection(names, readOnly), null);
    return { tools: list.length, tokens: count(JSON.stringify({ tools: list })) };
  };
  const toolTokens = (t: AnyTool): number => count(JSON.stringify(listedEntry(t, false)));
  const byMode = (tools: readonly AnyTool[], mode: "user" | "company"): number =>
    tools.filter((t) => t.access === "anyone" || t.access.includes(mode)).length;
  const def = listTokens(DEFAULT_SELECTION.toolsets, false);
  const all = listTokens(TOOLSET_NAMES, false);
  const defRo = listTokens(DEFAULT_SELECTION.toolsets, true);
  const allRo = listTokens(TOOLSET_NAMES, true);
  const out: string[] = [
    "# Tools",
    "",
    "<!-- Generated from the tool catalog (src/tools/catalog.ts, src/tools/toolsets.ts) by `npm run docs:tools`. Do not edit by hand: CI fails when this file is stale. -->",
    "",
    `${CATALOG.length} tools in ${TOOLSETS.length} toolsets. Modes: **user** = signed in with a Passgage e-mail and password (your own data); **company** = signed in with a company API key (company-wide data and writes). A call in the wrong mode is refused before anything reaches Passgage, with guidance to switch or sign in. Paths are relative to \`/api/public/v1\` unless shown in full.`,
    "",
    "A connection lists the tools of the toolsets it picks (default: " +
      DEFAULT_TOOLSETS.map((n) => `\`${n}\``).join(", ") +
      "), by URL (`/mcp/x/leaves,shifts`) or header (`X-MCP-Toolsets`); `/readonly` (or `X-MCP-Readonly: true`) neither lists nor runs write tools. Every tool stays callable by name with `passgage_call_tool`; see [CLIENTS.md](CLIENTS.md#choosing-toolsets-and-read-only).",
    "",
    "Tokens are what the tools/list entries cost a model's context, counted with the o200k encoding (`gpt-tokenizer`); `node scripts/count-tool-tokens.mjs` also counts with Claude's tokenizer.",
    "",
    "| List | Tools | Tokens |",
    "| --- | ---: | ---: |",
    `| default | ${def.tools} | ${fmt(def.tokens)} |`,
    `| default, read-only | ${defRo.tools} | ${fmt(defRo.tokens)} |`,
    `| all | ${all.tools} | ${fmt(all.tokens)} |`,
    `| all, read-only | ${allRo.tools} | ${fmt(allRo.tokens)} |`,
    "",
    "| Toolset | Tools | User mode | Company mode | Writes | Tokens | Default | What for |",
    "| --- | ---: | ---: | ---: | ---: | ---: | :---: | --- |",
  ];
  for (const set of TOOLSETS) {
    const tools = toolsOfToolset(set.name);
    const tokens = tools.reduce((sum, t) => sum + toolTokens(t), 0);
    const inDefault = set.alwaysOn ? "always" : DEFAULT_TOOLSETS.includes(set.name) ? "yes" : "";
    const writes = tools.filter((t) => effectOf(t) === "write").length;
    out.push(
      `| [${set.name}](#${set.name}) | ${tools.length} | ${byMode(tools, "user")} | ${byMode(tools, "company")} | ${writes} | ${fmt(tokens)} | ${inDefault} | ${cell(set.description)} |`,
    );
  }
  out.push(
    `| **All** | **${CATALOG.length}** | **${byMode(CATALOG, "user")}** | **${byMode(CATALOG, "company")}** | **${CATALOG.filter((t) => effectOf(t) === "write").length}** | | | |`,
  );
  for (const set of TOOLSETS) {
    out.push(
      "",
      `## ${set.name}`,
      "",
      cell(set.description),
      "",
      "| Tool | Title | Modes | Kind | Tokens | Calls |",
      "| --- | --- | --- | --- | ---: | --- |",
    );
    for (const t of toolsOfToolset(set.name))
      out.push(`| \`${t.name}\` | ${cell(t.title)} | ${modesOf(t)} | ${kindOf(t)} | ${fmt(toolTokens(t))} | ${callsOf(t)} |`);
  }
  out.push("");
  return out.join("\n");
}
