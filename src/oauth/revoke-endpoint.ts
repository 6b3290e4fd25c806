/**
 * `POST /oauth/revoke` (RFC 7009): revoking the access or the refresh token ends the grant
 * and so its session (one grant = one session), effective on the next request everywhere,
 * since the SessionDO is the authority. An unknown, expired or malformed token is answered
 * 200 (RFC 7009 §2.2); a missing `token` parameter is 400.
 */
import type { IRequest } from "itty-router";
import { configured, type RequestContext } from "../http/request-context";
import { runTokenOp } from "./grant-client";
import { oauthError, oauthJson, oauthPreflight, readForm, single } from "./oauth-http";

/** Handles /oauth/revoke. */
export async function handleRevoke(request: IRequest, rc: RequestContext): Promise<Response> {
  if (request.method === "OPTIONS") return oauthPreflight(rc.requestId);
  if (request.method !== "POST") return oauthError(405, "invalid_request", "Use POST.", rc.requestId, { allow: "POST, OPTIONS" });
  const ctx = configured(rc);
  if (!ctx || !ctx.config.encryptionKeyHex)
    return oauthError(503, "server_error", "The server is misconfigured (see /health).", rc.requestId);
  const parsed = await readForm(request, rc.requestId);
  if (!parsed.ok) return parsed.response;
  const token = single(parsed.form, "token");
  const clientId = single(parsed.form, "client_id");
  if (token === null || clientId === null) return oauthError(400, "invalid_request", "A parameter appears more than once.", rc.requestId);
  if (token === undefined) return oauthError(400, "invalid_request", "token is required.", rc.requestId);
  const answer = await runTokenOp(ctx.env, { op: "revoke", requestId: rc.requestId, token, clientId: clientId ?? null });
  if (!answer.ok) return oauthError(answer.error === "server_error" ? 503 : 400, answer.error, answer.description, rc.requestId);
  return oauthJson({}, 200, rc.requestId);
}
