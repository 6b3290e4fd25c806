/**
 * Nesting depth of parsed JSON, measured without recursion (a hostile body can nest
 * hundreds of thousands of levels within the 1 MB cap). Tool arguments deeper than
 * MAX_ARGUMENT_DEPTH are refused before routing: forwarding them to a Durable Object
 * fails in RPC serialisation (a RangeError, which would surface as -32603).
 */

/** Deepest nesting of objects and arrays accepted in `tools/call` arguments (the catalog needs 4). */
export const MAX_ARGUMENT_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep (the value itself is level 1). */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (;;) {
    const next = stack.pop();
    if (next === undefined) return false;
    const [v, depth] = next;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
}
