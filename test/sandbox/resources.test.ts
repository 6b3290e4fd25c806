import { describe, expect, it } from "vitest";
import { ACME_KEY, call, list, login, obj, objs, s, sampleId, unique, USERS } from "./client";

/** `data` of a successful envelope, asserting status and envelope keys. */
function data(r: { status: number; json: Record<string, unknown> | null }, status = 200): Record<string, unknown> {
  expect(r.status).toBe(status);
  const body = obj(r.json);
  expect(body.success).toBe(true);
  expect(body.status).toBe(status);
  return obj(body.data);
}

describe("response shapes per resource (API.md §8)", () => {
  it("leaves: list items carry a short user, details the full profile and leave type", async () => {
    const item = (await list("/api/public/v1/leaves?per_page=1", ACME_KEY)).data[0];
    expect(Object.keys(obj(item?.user)).sort()).toEqual(["avatar", "client_id", "id", "job_title", "username"]);
    expect(item).not.toHaveProperty("leave_type");
    expect(Array.isArray(item?.file_urls)).toBe(true);
    const detail = data(await call(`/api/public/v1/leaves/${s(item?.id)}`, { auth: ACME_KEY }));
    for (const key of ["date_of_return", "signed_date", "working_days", "holiday_days", "total_days"]) expect(detail).toHaveProperty(key);
    const user = obj(detail.user);
    expect(user).toHaveProperty("pacs_settings");
    expect(Array.isArray(user.leaves)).toBe(true);
    expect(obj(detail.leave_type)).toHaveProperty("leave_rule");
  });

  it("leaves: create answers 201 with the flat leave and opens an approval waiting on the manager; delete answers the detail", async () => {
    const ayse = await login(USERS.ayse);
    const mehmet = await login(USERS.mehmet);
    const type = (await list("/api/public/v1/leave_types?q[title_eq]=Yıllık İzin", ayse.token)).data[0];
    const created = await call("/api/public/v1/leaves", {
      method: "POST",
      auth: ayse.token,
      body: {
        leave: {
          leave_type_id: type?.id,
          user_id: ayse.userId,
          is_hourly_leave: "0",
          start_date_daily: "2027-08-02 00:00",
          end_date_daily: "2027-08-04 00:00",
          status: "approved",
          title: "Yaz tatili",
        },
      },
    });
    const leave = data(created, 201);
    expect(obj(created.json).message).toBe("İzin talebi başarıyla oluşturuldu");
    expect(leave).toMatchObject({
      status: "awaiting_approval",
      days_off_count: 72,
      start_date: "2027-08-02T00:00:00.000+03:00",
      end_date: "2027-08-04T23:59:59.999+03:00",
      fin_year: "2027",
    });
    expect(leave).not.toHaveProperty("user");
    const waiting = (await list(`/api/public/v1/approvals?q[approvable_id_eq]=${s(leave.id)}`, mehmet.token)).data;
    expect(waiting).toHaveLength(1);
    expect(objs(waiting[0]?.approval_users)[0]).toMatchObject({ user_id: mehmet.userId, status: "pending" });
    const deleted = await call(`/api/public/v1/leaves/${s(leave.id)}`, { method: "DELETE", auth: ayse.token });
    const gone = data(deleted);
    expect(obj(deleted.json).message).toBe("Successfully deleted leave");
    expect(gone.id).toBe(leave.id);
    expect(obj(gone.user)).toHaveProperty("pacs_settings");
    expect((await call(`/api/public/v1/leaves/${s(leave.id)}`, { auth: ayse.token })).status).toBe(404);
    expect((await list(`/api/public/v1/approvals?q[approvable_id_eq]=${s(leave.id)}`, ACME_KEY)).data).toHaveLength(0);
  });

  it("user shifts: create answers 200 with the short shift, lists carry client_id and the rich shift", async () => {
    const ayse = await login(USERS.ayse);
    const shift = (await list("/api/public/v1/shifts?per_page=1", ayse.token)).data[0];
    const r = await call("/api/public/v1/user_shifts", {
      method: "POST",
      auth: ACME_KEY,
      body: { user_shift: { user_id: ayse.userId, shift_id: shift?.id, date_of_shift: "2027-02-01", status: "approved" } },
    });
    const created = data(r, 200);
    expect(obj(r.json).message).toBe("Successfully created the user shift");
    expect(created).not.toHaveProperty("client_id");
    expect(Object.keys(obj(created.shift)).sort()).toEqual(["created_at", "id", "is_active", "name", "updated_at"]);
    const listed = (await list(`/api/public/v1/user_shifts?q[id_eq]=${s(created.id)}`, ayse.token)).data[0];
    expect(listed?.client_id).toBe("100004");
    expect(obj(listed?.shift)).toHaveProperty("check_in_time");
    const updated = data(
      await call(`/api/public/v1/user_shifts/${s(created.id)}`, {
        method: "PATCH",
        auth: ACME_KEY,
        body: { user_shift: { status: "waiting_for_approval" } },
      }),
    );
    expect(updated.status).toBe("waiting_for_approval");
    const removed = data(await call(`/api/public/v1/user_shifts/${s(created.id)}`, { method: "DELETE", auth: ACME_KEY }));
    expect(removed.id).toBe(created.id);
  });

  it("working days: delete answers only {message}, without the envelope", async () => {
    const created = data(
      await call("/api/public/v1/working_days", {
        method: "POST",
        auth: ACME_KEY,
        body: { working_day: { name: unique("Takvim"), week_day_1: [], is_active: true } },
      }),
      201,
    );
    const r = await call(`/api/public/v1/working_days/${s(created.id)}`, { method: "DELETE", auth: ACME_KEY });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ message: "Working Day deleted successfully" });
  });

  it("delete answers the deleted record (cards, branches, job positions)", async () => {
    const user = await sampleId("acme", "users");
    const card = data(
      await call("/api/public/v1/cards", {
        method: "POST",
        auth: ACME_KEY,
        body: { card: { card_no: unique("C").replace(" ", ""), user_id: user, title: "Test" } },
      }),
      201,
    );
    const del = await call(`/api/public/v1/cards/${s(card.id)}`, { method: "DELETE", auth: ACME_KEY });
    expect(data(del)).toMatchObject({ id: card.id, card_no: card.card_no });
    expect(obj(del.json).message).toBe("Card deleted successfully");
    expect(obj((await call(`/api/public/v1/cards/${s(card.id)}`, { method: "DELETE", auth: ACME_KEY })).json)).toEqual({
      success: false,
      status: 404,
      message: "Couldn't find the record",
      errors: [],
    });
    const branch = data(
      await call("/api/public/v1/branches", {
        method: "POST",
        auth: ACME_KEY,
        body: { branch: { title: unique("Şube"), latitude: 40.1, longitude: 29.2 } },
      }),
      201,
    );
    expect(branch.latitude).toBe("40.1");
    expect(data(await call(`/api/public/v1/branches/${s(branch.id)}`, { method: "DELETE", auth: ACME_KEY })).title).toBe(branch.title);
  });

  it("shift settings are a singleton object, not a paginated list", async () => {
    const r = await call("/api/public/v1/shift_settings", { auth: ACME_KEY });
    const settings = data(r);
    expect(obj(r.json).meta).toEqual({});
    expect(obj(r.json).message).toBe("Successfully retrieved shift settings");
    expect(Array.isArray(settings.extra_work_types)).toBe(true);
    expect(Array.isArray(settings.timesheet_rounds)).toBe(true);
    expect(typeof settings.rotation_day_limitation).toBe("number");
  });

  it("presigned upload answers meta null and plausible slots, and the slot URL accepts the bytes", async () => {
    const r = await call("/api/public/v1/files/presigned_upload", {
      method: "POST",
      auth: ACME_KEY,
      body: [{ filename: "izin-belgesi.pdf", byte_size: 8, checksum: "zL4qGnZGc7F5sYQz4i3wCA==", content_type: "application/pdf" }],
    });
    expect(r.status).toBe(200);
    const body = obj(r.json);
    expect(body.meta).toBeNull();
    const slot = objs(body.data)[0];
    expect(obj(slot?.headers)).toEqual({
      "Content-Type": "application/pdf",
      "Content-MD5": "zL4qGnZGc7F5sYQz4i3wCA==",
      "Content-Disposition": `inline; filename="izin-belgesi.pdf"; filename*=UTF-8''izin-belgesi.pdf`,
    });
    expect(s(slot?.signed_id)).toMatch(/^[A-Za-z0-9+/=]+--[0-9a-f]{40}$/);
    const put = await fetch(s(slot?.url), {
      method: "PUT",
      headers: { "Content-Type": "application/pdf", "Content-MD5": "zL4qGnZGc7F5sYQz4i3wCA==" },
      body: "%PDF-1.4",
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe("");
  });

  it("devices: the list is a summary, writes answer the full device; unknown zones are 404", async () => {
    const item = (await list("/api/public/v1/devices?per_page=1", ACME_KEY)).data[0];
    expect(Object.keys(obj(item)).sort()).toEqual([
      "client_id",
      "created_at",
      "description",
      "direction",
      "id",
      "is_active",
      "latitude",
      "longitude",
      "name",
      "updated_at",
    ]);
    const zone = await sampleId("acme", "zones");
    const created = data(
      await call("/api/public/v1/devices", {
        method: "POST",
        auth: ACME_KEY,
        body: { device: { name: unique("Turnike"), port: 65000, external_ip: "10.0.0.9", zone_ids: [zone], direction: "check_in" } },
      }),
      201,
    );
    expect(objs(created.zones)[0]?.id).toBe(zone);
    expect(created).toHaveProperty("device_schedules");
    const bad = await call(`/api/public/v1/devices/${s(created.id)}`, {
      method: "PATCH",
      auth: ACME_KEY,
      body: { device: { zone_ids: ["00000000-0000-4000-8000-000000000000"] } },
    });
    expect(bad.status).toBe(404);
  });

  it("users: create answers the smaller shape, lists the 61-key item, delete answers the user", async () => {
    const email = `${crypto.randomUUID().slice(0, 8)}@acme.example`;
    const r = await call("/api/public/v1/users", {
      method: "POST",
      auth: ACME_KEY,
      body: {
        user: {
          first_name: "Deniz",
          last_name: "Güneş",
          email,
          department_name: "Pazarlama",
          title_name: "Uzman",
          password: "gizli-2026",
          password_confirmation: "gizli-2026",
        },
      },
    });
    const created = data(r, 201);
    expect(created).not.toHaveProperty("full_name");
    expect(created.department_name).toBe("Pazarlama");
    const listed = (await list(`/api/public/v1/users?q[email_eq]=${email}`, ACME_KEY)).data[0];
    expect(Object.keys(obj(listed))).toHaveLength(61);
    const signIn = await call("/api/public/auth/login", { method: "POST", body: { email, password: "gizli-2026" } });
    expect(signIn.status).toBe(200);
    const patched = data(
      await call(`/api/public/v1/users/${s(created.id)}`, { method: "PATCH", auth: ACME_KEY, body: { user: { first_name: "Derin" } } }),
    );
    expect(patched.first_name).toBe("Derin");
    expect(data(await call(`/api/public/v1/users/${s(created.id)}`, { method: "DELETE", auth: ACME_KEY })).email).toBe(email);
    expect((await call(`/api/public/v1/users/${s(created.id)}`, { auth: ACME_KEY })).status).toBe(404);
  });

  it("answers each folder's own 404 message", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const cases: [string, string][] = [
      [`/api/public/v1/organization_units/${missing}`, "%{resource} Bulunamadı"],
      [`/api/public/v1/shifts/${missing}`, "%{resource} Bulunamadı"],
      [`/api/public/v1/night_works/${missing}`, "NightWork Bulunamadı"],
      [`/api/public/v1/approvals/${missing}`, "Kayıt bulunamadı"],
      [`/api/public/v1/payrolls/${missing}`, "Kayıt bulunamadı"],
      [`/api/public/v1/leaves/${missing}`, "Couldn't find the record"],
    ];
    for (const [path, message] of cases) {
      const r = await call(path, { auth: ACME_KEY });
      expect(r.status, path).toBe(404);
      expect(r.json, path).toMatchObject({ success: false, status: 404, message });
    }
  });

  it("slacks live under their shift: another shift's slack is 404", async () => {
    const shifts = (await list("/api/public/v1/shifts?per_page=5", ACME_KEY)).data;
    const [a, b] = shifts;
    const slacks = (await list(`/api/public/v1/shifts/${s(a?.id)}/slacks`, ACME_KEY)).data;
    expect(slacks.length).toBeGreaterThan(0);
    expect(slacks.every((x) => x.shift_id === a?.id)).toBe(true);
    const one = slacks[0];
    expect((await call(`/api/public/v1/shifts/${s(a?.id)}/slacks/${s(one?.id)}`, { auth: ACME_KEY })).status).toBe(200);
    expect((await call(`/api/public/v1/shifts/${s(b?.id)}/slacks/${s(one?.id)}`, { auth: ACME_KEY })).status).toBe(404);
    const created = data(
      await call(`/api/public/v1/shifts/${s(a?.id)}/slacks`, {
        method: "POST",
        auth: ACME_KEY,
        body: { slack: { title: "Kısa mola", is_active: true, slack_type: "time_duration", duration: 10 } },
      }),
      201,
    );
    expect(created).toMatchObject({ shift_id: a?.id, starting_time: null, end_time: null, duration: 10 });
  });

  it("approval flows by type need flow_type", async () => {
    const flows = (await list("/api/public/v1/approval_flows/by_type?flow_type=leave_approval", ACME_KEY)).data;
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.every((f) => f.flow_type === "leave_approval")).toBe(true);
    expect((await call("/api/public/v1/approval_flows/by_type", { auth: ACME_KEY })).status).toBe(422);
  });

  it("approval sub-lists filter by status (waiting_for_approval = pending and in_progress)", async () => {
    const waiting = (await list("/api/public/v1/approvals/waiting_for_approval?per_page=50", ACME_KEY)).data;
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((a) => a.status === "pending" || a.status === "in_progress")).toBe(true);
    for (const status of ["pending", "approved", "rejected"]) {
      const rows = (await list(`/api/public/v1/approvals/${status}?per_page=50`, ACME_KEY)).data;
      expect(rows.length, status).toBeGreaterThan(0);
      expect(
        rows.every((a) => a.status === status),
        status,
      ).toBe(true);
    }
  });

  it("unknown paths and methods answer 404 in the envelope", async () => {
    const r = await call("/api/public/v1/nothing_here", { auth: ACME_KEY });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ success: false, status: 404 });
    expect((await call("/api/public/v1/devices/abc", { method: "DELETE", auth: ACME_KEY })).status).toBe(404);
  });
});
