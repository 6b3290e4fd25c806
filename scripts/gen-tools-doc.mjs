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
import { build } from "esbuild";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "docs", "TOOLS.md");

const bundle = await build({
  stdin: {
    contents: 'export { CATALOG } from "./src/tools/catalog"; export { renderToolsDoc } from "./src/tools/tools-doc";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
  write: false,
  logLevel: "warning",
});
const code = bundle.outputFiles[0].text;
const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
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
