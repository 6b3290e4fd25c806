/** Writes BENCHMARKS.md from a summary (filled in below). */
import { writeFileSync } from "node:fs";
export function writeReport(file, s) {
  writeFileSync(file, "```json\n" + JSON.stringify(s, null, 2) + "\n```\n");
}
