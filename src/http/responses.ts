/** JSON responses with the headers every answer carries. */

/**
 * The headers of a response: those every response carries (request id, no caching of API
 * answers), a content type when given, then `extra` (which wins), with lower-cased names. A
 * plain record, handed to `new Response` once (issue 14: one Headers object per response).
 */
export function responseHeaders(requestId: string, contentType: string | null, extra?: ExtraHeaders): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId, "cache-control": "no-store", "x-content-type-options": "nosniff" };
  if (contentType !== null) headers["content-type"] = contentType;
  if (extra !== undefined) for (const [k, v] of Object.entries(extra)) headers[k.toLowerCase()] = v;
  return headers;
}

/** Headers a response adds to the common ones (CORS, Retry-After, WWW-Authenticate, Mcp-Session-Id, Allow…), by name. */
export type ExtraHeaders = Readonly<Record<string, string>>;

/** A JSON response. */
export function jsonResponse(body: unknown, status: number, requestId: string, extra?: ExtraHeaders): Response {
  return new Response(JSON.stringify(body), { status, headers: responseHeaders(requestId, "application/json", extra) });
}

/** An empty response (202, 204, 405 ...). */
export function emptyResponse(status: number, requestId: string, extra?: ExtraHeaders): Response {
  return new Response(null, { status, headers: responseHeaders(requestId, null, extra) });
}

/** A JSON error body for non-MCP routes. */
export function errorResponse(status: number, code: string, message: string, requestId: string, extra?: ExtraHeaders): Response {
  return jsonResponse({ error: { code, message } }, status, requestId, extra);
}

/** Maximum request body accepted anywhere (bytes). */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * Reads the body of a request (or of a fetched response) up to `max` bytes; null when larger
 * (a request then gets 413). A declared Content-Length over `max` is refused before reading,
 * and the stream is cancelled as soon as it passes `max`. A request body whose length is declared
 * and not content-encoded is read in one call (issue 14: the chunk loop cost more than the read):
 * the platform holds an incoming request to its Content-Length. A fetched response is not held
 * to it (one sent with `Content-Length: 10` and `Transfer-Encoding: chunked` keeps both headers
 * and streams on), so a response is always read chunk by chunk (hostile-client finding H-1).
 */
export async function readBodyCapped(message: Request | Response, max = MAX_BODY_BYTES): Promise<Uint8Array | null> {
  const length = message.headers.get("content-length");
  const declared = length === null || length.trim() === "" ? Number.NaN : Number(length);
  if (Number.isFinite(declared) && declared > max) {
    await message.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!message.body) return new Uint8Array(0);
  const encoding = (message.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (message instanceof Request && Number.isFinite(declared) && (encoding === "" || encoding === "identity")) {
    const bytes = new Uint8Array(await message.arrayBuffer());
    return bytes.byteLength > max ? null : bytes;
  }
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Why a JSON body was refused: its HTTP status, code and message. */
export interface BodyError {
  readonly status: 400 | 413 | 415;
  readonly code: "unsupported_media_type" | "body_too_large" | "invalid_json";
  readonly message: string;
}

/** Reads a JSON body (Content-Type application/json, at most `max` bytes); the parsed value is still untrusted. */
export async function readJsonBody(request: Request, max: number): Promise<{ ok: true; value: unknown } | { ok: false; error: BodyError }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json")
    return { ok: false, error: { status: 415, code: "unsupported_media_type", message: "The body must be application/json." } };
  const bytes = await readBodyCapped(request, max);
  if (bytes === null)
    return { ok: false, error: { status: 413, code: "body_too_large", message: `The body is larger than ${max} bytes.` } };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) };
  } catch {
    return { ok: false, error: { status: 400, code: "invalid_json", message: "The body is not valid JSON." } };
  }
}
