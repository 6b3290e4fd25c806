import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/contract/operations";
import { ACME_KEY, call, GLOBEX_KEY, list, login, obj, objs, s, sampleId, seedInfo, USERS } from "./client";

/** A concrete path for an operation: every `{param}` filled with a placeholder id. */
function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, "00000000-0000-4000-8000-000000000000");
}

describe("user tokens and own data (API.md §2.3)", () => {
  it("shows Ayşe only her own leaves", async () => {
    const { token, userId } = await login(USERS.ayse);
    const { data, meta } = await list("/api/public/v1/leaves?per_page=50", token);
    expect(data.length).toBeGreaterThanOrEqual(7);
    expect(data.every((l) => l.user_id === userId)).toBe(true);
    expect(Number(meta.total_count)).toBe(data.length);
    const company = await list("/api/public/v1/leaves?per_page=50", ACME_KEY);
    expect(company.data.some((l) => l.user_id !== userId)).toBe(true);
  });

  it("answers 404 when a user asks for another user's leave by id", async () => {
    const { token, userId } = await login(USERS.ayse);
    const others = await list("/api/public/v1/leaves?per_page=50", ACME_KEY);
    const foreign = others.data.find((l) => l.user_id !== userId);
    expect(foreign).toBeDefined();
    const r = await call(`/api/public/v1/leaves/${s(foreign?.id)}`, { auth: token });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ success: false, status: 404 });
  });

  it("shows a user only their own user shifts and entrances", async () => {
    const { token, userId } = await login(USERS.ayse);
    for (const path of ["/api/public/v1/user_shifts?per_page=50", "/api/public/v1/entrances?per_page=50"]) {
      const mine = await list(path, token);
      expect(mine.data.length).toBeGreaterThan(0);
      const viaUser = path.includes("entrances") ? mine.data.map((e) => obj(e.user).email) : mine.data.map((x) => x.user_id);
      expect(viaUser.every((v) => v === userId || v === USERS.ayse.email)).toBe(true);
    }
  });

  it("shows Mehmet the approvals waiting on him as Ayşe's manager, and Ayşe her own", async () => {
    const ayse = await login(USERS.ayse);
    const mehmet = await login(USERS.mehmet);
    const mine = await list("/api/public/v1/approvals?per_page=50", ayse.token);
    expect(mine.data.length).toBeGreaterThan(0);
    const managed = await list("/api/public/v1/approvals?per_page=50", mehmet.token);
    const waiting = managed.data.filter((a) => objs(a.approval_users).some((u) => u.user_id === mehmet.userId && u.status === "pending"));
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    // Ayşe's pending leave approvals are among them.
    const ayseLeaves = new Set((await list("/api/public/v1/leaves?per_page=50", ayse.token)).data.map((l) => l.id));
    expect(waiting.some((a) => ayseLeaves.has(a.approvable_id))).toBe(true);
    // Every approval Mehmet sees involves him as an approver or is about his own leave.
    const mehmetLeaves = new Set((await list("/api/public/v1/leaves?per_page=50", mehmet.token)).data.map((l) => l.id));
    for (const a of managed.data) {
      const involved = objs(a.approval_users).some((u) => u.user_id === mehmet.userId);
      const ownLeave = a.approvable_type === "Leave" && mehmetLeaves.has(a.approvable_id);
      expect(involved || ownLeave || a.approvable_type !== "Leave").toBe(true);
    }
    const admin = await list("/api/public/v1/approvals?per_page=50", ACME_KEY);
    expect(Number(admin.meta.total_count)).toBeGreaterThan(Number(managed.meta.total_count));
  });

  it("refuses a user token with 403 on every operation whose contract modes exclude users", async () => {
    const { token } = await login(USERS.ayse);
    const companyOnly = OPERATIONS.filter((op) => op.modes.length > 0 && !op.modes.includes("user"));
    expect(companyOnly.length).toBeGreaterThan(40);
    for (const op of companyOnly) {
      const r = await call(concrete(op.path), {
        method: op.method,
        auth: token,
        ...(op.method === "GET" || op.method === "DELETE" ? {} : { body: {} }),
      });
      expect(r.status, `${op.method} ${op.path}`).toBe(403);
      expect(r.json, `${op.method} ${op.path}`).toMatchObject({ success: false, status: 403, message: "Forbidden" });
      expect(Array.isArray(obj(r.json).errors)).toBe(true);
    }
  });

  it("refuses user writes on users, departments, branches, devices and shifts, and payroll reads", async () => {
    const { token } = await login(USERS.admin);
    const cases: [string, string, unknown][] = [
      ["POST", "/api/public/v1/users", { user: { first_name: "Deniz", last_name: "Er", email: "deniz.er@acme.example" } }],
      ["POST", "/api/public/v1/departments", { department: { name: "Yeni Departman" } }],
      ["POST", "/api/public/v1/branches", { branch: { title: "Yeni Şube" } }],
      ["POST", "/api/public/v1/devices", { device: { name: "Yeni Cihaz" } }],
      ["POST", "/api/public/v1/shifts", { shift: { name: "Yeni Vardiya" } }],
      ["GET", "/api/public/v1/payrolls", undefined],
      ["GET", "/api/public/v1/users", undefined],
      ["GET", "/api/public/v1/approvals/pending", undefined],
    ];
    for (const [method, path, body] of cases) {
      const r = await call(path, { method, auth: token, ...(body === undefined ? {} : { body }) });
      expect(r.status, `${method} ${path}`).toBe(403);
    }
  });

  it("lets a user read company-wide resources their modes allow (leave types, shifts, one user)", async () => {
    const { token, userId } = await login(USERS.ayse);
    expect((await list("/api/public/v1/leave_types", token)).data.length).toBeGreaterThan(0);
    expect((await list("/api/public/v1/shifts", token)).data.length).toBeGreaterThan(0);
    const me = await call(`/api/public/v1/users/${userId}`, { auth: token });
    expect(me.status).toBe(200);
    expect(obj(obj(me.json).data).email).toBe(USERS.ayse.email);
  });

  it("refuses a user filing a leave for somebody else with 403", async () => {
    const { token } = await login(USERS.ayse);
    const mehmet = await login(USERS.mehmet);
    const type = (await list("/api/public/v1/leave_types", token)).data[0];
    const r = await call("/api/public/v1/leaves", {
      method: "POST",
      auth: token,
      body: {
        leave: {
          leave_type_id: type?.id,
          user_id: mehmet.userId,
          is_hourly_leave: "0",
          start_date_daily: "2027-05-03 00:00",
          end_date_daily: "2027-05-04 00:00",
          status: "approved",
        },
      },
    });
    expect(r.status).toBe(403);
  });
});

describe("company isolation", () => {
  const LISTS = [
    "users",
    "leaves",
    "leave_types",
    "departments",
    "branches",
    "user_shifts",
    "approvals",
    "shifts",
    "cards",
    "devices",
    "zones",
    "entrances",
    "payrolls",
    "job_positions",
  ];

  it("never shows Globex records to the Acme key in lists", async () => {
    const info = await seedInfo();
    const acmeId = s(obj(obj(info.companies).acme).id);
    const globexUsers = new Set((await list("/api/public/v1/users?per_page=50", GLOBEX_KEY)).data.map((u) => u.id));
    expect(globexUsers.size).toBeGreaterThan(0);
    for (const resource of LISTS) {
      const { data } = await list(`/api/public/v1/${resource}?per_page=50`, ACME_KEY);
      expect(data.length, resource).toBeGreaterThan(0);
      for (const rec of data) {
        // A record without the column passes; one with it must name Acme / no Globex user.
        expect("company_id" in rec ? rec.company_id : acmeId, resource).toBe(acmeId);
        expect("user_id" in rec && globexUsers.has(rec.user_id), resource).toBe(false);
        expect(globexUsers.has(rec.id), resource).toBe(false);
      }
    }
  });

  it("answers 404 to the Acme key for Globex ids, and to Globex for Acme ids", async () => {
    for (const [table, path] of [
      ["leaves", "leaves"],
      ["users", "users"],
      ["branches", "branches"],
      ["departments", "departments"],
      ["approvals", "approvals"],
      ["user_shifts", "user_shifts"],
      ["payrolls", "payrolls"],
      ["shifts", "shifts"],
    ] as const) {
      const globexId = await sampleId("globex", table);
      const acmeId = await sampleId("acme", table);
      const r = await call(`/api/public/v1/${path}/${globexId}`, { auth: ACME_KEY });
      expect(r.status, table).toBe(404);
      expect(r.json, table).toMatchObject({ success: false, status: 404 });
      expect((await call(`/api/public/v1/${path}/${acmeId}`, { auth: GLOBEX_KEY })).status, table).toBe(404);
      expect((await call(`/api/public/v1/${path}/${acmeId}`, { auth: ACME_KEY })).status, table).toBe(200);
    }
  });

  it("refuses to update or delete another company's records (404, nothing changes)", async () => {
    const globexBranch = await sampleId("globex", "branches");
    const patch = await call(`/api/public/v1/branches/${globexBranch}`, {
      method: "PATCH",
      auth: ACME_KEY,
      body: { branch: { title: "Ele geçirildi" } },
    });
    expect(patch.status).toBe(404);
    const del = await call(`/api/public/v1/branches/${globexBranch}`, { method: "DELETE", auth: ACME_KEY });
    expect(del.status).toBe(404);
    const still = await call(`/api/public/v1/branches/${globexBranch}`, { auth: GLOBEX_KEY });
    expect(obj(obj(still.json).data).title).not.toBe("Ele geçirildi");
  });

  it("gives John (Globex) only Globex data", async () => {
    const { token } = await login(USERS.john);
    const info = await seedInfo();
    const globexId = s(obj(obj(info.companies).globex).id);
    const { data } = await list("/api/public/v1/leave_types", token);
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((t) => t.company_id === globexId)).toBe(true);
  });
});
