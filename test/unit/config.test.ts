import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, DEV_ENCRYPTION_KEY_HEX, loadConfig, parseConfig, type Config } from "../../src/config";

const KEY_A = "a".repeat(64);
const KEY_B = "0123456789abcdef".repeat(4);

function valid(raw: Record<string, unknown>): Config {
  const r = parseConfig(raw);
  if (!r.ok) throw new Error(`expected a valid config, got: ${r.errors.join("; ")}`);
  return r.config;
}

function errorsOf(raw: Record<string, unknown>): string[] {
  const r = parseConfig(raw);
  if (r.ok) throw new Error("expected configuration errors");
  return r.errors;
}

describe("configuration defaults (DESIGN.md table)", () => {
  it("applies the documented defaults to unset variables", () => {
    const c = valid({ ENVIRONMENT: "development" });
    expect(c.passgageBaseUrl).toBe("https://api.passgage.com");
    expect(c.passgageTimeoutMs).toBe(30_000);
    expect(c.passgageDebug).toBe(false);
    expect(c.rateLimit).toEqual({ limit: 100, windowMs: 60_000 });
    expect(c.sessionTtlMs).toBe(8 * 3_600_000);
    expect(c.loginFailureLimit).toEqual({ limit: 5, windowMs: 900_000 });
    expect(c.loginSuccessLimit).toEqual({ limit: 60, windowMs: 3_600_000 });
    expect(c.maxSessions).toEqual({ perAccount: 20, perCompany: 2000 });
    expect(c.adminToken).toBeNull();
  });

  it("treats empty and blank values as unset", () => {
    const c = valid({ ENVIRONMENT: "development", PASSGAGE_TIMEOUT: "", SESSION_TIMEOUT_HOURS: "   " });
    expect(c.passgageTimeoutMs).toBe(30_000);
    expect(c.sessionTtlMs).toBe(8 * 3_600_000);
  });

  it("defaults to production when ENVIRONMENT is unset (fail safe)", () => {
    expect(valid({}).environment).toBe("production");
    expect(CONFIG_DEFAULTS.ENVIRONMENT).toBe("production");
  });

  it("parses every documented variable", () => {
    const c = valid({
      ENVIRONMENT: "production",
      PASSGAGE_BASE_URL: "https://api.example.com/",
      PASSGAGE_TIMEOUT: "5000",
      PASSGAGE_DEBUG: "TRUE",
      RATE_LIMIT_WINDOW_MS: "1000",
      RATE_LIMIT_MAX_REQUESTS: "7",
      SESSION_TIMEOUT_HOURS: "2",
      ENCRYPTION_KEY: KEY_A,
      ENCRYPTION_KEY_PREVIOUS: KEY_B,
      ADMIN_TOKEN: "x".repeat(16),
      LOGIN_SUCCESS_LIMIT: "3",
      LOGIN_SUCCESS_WINDOW_MS: "60000",
      MAX_SESSIONS_PER_ACCOUNT: "4",
      MAX_SESSIONS_PER_COMPANY: "50",
    });
    expect(c.loginSuccessLimit).toEqual({ limit: 3, windowMs: 60_000 });
    expect(c.maxSessions).toEqual({ perAccount: 4, perCompany: 50 });
    expect(c.passgageBaseUrl).toBe("https://api.example.com");
    expect(c.passgageTimeoutMs).toBe(5000);
    expect(c.passgageDebug).toBe(true);
    expect(c.rateLimit).toEqual({ limit: 7, windowMs: 1000 });
    expect(c.sessionTtlMs).toBe(2 * 3_600_000);
    expect(c.encryptionKeyHex).toBe(KEY_A);
    expect(c.previousEncryptionKeyHex).toBe(KEY_B);
    expect(c.usingDevKey).toBe(false);
    expect(c.adminToken).toBe("x".repeat(16));
  });

  it("accepts numbers and booleans given as JSON values in [vars]", () => {
    const c = valid({ ENVIRONMENT: "development", PASSGAGE_TIMEOUT: 1234, PASSGAGE_DEBUG: true, SESSION_TIMEOUT_HOURS: 1 });
    expect(c.passgageTimeoutMs).toBe(1234);
    expect(c.passgageDebug).toBe(true);
    expect(c.sessionTtlMs).toBe(3_600_000);
  });
});

describe("configuration errors name the variable", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["PASSGAGE_BASE_URL", { PASSGAGE_BASE_URL: "not a url" }],
    ["PASSGAGE_BASE_URL", { PASSGAGE_BASE_URL: "ftp://api.passgage.com" }],
    ["PASSGAGE_TIMEOUT", { PASSGAGE_TIMEOUT: "30s" }],
    ["PASSGAGE_TIMEOUT", { PASSGAGE_TIMEOUT: "-5" }],
    ["PASSGAGE_TIMEOUT", { PASSGAGE_TIMEOUT: "10" }],
    ["PASSGAGE_DEBUG", { PASSGAGE_DEBUG: "yes please" }],
    ["RATE_LIMIT_WINDOW_MS", { RATE_LIMIT_WINDOW_MS: "1.5" }],
    ["RATE_LIMIT_MAX_REQUESTS", { RATE_LIMIT_MAX_REQUESTS: "0" }],
    ["SESSION_TIMEOUT_HOURS", { SESSION_TIMEOUT_HOURS: "eight" }],
    ["SESSION_TIMEOUT_HOURS", { SESSION_TIMEOUT_HOURS: "100000" }],
    ["ENCRYPTION_KEY", { ENCRYPTION_KEY: "abc" }],
    ["ENCRYPTION_KEY", { ENCRYPTION_KEY: "z".repeat(64) }],
    ["ENCRYPTION_KEY_PREVIOUS", { ENCRYPTION_KEY_PREVIOUS: "1234" }],
    ["ADMIN_TOKEN", { ADMIN_TOKEN: "short" }],
    ["ENVIRONMENT", { ENVIRONMENT: "staging" }],
    ["LOGIN_FAILURE_LIMIT", { LOGIN_FAILURE_LIMIT: "many" }],
    ["LOGIN_SUCCESS_LIMIT", { LOGIN_SUCCESS_LIMIT: "0" }],
    ["LOGIN_SUCCESS_WINDOW_MS", { LOGIN_SUCCESS_WINDOW_MS: "999" }],
    ["MAX_SESSIONS_PER_ACCOUNT", { MAX_SESSIONS_PER_ACCOUNT: "0" }],
    ["MAX_SESSIONS_PER_COMPANY", { MAX_SESSIONS_PER_COMPANY: "1000001" }],
    ["SESSION_TIMEOUT_HOURS", { SESSION_TIMEOUT_HOURS: "721" }],
  ];
  for (const [variable, raw] of cases) {
    it(`refuses ${variable}=${JSON.stringify(Object.values(raw)[0])} with a message naming ${variable}`, () => {
      const errors = errorsOf({ ENVIRONMENT: "development", ...raw });
      expect(errors).toHaveLength(1);
      expect(errors[0]?.startsWith(`${variable}: `)).toBe(true);
      // A readable reason, not a bare zod code.
      expect(errors[0]?.length).toBeGreaterThan(variable.length + 8);
    });
  }

  it("lists every bad variable at once", () => {
    const errors = errorsOf({ ENVIRONMENT: "development", PASSGAGE_TIMEOUT: "x", SESSION_TIMEOUT_HOURS: "y", ENCRYPTION_KEY: "z" });
    expect(errors.map((e) => e.split(":")[0] ?? "").toSorted((a, b) => a.localeCompare(b))).toEqual([
      "ENCRYPTION_KEY",
      "PASSGAGE_TIMEOUT",
      "SESSION_TIMEOUT_HOURS",
    ]);
  });

  it("never echoes a secret value in an error", () => {
    const secretish = "f".repeat(63);
    const errors = errorsOf({ ENVIRONMENT: "development", ENCRYPTION_KEY: secretish, ADMIN_TOKEN: "tiny" });
    for (const e of errors) {
      expect(e).not.toContain(secretish);
      expect(e).not.toContain("tiny");
    }
  });
});

describe("ENCRYPTION_KEY by environment", () => {
  it("in production, a missing key is not an error of parsing but disables sessions (encryptionKeyHex null)", () => {
    const c = valid({ ENVIRONMENT: "production" });
    expect(c.encryptionKeyHex).toBeNull();
    expect(c.usingDevKey).toBe(false);
  });

  it("in development and tests, the documented dev key is used when none is set", () => {
    for (const environment of ["development", "test"]) {
      const c = valid({ ENVIRONMENT: environment });
      expect(c.encryptionKeyHex).toBe(DEV_ENCRYPTION_KEY_HEX);
      expect(c.usingDevKey).toBe(true);
    }
  });

  it("in production, the documented dev key is refused loudly", () => {
    const errors = errorsOf({ ENVIRONMENT: "production", ENCRYPTION_KEY: DEV_ENCRYPTION_KEY_HEX });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ENCRYPTION_KEY: .*development key/);
  });

  it("in production, a plain-http upstream is refused", () => {
    const errors = errorsOf({ ENVIRONMENT: "production", ENCRYPTION_KEY: KEY_A, PASSGAGE_BASE_URL: "http://api.passgage.com" });
    expect(errors[0]).toMatch(/^PASSGAGE_BASE_URL: .*https/);
  });

  it("ignores a previous key equal to the current one", () => {
    expect(
      valid({ ENVIRONMENT: "production", ENCRYPTION_KEY: KEY_A, ENCRYPTION_KEY_PREVIOUS: KEY_A.toUpperCase() }).previousEncryptionKeyHex,
    ).toBeNull();
  });

  it("the dev key is 64 hex characters", () => {
    expect(DEV_ENCRYPTION_KEY_HEX).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("OAUTH_ISSUER is stored in its canonical spelling (R-2)", () => {
  // Clients canonicalise the advertised resource (lower-case host, no default port) before
  // sending it back; an issuer kept as written made /oauth/authorize refuse them (invalid_target).
  const SPELLINGS: ReadonlyArray<readonly [string, string]> = [
    ["https://mcp.example.com", "https://mcp.example.com"],
    ["https://mcp.example.com/", "https://mcp.example.com"],
    ["https://mcp.example.com///", "https://mcp.example.com"],
    ["https://MCP.Example.COM", "https://mcp.example.com"],
    ["HTTPS://mcp.example.com", "https://mcp.example.com"],
    ["https://mcp.example.com:443", "https://mcp.example.com"],
    ["https://mcp.example.com:443/", "https://mcp.example.com"],
    ["https://mcp.example.com:8443/", "https://mcp.example.com:8443"],
    ["https://MCP.example.com/passgage/", "https://mcp.example.com/passgage"],
    ["https://b\u00fccher.example", "https://xn--bcher-kva.example"],
    ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
    ["http://LOCALHOST:80/", "http://localhost"],
  ];
  for (const [given, stored] of SPELLINGS) {
    it(`${given} → ${stored}`, () => {
      expect(valid({ ENVIRONMENT: "development", OAUTH_ISSUER: given }).oauthIssuer).toBe(stored);
    });
  }

  it("is null when unset (the request's own origin is the issuer)", () => {
    expect(valid({ ENVIRONMENT: "development" }).oauthIssuer).toBeNull();
  });

  const REFUSED: ReadonlyArray<readonly [string, string]> = [
    ["https://mcp.example.com/?tenant=a", "query"],
    ["https://mcp.example.com?", "query"],
    ["https://mcp.example.com/#top", "fragment"],
    ["https://mcp.example.com#", "fragment"],
    ["https://admin@mcp.example.com", "user information"],
    ["https://admin:pw@mcp.example.com/", "user information"],
  ];
  for (const [given, why] of REFUSED) {
    it(`refuses ${given} with a message naming OAUTH_ISSUER and the ${why}`, () => {
      const errors = errorsOf({ ENVIRONMENT: "development", OAUTH_ISSUER: given });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^OAUTH_ISSUER: must not contain a ${why}|^OAUTH_ISSUER: must not contain ${why}`));
      expect(errors[0]).not.toContain("pw");
    });
  }

  it("in production, an http issuer is still refused, whatever its case", () => {
    for (const issuer of ["http://mcp.example.com", "HTTP://MCP.example.com"]) {
      const errors = errorsOf({ ENVIRONMENT: "production", ENCRYPTION_KEY: KEY_A, OAUTH_ISSUER: issuer });
      expect(errors).toEqual(["OAUTH_ISSUER: must use https in production"]);
    }
    expect(valid({ ENVIRONMENT: "production", ENCRYPTION_KEY: KEY_A, OAUTH_ISSUER: "HTTPS://MCP.example.com:443" }).oauthIssuer).toBe(
      "https://mcp.example.com",
    );
  });
});

describe("loadConfig", () => {
  it("caches per env object and never throws", () => {
    const env = { ENVIRONMENT: "development", PASSGAGE_TIMEOUT: "nope" };
    const a = loadConfig(env);
    expect(loadConfig(env)).toBe(a);
    expect(a.ok).toBe(false);
  });
});
