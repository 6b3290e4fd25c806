/**
 * Extra HTTP routes contributed by features (e.g. the browser sign-in page at /login).
 * Each entry is a path pattern and an itty-router handler.
 */
import type { IRequest } from "itty-router";
import type { RequestContext } from "./request-context";
import { handleConsoleApi } from "../console/console-api";
import { handleConsole } from "../console/console-handler";
import { handleLogin } from "../web/login-handler";
import { handleAuthorize } from "../web/authorize-handler";

/** One extra route. */
export interface ExtraRoute {
  readonly path: string;
  readonly handler: (request: IRequest, rc: RequestContext) => Promise<Response> | Response;
}

/** Extra routes, matched for any method (the handler checks it). */
export const EXTRA_ROUTES: readonly ExtraRoute[] = [
  // The browser sign-in page (GET form, POST sign-in), so passwords never pass through a model.
  { path: "/login", handler: handleLogin },
  { path: "/login/", handler: handleLogin },
  // The sessions console (issue 13): pages and forms, then its JSON endpoints.
  { path: "/console/api/*", handler: handleConsoleApi },
  { path: "/console", handler: handleConsole },
  { path: "/console/", handler: handleConsole },
  { path: "/console/login", handler: handleConsole },
  { path: "/console/revoke", handler: handleConsole },
  { path: "/console/logout", handler: handleConsole },
  // The OAuth authorize page (issue 12): the sign-in page of an authorization request (DCR is in src/oauth/oauth-routes.ts).
  { path: "/oauth/authorize", handler: handleAuthorize },
];
