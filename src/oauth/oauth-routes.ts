/**
 * The OAuth routes of this module (registered by src/router.ts before its catch-alls):
 * discovery metadata, the token and the revocation endpoints. The authorize page and
 * client registration live in their own files.
 */
import type { ExtraRoute } from "../http/extra-routes";
import { handleResourceMetadata, handleServerMetadata } from "./metadata";
import { handleRegister } from "./clients-register";
import { handleRevoke } from "./revoke-endpoint";
import { handleToken } from "./token-endpoint";

/** Routes, matched for any method (each handler checks it and answers its CORS preflight). */
export const OAUTH_ROUTES: readonly ExtraRoute[] = [
  { path: "/.well-known/oauth-protected-resource", handler: handleResourceMetadata },
  { path: "/.well-known/oauth-protected-resource/mcp", handler: handleResourceMetadata },
  { path: "/.well-known/oauth-protected-resource/mcp/*", handler: handleResourceMetadata },
  { path: "/.well-known/oauth-authorization-server", handler: handleServerMetadata },
  { path: "/oauth/token", handler: handleToken },
  { path: "/oauth/revoke", handler: handleRevoke },
  // Dynamic Client Registration (RFC 7591): here, since it answers its own CORS preflight.
  { path: "/oauth/register", handler: handleRegister },
];
