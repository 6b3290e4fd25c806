/**
 * Pre-encoded results (issue 14: tools/list was serialised on every request): a
 * result object built once per isolate is registered with its JSON text, and the
 * transport writes that text into the response body instead of stringifying the
 * object again. The object stays a normal result (frozen), so code that reads
 * responses (tests, batches) sees the same value; only serialisation is skipped.
 */
import { type ExtraHeaders, responseHeaders } from "../http/responses";
import { jsonTextOf, withJsonText } from "../json-text";
import type { RpcResponse } from "./errors";

/** Freezes `result` and registers its JSON text; returns it. Use only for results never changed later. */
export function preEncode<T extends Record<string, unknown>>(result: T): Readonly<T> {
  return withJsonText(result, JSON.stringify(result));
}

const RESPONSE_TEXT = new WeakMap<RpcResponse, string>();

/**
 * The JSON text of one response, using a registered result's text when there is one. Memoised
 * per response object, so a batch that measures its answers (http-handler.ts) and the body
 * written afterwards serialise each response once.
 */
export function responseText(r: RpcResponse): string {
  const known = RESPONSE_TEXT.get(r);
  if (known !== undefined) return known;
  const result = "result" in r ? jsonTextOf(r.result) : undefined;
  const text = result === undefined ? JSON.stringify(r) : `{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":${result}}`;
  RESPONSE_TEXT.set(r, text);
  return text;
}

/** A JSON-RPC answer (one response or a batch) as an application/json HTTP response. */
export function rpcJsonResponse(
  body: RpcResponse | readonly RpcResponse[],
  status: number,
  requestId: string,
  extra?: ExtraHeaders,
): Response {
  const headers = responseHeaders(requestId, "application/json", extra);
  const text = Array.isArray(body) ? `[${body.map(responseText).join(",")}]` : responseText(body as RpcResponse);
  return new Response(text, { status, headers });
}
