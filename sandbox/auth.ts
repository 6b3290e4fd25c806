/**
 * Credentials (API.md §2): company API keys (`Bearer psg_cmp_...`) and user
 * JWTs, plus the three auth endpoints.
 *
 * - login: `{email, password}` → token valid 30 days (shorter with the
 *   sandbox-only `X-Sandbox-Token-TTL: <seconds>` header), the documented
 *   401/422 bodies otherwise;
 * - refresh: a valid (unexpired, not logged-out) user token → a new token
 *   with a new `jti`; the old token stays valid until its own expiry;
 * - logout: revokes the presented token's `jti` until its expiry.
 * Resource calls with an expired token get 401 "Token has expired".
 */
import { type Reply, fail, ok, unauthorized } from "./envelope";
import { isObject, str, text } from "./json";
import { type JwtSigner, type TokenClaims } from "./jwt";
import { verifyPassword } from "./password";
import type { Store } from "./store";
import { formatTimestamp } from "./time";
import type { Caller, Json } from "./types";

/** Default user token lifetime: 30 days (API.md §2.2). */
export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** Revoked token ids (logout). */
export interface RevocationList {
  has(jti: string): boolean;
  add(jti: string, expSeconds: number): void;
}

/** What authentication needs. */
export interface AuthDeps {
  readonly store: Store;
  readonly signer: JwtSigner;
  readonly revoked: RevocationList;
  /** Current time, epoch milliseconds. */
  readonly nowMs: () => number;
}

/** A resolved credential, or the 401 to answer. */
export type CallerResult =
  { readonly ok: true; readonly caller: Caller; readonly claims: TokenClaims | null } | { readonly ok: false; readonly reply: Reply };

/** The bearer credential of an Authorization header (null when absent or not Bearer). */
export function bearer(authorization: string | null): string | null {
  if (authorization === null) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  return m ? (m[1] ?? null) : null;
}

/** The token's user, checking the account still exists and is active. */
function tokenUser(deps: AuthDeps, claims: TokenClaims): { ok: true; caller: Caller } | { ok: false; reply: Reply } {
  const user = deps.store.get("users", claims.id);
  const company = user ? deps.store.get("companies", user.company_id) : undefined;
  if (!user || !company) return { ok: false, reply: unauthorized("Unauthorized", ["User not found"]) };
  if (user.is_active !== true) return { ok: false, reply: unauthorized("Account is inactive") };
  return { ok: true, caller: { mode: "user", company, user, credential: "" } };
}

/** Resolves the caller of a resource request. */
export async function resolveCaller(deps: AuthDeps, authorization: string | null): Promise<CallerResult> {
  const credential = bearer(authorization);
  if (credential === null)
    return { ok: false, reply: unauthorized("Unauthorized", ["Missing or malformed Authorization header (expected: Bearer <token>)"]) };
  if (credential.startsWith("psg_cmp_")) {
    const company = deps.store.all("companies").find((c) => c.api_key === credential);
    if (!company) return { ok: false, reply: unauthorized("Unauthorized", ["Invalid API key"]) };
    return { ok: true, caller: { mode: "company", company, user: null, credential }, claims: null };
  }
  const verified = await deps.signer.verify(credential, Math.floor(deps.nowMs() / 1000));
  if (!verified.ok) {
    if (verified.problem === "expired") return { ok: false, reply: unauthorized("Token has expired") };
    return { ok: false, reply: unauthorized("Unauthorized", ["Invalid token"]) };
  }
  if (deps.revoked.has(verified.claims.jti)) return { ok: false, reply: unauthorized("Unauthorized", ["Token has been revoked"]) };
  const user = tokenUser(deps, verified.claims);
  if (!user.ok) return user;
  return { ok: true, caller: { ...user.caller, credential }, claims: verified.claims };
}

/** Parses `X-Sandbox-Token-TTL`; null = default lifetime, "invalid" = bad value. */
export function tokenTtl(header: string | null): number | null | "invalid" {
  if (header === null || header.trim() === "") return null;
  const n = Number(header);
  if (!Number.isInteger(n) || n < 1 || n > TOKEN_TTL_SECONDS) return "invalid";
  return n;
}

async function issue(
  deps: AuthDeps,
  userId: string,
  email: string,
  companyId: string,
  ttl: number,
): Promise<{ token: string; expiresAt: string; claims: TokenClaims }> {
  const iat = Math.floor(deps.nowMs() / 1000);
  const claims: TokenClaims = { id: userId, email, company_id: companyId, jti: crypto.randomUUID(), iat, exp: iat + ttl };
  return { token: await deps.signer.sign(claims), expiresAt: formatTimestamp(claims.exp * 1000), claims };
}

const TTL_ERROR = fail(400, "Invalid X-Sandbox-Token-TTL header", [
  `Expected an integer number of seconds between 1 and ${TOKEN_TTL_SECONDS}`,
]);

/** `POST /api/public/auth/login`. */
export async function login(
  deps: AuthDeps,
  bodyText: string | null,
  ttlHeader: string | null,
): Promise<{ reply: Reply; userId: string | null; email: string | null }> {
  let body: Json | undefined;
  try {
    body = bodyText === null || bodyText.trim() === "" ? undefined : (JSON.parse(bodyText) as Json);
  } catch {
    body = undefined;
  }
  const email = isObject(body) ? str(body.email) : null;
  const password = isObject(body) ? str(body.password) : null;
  const errors: string[] = [];
  if (email === null || email.trim() === "") errors.push("Email can't be blank");
  if (password === null || password === "") errors.push("Password can't be blank");
  if (errors.length > 0 || email === null || password === null) {
    return { reply: fail(422, "Email and password are required", errors), userId: null, email };
  }
  const ttl = tokenTtl(ttlHeader);
  if (ttl === "invalid") return { reply: TTL_ERROR, userId: null, email };
  const wanted = email.trim().toLowerCase();
  const user = deps.store.all("users").find((u) => text(u.email).toLowerCase() === wanted);
  if (!user || !(await verifyPassword(password, typeof user.password_hash === "string" ? user.password_hash : null))) {
    return { reply: unauthorized("Invalid email or password"), userId: null, email: wanted };
  }
  if (user.is_active !== true) return { reply: unauthorized("Account is inactive"), userId: user.id, email: wanted };
  const company = deps.store.get("companies", user.company_id);
  const { token, expiresAt } = await issue(deps, user.id, text(user.email), user.company_id, ttl ?? TOKEN_TTL_SECONDS);
  const first = text(user.first_name);
  const last = text(user.last_name);
  return {
    reply: ok(200, "Login successful", {
      token,
      expires_at: expiresAt,
      user: {
        id: user.id,
        email: user.email ?? null,
        first_name: first,
        last_name: last,
        full_name: `${first} ${last}`.trim(),
        company: { id: user.company_id, name: company ? (company.name ?? null) : null },
      },
    }),
    userId: user.id,
    email: wanted,
  };
}

/** `POST /api/public/auth/refresh`. */
export async function refresh(
  deps: AuthDeps,
  authorization: string | null,
  ttlHeader: string | null,
): Promise<{ reply: Reply; userId: string | null }> {
  const failed = (why: string): { reply: Reply; userId: null } => ({ reply: unauthorized("Token refresh failed", [why]), userId: null });
  const credential = bearer(authorization);
  if (credential === null) return failed("Missing or malformed Authorization header");
  if (credential.startsWith("psg_cmp_")) return failed("A user token is required; company API keys do not expire");
  const ttl = tokenTtl(ttlHeader);
  if (ttl === "invalid") return { reply: TTL_ERROR, userId: null };
  const verified = await deps.signer.verify(credential, Math.floor(deps.nowMs() / 1000));
  if (!verified.ok) return failed(verified.problem === "expired" ? "Token has expired" : "Invalid token");
  if (deps.revoked.has(verified.claims.jti)) return failed("Token has been revoked");
  const user = tokenUser(deps, verified.claims);
  if (!user.ok) return { reply: user.reply, userId: null };
  const { token, expiresAt } = await issue(
    deps,
    verified.claims.id,
    verified.claims.email,
    verified.claims.company_id,
    ttl ?? TOKEN_TTL_SECONDS,
  );
  return { reply: ok(200, "Token refreshed successfully", { token, expires_at: expiresAt }), userId: verified.claims.id };
}

/** `DELETE /api/public/auth/logout`. */
export async function logout(deps: AuthDeps, authorization: string | null): Promise<{ reply: Reply; userId: string | null }> {
  const resolved = await resolveCaller(deps, authorization);
  if (!resolved.ok) return { reply: resolved.reply, userId: null };
  if (resolved.claims === null) return { reply: unauthorized("Unauthorized", ["A user token is required"]), userId: null };
  deps.revoked.add(resolved.claims.jti, resolved.claims.exp);
  return { reply: ok(200, "Logout successful", {}), userId: resolved.claims.id };
}
