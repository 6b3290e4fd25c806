/**
 * HTTP pieces shared by the OAuth endpoints (token, revocation, metadata, registration):
 * JSON answers with `Cache-Control: no-store` and open CORS (public clients, no cookies,
 * so `Access-Control-Allow-Origin: *` without credentials is safe), RFC 6749 §5.2 error
 * bodies, and strict parsing of form-encoded bodies (one value per parameter, §3.2).
 */
import { utf8Decode } from "../crypto/encoding";
import { jsonResponse, readBodyCapped } from "../http/responses";

/** Paths of the public OAuth endpoints: any Origin may call them (no cookies, no ambient authority). */
const PUBLIC_OAUTH_PATHS =
  /^\/(?:\.well-known\/(?:oauth-protected-resource|oauth-authorization-server)(?:\/.*)?|oauth\/(?:token|revoke|register))\/?$/;

/** Whether `path` is a public OAuth endpoint (the router skips its Origin check for these). */
export function isPublicOAuthPath(path: string): boolean {
  return PUBLIC_OAUTH_PATHS.test(path);
}

/** CORS headers of the public OAuth endpoints. */
export const OPEN_CORS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type, authorization, mcp-protocol-version",
  "access-control-max-age": "600",
};

/** A JSON answer of an OAuth endpoint (never cached: RFC 6749 §5.1). */
export function oauthJson(body: unknown, status: number, requestId: string, extra: Record<string, string> = {}): Response {
  return jsonResponse(body, status, requestId, { ...OPEN_CORS, pragma: "no-cache", ...extra });
}

/** An OAuth error answer: `{ error, error_description }` (RFC 6749 §5.2). */
export function oauthError(
  status: number,
  error: string,
  description: string,
  requestId: string,
  extra?: Record<string, string>,
): Response {
  return oauthJson({ error, error_description: description }, status, requestId, extra);
}

/** The preflight answer of a public OAuth endpoint. */
export function oauthPreflight(requestId: string): Response {
  return new Response(null, { status: 204, headers: { ...OPEN_CORS, "x-request-id": requestId } });
}

/** Largest form body accepted by the token and revocation endpoints (bytes): tokens and verifiers are short. */
export const MAX_FORM_BYTES = 16_384;

/** A parsed form, or why it was refused (already an error response). */
export type FormResult =
  { readonly ok: true; readonly form: ReadonlyMap<string, readonly string[]> } | { readonly ok: false; readonly response: Response };

/** Whether a Content-Type's media type is application/x-www-form-urlencoded. */
function isFormContentType(value: string | null): boolean {
  return (value?.split(";")[0] ?? "").trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** Reads a capped application/x-www-form-urlencoded body (RFC 6749 §3.2); anything else is a 400 (413 when too large). */
export async function readForm(request: Request, requestId: string): Promise<FormResult> {
  if (!isFormContentType(request.headers.get("content-type")))
    return {
      ok: false,
      response: oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded.", requestId),
    };
  const bytes = await readBodyCapped(request, MAX_FORM_BYTES);
  if (bytes === null)
    return { ok: false, response: oauthError(413, "invalid_request", `The body exceeds ${MAX_FORM_BYTES} bytes.`, requestId) };
  let text: string;
  try {
    text = utf8Decode.decode(bytes);
  } catch {
    return { ok: false, response: oauthError(400, "invalid_request", "The body is not valid UTF-8.", requestId) };
  }
  const form = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(text)) form.set(k, [...(form.get(k) ?? []), v]);
  return { ok: true, form };
}

/**
 * The single value of parameter `name`: undefined when absent or empty, null when repeated
 * (RFC 6749 §3.2: a parameter MUST NOT appear more than once).
 */
export function single(form: ReadonlyMap<string, readonly string[]>, name: string): string | undefined | null {
  const values = form.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) return null;
  return values[0] === "" ? undefined : values[0];
}
