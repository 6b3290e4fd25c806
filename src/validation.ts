/** Human-readable zod issue messages that name the offending field (zod/mini ships no locale). */
import type * as z from "zod/mini";

/**
 * Formats the first few issues of a zod error: `field.path: what is wrong`. `root` names the
 * value itself when an issue has no path (tool arguments, a JSON-RPC message, ...).
 */
export function formatIssues(error: z.core.$ZodError, max = 5, root = "arguments"): string {
  const parts: string[] = [];
  for (const issue of error.issues.slice(0, max)) {
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : root;
    parts.push(`${where}: ${describeIssue(issue)}`);
  }
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  if (parts.length === 0) return `${root}: is invalid`;
  return parts.join("; ");
}

/**
 * What is wrong, without the field's name: a schema's own message when it has one, else a
 * phrase for the issue's code. The one wording of validation errors (tools, JSON-RPC, config).
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const custom = issue.message && issue.message !== "Invalid input" ? issue.message : null;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : (custom ?? `must be ${article(issue.expected === "record" ? "object" : issue.expected)}`);
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return custom ?? `must be a valid ${issue.format}`;
    case "too_small":
      return custom ?? sizePhrase("least", issue.origin, issue.minimum);
    case "too_big":
      return custom ?? sizePhrase("most", issue.origin, issue.maximum);
    case "invalid_union":
      return custom ?? "does not match any allowed form";
    default:
      return custom ?? "is invalid";
  }
}

function sizePhrase(bound: "least" | "most", origin: string, value: number | bigint): string {
  const n = String(value);
  if (origin === "string") return `must be at ${bound} ${n} characters`;
  if (origin === "array") return `must have at ${bound} ${n} items`;
  return `must be at ${bound} ${n}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
