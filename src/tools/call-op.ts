/**
 * The one way a tool calls Passgage: a contract operation with a flat input (as its
 * generated tool takes it), built by the request builder (src/passgage/request.ts),
 * sent through the session's upstream, the answer unwrapped from the response envelope
 * and a failure mapped to a tool error (src/tools/upstream-errors.ts). Generated API
 * tools (api/build-tool.ts) and composite tools (composite/op-call.ts) both use it.
 */
import type { Operation } from "../contract/types";
import { buildRequest } from "../passgage/request";
import { messageOf } from "../passgage/response-envelope";
import { err, ok, type Result } from "../result";
import type { ToolContext, ToolError } from "./define-tool";
import { upstreamToolError } from "./upstream-errors";

/** The verb of a title ("Get", "List", ...) dropped, first letter lowered unless an acronym. */
export function nounOf(op: Operation): string {
  const rest = op.title.split(" ").slice(1).join(" ");
  return /^[A-Z]{2}/.test(rest) ? rest : rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** A successful operation call, unwrapped from the response envelope. */
export interface OpAnswer {
  /** `data` of the envelope; null when the answer has none (e.g. a bare `{ message }`). */
  readonly data: unknown;
  readonly meta: unknown;
  readonly message: string;
}

/** Calls one contract operation with a flat input. */
export async function callOp(
  ctx: ToolContext,
  op: Operation,
  input: Readonly<Record<string, unknown>>,
): Promise<Result<OpAnswer, ToolError>> {
  const r = await ctx.upstream.call(buildRequest(op, input));
  if (!r.ok) {
    const id = typeof input.id === "string" ? input.id : undefined;
    return err(upstreamToolError(r.error, { noun: nounOf(op), ...(id !== undefined ? { id } : {}), write: op.method !== "GET" }));
  }
  const env = r.value.envelope;
  return ok({ data: "data" in env ? env.data : null, meta: env.meta, message: messageOf(env) });
}
