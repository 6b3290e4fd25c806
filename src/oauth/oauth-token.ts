/**
 * The opaque OAuth tokens of this server: `<prefix><session hash, 64 hex>.<32 random bytes,
 * base64url>`. The hash part only routes a token to its SessionDO (it is that object's
 * name, not a secret); the random part is the credential. The SessionDO stores only the
 * SHA-256 of a token (its digest) and compares digests in constant time.
 */
import { toBase64Url } from "../crypto/encoding";
import { sha256Hex } from "../crypto/session-id";

/** The kinds of token: authorization code, access token, refresh token. */
export type TokenKind = "code" | "access" | "refresh";

/** The prefix of each kind. */
export const TOKEN_PREFIX: Readonly<Record<TokenKind, string>> = { code: "pgm_code_", access: "pgm_at_", refresh: "pgm_rt_" };

const TOKEN_PATTERN = /^pgm_(code|at|rt)_([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/;
const KIND_OF: Readonly<Record<string, TokenKind>> = { code: "code", at: "access", rt: "refresh" };

/** A token, parsed: its kind and the hash of the session (the SessionDO's name). */
export interface ParsedToken {
  readonly kind: TokenKind;
  readonly sessionHash: string;
}

/** A fresh token of `kind` for the session named by `sessionHash` (256 random bits). */
export function mintToken(kind: TokenKind, sessionHash: string): string {
  return `${TOKEN_PREFIX[kind]}${sessionHash}.${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The kind and session hash of a well-formed token; null for anything else (a Passgage JWT, a session ID). */
export function parseToken(value: string): ParsedToken | null {
  const m = TOKEN_PATTERN.exec(value);
  const kind = m?.[1] === undefined ? undefined : KIND_OF[m[1]];
  return kind === undefined || m?.[2] === undefined ? null : { kind, sessionHash: m[2] };
}

/** The digest a token is stored and compared as (SHA-256, hex). */
export function tokenDigest(token: string): Promise<string> {
  return sha256Hex(`oauth-token:${token}`);
}
