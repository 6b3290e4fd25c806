/**
 * Operation routing from the contract table: every `OPERATIONS` path template
 * (`/api/public/v1/shifts/{shift_id}/slacks/{id}`) becomes a matcher; static
 * segments beat parameters (`/approvals/pending` before `/approvals/{id}`),
 * so the sandbox serves exactly the contract's method + path pairs.
 */
import type { Operation } from "../src/contract/types";

interface Compiled {
  readonly op: Operation;
  readonly segments: readonly ({ readonly literal: string } | { readonly param: string })[];
  readonly literals: number;
}

/** A matched operation with its path parameters. */
export interface RouteMatch {
  readonly op: Operation;
  readonly params: Readonly<Record<string, string>>;
}

/** Matches request paths to contract operations. */
export class OperationRouter {
  readonly #routes: Compiled[];

  /** Compiles the table. */
  constructor(operations: readonly Operation[]) {
    this.#routes = operations
      .map((op) => {
        const segments = op.path
          .split("/")
          .filter((s) => s !== "")
          .map((s) => {
            const m = /^\{(\w+)\}$/.exec(s);
            return m ? { param: m[1] ?? "" } : { literal: s };
          });
        return { op, segments, literals: segments.filter((s) => "literal" in s).length };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** The operation for a method and a normalised path, or null. */
  match(method: string, path: string): RouteMatch | null {
    const parts = path.split("/").filter((s) => s !== "");
    for (const route of this.#routes) {
      if (route.op.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i];
        const part = parts[i] ?? "";
        if (!seg) ok = false;
        else if ("literal" in seg) ok = seg.literal === part;
        else params[seg.param] = decodeURIComponent(part);
      }
      if (ok) return { op: route.op, params };
    }
    return null;
  }
}

/** Collapses repeated slashes and drops a trailing one (`/api/public/v1//shift_settings/`). */
export function normalisePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 && collapsed.endsWith("/") ? collapsed.slice(0, -1) : collapsed;
}
