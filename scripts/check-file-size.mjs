#!/usr/bin/env node
/**
 * `npm run size:check`: no source file over 400 lines, except data tables (the contract's
 * operation groups, the sandbox's column table and seed data). A long file is a sign that
 * it mixes concepts (ARCHITECTURE.md: one concept per file).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX_LINES = 400;
/** Data tables: long by nature, one concept each. */
const DATA_TABLES = [/^src\/contract\/groups\//, /^sandbox\/columns\.ts$/, /^sandbox\/seed\/build\.ts$/];
const SOURCE = /^(src|durable-objects|sandbox)\/.*\.ts$/;

const files = [
  ...new Set(
    execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => SOURCE.test(f) && !DATA_TABLES.some((re) => re.test(f))),
  ),
];
const over = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // deleted in the work tree
  }
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (lines > MAX_LINES) over.push(`${file}: ${lines} lines`);
}
if (over.length > 0) {
  console.error(`Files over ${MAX_LINES} lines (split them by concept):\n  ${over.join("\n  ")}`);
  process.exit(1);
}
console.log(`size: ${files.length} source files, none over ${MAX_LINES} lines (data tables excepted)`);
