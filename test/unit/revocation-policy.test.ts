/**
 * The revocation and listing policy (issue 13), as pure decisions: who a session acts as
 * (company mode: its company's admin; user mode: the user), the scope each gets, the audit
 * label, and the SessionDO's re-check of the scope against its own metadata. Also the listing
 * filters' SQL conditions and the HTTP query parsing shared by the JSON endpoints.
 */
import { describe, expect, it } from "vitest";
import { parseAuditQuery, parseListQuery } from "../../src/http/list-query";
import { filterCondition, IDLE_AFTER_MS } from "../../src/registry/session-filter";
import { actorLabel, revocationRefusal, revokerOf, scopeOf } from "../../src/session/revocation";
import type { SessionMeta } from "../../src/session/state";
import type { SessionView } from "../../src/session/types";

const HASH = "ab".repeat(32);
const AYSE = { id: "u-ayse", email: "ayse@acme.example", firstName: null, lastName: null, fullName: null };

function view(mode: "user" | "company", user: SessionView["user"] = AYSE): SessionView {
  return {
    hash: HASH.slice(0, 12),
    mode,
    modes: [mode],
    user,
    company: { id: "acme", name: "Acme" },
    createdAt: 0,
    expiresAt: 1,
    lastSeenAt: 0,
  };
}

function meta(companyId: string, userId: string | null): SessionMeta {
  return {
    v: 1,
    hash: HASH,
    company: { id: companyId, name: "C" },
    user: userId === null ? null : { ...AYSE, id: userId },
    mode: userId === null ? "company" : "user",
    modes: [userId === null ? "company" : "user"],
    createdAt: 0,
    expiresAt: 10,
    lastSeenAt: 0,
  };
}

describe("who may list and end what", () => {
  it("company mode is the company's admin; user mode is the user; an operator sees every company", () => {
    const admin = revokerOf(view("company", null));
    expect(admin).toEqual({ kind: "company_admin", companyId: "acme", label: "company key", selfHandle: HASH.slice(0, 12) });
    expect(admin && scopeOf(admin, "globex")).toEqual({ companyId: "acme", scopeUserId: null }); // a company name in input is ignored
    const user = revokerOf(view("user"));
    expect(user && scopeOf(user)).toEqual({ companyId: "acme", scopeUserId: "u-ayse" });
    expect(user && actorLabel(user)).toBe("ayse@acme.example");
    expect(scopeOf({ kind: "operator" })).toEqual({ companyId: null, scopeUserId: null });
    expect(scopeOf({ kind: "operator" }, "globex")).toEqual({ companyId: "globex", scopeUserId: null });
    expect(actorLabel({ kind: "operator" })).toBe("operator");
    expect(revokerOf(view("user", null))).toBeNull();
  });

  it("the SessionDO refuses another company, another user, another object's name, and an ended session", () => {
    expect(revocationRefusal(meta("acme", "u-ayse"), { companyId: "acme", userId: null }, HASH)).toBeNull();
    expect(revocationRefusal(meta("acme", "u-ayse"), { companyId: "acme", userId: "u-ayse" }, undefined)).toBeNull();
    expect(revocationRefusal(meta("acme", "u-ayse"), { companyId: "globex", userId: null }, HASH)).toBe("forbidden");
    expect(revocationRefusal(meta("acme", "u-ayse"), { companyId: "acme", userId: "u-mehmet" }, HASH)).toBe("forbidden");
    expect(revocationRefusal(meta("acme", null), { companyId: "acme", userId: "u-ayse" }, HASH)).toBe("forbidden");
    expect(revocationRefusal(meta("acme", "u-ayse"), { companyId: "acme", userId: null }, "cd".repeat(32))).toBe("not_found");
    expect(revocationRefusal(null, { companyId: "acme", userId: null }, HASH)).toBe("not_found");
  });
});

describe("listing filters", () => {
  it("builds bound conditions only (no input in the SQL text)", () => {
    const now = 10_000_000;
    const c = filterCondition({ user: "Ayse@Acme.example", mode: "user", client: "Claude", activity: "idle", scopeUserId: "u-1" }, now);
    expect(c.sql).not.toContain("Ayse");
    expect(c.sql).not.toContain("Claude");
    expect(c.bindings).toEqual(["u-1", "Ayse@Acme.example", "Ayse@Acme.example", "user", "Claude", now - IDLE_AFTER_MS]);
    expect(filterCondition({ client: "HEADER" }, now).sql).toContain("client_name IS NULL");
    expect(filterCondition({}, now)).toEqual({ sql: "", bindings: [] });
  });

  it("parses the HTTP query and names the bad parameter", () => {
    const ok = parseListQuery(new URLSearchParams("limit=5&user=ayse@acme.example&mode=user&activity=active&company=acme"));
    expect(ok.ok && ok.value).toMatchObject({
      limit: 5,
      company: "acme",
      filter: { user: "ayse@acme.example", mode: "user", activity: "active" },
    });
    const bad = [
      ["limit=0", "invalid_limit"],
      ["limit=", "invalid_limit"],
      ["cursor=nope", "invalid_cursor"],
      ["mode=admin", "invalid_filter"],
      ["activity=sleeping", "invalid_filter"],
      [`user=${"x".repeat(300)}`, "invalid_filter"],
      ["company=", "invalid_company"],
    ] as const;
    for (const [q, code] of bad) {
      const r = parseListQuery(new URLSearchParams(q));
      expect(r.ok ? null : r.error.code, q).toBe(code);
    }
    const mode = parseListQuery(new URLSearchParams("mode=admin"));
    expect(mode.ok ? "" : mode.error.message).toMatch(/^mode /);
    expect(parseAuditQuery(new URLSearchParams("before=12&limit=3"))).toEqual({ ok: true, value: { before: 12, limit: 3, company: null } });
    for (const q of ["before=0", "before=x", "limit=201", "limit=-1"]) expect(parseAuditQuery(new URLSearchParams(q)).ok, q).toBe(false);
  });
});
