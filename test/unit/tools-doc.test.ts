/**
 * docs/TOOLS.md is generated from the catalog (src/tools/tools-doc.ts); this
 * fails when the committed file is stale, so CI keeps it current.
 */
import { describe, expect, it } from "vitest";
import committed from "../../docs/TOOLS.md?raw";
import { CATALOG } from "../../src/tools/catalog";
import { renderToolsDoc } from "../../src/tools/tools-doc";

describe("docs/TOOLS.md", () => {
  it("matches the catalog (run npm run docs:tools when this fails)", () => {
    const fresh = renderToolsDoc(CATALOG);
    expect(committed === fresh, "docs/TOOLS.md is stale: run npm run docs:tools").toBe(true);
  });

  it("lists every tool by name with its modes", () => {
    for (const t of CATALOG) expect(committed).toContain(`| \`${t.name}\` |`);
    expect(committed).toContain(`${CATALOG.length} tools.`);
  });
});
