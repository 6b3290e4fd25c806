#!/usr/bin/env node
/**
 * Counts the tokens of what tools/list shows (issue 15), with real tokenizers:
 * `@anthropic-ai/tokenizer` (Claude) and the o200k encoding of `gpt-tokenizer`.
 * Prints the legacy full list (today's tools/list), the default selection,
 * `all`, each toolset alone (with the always-on `session` toolset), and the
 * read-only variants, and checks the goals: default ≤ 15,000 and all ≤ 35,000
 * Claude tokens (exit 1 when missed).
 *
 * `node scripts/count-tool-tokens.mjs [--json]`; the bench may instead import
 * `countToolTokens()`. Node 20 cannot run TypeScript, so the sources are bundled
 * in memory with esbuild (as scripts/gen-tools-doc.mjs does).
 */
import { countTokens as claudeTokens } from "@anthropic-ai/tokenizer";
import { encode as o200kEncode } from "gpt-tokenizer/encoding/o200k_base";
import { fileURLToPath } from "node:url";
import { importSources } from "./lib/import-sources.mjs";

/** Token goals of issue 15 (Claude tokenizer). */
export const GOALS = { default: 15_000, all: 35_000 };

function loadSources() {
  return importSources(
    [
      'export { toolList } from "./src/tools/catalog";',
      'export { listTools } from "./src/tools/tool-listing";',
      'export { makeSelection, DEFAULT_SELECTION } from "./src/tools/tool-selection";',
      'export { TOOLSET_NAMES } from "./src/tools/toolsets";',
    ].join("\n"),
  );
}

/** Tokens of one tools/list result (the JSON a client puts into the model's context). */
function measure(tools) {
  const json = JSON.stringify({ tools });
  return { tools: tools.length, bytes: json.length, claude: claudeTokens(json), o200k: o200kEncode(json).length };
}

/**
 * Measures every configuration: `{ legacy, default, all, defaultReadOnly, allReadOnly, toolsets: { name: {...} } }`,
 * each `{ tools, bytes, claude, o200k }`. Listing with modes = null (anonymous: every mode's tools).
 */
export async function countToolTokens() {
  const m = await loadSources();
  const sel = (names, ro) => m.makeSelection(names, ro);
  const toolsets = {};
  for (const name of m.TOOLSET_NAMES) toolsets[name] = measure(m.listTools(sel([name], false), null));
  return {
    legacy: measure(m.toolList()),
    default: measure(m.listTools(m.DEFAULT_SELECTION, null)),
    all: measure(m.listTools(sel(m.TOOLSET_NAMES, false), null)),
    defaultReadOnly: measure(m.listTools(sel(m.DEFAULT_SELECTION.toolsets, true), null)),
    allReadOnly: measure(m.listTools(sel(m.TOOLSET_NAMES, true), null)),
    defaultUserMode: measure(m.listTools(m.DEFAULT_SELECTION, ["user"])),
    toolsets,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await countToolTokens();
  if (process.argv.includes("--json")) console.log(JSON.stringify(r, null, 2));
  else {
    const row = (label, x) =>
      console.log(
        `${label.padEnd(34)} ${String(x.tools).padStart(4)} tools ${String(x.bytes).padStart(8)} B ${String(x.claude).padStart(7)} claude ${String(x.o200k).padStart(7)} o200k`,
      );
    row("legacy tools/list (full catalog)", r.legacy);
    row("default", r.default);
    row("default, read-only", r.defaultReadOnly);
    row("default, user-only session", r.defaultUserMode);
    row("all", r.all);
    row("all, read-only", r.allReadOnly);
    for (const [name, x] of Object.entries(r.toolsets)) row(`  ${name} (+ session)`, x);
  }
  const fails = [];
  if (r.default.claude > GOALS.default) fails.push(`default list is ${r.default.claude} tokens (goal ≤ ${GOALS.default})`);
  if (r.all.claude > GOALS.all) fails.push(`all list is ${r.all.claude} tokens (goal ≤ ${GOALS.all})`);
  for (const f of fails) console.error(`goal missed: ${f}`);
  if (fails.length > 0) process.exit(1);
}
