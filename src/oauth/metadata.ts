/**
 * Discovery documents: Protected Resource Metadata (RFC 9728) of the MCP resource, at
 * `/.well-known/oauth-protected-resource/mcp` (path form; also under it for the toolset
 * paths) and the root form, and Authorization Server Metadata (RFC 8414) at
 * `/.well-known/oauth-authorization-server`. No OpenID Connect document: this server
 * issues no ID tokens. Every URL derives from the one issuer (src/oauth/issuer.ts).
 */
import type { IRequest } from "itty-router";
import { configured, type RequestContext } from "../http/request-context";
import { issuerOf, OAUTH_SCOPE, resourceOf } from "./issuer";
import { oauthError, oauthJson, oauthPreflight } from "./oauth-http";

/** Metadata may be cached briefly by clients (it changes only with the deployment). */
const CACHE = { "cache-control": "public, max-age=300" };

/** RFC 9728 §2: what the MCP resource is and which authorization server protects it. */
export function protectedResourceMetadata(issuer: string): Record<string, unknown> {
  return {
    resource: resourceOf(issuer),
    authorization_servers: [issuer],
    scopes_supported: [OAUTH_SCOPE],
    bearer_methods_supported: ["header"],
    resource_name: "Passgage MCP",
  };
}

/** RFC 8414 §2: the endpoints and what this authorization server supports. */
export function authorizationServerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    scopes_supported: [OAUTH_SCOPE],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

function metadataRoute(document: (issuer: string) => Record<string, unknown>) {
  return (request: IRequest, rc: RequestContext): Response => {
    if (request.method === "OPTIONS") return oauthPreflight(rc.requestId);
    if (request.method !== "GET" && request.method !== "HEAD")
      return oauthError(405, "invalid_request", "Use GET.", rc.requestId, { allow: "GET, HEAD, OPTIONS" });
    const ctx = configured(rc);
    if (!ctx) return oauthError(503, "server_error", "The server is misconfigured (see /health).", rc.requestId);
    return oauthJson(document(issuerOf(ctx.config, request.url)), 200, rc.requestId, CACHE);
  };
}

/** Handles the Protected Resource Metadata paths. */
export const handleResourceMetadata = metadataRoute(protectedResourceMetadata);
/** Handles /.well-known/oauth-authorization-server. */
export const handleServerMetadata = metadataRoute(authorizationServerMetadata);
