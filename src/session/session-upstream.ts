/**
 * A session's upstream call: picks the credential of the session's current mode
 * (company API key, or user token refreshed ahead of expiry), calls Passgage, and on a
 * 401 with a user token refreshes once (single-flight, src/session/token-refresher.ts)
 * and retries once. The SessionDO supplies its in-memory state; nothing is stored here.
 */
import type { Config } from "../config";
import type { Logger } from "../log";
import { callUpstream, type UpstreamError, type UpstreamRequest, type UpstreamSuccess } from "../passgage/client";
import { err, type Result } from "../result";
import type { Secrets, SessionMeta, UserCredential } from "./state";

/** How the call refreshes a user token: whether it is due ahead of expiry, and the refresh itself. */
export interface TokenRefresh {
  dueAhead(user: UserCredential): boolean;
  refresh(stale: UserCredential): Promise<UserCredential | null>;
}

/** Calls Passgage with the session's current-mode credential. */
export async function callAsSession(
  req: UpstreamRequest,
  state: { readonly meta: SessionMeta | null; readonly secrets: Secrets | null },
  config: Pick<Config, "passgageBaseUrl" | "passgageTimeoutMs" | "passgageDebug">,
  logger: Logger,
  tokens: TokenRefresh,
): Promise<Result<UpstreamSuccess, UpstreamError>> {
  const { meta, secrets } = state;
  if (!meta || !secrets) return err({ code: "unauthorized", status: 401, message: "The session has ended." });
  const opts = { baseUrl: config.passgageBaseUrl, timeoutMs: config.passgageTimeoutMs, logger, debug: config.passgageDebug };
  if (meta.mode === "company") {
    if (!secrets.apiKey) return err({ code: "unauthorized", status: 401, message: "No company API key in this session." });
    return callUpstream(req, { ...opts, credential: secrets.apiKey });
  }
  let user = secrets.user;
  if (!user) return err({ code: "unauthorized", status: 401, message: "No user login in this session." });
  if (tokens.dueAhead(user)) user = (await tokens.refresh(user)) ?? user;
  const first = await callUpstream(req, { ...opts, credential: user.token });
  if (first.ok || first.error.code !== "unauthorized") return first;
  // One refresh per stale token, shared by concurrent callers, then one retry.
  const refreshed = await tokens.refresh(user);
  if (!refreshed || refreshed.token === user.token) return first;
  return callUpstream(req, { ...opts, credential: refreshed.token });
}
