import { describe, expect, it } from "vitest";
import { seedStore } from "../../sandbox/seed/build";
import { Store } from "../../sandbox/store";
import { TABLE_NAMES } from "../../sandbox/types";
import { ACME_KEY, GLOBEX_KEY, call, list, login, obj, objs, s, seedInfo, USERS } from "./client";

describe("the deterministic seed", () => {
  it("has at least 60 users and 120 leaves in Acme", async () => {
    expect(Number((await list("/api/public/v1/users?per_page=1", ACME_KEY)).meta.total_count)).toBeGreaterThanOrEqual(60);
    expect(Number((await list("/api/public/v1/leaves?per_page=1", ACME_KEY)).meta.total_count)).toBeGreaterThanOrEqual(120);
  });

  it("has records in every resource for both companies", async () => {
    const counts = obj((await seedInfo()).counts);
    for (const company of ["acme", "globex"]) {
      const c = obj(counts[company]);
      for (const table of TABLE_NAMES) {
        if (table === "companies" || table === "files") continue;
        expect(Number(c[table]), `${company}.${table}`).toBeGreaterThan(0);
      }
    }
  });

  it("gives Ayşe leaves in several statuses, two of them waiting on Mehmet", async () => {
    const ayse = await login(USERS.ayse);
    const mehmet = await login(USERS.mehmet);
    const leaves = (await list("/api/public/v1/leaves?per_page=50&q[created_at_lteq]=2026-01-15", ayse.token)).data;
    const statuses = new Set(leaves.map((l) => l.status));
    for (const status of ["approved", "awaiting_approval", "rejected", "finished", "leave_canceled", "approaching"]) {
      expect(statuses.has(status), status).toBe(true);
    }
    const awaiting = leaves.filter((l) => l.status === "awaiting_approval").map((l) => l.id);
    expect(awaiting.length).toBeGreaterThanOrEqual(2);
    const approvals = (await list("/api/public/v1/approvals?per_page=50&q[approvable_type_eq]=Leave", ACME_KEY)).data;
    for (const leaveId of awaiting) {
      const approval = approvals.find((a) => a.approvable_id === leaveId);
      expect(approval, s(leaveId)).toBeDefined();
      const first = objs(approval?.approval_users).find((u) => u.seq === 1);
      expect(first).toMatchObject({ user_id: mehmet.userId, status: "pending" });
    }
  });

  it("has exactly one inactive Acme user, who cannot sign in", async () => {
    // Seed users only (other tests create users concurrently).
    const inactive = (await list("/api/public/v1/users?per_page=50&q[is_active_eq]=false&q[created_at_lteq]=2026-01-15", ACME_KEY)).data;
    expect(inactive.map((u) => u.email)).toEqual([USERS.inactive.email]);
  });

  it("uses Turkish names and a known Globex user", async () => {
    const users = (await list("/api/public/v1/users?per_page=50", ACME_KEY)).data;
    expect(users.some((u) => /[çğıöşüİ]/i.test(`${String(u.first_name)}${String(u.last_name)}`))).toBe(true);
    const john = (await list("/api/public/v1/users?q[email_eq]=john@globex.example", GLOBEX_KEY)).data;
    expect(john).toHaveLength(1);
  });

  it("is deterministic: a seed built here has the sandbox's ids", async () => {
    const local = new Store();
    await seedStore(local);
    const info = await seedInfo();
    const companies = Object.entries(obj(info.companies));
    expect(companies.map(([key]) => key).sort()).toEqual(["acme", "globex"]);
    let compared = 0;
    for (const [key, company] of companies) {
      const c = obj(company);
      expect(local.get("companies", s(c.id))?.api_key, key).toBe(c.api_key);
      const samples = obj(obj(info.samples)[key]);
      for (const [table, id] of Object.entries(samples)) {
        const seeded = local.ofCompany(table as (typeof TABLE_NAMES)[number], s(c.id))[0];
        // Tables the seed leaves empty (files) fill up as other tests run.
        if (id === null || seeded === undefined) continue;
        expect(seeded.id, `${key}.${table}`).toBe(id);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
    const users = Object.values(obj(info.users));
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) {
      const u = obj(user);
      expect(local.get("users", s(u.id))?.email).toBe(u.email);
    }
  });

  it("reports health and the notable seed facts", async () => {
    const health = obj((await call("/__sandbox/health")).json);
    expect(health.status).toBe("ok");
    const info = await seedInfo();
    expect(obj(obj(info.companies).acme).api_key).toBe(ACME_KEY);
    expect(obj(obj(info.users).ayse)).toMatchObject({ email: USERS.ayse.email, password: USERS.ayse.password, company: "acme" });
  });
});
