/**
 * The OAuth grant operations of one SessionDO (`SessionDO.oauth`): issue an authorization
 * code, exchange it, refresh (rotating), revoke; and `bearerSessionId`, which turns a
 * presented access token into the raw session ID (in memory only) so a tool call with a
 * bearer costs one Durable Object call.
 *
 * Each operation reads the grant and opens the session ID outside the lock, checks that
 * the session is live (which may take the lock itself), then re-reads and decides under
 * the SessionDO's lock, so two concurrent refreshes cannot both win: the second finds its
 * token rotated out, which is reuse. Ending the session (reuse, replay, revocation) runs
 * after the lock is released (the end takes the lock to wipe storage, the grant with it).
 */
import { type Config, loadConfig } from "../config";
import { constantTimeEqual, sessionHash, shortHash } from "../crypto/session-id";
import { createLogger, type Logger } from "../log";
import type { SessionView } from "../session/types";
import {
  accessExpiry,
  CODE_TTL_MS,
  type Grant,
  isRotatedRefresh,
  KEY_GRANT,
  matchesLive,
  parseGrant,
  pendingCodeExpiry,
  withRotated,
} from "./grant-state";
import { mintToken, parseToken, type TokenKind, tokenDigest } from "./oauth-token";
import { verifyS256 } from "./pkce";
import { openWithToken, sealForToken } from "./token-seal";

/** An operation on a session's grant (over RPC; tokens and IDs travel only in memory). */
export type GrantRequest =
  | {
      readonly op: "issue";
      readonly requestId: string;
      readonly sessionId: string;
      readonly clientId: string;
      readonly redirectUri: string;
      readonly codeChallenge: string;
      readonly resource: string;
      readonly scope: string;
    }
  | {
      readonly op: "exchange";
      readonly requestId: string;
      readonly code: string;
      readonly clientId: string;
      readonly redirectUri: string | null;
      readonly verifier: string | null;
      readonly resource: string | null;
    }
  | {
      readonly op: "refresh";
      readonly requestId: string;
      readonly refreshToken: string;
      readonly clientId: string;
      readonly resource: string | null;
    }
  | { readonly op: "revoke"; readonly requestId: string; readonly token: string; readonly clientId: string | null };

/** OAuth error codes the grant operations answer with (RFC 6749 §5.2, RFC 8707, RFC 7009). */
export type GrantErrorCode = "invalid_grant" | "invalid_target" | "invalid_request" | "unauthorized_client" | "server_error";

/** Tokens issued by an exchange or a refresh. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly scope: string;
}

/** The answer of a grant operation. */
export type GrantAnswer =
  | { readonly ok: true; readonly kind: "code"; readonly code: string }
  | { readonly ok: true; readonly kind: "tokens"; readonly tokens: IssuedTokens }
  | { readonly ok: true; readonly kind: "revoked"; readonly revoked: boolean }
  | { readonly ok: false; readonly error: GrantErrorCode; readonly description: string };

/** What the grant operations need of the SessionDO. */
export interface GrantHost {
  /** The live session's view for a raw ID (loads its secrets), or null. */
  readonly live: (sessionId: string) => Promise<SessionView | null>;
  /** Ends the session (the grant is wiped with it); called outside the lock. */
  readonly end: (logger: Logger) => Promise<void>;
  /** The SessionDO's lock. */
  readonly lock: { run<T>(fn: () => Promise<T>): Promise<T> };
}

type Decision = { readonly answer: GrantAnswer; readonly revoke?: string };

function fail(error: GrantErrorCode, description: string, revoke?: string): Decision {
  return { answer: { ok: false, error, description }, ...(revoke === undefined ? {} : { revoke }) };
}

function readGrant(storage: DurableObjectStorage): Grant | null {
  return parseGrant(storage.kv.get(KEY_GRANT));
}

/** Runs one grant operation on this SessionDO's storage. */
export async function runGrant(storage: DurableObjectStorage, env: object, req: GrantRequest, host: GrantHost): Promise<GrantAnswer> {
  const loaded = loadConfig(env);
  if (!loaded.ok || !loaded.config.encryptionKeyHex)
    return { ok: false, error: "server_error", description: "The server is misconfigured." };
  const config = loaded.config;
  const logger = createLogger({ requestId: req.requestId }, config.passgageDebug ? "debug" : "info");
  let decision: Decision;
  if (req.op === "issue") decision = await issue(storage, config, req, host, logger);
  else if (req.op === "exchange") decision = await exchange(storage, config, req, host);
  else if (req.op === "refresh") decision = await refresh(storage, config, req, host);
  else decision = await revoke(storage, req, host);
  if (decision.revoke !== undefined) {
    logger.warn("oauth.grant_revoked", { op: req.op, code: decision.revoke });
    await host.end(logger);
  } else if (req.op !== "issue") {
    logger.info(`oauth.${req.op}`, { outcome: decision.answer.ok ? "ok" : decision.answer.error });
  }
  return decision.answer;
}

async function issue(
  storage: DurableObjectStorage,
  config: Config,
  req: Extract<GrantRequest, { op: "issue" }>,
  host: GrantHost,
  logger: Logger,
): Promise<Decision> {
  const view = await host.live(req.sessionId);
  if (!view) return fail("invalid_grant", "The session is not live.");
  const hash = await sessionHash(req.sessionId);
  const code = mintToken("code", hash);
  const sealed = await sealForToken(config, code, "code", hash, req.sessionId);
  if (sealed === null) return fail("server_error", "The server is misconfigured.");
  const now = Date.now();
  const grant: Grant = {
    v: 1,
    clientId: req.clientId,
    redirectUri: req.redirectUri,
    resource: req.resource,
    scope: req.scope,
    code: { digest: await tokenDigest(code), sealed, expiresAt: now + CODE_TTL_MS, challenge: req.codeChallenge },
    usedCode: null,
    access: null,
    refresh: null,
    rotated: [],
  };
  await host.lock.run(async () => {
    storage.kv.put(KEY_GRANT, grant);
    // The alarm ends the session if the code is never exchanged (pendingCodeExpiry; SessionStore.scheduleAlarm keeps it).
    const alarm = await storage.getAlarm();
    if (alarm === null || alarm > now + CODE_TTL_MS) await storage.setAlarm(now + CODE_TTL_MS);
  });
  logger.info("oauth.code_issued", { sessionId: shortHash(hash) });
  return { answer: { ok: true, kind: "code", code } };
}

/** Opens the session ID a token carries and checks the session is live (outside the lock). */
async function preflight(
  config: Config,
  token: string,
  kind: TokenKind,
  record: { readonly digest: string; readonly sealed: string } | null | undefined,
  digest: string,
  host: GrantHost,
): Promise<{ readonly id: string; readonly view: SessionView } | null> {
  const parsed = parseToken(token);
  if (!record || !parsed || !constantTimeEqual(record.digest, digest)) return null;
  const id = await openWithToken(config, token, kind, parsed.sessionHash, record.sealed);
  const view = id === null ? null : await host.live(id);
  return id !== null && view !== null ? { id, view } : null;
}

/** Mints, seals and stores a fresh access and refresh token pair for the live session `id`; the grant's code is spent. */
async function mintPair(
  storage: DurableObjectStorage,
  config: Config,
  grant: Grant,
  session: { readonly id: string; readonly view: SessionView },
  rotated: string[],
): Promise<Decision> {
  const hash = await sessionHash(session.id);
  const now = Date.now();
  const accessToken = mintToken("access", hash);
  const refreshToken = mintToken("refresh", hash);
  const [sealedAccess, sealedRefresh] = await Promise.all([
    sealForToken(config, accessToken, "access", hash, session.id),
    sealForToken(config, refreshToken, "refresh", hash, session.id),
  ]);
  if (sealedAccess === null || sealedRefresh === null) return fail("server_error", "The server is misconfigured.");
  const accessExpiresAt = accessExpiry(now, config.oauthAccessTokenTtlMs, session.view.expiresAt);
  const next: Grant = {
    ...grant,
    code: null,
    access: { digest: await tokenDigest(accessToken), sealed: sealedAccess, expiresAt: accessExpiresAt },
    refresh: { digest: await tokenDigest(refreshToken), sealed: sealedRefresh, expiresAt: session.view.expiresAt },
    rotated,
  };
  storage.kv.put(KEY_GRANT, next);
  const expiresIn = Math.max(1, Math.floor((accessExpiresAt - now) / 1000));
  return { answer: { ok: true, kind: "tokens", tokens: { accessToken, refreshToken, expiresIn, scope: grant.scope } } };
}

async function exchange(
  storage: DurableObjectStorage,
  config: Config,
  req: Extract<GrantRequest, { op: "exchange" }>,
  host: GrantHost,
): Promise<Decision> {
  const digest = await tokenDigest(req.code);
  const session = await preflight(config, req.code, "code", readGrant(storage)?.code, digest, host);
  return host.lock.run(async () => {
    const grant = readGrant(storage);
    if (!grant) return fail("invalid_grant", "The authorization code is invalid, expired or was already used.");
    if (grant.usedCode !== null && constantTimeEqual(grant.usedCode, digest))
      return fail("invalid_grant", "The authorization code was already used; the grant is revoked.", "code_replay");
    if (!grant.code || !constantTimeEqual(grant.code.digest, digest))
      return fail("invalid_grant", "The authorization code is invalid, expired or was already used.");
    // The code matched: it is spent whatever happens next (single use), and a failed exchange ends the grant.
    const spent: Grant = { ...grant, code: null, usedCode: digest };
    storage.kv.put(KEY_GRANT, spent);
    const refusal = await exchangeRefusal(grant, req, Date.now());
    if (refusal !== null) return refusal;
    if (!session) return fail("invalid_grant", "The session behind this authorization code has ended.", "session_ended");
    return mintPair(storage, config, spent, session, []);
  });
}

/** Why a matching code may not be exchanged (each ends the grant), or null. */
async function exchangeRefusal(grant: Grant, req: Extract<GrantRequest, { op: "exchange" }>, now: number): Promise<Decision | null> {
  const code = grant.code;
  if (!code || now >= code.expiresAt) return fail("invalid_grant", "The authorization code expired.", "code_expired");
  if (req.clientId !== grant.clientId)
    return fail("invalid_grant", "The authorization code was issued to another client.", "client_mismatch");
  if (req.redirectUri !== null && req.redirectUri !== grant.redirectUri)
    return fail("invalid_grant", "redirect_uri differs from the one of the authorization request.", "redirect_mismatch");
  if (req.resource !== null && req.resource !== grant.resource)
    return fail("invalid_target", `resource must be ${grant.resource}.`, "resource_mismatch");
  if (req.verifier === null) return fail("invalid_request", "code_verifier is required (PKCE S256).", "pkce_missing");
  if (!(await verifyS256(req.verifier, code.challenge)))
    return fail("invalid_grant", "code_verifier does not match the code challenge.", "pkce_failed");
  return null;
}

async function refresh(
  storage: DurableObjectStorage,
  config: Config,
  req: Extract<GrantRequest, { op: "refresh" }>,
  host: GrantHost,
): Promise<Decision> {
  const digest = await tokenDigest(req.refreshToken);
  const session = await preflight(config, req.refreshToken, "refresh", readGrant(storage)?.refresh, digest, host);
  return host.lock.run(async () => {
    const grant = readGrant(storage);
    if (!grant) return fail("invalid_grant", "The refresh token is invalid, expired or revoked.");
    if (isRotatedRefresh(grant, digest))
      return fail("invalid_grant", "The refresh token was already used; the grant is revoked.", "refresh_reuse");
    if (!matchesLive(grant.refresh, digest, Date.now())) return fail("invalid_grant", "The refresh token is invalid, expired or revoked.");
    if (req.clientId !== grant.clientId) return fail("invalid_grant", "The refresh token was issued to another client.");
    if (req.resource !== null && req.resource !== grant.resource) return fail("invalid_target", `resource must be ${grant.resource}.`);
    if (!session) return fail("invalid_grant", "The session behind this refresh token has ended; sign in again.", "session_ended");
    return mintPair(storage, config, grant, session, withRotated(grant.rotated, digest));
  });
}

async function revoke(storage: DurableObjectStorage, req: Extract<GrantRequest, { op: "revoke" }>, host: GrantHost): Promise<Decision> {
  const digest = await tokenDigest(req.token);
  return host.lock.run(async () => {
    const grant = readGrant(storage);
    const now = Date.now();
    const live = grant !== null && (matchesLive(grant.access, digest, now) || matchesLive(grant.refresh, digest, now));
    // RFC 7009 §2.2: an invalid or unknown token is not an error.
    if (!grant || !live) return { answer: { ok: true, kind: "revoked", revoked: false } };
    if (req.clientId !== null && req.clientId !== grant.clientId)
      return fail("unauthorized_client", "The token was issued to another client.");
    return { answer: { ok: true, kind: "revoked", revoked: true }, revoke: "revoked" };
  });
}

/** Whether this session's authorization code expired unexchanged at `now` (its alarm then ends the session). */
export function codeAbandoned(storage: DurableObjectStorage, now: number): boolean {
  const expiry = pendingCodeExpiry(storage.kv.get(KEY_GRANT));
  return expiry !== null && expiry <= now;
}

/**
 * The raw session ID a presented credential stands for: an access token of this session's
 * grant, live, unexpired and presented at the resource the grant was issued for
 * (`audience`, RFC 8707; finding F-A4: with OAUTH_ISSUER unset the issuer follows the
 * request's host, so a token minted at one host name must not work at another), opens to
 * it; a value that is not an OAuth token (a session ID) is returned unchanged; any other
 * token (code, refresh, unknown, expired, another audience or none given) → null.
 */
export async function bearerSessionId(
  storage: DurableObjectStorage,
  config: Config,
  presented: string,
  audience: string | undefined,
): Promise<string | null> {
  const parsed = parseToken(presented);
  if (!parsed) return presented;
  if (parsed.kind !== "access" || audience === undefined) return null;
  const grant = readGrant(storage);
  const access = grant?.access ?? null;
  if (!grant || grant.resource !== audience || !matchesLive(access, await tokenDigest(presented), Date.now())) return null;
  return openWithToken(config, presented, "access", parsed.sessionHash, access.sealed);
}
