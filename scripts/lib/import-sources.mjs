/**
 * Imports project TypeScript sources into a Node script. Node 20 cannot run TypeScript, so
 * the modules named in `exportsSource` (e.g. `export { CATALOG } from "./src/tools/catalog";`,
 * paths from the repository root) are bundled in memory with esbuild and imported from a
 * data: URL. Used by scripts/gen-tools-doc.mjs and scripts/count-tool-tokens.mjs.
 */
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Bundles `exportsSource` (resolved from the repository root) and imports the result. */
export async function importSources(exportsSource) {
  const bundle = await build({
    stdin: { contents: exportsSource, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    write: false,
    logLevel: "warning",
  });
  return import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);
}
