/**
 * `POST /oauth/register`: Dynamic Client Registration (RFC 7591). Validates the metadata
 * and answers 201 with a stateless, signed client id (clients.ts); nothing is stored, so
 * clients that register on every connection (Claude) cost nothing. A public-client
 * endpoint: any origin may call it (CORS `*`, no credentials; oauth-http.ts). Per-IP admission runs
 * before (src/router.ts); no tighter per-IP limit here, since hosted clients share IPs.
 *
 * Errors: 400 `invalid_client_metadata` / `invalid_redirect_uri` (RFC 7591 §3.2.2) naming
 * the problem, 400 for a body that is not a JSON object, 413 over REGISTRATION_MAX_BYTES,
 * 415 for another content type, 405 for another method, 503 without ENCRYPTION_KEY.
 */
import type { IRequest } from "itty-router";
import { utf8Decode } from "../crypto/encoding";
import { configured, type RequestContext } from "../http/request-context";
import { readBodyCapped } from "../http/responses";
import { registerClient } from "./clients";
import { signingKeysOf } from "./clients-signing";
import { oauthError as oauthErrorResponse, oauthJson, oauthPreflight } from "./oauth-http";

/** Largest registration body accepted (bytes): ten 2,000-character URIs and a name fit easily. */
export const REGISTRATION_MAX_BYTES = 65_536;

function oauthError(rc: RequestContext, status: number, error: string, description: string, extra?: Record<string, string>): Response {
  return oauthErrorResponse(status, error, description, rc.requestId, extra);
}

/** Handles any method on /oauth/register. */
export async function handleRegister(request: IRequest, rc: RequestContext): Promise<Response> {
  if (request.method === "OPTIONS") return oauthPreflight(rc.requestId);
  if (request.method !== "POST") {
    return oauthError(rc, 405, "invalid_request", "Register a client with POST and a JSON body (RFC 7591).", { allow: "POST, OPTIONS" });
  }
  const crc = configured(rc);
  const keys = crc === null ? null : signingKeysOf(crc.config);
  if (keys === null) {
    rc.logger.error("oauth.register_unavailable", { code: "misconfigured" });
    return oauthError(rc, 503, "temporarily_unavailable", "The server is misconfigured (see /health); no client can be registered.");
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json") {
    return oauthError(rc, 415, "invalid_client_metadata", "Send the client metadata as application/json (RFC 7591 §3.1).");
  }
  const bytes = await readBodyCapped(request, REGISTRATION_MAX_BYTES);
  if (bytes === null)
    return oauthError(rc, 413, "invalid_client_metadata", `The client metadata is larger than ${REGISTRATION_MAX_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(utf8Decode.decode(bytes));
  } catch {
    return oauthError(rc, 400, "invalid_client_metadata", "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return oauthError(rc, 400, "invalid_client_metadata", "The body must be a JSON object of client metadata.");
  }
  const registered = await registerClient(keys, body, Date.now());
  if (!registered.ok) {
    rc.logger.info("oauth.register_refused", { code: registered.error.error });
    return oauthError(rc, 400, registered.error.error, registered.error.error_description);
  }
  rc.logger.info("oauth.registered", { redirectUris: registered.value.redirect_uris.length });
  return oauthJson(registered.value, 201, rc.requestId);
}
