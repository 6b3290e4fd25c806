#!/usr/bin/env node
/**
 * `npm run docs:tools`: regenerates docs/TOOLS.md from the tool catalog.
 * `npm run docs:tools -- --check` only compares and exits 1 when the file is
 * stale (test/unit/tools-doc.test.ts makes the same check inside `npm test`).
 *
 * Node 20 cannot run TypeScript, so the catalog and the renderer
 * (src/tools/tools-doc.ts) are bundled in memory with esbuild (installed with
 * wrangler) and imported from a data: URL. Token costs are counted with the
 * o200k encoding of gpt-tokenizer, as the staleness test does.
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importSources, ROOT } from "./lib/import-sources.mjs";

const target = join(ROOT, "docs", "TOOLS.md");

const mod = await importSources('export { CATALOG } from "./src/tools/catalog"; export { renderToolsDoc } from "./src/tools/tools-doc";');
const doc = mod.renderToolsDoc((text) => encode(text).length);

let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  current = "";
}
if (process.argv.includes("--check")) {
  if (current !== doc) {
    console.error("docs/TOOLS.md is stale: run npm run docs:tools");
    process.exit(1);
  }
  console.log("docs/TOOLS.md is current");
} else if (current === doc) {
  console.log("docs/TOOLS.md is already current");
} else {
  writeFileSync(target, doc);
  console.log(`docs/TOOLS.md written (${mod.CATALOG.length} tools)`);
}
