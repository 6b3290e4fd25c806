/**
 * The edge side of the grant operations: each call goes to the SessionDO that holds the
 * grant (named by the session hash, for a token its hash part) as one RPC
 * (`SessionDO.oauth`, src/oauth/grant-desk.ts). The authorize page calls
 * `issueAuthorizationCode` after signing the user in under a fresh session ID; the token
 * and revocation endpoints call the others.
 */
import { sessionHash } from "../crypto/session-id";
import type { GrantAnswer, GrantRequest } from "./grant-desk";
import { parseToken, type TokenKind } from "./oauth-token";

/** What an authorization code is bound to (OAuth 2.1 §4.1, RFC 8707): the client, its redirect URI, the PKCE S256 challenge, the resource and the scope. */
export interface CodeGrantRequest {
  readonly sessionId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly resource: string;
  readonly scope: string;
  readonly requestId: string;
}

/** Issues a single-use authorization code in the session's SessionDO; null when the session is not live. */
export async function issueAuthorizationCode(env: Env, req: CodeGrantRequest): Promise<string | null> {
  const answer = await env.SESSION.getByName(await sessionHash(req.sessionId)).oauth({ op: "issue", ...req });
  return answer.ok && answer.kind === "code" ? answer.code : null;
}

type TokenOp = Exclude<GrantRequest, { op: "issue" }>;

/** The token a grant operation presents (it names the SessionDO). */
function presented(req: TokenOp): string {
  if (req.op === "exchange") return req.code;
  return req.op === "refresh" ? req.refreshToken : req.token;
}

const EXPECTED_KIND: Readonly<Record<TokenOp["op"], readonly TokenKind[]>> = {
  exchange: ["code"],
  refresh: ["refresh"],
  revoke: ["access", "refresh"],
};

/**
 * Runs an exchange, refresh or revocation in the SessionDO the presented token names. A
 * token of the wrong shape or kind never reaches a Durable Object: `invalid_grant` (for a
 * revocation, RFC 7009 §2.2: nothing to revoke, not an error).
 */
export async function runTokenOp(env: Env, req: TokenOp): Promise<GrantAnswer> {
  const parsed = parseToken(presented(req));
  if (!parsed || !EXPECTED_KIND[req.op].includes(parsed.kind)) {
    if (req.op === "revoke") return { ok: true, kind: "revoked", revoked: false };
    return {
      ok: false,
      error: "invalid_grant",
      description: `The ${req.op === "exchange" ? "authorization code" : "refresh token"} is invalid.`,
    };
  }
  return env.SESSION.getByName(parsed.sessionHash).oauth(req);
}
