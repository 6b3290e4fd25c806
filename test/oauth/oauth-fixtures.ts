/**
 * Fixtures of the OAuth tests: a signed-in session with an authorization code issued for
 * it (as the authorize page does after its sign-in), PKCE pairs, and raw form posts to
 * the Worker's fetch handler with ANONYMOUS_ACCESS "oauth".
 */
import { env } from "cloudflare:workers";
import { issueAuthorizationCode } from "../../src/oauth/grant-client";
import { s256Challenge } from "../../src/oauth/pkce";
import { toBase64Url } from "../../src/crypto/encoding";
import { type Fresh, freshSession, rid } from "../durable-objects/session-fixtures";
import { BASE, mcpHeaders, type RpcBody } from "../helpers/mcp";
import { send } from "../security/route-fetch";

/** The issuer the Worker computes for test requests (their origin). */
export const ISSUER = BASE;
/** The MCP resource of the test Worker. */
export const RESOURCE = `${BASE}/mcp`;
/** A client id as the authorize page would have validated it. */
export const CLIENT_ID = "pgmc_test-client";
/** The name the test client registered (shown in the session's texts). */
export const CLIENT_NAME = "Test Connector";
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
  const session = await freshSession();
  const signIn = await session.stub.login({
    sessionId: session.id,
    kind: "password",
    email: who.email,
    password: who.password,
    requestId: rid(),
    client: { id: overrides.clientId ?? CLIENT_ID, name: CLIENT_NAME },
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
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

/** Overrides every OAuth test sends: the default anonymous behaviour (401 with a challenge). */
export const OAUTH_ENV = { ANONYMOUS_ACCESS: "oauth" };

/** POSTs a form to the Worker (token or revocation endpoint). */
export function postForm(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return send(
    new Request(BASE + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "203.0.113.90", ...headers },
      body: new URLSearchParams(params).toString(),
    }),
    OAUTH_ENV,
  );
}

/** The token response body. */
export interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** The form of a code exchange for `g` (override any parameter). */
export function exchangeForm(g: CodeGrant, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: "authorization_code",
    code: g.code,
    code_verifier: g.verifier,
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    resource: RESOURCE,
    ...overrides,
  };
}

/** Exchanges `g`'s code; the test fails unless it succeeds. */
export async function exchanged(g: CodeGrant): Promise<{ access: string; refresh: string }> {
  const res = await postForm("/oauth/token", exchangeForm(g));
  const body = await res.json<TokenBody>();
  if (res.status !== 200 || !body.access_token || !body.refresh_token)
    throw new Error(`exchange failed: ${res.status} ${JSON.stringify(body)}`);
  return { access: body.access_token, refresh: body.refresh_token };
}

/** Refreshes; returns the raw response. */
export function refreshWith(refresh: string, overrides: Record<string, string> = {}): Promise<Response> {
  return postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: refresh, client_id: CLIENT_ID, ...overrides });
}

let rpcId = 1;

/** POSTs one JSON-RPC request to an MCP path with ANONYMOUS_ACCESS "oauth". */
export function mcpPost(
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
  path = "/mcp",
): Promise<Response> {
  return send(
    new Request(BASE + path, {
      method: "POST",
      headers: mcpHeaders(headers),
      body: JSON.stringify({ jsonrpc: "2.0", id: rpcId++, method, params }),
    }),
    OAUTH_ENV,
  );
}

/** Calls a tool with a bearer token; the HTTP status and the result text. */
export async function bearerCall(
  access: string,
  name: string,
  args: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; isError: boolean; www: string | null }> {
  const res = await mcpPost("tools/call", { name, arguments: args }, { authorization: `Bearer ${access}`, ...headers });
  const body = await res.json<RpcBody>();
  return {
    status: res.status,
    text: (body.result?.content ?? []).map((c) => c.text).join("\n"),
    isError: body.result?.isError === true,
    www: res.headers.get("www-authenticate"),
  };
}
