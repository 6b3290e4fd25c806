/**
 * Renders docs/TOOLS.md from the catalog: a summary per group and mode, then
 * one table per group (tool, title, modes, kind, upstream calls). Pure; used
 * by `npm run docs:tools` (scripts/gen-tools-doc.mjs writes the file) and by
 * test/unit/tools-doc.test.ts (fails when the committed file is stale). Not
 * imported by the Worker, so it adds nothing to the bundle.
 */
import { OPERATIONS_BY_ID } from "../contract/operations";
import type { AnyTool } from "./define-tool";

function modesOf(tool: AnyTool): string {
  if (tool.access === "anyone") return "any (no session needed)";
  return tool.access.length === 2 ? "user, company" : tool.access.join(", ");
}

function kindOf(tool: AnyTool): string {
  const a = tool.annotations;
  if (a.readOnlyHint) return "read";
  if (a.destructiveHint) return "delete";
  return "write";
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

/** The Markdown of docs/TOOLS.md for a catalog. */
export function renderToolsDoc(catalog: readonly AnyTool[]): string {
  const groups = new Map<string, AnyTool[]>();
  for (const t of catalog) {
    const list = groups.get(t.group) ?? [];
    list.push(t);
    groups.set(t.group, list);
  }
  const count = (tools: readonly AnyTool[], mode: "user" | "company"): number =>
    tools.filter((t) => t.access === "anyone" || t.access.includes(mode)).length;
  const anchor = (g: string): string =>
    g
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-");
  const out: string[] = [
    "# Tools",
    "",
    "<!-- Generated from the tool catalog (src/tools/catalog.ts) by `npm run docs:tools`. Do not edit by hand: CI fails when this file is stale. -->",
    "",
    `${catalog.length} tools. Modes: **user** = signed in with a Passgage e-mail and password (your own data); **company** = signed in with a company API key (company-wide data and writes). A call in the wrong mode is refused before anything reaches Passgage, with guidance to switch or sign in. Paths are relative to \`/api/public/v1\` unless shown in full.`,
    "",
    "| Group | Tools | User mode | Company mode |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const [group, tools] of groups)
    out.push(`| [${cell(group)}](#${anchor(group)}) | ${tools.length} | ${count(tools, "user")} | ${count(tools, "company")} |`);
  out.push(`| **All** | **${catalog.length}** | **${count(catalog, "user")}** | **${count(catalog, "company")}** |`);
  for (const [group, tools] of groups) {
    out.push("", `## ${group}`, "", "| Tool | Title | Modes | Kind | Calls |", "| --- | --- | --- | --- | --- |");
    for (const t of tools) out.push(`| \`${t.name}\` | ${cell(t.title)} | ${modesOf(t)} | ${kindOf(t)} | ${callsOf(t)} |`);
  }
  out.push("");
  return out.join("\n");
}
