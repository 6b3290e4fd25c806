/**
 * `POST /oauth/token` (OAuth 2.1 §3.2, RFC 6749 §5): the authorization_code grant (PKCE
 * S256, client_id, redirect_uri and resource must match what the code was bound to; the
 * code is single-use) and the refresh_token grant (rotation; reuse revokes the grant).
 * Public clients only (`token_endpoint_auth_method` none): the client_id must equal the
 * one the grant recorded. The work happens in the SessionDO the token names
 * (src/oauth/grant-client.ts → src/oauth/grant-desk.ts); this handler parses the form
 * and writes RFC 6749 answers (`Cache-Control: no-store`, open CORS).
 */
import type { IRequest } from "itty-router";
import { configured, type RequestContext } from "../http/request-context";
import type { GrantAnswer } from "./grant-desk";
import { runTokenOp } from "./grant-client";
import { issuerOf, resourceOf } from "./issuer";
import { oauthError, oauthJson, oauthPreflight, readForm, single } from "./oauth-http";

const GRANT_TYPES: ReadonlySet<string> = new Set(["authorization_code", "refresh_token"]);

/** Writes a grant operation's answer as a token response or an RFC 6749 §5.2 error. */
function tokenAnswer(answer: GrantAnswer, requestId: string): Response {
  if (!answer.ok) {
    const status = answer.error === "server_error" ? 503 : 400;
    return oauthError(status, answer.error, answer.description, requestId);
  }
  if (answer.kind !== "tokens") return oauthError(400, "invalid_grant", "The grant is invalid.", requestId);
  const t = answer.tokens;
  return oauthJson(
    { access_token: t.accessToken, token_type: "Bearer", expires_in: t.expiresIn, refresh_token: t.refreshToken, scope: t.scope },
    200,
    requestId,
  );
}

/** The `resource` of a token request (RFC 8707): absent, or exactly this server's MCP URL (repeats allowed if equal). */
function requestedResource(values: readonly string[] | undefined, expected: string): { ok: true; value: string | null } | { ok: false } {
  if (values === undefined || values.length === 0) return { ok: true, value: null };
  return values.every((v) => v === expected) ? { ok: true, value: expected } : { ok: false };
}

/** Handles /oauth/token. */
export async function handleToken(request: IRequest, rc: RequestContext): Promise<Response> {
  if (request.method === "OPTIONS") return oauthPreflight(rc.requestId);
  if (request.method !== "POST") return oauthError(405, "invalid_request", "Use POST.", rc.requestId, { allow: "POST, OPTIONS" });
  const ctx = configured(rc);
  if (!ctx || !ctx.config.encryptionKeyHex)
    return oauthError(503, "server_error", "The server is misconfigured (see /health).", rc.requestId);
  const parsed = await readForm(request, rc.requestId);
  if (!parsed.ok) return parsed.response;
  const form = parsed.form;
  const names = ["grant_type", "client_id", "code", "code_verifier", "redirect_uri", "refresh_token", "scope"] as const;
  const p: Partial<Record<(typeof names)[number], string>> = {};
  for (const name of names) {
    const v = single(form, name);
    if (v === null) return oauthError(400, "invalid_request", `The parameter ${name} appears more than once.`, rc.requestId);
    if (v !== undefined) p[name] = v;
  }
  if (p.grant_type === undefined) return oauthError(400, "invalid_request", "grant_type is required.", rc.requestId);
  if (!GRANT_TYPES.has(p.grant_type))
    return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.", rc.requestId);
  if (p.client_id === undefined) return oauthError(400, "invalid_request", "client_id is required (public client).", rc.requestId);
  const expected = resourceOf(issuerOf(ctx.config, request.url));
  const resource = requestedResource(form.get("resource"), expected);
  if (!resource.ok) return oauthError(400, "invalid_target", `resource must be ${expected}.`, rc.requestId);

  if (p.grant_type === "authorization_code") {
    if (p.code === undefined) return oauthError(400, "invalid_request", "code is required.", rc.requestId);
    const answer = await runTokenOp(ctx.env, {
      op: "exchange",
      requestId: rc.requestId,
      code: p.code,
      clientId: p.client_id,
      redirectUri: p.redirect_uri ?? null,
      verifier: p.code_verifier ?? null,
      resource: resource.value,
    });
    return tokenAnswer(answer, rc.requestId);
  }
  if (p.refresh_token === undefined) return oauthError(400, "invalid_request", "refresh_token is required.", rc.requestId);
  // One scope: a requested scope narrows nothing (unknown scopes are ignored, as at /authorize).
  const answer = await runTokenOp(ctx.env, {
    op: "refresh",
    requestId: rc.requestId,
    refreshToken: p.refresh_token,
    clientId: p.client_id,
    resource: resource.value,
  });
  return tokenAnswer(answer, rc.requestId);
}
