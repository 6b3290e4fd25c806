/**
 * docs/TOOLS.md is generated from the served tools and their toolsets
 * (src/tools/tools-doc.ts); this fails when the committed file is stale, so CI
 * keeps it current. Token costs use the same tokenizer as the generator.
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import committed from "../../docs/TOOLS.md?raw";
import { CATALOG } from "../../src/tools/catalog";
import { renderToolsDoc } from "../../src/tools/tools-doc";
import { TOOLSETS } from "../../src/tools/toolsets";

describe("docs/TOOLS.md", () => {
  it("matches the catalog (run npm run docs:tools when this fails)", () => {
    const fresh = renderToolsDoc((text) => encode(text).length);
    expect(committed === fresh, "docs/TOOLS.md is stale: run npm run docs:tools").toBe(true);
  });

  it("lists every tool by name, under a section per toolset", () => {
    expect(CATALOG.length).toBeGreaterThan(0);
    for (const t of CATALOG) expect(committed).toContain(`| \`${t.name}\` |`);
    for (const s of TOOLSETS) expect(committed).toContain(`\n## ${s.name}\n`);
    expect(committed).toContain(`${CATALOG.length} tools in ${TOOLSETS.length} toolsets.`);
  });
});
