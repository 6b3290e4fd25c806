import { describe, expect, it } from "vitest";
import { ACME_KEY, call, list, login, obj, type Obj, s, USERS } from "./client";

const USERS_PATH = "/api/public/v1/users";
const LEAVES = "/api/public/v1/leaves";

/** Every record of a list (all pages of 50). */
async function all(path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  const sep = path.includes("?") ? "&" : "?";
  for (let page = 1; ; page++) {
    const { data, meta } = await list(`${path}${sep}per_page=50&page=${page}`, ACME_KEY);
    out.push(...data);
    if (page >= Number(meta.total_pages)) return out;
  }
}

const fold = (v: unknown): string => (typeof v === "string" ? v : "").replace(/[İI]/g, "i").replace(/ı/g, "i").toLowerCase();

describe("Ransack predicates (API.md §5)", () => {
  it("eq and not_eq split the rows", async () => {
    const eq = await all(`${USERS_PATH}?q[first_name_eq]=Ayşe`);
    const notEq = await all(`${USERS_PATH}?q[first_name_not_eq]=Ayşe`);
    const everyone = await all(USERS_PATH);
    expect(eq.length).toBeGreaterThanOrEqual(1);
    expect(eq.every((u) => u.first_name === "Ayşe")).toBe(true);
    expect(notEq.length).toBeGreaterThan(0);
    expect(notEq.every((u) => u.first_name !== "Ayşe")).toBe(true);
    expect(eq.length + notEq.length).toBe(everyone.length);
  });

  it("lt, lteq, gt and gteq compare numbers", async () => {
    const checks: [string, (n: number) => boolean][] = [
      ["days_off_count_lt]=48", (n) => n < 48],
      ["days_off_count_lteq]=48", (n) => n <= 48],
      ["days_off_count_gt]=48", (n) => n > 48],
      ["days_off_count_gteq]=48", (n) => n >= 48],
    ];
    const counts: number[] = [];
    for (const [q, ok] of checks) {
      const rows = await all(`${LEAVES}?q[${q}`);
      expect(rows.length, q).toBeGreaterThan(0);
      expect(
        rows.every((l) => ok(Number(l.days_off_count))),
        q,
      ).toBe(true);
      counts.push(rows.length);
    }
    const [lt = 0, lteq = 0, gt = 0, gteq = 0] = counts;
    expect(lteq).toBeGreaterThan(lt);
    expect(gteq).toBeGreaterThan(gt);
  });

  it("compares dates and timestamps in the company zone", async () => {
    const rows = await all(`${LEAVES}?q[start_date_gteq]=2026-01-01&q[end_date_lteq]=2026-03-31`);
    expect(rows.length).toBeGreaterThan(0);
    for (const l of rows) {
      expect(Date.parse(s(l.start_date))).toBeGreaterThanOrEqual(Date.parse("2026-01-01T00:00:00+03:00"));
      expect(Date.parse(s(l.end_date))).toBeLessThanOrEqual(Date.parse("2026-03-31T00:00:00+03:00"));
    }
    const shifts = await all("/api/public/v1/user_shifts?q[date_of_shift_gteq]=2026-01-10&q[date_of_shift_lteq]=2026-01-12");
    expect(shifts.length).toBeGreaterThan(0);
    expect(shifts.every((x) => s(x.date_of_shift) >= "2026-01-10" && s(x.date_of_shift) <= "2026-01-12")).toBe(true);
  });

  it("in and not_in take repeated array values, by enum name or code", async () => {
    const byName = await all(`${LEAVES}?q[status_in][]=approved&q[status_in][]=rejected`);
    const byCode = await all(`${LEAVES}?q[status_in][]=2&q[status_in][]=3`);
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((l) => l.status === "approved" || l.status === "rejected")).toBe(true);
    expect(byCode.map((l) => s(l.id)).sort()).toEqual(byName.map((l) => s(l.id)).sort());
    const notIn = await all(`${LEAVES}?q[status_not_in][]=2&q[status_not_in][]=3`);
    expect(notIn.length).toBeGreaterThan(0);
    expect(notIn.every((l) => l.status !== "approved" && l.status !== "rejected")).toBe(true);
  });

  it("cont is a case-insensitive substring match, Turkish letters included", async () => {
    const rows = await all(`${USERS_PATH}?q[last_name_cont]=YILMAZ`);
    expect(rows.some((u) => u.email === USERS.ayse.email)).toBe(true);
    expect(rows.every((u) => fold(u.last_name).includes("yilmaz"))).toBe(true);
  });

  it("cont_any matches any of several values, with the _or_ combinator", async () => {
    const rows = await all(`${USERS_PATH}?q[first_name_or_last_name_cont_any][]=ayşe&q[first_name_or_last_name_cont_any][]=demir`);
    const emails = rows.map((u) => u.email);
    expect(emails).toContain(USERS.ayse.email);
    expect(emails).toContain(USERS.mehmet.email);
    expect(rows.every((u) => ["ayşe", "demir"].some((v) => fold(u.first_name).includes(v) || fold(u.last_name).includes(v)))).toBe(true);
  });

  it("first_name_or_last_name_cont matches either column", async () => {
    const byLast = await all(`${USERS_PATH}?q[first_name_or_last_name_cont]=Demir`);
    expect(byLast.some((u) => u.email === USERS.mehmet.email)).toBe(true);
    const byFirst = await all(`${USERS_PATH}?q[first_name_or_last_name_cont]=Mehmet`);
    expect(byFirst.some((u) => u.email === USERS.mehmet.email)).toBe(true);
  });

  it("start and end anchor the match", async () => {
    const start = await all(`${USERS_PATH}?q[email_start]=ayse@`);
    expect(start.map((u) => u.email)).toEqual([USERS.ayse.email]);
    const end = await all(`${USERS_PATH}?q[email_end]=@acme.example`);
    const everyone = await all(USERS_PATH);
    expect(end.length).toBe(everyone.filter((u) => String(u.email).endsWith("@acme.example")).length);
    const none = await all(`${USERS_PATH}?q[email_start]=@acme`);
    expect(none).toEqual([]);
  });

  it("matches follows SQL LIKE: % for any run, _ for one character", async () => {
    const one = await all(`${USERS_PATH}?q[email_matches]=ay_e@acme.example`);
    expect(one.map((u) => u.email)).toEqual([USERS.ayse.email]);
    const many = await all(`${USERS_PATH}?q[email_matches]=%25@acme.example`);
    expect(many.length).toBeGreaterThan(50);
    const anchored = await all(`${USERS_PATH}?q[email_matches]=ayse`);
    expect(anchored).toEqual([]);
  });

  it("present and blank, null and not_null partition a nullable column", async () => {
    const everyone = await all(USERS_PATH);
    const present = await all(`${USERS_PATH}?q[sub_company_id_present]=1`);
    const blank = await all(`${USERS_PATH}?q[sub_company_id_blank]=1`);
    const isNull = await all(`${USERS_PATH}?q[sub_company_id_null]=1`);
    const notNull = await all(`${USERS_PATH}?q[sub_company_id_not_null]=true`);
    expect(present.length).toBeGreaterThan(0);
    expect(blank.length).toBeGreaterThan(0);
    expect(present.length + blank.length).toBe(everyone.length);
    expect(isNull.length + notNull.length).toBe(everyone.length);
    expect(present.every((u) => typeof u.sub_company_id === "string")).toBe(true);
    expect(isNull.length).toBeGreaterThan(0);
    expect(isNull.every((u) => u.sub_company_id === null)).toBe(true);
    const presentFalse = await all(`${USERS_PATH}?q[sub_company_id_present]=0`);
    expect(presentFalse.length).toBe(blank.length);
  });

  it("follows associations: user_client_id, user_first_name, leave_type_title, shift_name, shift_code, user_branch_id", async () => {
    const ayse = await login(USERS.ayse);
    const byClient = await all(`${LEAVES}?q[user_client_id_cont]=100004`);
    expect(byClient.length).toBeGreaterThanOrEqual(7);
    expect(byClient.every((l) => l.user_id === ayse.userId)).toBe(true);
    const annual = (await list("/api/public/v1/leave_types?q[title_eq]=Yıllık İzin", ACME_KEY)).data[0];
    const byName = await all(`${LEAVES}?q[user_first_name_cont]=ayş&q[leave_type_title_cont]=yıllık`);
    expect(byName.length).toBeGreaterThanOrEqual(4);
    expect(byName.every((l) => l.leave_type_id === annual?.id && l.user_id === ayse.userId)).toBe(true);
    const byEmail = await all(`/api/public/v1/entrances?q[user_email_cont]=ayse@`);
    expect(byEmail.length).toBeGreaterThan(0);
    expect(byEmail.every((e) => obj(e.user).email === USERS.ayse.email)).toBe(true);
    const shiftName = await all("/api/public/v1/user_shifts?q[shift_name_cont]=Ofis");
    expect(shiftName.length).toBeGreaterThan(0);
    expect(shiftName.every((x) => String(obj(x.shift).name).includes("Ofis"))).toBe(true);
    const shiftCode = await all("/api/public/v1/user_shifts?q[shift_code_eq]=HT");
    expect(shiftCode.length).toBeGreaterThan(0);
    expect(shiftCode.every((x) => obj(x.shift).code === "HT")).toBe(true);
    const me = obj(obj((await call(`/api/public/v1/users/${ayse.userId}`, { auth: ACME_KEY })).json).data);
    const byBranch = await all(`/api/public/v1/entrances?q[user_branch_id_eq]=${s(me.branch_id)}`);
    expect(byBranch.length).toBeGreaterThan(0);
    const branchUsers = new Set((await all(`${USERS_PATH}?q[branch_id_eq]=${s(me.branch_id)}`)).map((u) => u.email));
    expect(byBranch.every((e) => branchUsers.has(obj(e.user).email))).toBe(true);
    const zone = s((me.user_zone_ids as unknown[])[0]);
    const byZone = await all(`/api/public/v1/entrances?q[user_zone_id_eq]=${zone}`);
    expect(byZone.some((e) => obj(e.user).email === USERS.ayse.email)).toBe(true);
    const zoneUsers = new Set((await all(USERS_PATH)).filter((u) => (u.user_zone_ids as unknown[]).includes(zone)).map((u) => u.email));
    expect(byZone.every((e) => zoneUsers.has(obj(e.user).email))).toBe(true);
  });

  it("filters enums by integer code: status_eq=2 is approved leaves, status_eq=1 approved user shifts", async () => {
    const approved = await all(`${LEAVES}?q[status_eq]=2`);
    expect(approved.length).toBeGreaterThan(10);
    expect(approved.every((l) => l.status === "approved")).toBe(true);
    const byName = await all(`${LEAVES}?q[status_eq]=approved`);
    expect(byName.length).toBe(approved.length);
    const awaiting = await all(`${LEAVES}?q[status_eq]=1`);
    expect(awaiting.length).toBeGreaterThan(0);
    expect(awaiting.every((l) => l.status === "awaiting_approval")).toBe(true);
    const shifts = await all("/api/public/v1/user_shifts?q[status_eq]=1");
    expect(shifts.length).toBeGreaterThan(0);
    expect(shifts.every((x) => x.status === "approved")).toBe(true);
  });

  it("sorts with q[s]=<column> asc|desc, also through associations", async () => {
    const desc = await all(`${LEAVES}?q[s]=created_at desc`);
    expect(desc.length).toBeGreaterThan(1);
    const times = desc.map((l) => Date.parse(s(l.created_at)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asc = await all(`${LEAVES}?q[s]=start_date+asc`);
    expect(asc.length).toBeGreaterThan(1);
    const starts = asc.map((l) => Date.parse(s(l.start_date)));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const byUser = (await list(`${LEAVES}?q[s]=user_first_name asc&per_page=50`, ACME_KEY)).data;
    expect(byUser.length).toBe(50);
  });

  it("accepts percent-encoded brackets", async () => {
    const literal = await list(`${LEAVES}?q[status_eq]=2&per_page=1`, ACME_KEY);
    const encoded = await list(`${LEAVES}?q%5Bstatus_eq%5D=2&per_page=1`, ACME_KEY);
    expect(encoded.meta.total_count).toBe(literal.meta.total_count);
    const arrays = await list(`${LEAVES}?q%5Bstatus_in%5D%5B%5D=2&q%5Bstatus_in%5D%5B%5D=3&per_page=1`, ACME_KEY);
    const arraysLiteral = await list(`${LEAVES}?q[status_in][]=2&q[status_in][]=3&per_page=1`, ACME_KEY);
    expect(arrays.meta.total_count).toBe(arraysLiteral.meta.total_count);
  });

  it("ignores unknown attributes and blank values (Ransack's default), naming the unknown ones in a header", async () => {
    const plain = await list(`${LEAVES}?per_page=1`, ACME_KEY);
    const r = await call(`${LEAVES}?per_page=1&q[no_such_column_eq]=1&q[status_eq]=`, { auth: ACME_KEY });
    expect(r.status).toBe(200);
    expect(obj(obj(r.json).meta).total_count).toBe(plain.meta.total_count);
    expect(r.headers.get("X-Sandbox-Ignored-Filters")).toContain("no_such_column_eq");
  });

  it("combines several conditions with AND", async () => {
    const annual = (await list("/api/public/v1/leave_types?q[title_eq]=Yıllık İzin", ACME_KEY)).data[0];
    const rows = await all(`${LEAVES}?q[status_eq]=2&q[leave_type_title_cont]=Yıllık&q[start_date_gteq]=2025-06-01`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((l) => l.status === "approved" && l.leave_type_id === annual?.id && s(l.start_date) >= "2025-06-01")).toBe(true);
  });
});
