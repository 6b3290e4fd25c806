/**
 * The OAuth issuer of this server and the resource it protects. ONE function computes the
 * issuer (OAUTH_ISSUER, else the request's own origin), so the metadata, the challenge,
 * the authorize redirect's `iss` and the tokens' audience can never disagree.
 */
import type { Config } from "../config";

/** The one OAuth scope of this server (advertised in the metadata; a granted token always has it). */
export const OAUTH_SCOPE = "passgage";

/** The issuer: `config.oauthIssuer` (no trailing slash) or the origin of the request's URL. */
export function issuerOf(config: Pick<Config, "oauthIssuer">, requestUrl: string): string {
  return config.oauthIssuer ?? new URL(requestUrl).origin;
}

/** The canonical URL of the MCP resource (RFC 8707 `resource`, RFC 9728 `resource`): `<issuer>/mcp`. */
export function resourceOf(issuer: string): string {
  return `${issuer}/mcp`;
}

/** Where the Protected Resource Metadata of the MCP resource is (RFC 9728 §3.1, path form). */
export function resourceMetadataUrl(issuer: string): string {
  return `${issuer}/.well-known/oauth-protected-resource/mcp`;
}
