/**
 * The list-filter guide (a static resource): how list tools page, filter and sort,
 * and every documented filter of every list tool, generated from the contract table
 * (src/contract) so it can never disagree with the tools' input schemas.
 */
import * as z from "zod/mini";
import { OPERATIONS } from "../contract/operations";
import type { FilterSpec, Operation } from "../contract/types";

function valuesOf(f: FilterSpec): string {
  if (f.enumCodes) return Object.keys(f.enumCodes).join(", ");
  const schema = z.toJSONSchema(f.schema, { io: "input", unrepresentable: "any" }) as {
    enum?: unknown[];
    type?: unknown;
    items?: { type?: unknown };
  };
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(", ");
  if (schema.type === "array") return `list of ${typeof schema.items?.type === "string" ? schema.items.type : "values"}`;
  return typeof schema.type === "string" ? schema.type : "";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

function section(op: Operation): string {
  const modes = op.modes.length === 2 ? "user and company mode" : `${op.modes[0] ?? ""} mode only`;
  const lines = [`### ${op.toolName ?? op.id}`, "", `${op.title} (${modes}${op.sortable ? "; accepts sort" : ""}).`, ""];
  const filters = op.filters ?? [];
  if (filters.length === 0) {
    lines.push("No documented filters: page through the list instead.");
  } else {
    lines.push("| filter key | meaning | values |", "| --- | --- | --- |");
    for (const f of filters) lines.push(`| \`${f.key}\` | ${cell(f.description)} | ${cell(valuesOf(f))} |`);
  }
  return lines.join("\n");
}

const INTRO = `# Filtering, sorting and paging Passgage lists

Every list tool (\`passgage_list_*\`) takes:

- \`page\` (1-based, default 1) and \`per_page\` (1 to 50, default 25). Answers say which page
  they are and how many pages and records there are in all; follow the pages to read everything.
- \`filter\`: an object whose keys are the filters listed below for that tool. All given filters
  must match (AND). Example: \`{"filter": {"status_eq": "approved", "start_date_gteq": "2026-12-01"}}\`.
  Enum filters take the value's name ("approved"); the server sends the API's integer code.
- \`sort\`, where a tool accepts it: \`"<column> asc"\` or \`"<column> desc"\`, e.g. \`"created_at desc"\`.

How filter keys read (Ransack predicates):

| ending | meaning |
| --- | --- |
| \`_eq\` | equals |
| \`_cont\` | contains, case-insensitive |
| \`_cont_any\` | contains any of a list of values |
| \`_gteq\` / \`_lteq\` | on or after / on or before (dates, YYYY-MM-DD), at least / at most (numbers) |
| \`_gt\` / \`_lt\` | greater / less than |
| \`a_or_b_cont\` | matches either field, e.g. \`first_name_or_last_name_cont\` |
| \`user_..._eq\`, \`leave_type_..._cont\` | a field of a linked record (the employee, the leave type) |

Tips:

- A date compared with a timestamp (\`created_at_lteq\`) means midnight at the start of that
  day: to include a whole last day, use the next day and drop the extra records.
- In user mode, lists show only what the signed-in employee may see (their own leaves, shifts,
  approvals and entrances); company mode sees the whole company.
- Narrow big lists (entrances, payrolls) with dates before paging through them.

## Filters by tool
`;

let cached: string | null = null;

/** The guide as Markdown (built once per isolate). */
export function listFilterGuide(): string {
  cached ??= [INTRO, ...OPERATIONS.filter((op) => op.kind === "list" && op.toolName !== null).map(section)].join("\n\n") + "\n";
  return cached;
}
