/** Pure decisions of the session model (src/session/state.ts) and token expiry parsing. */
import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN_LIFETIME_MS, jwtExpiry, tokenExpiry } from "../../src/session/credentials";
import {
  type AddedCredential,
  isExpired,
  KV_MIN_TTL_SECONDS,
  mergeLogin,
  mirrorTtlSeconds,
  modesOf,
  registryEntryOf,
  type SessionMeta,
  SessionMetaSchema,
  shouldRefreshAhead,
  switchMode,
  TOKEN_REFRESH_AHEAD_MS,
  viewOf,
} from "../../src/session/state";
import type { SessionUser } from "../../src/session/types";
import { publicEntry } from "../../src/registry/schemas";

const HASH = "ab".repeat(32);
const NOW = 1_800_000_000_000;
const TTL = 8 * 3_600_000;
const ACME = { id: "c-acme", name: "Acme" };
const GLOBEX = { id: "c-globex", name: "Globex" };
const AYSE: SessionUser = { id: "u-ayse", email: "ayse@acme.example", firstName: "Ayşe", lastName: null, fullName: "Ayşe" };
const MEHMET: SessionUser = { id: "u-mehmet", email: "mehmet@acme.example", firstName: null, lastName: null, fullName: null };

const userLogin = (user = AYSE, token = "jwt-1", company = ACME): AddedCredential => ({
  kind: "user",
  credential: { token, expiresAt: NOW + 1e9 },
  user,
  company,
});
const keyLogin = (company = ACME, apiKey = "psg_cmp_x"): AddedCredential => ({ kind: "api_key", apiKey, company });

function created(added: AddedCredential): {
  meta: SessionMeta;
  secrets: { user: { token: string; expiresAt: number } | null; apiKey: string | null };
} {
  const r = mergeLogin(null, added, { hash: HASH, now: NOW, ttlMs: TTL });
  if (!r.ok) throw new Error(r.error.message);
  return { meta: r.value.meta, secrets: r.value.secrets };
}

describe("mergeLogin", () => {
  it("creates a session with an absolute lifetime and the mode of the credential", () => {
    const r = mergeLogin(null, userLogin(), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(r.ok && r.value).toMatchObject({
      created: true,
      replacedUserToken: null,
      meta: { mode: "user", modes: ["user"], createdAt: NOW, expiresAt: NOW + TTL, company: ACME },
    });
    expect(SessionMetaSchema.safeParse(r.ok && r.value.meta).success).toBe(true);
  });

  it("the metadata never holds a secret", () => {
    const r = mergeLogin(null, userLogin(AYSE, "secret-jwt"), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(JSON.stringify(r.ok && r.value.meta)).not.toContain("secret-jwt");
    const k = mergeLogin(null, keyLogin(ACME, "psg_cmp_secret"), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(JSON.stringify(k.ok && k.value.meta)).not.toContain("psg_cmp_secret");
  });

  it("adds a company key to a user session, keeping lifetime and user", () => {
    const existing = created(userLogin());
    const r = mergeLogin(existing, keyLogin(), { hash: HASH, now: NOW + 5_000, ttlMs: TTL });
    expect(r.ok && r.value).toMatchObject({
      created: false,
      meta: {
        mode: "company",
        modes: ["user", "company"],
        user: { id: AYSE.id },
        createdAt: NOW,
        expiresAt: NOW + TTL,
        lastSeenAt: NOW + 5_000,
      },
    });
    expect(r.ok && r.value.secrets).toEqual({ user: existing.secrets.user, apiKey: "psg_cmp_x" });
  });

  it("refuses another company's credential", () => {
    const existing = created(keyLogin());
    for (const added of [keyLogin(GLOBEX, "psg_cmp_g"), userLogin({ ...AYSE, id: "u-john" }, "jwt-j", GLOBEX)]) {
      const r = mergeLogin(existing, added, { hash: HASH, now: NOW, ttlMs: TTL });
      expect(!r.ok && r.error.code).toBe("wrong_account");
    }
  });

  it("refuses another user of the same company, but accepts the same user again (replacing the token)", () => {
    const existing = created(userLogin());
    const other = mergeLogin(existing, userLogin(MEHMET, "jwt-m"), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(!other.ok && other.error.code).toBe("wrong_account");
    const again = mergeLogin(existing, userLogin(AYSE, "jwt-2"), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(again.ok && again.value.replacedUserToken).toBe("jwt-1");
    expect(again.ok && again.value.secrets.user?.token).toBe("jwt-2");
    const same = mergeLogin(existing, userLogin(AYSE, "jwt-1"), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(same.ok && same.value.replacedUserToken).toBeNull();
  });

  it("a user may join a company-key session of their company", () => {
    const existing = created(keyLogin());
    const r = mergeLogin(existing, userLogin(), { hash: HASH, now: NOW, ttlMs: TTL });
    expect(r.ok && r.value.meta).toMatchObject({ mode: "user", modes: ["user", "company"], user: { email: AYSE.email } });
  });
});

describe("switchMode", () => {
  it("switches when the credential is held; otherwise names the login that adds it", () => {
    const both = mergeLogin(created(userLogin()), keyLogin(), { hash: HASH, now: NOW, ttlMs: TTL });
    if (!both.ok) throw new Error("setup");
    expect(switchMode(both.value.meta, "user")).toMatchObject({ ok: true, value: { mode: "user" } });
    const userOnly = created(userLogin()).meta;
    const r = switchMode(userOnly, "company");
    expect(!r.ok && r.error).toMatchObject({ code: "mode_unavailable" });
    expect(!r.ok && r.error.message).toContain("passgage_session_login_api_key");
    const keyOnly = created(keyLogin()).meta;
    const u = switchMode(keyOnly, "user");
    expect(!u.ok && u.error.message).toContain("passgage_session_login {email, password}");
  });
});

describe("times", () => {
  it("expiry is at expiresAt, inclusive", () => {
    const meta = created(keyLogin()).meta;
    expect(isExpired(meta, meta.expiresAt - 1)).toBe(false);
    expect(isExpired(meta, meta.expiresAt)).toBe(true);
  });

  it("refreshes a token within the refresh-ahead margin only", () => {
    expect(shouldRefreshAhead({ token: "t", expiresAt: NOW + TOKEN_REFRESH_AHEAD_MS + 1 }, NOW)).toBe(false);
    expect(shouldRefreshAhead({ token: "t", expiresAt: NOW + TOKEN_REFRESH_AHEAD_MS - 1 }, NOW)).toBe(true);
  });

  it("the mirror TTL is the remaining lifetime, never below the KV minimum", () => {
    const meta = created(keyLogin()).meta;
    expect(mirrorTtlSeconds(meta, NOW)).toBe(TTL / 1000);
    expect(mirrorTtlSeconds(meta, meta.expiresAt - 10_000)).toBe(KV_MIN_TTL_SECONDS);
    expect(mirrorTtlSeconds(meta, meta.expiresAt + 10_000)).toBe(KV_MIN_TTL_SECONDS);
  });

  it("token expiry: expires_at first, then the JWT exp claim, then the contract's 30 days", () => {
    const exp = 1_900_000_000;
    const jwt = `e30.${btoa(JSON.stringify({ id: "u", exp })).replace(/=+$/, "")}.sig`;
    expect(jwtExpiry(jwt)).toBe(exp * 1000);
    expect(tokenExpiry("2030-01-01T00:00:00Z", jwt, NOW)).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(tokenExpiry(null, jwt, NOW)).toBe(exp * 1000);
    expect(tokenExpiry(undefined, "opaque-token", NOW)).toBe(NOW + DEFAULT_TOKEN_LIFETIME_MS);
    expect(tokenExpiry("not a date", "a.b.c", NOW)).toBe(NOW + DEFAULT_TOKEN_LIFETIME_MS);
  });
});

describe("what the outside sees", () => {
  it("view and registry entry carry a short hash, never the full hash, ID or secrets", () => {
    const both = mergeLogin(created(userLogin()), keyLogin(), { hash: HASH, now: NOW, ttlMs: TTL });
    if (!both.ok) throw new Error("setup");
    const view = viewOf(both.value.meta);
    const entry = registryEntryOf(both.value.meta);
    expect(view.hash).toBe(HASH.slice(0, 12));
    expect(entry).toMatchObject({
      hash: HASH.slice(0, 12),
      companyId: ACME.id,
      email: AYSE.email,
      mode: "company",
      modes: ["user", "company"],
    });
    for (const out of [JSON.stringify(view), JSON.stringify(publicEntry(entry))]) {
      expect(out).not.toContain(HASH);
      expect(out).not.toContain("jwt-1");
      expect(out).not.toContain("psg_cmp_x");
    }
  });

  it("modes are listed in a stable order", () => {
    expect(modesOf({ user: null, apiKey: "k" })).toEqual(["company"]);
    expect(modesOf({ user: { token: "t", expiresAt: 0 }, apiKey: "k" })).toEqual(["user", "company"]);
    expect(modesOf({ user: null, apiKey: null })).toEqual([]);
  });
});
