/**
 * The 401 challenge of the MCP resource (MCP authorization 2025-11-25, RFC 6750 §3,
 * RFC 9728 §5.1): `WWW-Authenticate: Bearer resource_metadata="…", scope="passgage"`, with
 * `error="invalid_token"` when a presented token is invalid, expired or revoked. Every MCP
 * path (/mcp and the toolset paths) points at the /mcp metadata: one resource.
 */
import type { Config } from "../config";
import { OAUTH_SCOPE, issuerOf, resourceMetadataUrl } from "./issuer";

/** Why a request gets the challenge: it presented no credential, or an unusable bearer token. */
export type ChallengeReason = "no_credential" | "invalid_token";

/** The WWW-Authenticate value for `reason`. */
export function challengeHeader(config: Pick<Config, "oauthIssuer">, requestUrl: string, reason: ChallengeReason): string {
  const meta = `resource_metadata="${resourceMetadataUrl(issuerOf(config, requestUrl))}", scope="${OAUTH_SCOPE}"`;
  return reason === "invalid_token" ? `Bearer error="invalid_token", ${meta}` : `Bearer ${meta}`;
}

/** The message of a 401 (the JSON-RPC error's text). */
export function challengeMessage(reason: ChallengeReason): string {
  return reason === "invalid_token"
    ? "Unauthorized: the access token is invalid, expired or revoked; refresh it or sign in again."
    : "Unauthorized: sign in with OAuth (see WWW-Authenticate), or send X-Session-ID from /login.";
}

/**
 * The bearer token an Authorization header presents: null without the header, "" when the
 * header is not `Bearer <token>` (never a valid token, so it is refused as one).
 */
export function bearerOf(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  return /^Bearer +(\S+) *$/i.exec(header)?.[1] ?? "";
}

/** The refusal (a tool error) when a request's bearer token and its X-Session-ID or bound connection name two different live sessions. */
export const BEARER_CONFLICT =
  "This client presents two different live sessions: its OAuth access token (Authorization) names one, and its X-Session-ID header or its connection (Mcp-Session-Id) another. Nothing runs until one is removed: remove the X-Session-ID header from the client's configuration, or start a new connection.";

/** The tool error when the bearer token turned out invalid (the transport answers 401 instead, so it is never shown). */
export const BEARER_INVALID = "The access token is invalid, expired or revoked.";
