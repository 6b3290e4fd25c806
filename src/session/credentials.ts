/**
 * Upstream sign-in calls: password login (API.md §2.2 A1), company-key validation by
 * one cheap company-scoped read, token refresh (A2) and logout (A3). Pure of state:
 * the SessionDO decides what to keep.
 */
import * as z from "zod/mini";
import type { Config } from "../config";
import type { Logger } from "../log";
import { callUpstream, type UpstreamError } from "../passgage/client";
import { fromBase64Url, utf8Decode } from "../crypto/encoding";
import { err, ok, type Result } from "../result";
import type { AddedCredential, UserCredential } from "./state";
import type { SessionCompany, SessionError, SessionUser, SignIn } from "./types";

export type { UserCredential } from "./state";

/** Shape of a Passgage company API key (checked before any upstream call, by the login tool and the /login page). */
export const COMPANY_API_KEY_PATTERN = /^psg_cmp_[A-Za-z0-9_]{8,128}$/;

const LoginDataSchema = z.object({
  token: z.string().check(z.minLength(1)),
  expires_at: z.optional(z.nullable(z.string())),
  user: z.object({
    id: z.string(),
    email: z.string(),
    first_name: z.optional(z.nullable(z.string())),
    last_name: z.optional(z.nullable(z.string())),
    full_name: z.optional(z.nullable(z.string())),
    company: z.object({ id: z.string(), name: z.string() }),
  }),
});

const RefreshDataSchema = z.object({ token: z.string().check(z.minLength(1)), expires_at: z.optional(z.nullable(z.string())) });

const CompanyProbeSchema = z.array(
  z.looseObject({ company_id: z.optional(z.nullable(z.string())), company_name: z.optional(z.nullable(z.string())) }),
);

/** Default JWT lifetime when the API omits `expires_at` (API.md §2.2: 30 days). */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 86_400_000;

function upstreamOpts(config: Config, logger: Logger, credential: string | null) {
  return {
    baseUrl: config.passgageBaseUrl,
    timeoutMs: config.passgageTimeoutMs,
    credential,
    logger,
    debug: config.passgageDebug,
    retries: 0,
  } as const;
}

const JwtClaimsSchema = z.looseObject({ exp: z.optional(z.number()) });

/** The `exp` claim of a JWT (epoch ms), or null; read only to schedule a refresh, never trusted otherwise. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split(".")[1];
  const bytes = payload === undefined ? null : fromBase64Url(payload);
  if (!bytes) return null;
  try {
    const claims = JwtClaimsSchema.safeParse(JSON.parse(utf8Decode.decode(bytes)));
    return claims.success && claims.data.exp !== undefined && Number.isFinite(claims.data.exp) ? claims.data.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Expiry of a token: `expires_at` when given, else the JWT's `exp`, else the contract's 30 days. */
export function tokenExpiry(expiresAt: string | null | undefined, token: string, now: number): number {
  const t = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  if (Number.isFinite(t)) return t;
  return jwtExpiry(token) ?? now + DEFAULT_TOKEN_LIFETIME_MS;
}

/** Maps an upstream failure of a sign-in call to a session error. */
export function signInError(e: UpstreamError, what: "login" | "api_key"): SessionError {
  switch (e.code) {
    case "unauthorized":
    case "forbidden":
    case "validation":
      return what === "login"
        ? { code: "invalid_credentials", message: `Passgage refused the sign-in: ${e.message || "invalid e-mail or password"}.` }
        : { code: "invalid_credentials", message: "Passgage refused this API key: it is not a valid company API key." };
    case "timeout":
      return { code: "upstream_unavailable", message: `Passgage did not answer within ${e.timeoutMs} ms.`, retryable: true };
    default:
      return { code: "upstream_unavailable", message: "Passgage is unavailable right now.", retryable: true };
  }
}

/** Checks a sign-in upstream (password login or API-key probe): the credential it adds to a session. */
export async function signInUpstream(
  config: Config,
  logger: Logger,
  signIn: SignIn,
  now: number,
): Promise<Result<AddedCredential, SessionError>> {
  if (signIn.kind === "password") {
    const r = await passwordLogin(config, logger, signIn.email, signIn.password, now);
    return r.ok ? ok({ kind: "user", credential: r.value.credential, user: r.value.user, company: r.value.company }) : r;
  }
  const r = await probeApiKey(config, logger, signIn.apiKey);
  return r.ok ? ok({ kind: "api_key", apiKey: signIn.apiKey, company: r.value }) : r;
}

/** Logs in with e-mail and password; the password is used for this one call only. */
export async function passwordLogin(
  config: Config,
  logger: Logger,
  email: string,
  password: string,
  now: number,
): Promise<Result<{ credential: UserCredential; user: SessionUser; company: SessionCompany }, SessionError>> {
  const r = await callUpstream(
    { method: "POST", path: "/api/public/auth/login", body: { email, password }, label: "auth.login" },
    upstreamOpts(config, logger, null),
  );
  if (!r.ok) return err(signInError(r.error, "login"));
  const data = LoginDataSchema.safeParse(r.value.envelope.data ?? r.value.envelope);
  if (!data.success)
    return err({ code: "upstream_unavailable", message: "Passgage answered the sign-in in an unexpected form.", retryable: true });
  const u = data.data.user;
  return ok({
    credential: { token: data.data.token, expiresAt: tokenExpiry(data.data.expires_at, data.data.token, now) },
    user: { id: u.id, email: u.email, firstName: u.first_name ?? null, lastName: u.last_name ?? null, fullName: u.full_name ?? null },
    company: { id: u.company.id, name: u.company.name },
  });
}

/** How many user rows the company-key probe reads: every one must name the same company. */
const API_KEY_PROBE_ROWS = 25;

/**
 * Validates a company API key with one company-scoped read and learns its company.
 * The contract has no endpoint that names a key's own company (API.md), so the company
 * is taken from the users the key sees: every row of the probe must carry the same,
 * non-empty company id; an empty or disagreeing answer is refused (never guessed from
 * the first row).
 */
export async function probeApiKey(config: Config, logger: Logger, apiKey: string): Promise<Result<SessionCompany, SessionError>> {
  const query = new URLSearchParams({ per_page: String(API_KEY_PROBE_ROWS) });
  const r = await callUpstream(
    { method: "GET", path: "/api/public/v1/users", query, label: "users.list" },
    upstreamOpts(config, logger, apiKey),
  );
  if (!r.ok) return err(signInError(r.error, "api_key"));
  const rows = CompanyProbeSchema.safeParse(r.value.envelope.data);
  return companyOfProbe(rows.success ? rows.data : null);
}

/** The one company a key's probe rows agree on, or a refusal naming why (pure). */
export function companyOfProbe(
  rows: readonly { readonly company_id?: string | null; readonly company_name?: string | null }[] | null,
): Result<SessionCompany, SessionError> {
  if (rows === null || rows.length === 0)
    return err({
      code: "invalid_credentials",
      message: "This API key works but its company could not be identified: it sees no users. Use the key of a company with users.",
    });
  const ids = new Set(rows.map((row) => row.company_id ?? ""));
  const [id] = [...ids];
  if (ids.size !== 1 || id === undefined || id === "")
    return err({
      code: "invalid_credentials",
      message:
        "This API key works but its company could not be identified: the users it sees do not all belong to one company. Sign in with a key of a single company.",
    });
  const name = rows.find((row) => row.company_name)?.company_name ?? id;
  return ok({ id, name });
}

/** Refreshes a user JWT (API.md §2.2 A2). */
export async function refreshToken(
  config: Config,
  logger: Logger,
  token: string,
  now: number,
): Promise<Result<UserCredential, UpstreamError>> {
  const r = await callUpstream(
    { method: "POST", path: "/api/public/auth/refresh", label: "auth.refresh" },
    upstreamOpts(config, logger, token),
  );
  if (!r.ok) return r;
  const data = RefreshDataSchema.safeParse(r.value.envelope.data ?? r.value.envelope);
  if (!data.success) return err({ code: "malformed", status: r.value.status });
  return ok({ token: data.data.token, expiresAt: tokenExpiry(data.data.expires_at, data.data.token, now) });
}

/** Logs a user JWT out upstream (API.md §2.2 A3); true when Passgage confirmed. */
export async function logoutToken(config: Config, logger: Logger, token: string): Promise<boolean> {
  const r = await callUpstream(
    { method: "DELETE", path: "/api/public/auth/logout", label: "auth.logout" },
    upstreamOpts(config, logger, token),
  );
  return r.ok;
}
