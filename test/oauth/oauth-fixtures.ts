/**
 * Fixtures of the OAuth tests: a signed-in session with an authorization code issued for
 * it (as the authorize page does after its sign-in), PKCE pairs, and raw form posts to
 * the Worker's fetch handler with ANONYMOUS_ACCESS "oauth".
 */
import { env } from "cloudflare:workers";
import { issueAuthorizationCode } from "../../src/oauth/grant-client";
import { s256Challenge } from "../../src/oauth/pkce";
import { toBase64Url } from "../../src/crypto/encoding";
import { type Fresh, signedIn, rid } from "../durable-objects/session-fixtures";
import { BASE } from "../helpers/mcp";

/** The issuer the Worker computes for test requests (their origin). */
export const ISSUER = BASE;
/** The MCP resource of the test Worker. */
export const RESOURCE = `${BASE}/mcp`;
/** A client id as the authorize page would have validated it. */
export const CLIENT_ID = "pgmc_test-client";
/** The redirect URI the code is bound to. */
export const REDIRECT_URI = "http://127.0.0.1:33418/callback";

/** A fresh PKCE verifier and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(48)));
  return { verifier, challenge: await s256Challenge(verifier) };
}

/** A signed-in session with a fresh authorization code for it. */
export interface CodeGrant {
  readonly session: Fresh;
  readonly code: string;
  readonly verifier: string;
  readonly challenge: string;
}

/** Signs `who` in under a fresh ID and issues an authorization code bound to the test client. */
export async function codeGrant(who: { email: string; password: string }, overrides: { clientId?: string } = {}): Promise<CodeGrant> {
  const session = await signedIn(who);
  const { verifier, challenge } = await pkcePair();
  const code = await issueAuthorizationCode(env, {
    sessionId: session.id,
    clientId: overrides.clientId ?? CLIENT_ID,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    resource: RESOURCE,
    scope: "passgage",
    requestId: rid(),
  });
  if (code === null) throw new Error("no code issued");
  return { session, code, verifier, challenge };
}
