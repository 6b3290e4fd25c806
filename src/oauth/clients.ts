/**
 * OAuth clients of the authorization server, registered with Dynamic Client Registration
 * (RFC 7591) without any storage: the `client_id` IS the validated metadata, signed.
 *
 *   client_id = "pgmc_" + base64url(JSON of { n: client_name?, r: redirect_uris, g: grant_types, t: issued-at s })
 *               + "." + base64url(HMAC-SHA-256 under an HKDF key of ENCRYPTION_KEY, "oauth-client/v1")
 *
 * Claude registers a new client on every connection, so a stored registry would grow
 * without bound; a signed id costs nothing to keep and is verified on every use (a changed
 * byte, a foreign key, or metadata that no longer passes the redirect policy → refused).
 * Bounds: at most REGISTRATION_MAX_REDIRECT_URIS redirect URIs of REDIRECT_URI_MAX_CHARS,
 * a name of CLIENT_NAME_MAX_CHARS, and the whole id at most CLIENT_ID_MAX_CHARS.
 *
 * Only public clients exist here (`token_endpoint_auth_method` "none", PKCE S256): a
 * request for another method is answered with "none" (RFC 7591 §3.2.1 lets the server
 * replace requested values; the response tells the client what it got).
 */
import * as z from "zod/mini";
import { fromBase64Url, toBase64Url, utf8, utf8Decode } from "../crypto/encoding";
import { err, ok, type Result } from "../result";
import { formatIssues } from "../validation";
import { signText, type SigningKeys, verifyText } from "./clients-signing";
import { checkRedirectUri } from "./redirect-uri";

/** Prefix of a DCR client id. */
export const DCR_CLIENT_ID_PREFIX = "pgmc_";
/** Most redirect URIs one client may register. */
export const REGISTRATION_MAX_REDIRECT_URIS = 10;
/** Longest client name kept (characters). */
export const CLIENT_NAME_MAX_CHARS = 200;
/** Longest client id issued or accepted (characters). */
export const CLIENT_ID_MAX_CHARS = 4096;

/** The grant types a client may use. */
const GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
/** A grant type of this server. */
type GrantType = (typeof GRANT_TYPES)[number];

/** A client, however it was identified (DCR id or metadata document): what /authorize needs. */
export interface OAuthClient {
  readonly id: string;
  /** The name to show, or null when the client gave none. */
  readonly name: string | null;
  readonly redirectUris: readonly string[];
  readonly kind: "dcr" | "cimd";
}

/** The RFC 7591 registration response (empty fields omitted: Claude Code refuses `null`s). */
export interface RegistrationResponse {
  readonly client_id: string;
  readonly client_id_issued_at: number;
  readonly client_name?: string;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly GrantType[];
  readonly response_types: readonly ["code"];
  readonly token_endpoint_auth_method: "none";
}

/** A refused registration: the RFC 7591 §3.2.2 error code and a sentence naming the problem. */
export interface RegistrationError {
  readonly error: "invalid_redirect_uri" | "invalid_client_metadata";
  readonly error_description: string;
}

/** What a registration request may carry (other RFC 7591 fields are accepted and ignored). */
const RegistrationRequestSchema = z.object({
  redirect_uris: z.array(z.string()),
  client_name: z.optional(z.string()),
  grant_types: z.optional(z.array(z.string())),
  response_types: z.optional(z.array(z.string())),
  token_endpoint_auth_method: z.optional(z.string()),
});

/** The signed payload of a DCR client id. */
const ClientPayloadSchema = z.object({
  n: z.optional(z.string().check(z.maxLength(CLIENT_NAME_MAX_CHARS))),
  r: z.array(z.string()).check(z.minLength(1), z.maxLength(REGISTRATION_MAX_REDIRECT_URIS)),
  g: z.array(z.enum(GRANT_TYPES)),
  t: z.number(),
});
type ClientPayload = z.infer<typeof ClientPayloadSchema>;

function metadataError(description: string): Result<never, RegistrationError> {
  return err({ error: "invalid_client_metadata", error_description: description });
}

/** Validates redirect URIs as a client registers them (also for metadata documents). */
export function checkRegisteredRedirectUris(uris: readonly string[]): Result<readonly string[], RegistrationError> {
  if (uris.length === 0) return err({ error: "invalid_redirect_uri", error_description: "redirect_uris must list at least one URI." });
  if (uris.length > REGISTRATION_MAX_REDIRECT_URIS) {
    return err({
      error: "invalid_redirect_uri",
      error_description: `redirect_uris may list at most ${REGISTRATION_MAX_REDIRECT_URIS} URIs.`,
    });
  }
  for (const [i, uri] of uris.entries()) {
    const checked = checkRedirectUri(uri);
    if (!checked.ok) return err({ error: "invalid_redirect_uri", error_description: `redirect_uris[${i}]: ${checked.error}` });
  }
  return ok([...new Set(uris)]);
}

/**
 * Characters a shown client name may not contain: controls (Cc), invisible format characters
 * (Cf: bidi overrides and isolates, zero-width, BOM, soft hyphen), line and paragraph
 * separators, private-use and unassigned code points. The name is the client's own text in
 * the authorize page's heading: such characters could make it read reversed or pass for
 * another app's name.
 */
const UNSHOWABLE_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;

/**
 * A client name as given, checked and trimmed (null when empty). A registration's name over
 * CLIENT_NAME_MAX_CHARS is refused; a metadata document's (`cut`) is shortened to it.
 */
export function checkClientName(raw: string | undefined, options: { readonly cut?: boolean } = {}): Result<string | null, string> {
  if (raw === undefined) return ok(null);
  if (UNSHOWABLE_NAME_CHARS.test(raw)) {
    return err("client_name contains control, invisible or bidirectional formatting characters; use plain text.");
  }
  let name = raw.trim();
  if (name.length > CLIENT_NAME_MAX_CHARS) {
    if (options.cut !== true) return err(`client_name is longer than ${CLIENT_NAME_MAX_CHARS} characters.`);
    // By code points, so a surrogate pair is never split.
    let cut = "";
    for (const point of name) {
      if (cut.length + point.length > CLIENT_NAME_MAX_CHARS) break;
      cut += point;
    }
    name = cut.trim();
  }
  return ok(name === "" ? null : name);
}

/** The grant types a client asked for, checked: a subset of this server's, with authorization_code. */
export function checkGrantTypes(requested: readonly string[] | undefined): Result<readonly GrantType[], string> {
  if (requested === undefined) return ok(GRANT_TYPES);
  const out: GrantType[] = [];
  for (const g of requested) {
    const known = GRANT_TYPES.find((t) => t === g);
    if (known === undefined) return err(`grant_types: "${g.slice(0, 60)}" is not supported (only authorization_code and refresh_token).`);
    if (!out.includes(known)) out.push(known);
  }
  if (!out.includes("authorization_code")) return err("grant_types must include authorization_code.");
  return ok(out);
}

/**
 * Registers a client (RFC 7591): validates the metadata and returns the response with its
 * signed, stateless client id; or why the metadata is refused.
 */
export async function registerClient(
  keys: SigningKeys,
  body: unknown,
  nowMs: number,
): Promise<Result<RegistrationResponse, RegistrationError>> {
  const parsed = RegistrationRequestSchema.safeParse(body);
  if (!parsed.success) return metadataError(formatIssues(parsed.error, 3, "metadata"));
  const m = parsed.data;
  const uris = checkRegisteredRedirectUris(m.redirect_uris);
  if (!uris.ok) return uris;
  const grants = checkGrantTypes(m.grant_types);
  if (!grants.ok) return metadataError(grants.error);
  if (m.response_types !== undefined && m.response_types.some((t) => t !== "code")) {
    return metadataError('response_types: only "code" is supported.');
  }
  const checkedName = checkClientName(m.client_name);
  if (!checkedName.ok) return metadataError(checkedName.error);
  const name = checkedName.value ?? "";
  const issuedAt = Math.floor(nowMs / 1000);
  const payload: ClientPayload = { ...(name !== "" ? { n: name } : {}), r: [...uris.value], g: [...grants.value], t: issuedAt };
  const encoded = toBase64Url(utf8.encode(JSON.stringify(payload)));
  const clientId = `${DCR_CLIENT_ID_PREFIX}${encoded}.${await signText(keys, "oauth-client/v1", encoded)}`;
  if (clientId.length > CLIENT_ID_MAX_CHARS) {
    return metadataError(
      `The metadata is too large: shorten the redirect URIs or the client name (the client id would exceed ${CLIENT_ID_MAX_CHARS} characters).`,
    );
  }
  return ok({
    client_id: clientId,
    client_id_issued_at: issuedAt,
    ...(name !== "" ? { client_name: name } : {}),
    redirect_uris: payload.r,
    grant_types: payload.g,
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}

/** Whether `clientId` has the shape of a DCR client id of this server (no signature check). */
export function isDcrClientId(clientId: string): boolean {
  return clientId.startsWith(DCR_CLIENT_ID_PREFIX);
}

/**
 * The client a DCR client id names, or null when it is not one of ours: malformed, too long,
 * signed by another key, altered, or listing a redirect URI or a name the policy now refuses.
 */
export async function verifyDcrClientId(keys: SigningKeys, clientId: string): Promise<OAuthClient | null> {
  if (!isDcrClientId(clientId) || clientId.length > CLIENT_ID_MAX_CHARS) return null;
  const body = clientId.slice(DCR_CLIENT_ID_PREFIX.length);
  const dot = body.indexOf(".");
  if (dot <= 0 || body.indexOf(".", dot + 1) !== -1) return null;
  const encoded = body.slice(0, dot);
  if (!(await verifyText(keys, "oauth-client/v1", encoded, body.slice(dot + 1)))) return null;
  const bytes = fromBase64Url(encoded);
  if (bytes === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode.decode(bytes));
  } catch {
    return null;
  }
  const parsed = ClientPayloadSchema.safeParse(json);
  if (!parsed.success || !checkRegisteredRedirectUris(parsed.data.r).ok || !checkClientName(parsed.data.n).ok) return null;
  return { id: clientId, name: parsed.data.n ?? null, redirectUris: parsed.data.r, kind: "dcr" };
}
