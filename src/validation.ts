/** Human-readable zod issue messages that name the offending field (zod/mini ships no locale). */
import type * as z from "zod/mini";

/** Formats the first few issues of a zod error: `field.path: what is wrong`. */
export function formatIssues(error: z.core.$ZodError, max = 5): string {
  const parts: string[] = [];
  for (const issue of error.issues.slice(0, max)) parts.push(formatIssue(issue));
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  return parts.join("; ");
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "arguments";
  const custom = issue.message && issue.message !== "Invalid input" ? issue.message : null;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `${where}: is required` : `${where}: ${custom ?? `must be ${article(issue.expected)}`}`;
    case "unrecognized_keys":
      return `${where}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_value":
      return `${where}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `${where}: ${custom ?? `must be a valid ${issue.format}`}`;
    case "too_small":
      return `${where}: ${custom ?? (issue.origin === "string" ? `must be at least ${String(issue.minimum)} characters` : issue.origin === "array" ? `must have at least ${String(issue.minimum)} items` : `must be at least ${String(issue.minimum)}`)}`;
    case "too_big":
      return `${where}: ${custom ?? (issue.origin === "string" ? `must be at most ${String(issue.maximum)} characters` : issue.origin === "array" ? `must have at most ${String(issue.maximum)} items` : `must be at most ${String(issue.maximum)}`)}`;
    case "invalid_union":
      return `${where}: ${custom ?? "does not match any allowed form"}`;
    default:
      return `${where}: ${custom ?? "is invalid"}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
