/**
 * Configuration: the `[vars]` and secrets of wrangler.toml, validated with zod.
 * A bad value fails with a message naming the variable (DESIGN.md "Configuration").
 * Parsed once per isolate per distinct env object and cached.
 */
import * as z from "zod/mini";
import { SESSION_ID_REUSE_HORIZON_MS } from "./crypto/session-id";
import { RATE_LIMIT_MAX_LIMIT, RATE_LIMIT_MAX_WINDOW_MS, RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MIN_WINDOW_MS } from "./rate-limit/policy";
import { err, ok, type Result } from "./result";
import { describeIssue } from "./validation";

/**
 * The development encryption key, documented in the README: used only when
 * ENVIRONMENT is not "production" and no ENCRYPTION_KEY secret is set.
 */
export const DEV_ENCRYPTION_KEY_HEX = "6465762d6f6e6c792d6b65792d646f2d6e6f742d7573652d696e2d70726f6421";

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

const intString = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d+$/, "must be a whole number")),
    z.pipe(
      z.transform((v: string) => Number(v)),
      z.number().check(z.gte(min), z.lte(max)),
    ),
  );

const rateLimit = intString(RATE_LIMIT_MIN_LIMIT, RATE_LIMIT_MAX_LIMIT);
const rateWindow = intString(RATE_LIMIT_MIN_WINDOW_MS, RATE_LIMIT_MAX_WINDOW_MS);

const boolString = z.pipe(
  z.enum(["true", "false", "1", "0", ""]),
  z.transform((v) => v === "true" || v === "1"),
);

/** Defaults of DESIGN.md's configuration table, applied to unset or empty variables. */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  ENVIRONMENT: "production",
  PASSGAGE_BASE_URL: "https://api.passgage.com",
  PASSGAGE_TIMEOUT: "30000",
  PASSGAGE_DEBUG: "false",
  RATE_LIMIT_WINDOW_MS: "60000",
  RATE_LIMIT_MAX_REQUESTS: "100",
  SESSION_TIMEOUT_HOURS: "8",
  ALLOWED_ORIGINS: "",
  LOGIN_FAILURE_LIMIT: "5",
  LOGIN_FAILURE_WINDOW_MS: "900000",
  LOGIN_SUCCESS_LIMIT: "60",
  LOGIN_SUCCESS_WINDOW_MS: "3600000",
  MAX_SESSIONS_PER_ACCOUNT: "20",
  MAX_SESSIONS_PER_COMPANY: "2000",
  ANONYMOUS_ACCESS: "oauth",
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: "14400",
  AUDIT_RETENTION_DAYS: "30",
};

/** Bounds of OAUTH_ACCESS_TOKEN_TTL_SECONDS: five minutes to one day (hours by default: clients often fail to refresh). */
export const OAUTH_ACCESS_TOKEN_TTL_BOUNDS = { min: 300, max: 86_400 } as const;
/** Upper bound of AUDIT_RETENTION_DAYS. */
export const MAX_AUDIT_RETENTION_DAYS = 365;

/** Upper bound of MAX_SESSIONS_PER_ACCOUNT and MAX_SESSIONS_PER_COMPANY. */
export const MAX_SESSIONS_CAP = 1_000_000;

/**
 * Upper bound of SESSION_TIMEOUT_HOURS: the session-ID horizon (SESSION_ID_REUSE_HORIZON_MS),
 * which is also how long connection tombstones and retirement markers live, so no
 * session outlives the markers that guard it.
 */
export const MAX_SESSION_TIMEOUT_HOURS = SESSION_ID_REUSE_HORIZON_MS / 3_600_000;

/** Schema of the raw environment strings (vars and secrets). */
export const RawConfigSchema = z.object({
  ENVIRONMENT: z.enum(["development", "production", "test"]),
  PASSGAGE_BASE_URL: z.url({ protocol: /^https?$/ }),
  PASSGAGE_TIMEOUT: intString(100, 300_000),
  PASSGAGE_DEBUG: boolString,
  // Limits and windows take the limiter's own bounds (src/rate-limit/policy.ts), so any
  // accepted value is a rule the RateLimiterDO accepts; they are defined there only.
  RATE_LIMIT_WINDOW_MS: rateWindow,
  RATE_LIMIT_MAX_REQUESTS: rateLimit,
  SESSION_TIMEOUT_HOURS: intString(1, MAX_SESSION_TIMEOUT_HOURS),
  ALLOWED_ORIGINS: z.string(),
  ENCRYPTION_KEY: z.optional(z.string().check(z.regex(HEX_KEY, "must be 64 hex characters (32 bytes)"))),
  ENCRYPTION_KEY_PREVIOUS: z.optional(z.string().check(z.regex(HEX_KEY, "must be 64 hex characters (32 bytes)"))),
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, "must be at least 16 characters"))),
  LOGIN_FAILURE_LIMIT: rateLimit,
  LOGIN_FAILURE_WINDOW_MS: rateWindow,
  LOGIN_SUCCESS_LIMIT: rateLimit,
  LOGIN_SUCCESS_WINDOW_MS: rateWindow,
  MAX_SESSIONS_PER_ACCOUNT: intString(1, MAX_SESSIONS_CAP),
  MAX_SESSIONS_PER_COMPANY: intString(1, MAX_SESSIONS_CAP),
  // "oauth": a request to /mcp without a credential gets 401 with an OAuth challenge;
  // "open": the catalog and the in-chat sign-in tools, never 401 (bridges without OAuth).
  ANONYMOUS_ACCESS: z.enum(["oauth", "open"]),
  OAUTH_ISSUER: z.optional(z.url({ protocol: /^https?$/ })),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: intString(OAUTH_ACCESS_TOKEN_TTL_BOUNDS.min, OAUTH_ACCESS_TOKEN_TTL_BOUNDS.max),
  AUDIT_RETENTION_DAYS: intString(1, MAX_AUDIT_RETENTION_DAYS),
});

/** The variables the configuration reads, in a fixed order. */
const CONFIG_KEYS: readonly string[] = Object.keys(RawConfigSchema.shape);

/** Validated configuration. */
export interface Config {
  readonly environment: "development" | "production" | "test";
  readonly passgageBaseUrl: string;
  readonly passgageTimeoutMs: number;
  readonly passgageDebug: boolean;
  readonly rateLimit: { readonly limit: number; readonly windowMs: number };
  readonly loginFailureLimit: { readonly limit: number; readonly windowMs: number };
  /** Successful sign-ins per IP and per account (LOGIN_SUCCESS_LIMIT in LOGIN_SUCCESS_WINDOW_MS). */
  readonly loginSuccessLimit: { readonly limit: number; readonly windowMs: number };
  /** Live sessions per account and per company; a sign-in at either cap is refused. */
  readonly maxSessions: { readonly perAccount: number; readonly perCompany: number };
  readonly sessionTtlMs: number;
  readonly allowedOrigins: readonly string[];
  /** Current key (hex), or null when missing in production (tools then refuse). */
  readonly encryptionKeyHex: string | null;
  /** Whether the key is the documented development key. */
  readonly usingDevKey: boolean;
  readonly previousEncryptionKeyHex: string | null;
  readonly adminToken: string | null;
  /** What an anonymous request to /mcp gets: "oauth" (401 with a challenge) or "open" (catalog, in-chat sign-in). */
  readonly anonymousAccess: "oauth" | "open";
  /** The OAuth issuer (OAUTH_ISSUER canonical: origin plus path without a trailing slash), or null: the request's own origin. */
  readonly oauthIssuer: string | null;
  /** Lifetime of an OAuth access token (ms), never beyond its session's. */
  readonly oauthAccessTokenTtlMs: number;
  /** How long a company's audit events are kept (ms). */
  readonly auditRetentionMs: number;
}

/** Result of parsing: the config, or the list of problems, each naming its variable. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const cache = new WeakMap<object, ConfigResult>();
/** The raw values of the last parse and its result: workerd may hand each request a new `env` object with the same values. */
let last: { readonly values: readonly unknown[]; readonly result: ConfigResult } | null = null;

/**
 * Parses the environment, once per env object and again only when a value changed. Never
 * throws. (issue 14: the same configuration was parsed with zod on every request, because
 * a request's `env` need not be the object of the previous one.)
 */
export function loadConfig(env: object): ConfigResult {
  const hit = cache.get(env);
  if (hit) return hit;
  const raw = env as Record<string, unknown>;
  const values = CONFIG_KEYS.map((key) => raw[key]);
  const reuse = last !== null && last.values.every((v, i) => v === values[i]);
  const result = reuse && last !== null ? last.result : parseConfig(raw);
  if (!reuse) last = { values, result };
  cache.set(env, result);
  return result;
}

/**
 * OAUTH_ISSUER in the one spelling clients compare: the URL's origin (scheme and host
 * lower-cased, default port dropped, an international host in its xn-- form) and its path
 * without a trailing slash. Clients canonicalise the advertised resource before sending it
 * back, so `https://MCP.example.com:443` kept as written made /oauth/authorize refuse them
 * (`invalid_target`). An issuer has no query, fragment or user information (RFC 8414 §2).
 */
function canonicalIssuer(value: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return err("must be a valid URL");
  }
  if (url.username !== "" || url.password !== "") return err("must not contain user information (user:password@)");
  if (url.search !== "" || value.includes("?")) return err("must not contain a query (?…)");
  if (url.hash !== "" || value.includes("#")) return err("must not contain a fragment (#…)");
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, "")}`);
}

/** Parses raw environment values into a Config; pure. */
export function parseConfig(raw: Record<string, unknown>): ConfigResult {
  const input: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = raw[key];
    if (typeof value === "string" && value.trim() !== "")
      input[key] = key === "PASSGAGE_DEBUG" || key === "ENVIRONMENT" ? value.trim().toLowerCase() : value.trim();
    else if (typeof value === "number" || typeof value === "boolean") input[key] = String(value);
    // Any other JSON value of [vars] (an object, a list) is refused by the schema, naming the variable.
    else if (value !== undefined && value !== null && typeof value !== "string") input[key] = JSON.stringify(value);
    else if (CONFIG_DEFAULTS[key] !== undefined) input[key] = CONFIG_DEFAULTS[key];
  }
  const parsed = RawConfigSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "config");
        return `${name}: ${describeIssue(issue)}`;
      }),
    };
  }
  const v = parsed.data;
  const production = v.ENVIRONMENT === "production";
  const problems: string[] = [];
  if (production && v.ENCRYPTION_KEY !== undefined && v.ENCRYPTION_KEY.toLowerCase() === DEV_ENCRYPTION_KEY_HEX) {
    problems.push(
      "ENCRYPTION_KEY: is the documented development key, which must not be used in production (generate one: openssl rand -hex 32)",
    );
  }
  if (production && v.ENCRYPTION_KEY_PREVIOUS !== undefined && v.ENCRYPTION_KEY_PREVIOUS.toLowerCase() === DEV_ENCRYPTION_KEY_HEX) {
    problems.push("ENCRYPTION_KEY_PREVIOUS: is the documented development key, which must not be used in production");
  }
  const issuer = v.OAUTH_ISSUER === undefined ? null : canonicalIssuer(v.OAUTH_ISSUER);
  if (issuer !== null && !issuer.ok) problems.push(`OAUTH_ISSUER: ${issuer.error}`);
  if (production && issuer !== null && issuer.ok && !issuer.value.startsWith("https://")) {
    problems.push("OAUTH_ISSUER: must use https in production");
  }
  if (production && !v.PASSGAGE_BASE_URL.startsWith("https://")) {
    problems.push("PASSGAGE_BASE_URL: must use https in production");
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  const key = v.ENCRYPTION_KEY ?? (production ? null : DEV_ENCRYPTION_KEY_HEX);
  return {
    ok: true,
    config: {
      environment: v.ENVIRONMENT,
      passgageBaseUrl: v.PASSGAGE_BASE_URL.replace(/\/+$/, ""),
      passgageTimeoutMs: v.PASSGAGE_TIMEOUT,
      passgageDebug: v.PASSGAGE_DEBUG,
      rateLimit: { limit: v.RATE_LIMIT_MAX_REQUESTS, windowMs: v.RATE_LIMIT_WINDOW_MS },
      loginFailureLimit: { limit: v.LOGIN_FAILURE_LIMIT, windowMs: v.LOGIN_FAILURE_WINDOW_MS },
      loginSuccessLimit: { limit: v.LOGIN_SUCCESS_LIMIT, windowMs: v.LOGIN_SUCCESS_WINDOW_MS },
      maxSessions: { perAccount: v.MAX_SESSIONS_PER_ACCOUNT, perCompany: v.MAX_SESSIONS_PER_COMPANY },
      sessionTtlMs: v.SESSION_TIMEOUT_HOURS * 3_600_000,
      allowedOrigins: v.ALLOWED_ORIGINS.split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
      encryptionKeyHex: key,
      usingDevKey: v.ENCRYPTION_KEY === undefined && !production,
      previousEncryptionKeyHex:
        v.ENCRYPTION_KEY_PREVIOUS !== undefined && v.ENCRYPTION_KEY_PREVIOUS.toLowerCase() !== key?.toLowerCase()
          ? v.ENCRYPTION_KEY_PREVIOUS
          : null,
      adminToken: v.ADMIN_TOKEN ?? null,
      anonymousAccess: v.ANONYMOUS_ACCESS,
      oauthIssuer: issuer !== null && issuer.ok ? issuer.value : null,
      oauthAccessTokenTtlMs: v.OAUTH_ACCESS_TOKEN_TTL_SECONDS * 1000,
      auditRetentionMs: v.AUDIT_RETENTION_DAYS * 86_400_000,
    },
  };
}
