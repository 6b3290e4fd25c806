import { describe, expect, it } from "vitest";
import { ACME_KEY, call, list, login, obj, objs, s, sampleId, unique, USERS } from "./client";

/** The field names of a 422 body's `{field_name, messages}` errors. */
function fieldNames(body: unknown): string[] {
  return objs(obj(body).errors).map((e) => s(e.field_name));
}

describe("request bodies are validated against the contract table", () => {
  it("answers 422 Parametre eksik veya değer boş when the wrapper key is missing", async () => {
    for (const body of [{}, { title: "Şube" }, { branch: "not an object" }]) {
      const r = await call("/api/public/v1/branches", { method: "POST", auth: ACME_KEY, body });
      expect(r.status).toBe(422);
      expect(r.json).toEqual({ success: false, status: 422, message: "Parametre eksik veya değer boş", errors: [] });
    }
    const empty = await call("/api/public/v1/users", { method: "POST", auth: ACME_KEY });
    expect(empty.status).toBe(422);
  });

  it("answers 422 naming unknown fields inside the wrapper", async () => {
    const r = await call("/api/public/v1/branches", {
      method: "POST",
      auth: ACME_KEY,
      body: { branch: { title: unique("Şube"), latitude: 41.1, longitude: 29.0, colour: "blue", manager: "x" } },
    });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ success: false, status: 422, message: "Unprocessable entity" });
    expect(fieldNames(r.json).sort()).toEqual(["colour", "manager"]);
    for (const e of objs(obj(r.json).errors)) expect(Array.isArray(e.messages)).toBe(true);
  });

  it("answers 422 naming missing required fields", async () => {
    const r = await call("/api/public/v1/cards", { method: "POST", auth: ACME_KEY, body: { card: { title: "Kart" } } });
    expect(r.status).toBe(422);
    expect(fieldNames(r.json).sort()).toEqual(["card_no", "user_id"]);
  });

  it("answers 422 for wrong types", async () => {
    const shift = await sampleId("acme", "shifts");
    const r = await call(`/api/public/v1/shifts/${shift}`, {
      method: "PATCH",
      auth: ACME_KEY,
      body: { shift: { is_active: "sometimes", late_check_in: "ten", check_in_time: "9 o'clock" } },
    });
    expect(r.status).toBe(422);
    expect(fieldNames(r.json).sort()).toEqual(["check_in_time", "is_active", "late_check_in"]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const r = await call("/api/public/v1/branches", {
      method: "POST",
      auth: ACME_KEY,
      body: "{branch:",
      headers: { "Content-Type": "application/json" },
    });
    expect(r.status).toBe(400);
  });

  it("takes bare bodies for zones, user rates and KPI goals, and refuses a wrapper there", async () => {
    const name = unique("Bölge");
    const zone = await call("/api/public/v1/zones", { method: "POST", auth: ACME_KEY, body: { name, description: "", is_active: true } });
    expect(zone.status).toBe(201);
    expect(obj(obj(zone.json).data).name).toBe(name);
    const wrapped = await call("/api/public/v1/zones", { method: "POST", auth: ACME_KEY, body: { zone: { name } } });
    expect(wrapped.status).toBe(422);
    expect(fieldNames(wrapped.json)).toContain("zone");
    const rate = await call("/api/public/v1/user_rates", { method: "POST", auth: ACME_KEY, body: { fba_rate: 87.5, client_id: "100004" } });
    expect(rate.status).toBe(201);
    const kpi = await call("/api/public/v1/kpis/set_goal", {
      method: "POST",
      auth: ACME_KEY,
      body: {
        target_category_name: "Satış",
        target_name: unique("Hedef"),
        client_id: "100004",
        target_value: 1000,
        start_date: "2026-04-01",
        end_date: "2026-06-30",
      },
    });
    expect(kpi.status).toBe(200);
  });

  it("takes a bare array for presigned uploads and refuses anything else", async () => {
    const ok = await call("/api/public/v1/files/presigned_upload", {
      method: "POST",
      auth: ACME_KEY,
      body: [{ filename: "rapor.pdf", byte_size: 1024, checksum: "1B2M2Y8AsgTpgAmY7PhCfg==", content_type: "application/pdf" }],
    });
    expect(ok.status).toBe(200);
    for (const body of [{ filename: "x" }, [], [{ filename: "x", byte_size: "big", checksum: "c", content_type: "t" }]]) {
      const r = await call("/api/public/v1/files/presigned_upload", { method: "POST", auth: ACME_KEY, body });
      expect(r.status).toBe(422);
    }
  });

  it("accepts the leave update as multipart form-data with leave[...] keys and files[], and as JSON", async () => {
    const { token, userId } = await login(USERS.ayse);
    const type = (await list("/api/public/v1/leave_types?q[title_eq]=Mazeret İzni", token)).data[0];
    const created = await call("/api/public/v1/leaves", {
      method: "POST",
      auth: token,
      body: {
        leave: {
          leave_type_id: type?.id,
          user_id: userId,
          is_hourly_leave: "0",
          start_date_daily: "2027-03-01 00:00",
          end_date_daily: "2027-03-01 00:00",
          status: "awaiting_approval",
          description: "Form testi",
        },
      },
    });
    expect(created.status).toBe(201);
    const id = s(obj(obj(created.json).data).id);
    const form = new FormData();
    form.append("leave[title]", "Güncellenmiş izin");
    form.append("leave[is_hourly_leave]", "0");
    form.append("leave[is_signed]", "1");
    form.append("leave[start_date_daily]", "2027-03-02 00:00");
    form.append("leave[end_date_daily]", "2027-03-04 00:00");
    form.append("files[]", new File(["%PDF-1.4"], "rapor.pdf", { type: "application/pdf" }));
    const updated = await call(`/api/public/v1/leaves/${id}`, { method: "PUT", auth: token, body: form });
    expect(updated.status).toBe(200);
    const data = obj(obj(updated.json).data);
    expect(data).toMatchObject({
      title: "Güncellenmiş izin",
      is_signed: true,
      days_off_count: 72,
      start_date: "2027-03-02T00:00:00.000+03:00",
    });
    const shown = obj(obj((await call(`/api/public/v1/leaves/${id}`, { auth: token })).json).data);
    expect((shown.file_urls as unknown[]).length).toBe(1);
    const json = await call(`/api/public/v1/leaves/${id}`, {
      method: "PUT",
      auth: token,
      body: { leave: { description: "JSON ile güncellendi" } },
    });
    expect(json.status).toBe(200);
    expect(obj(obj(json.json).data).description).toBe("JSON ile güncellendi");
    const unknownField = new FormData();
    unknownField.append("leave[colour]", "red");
    expect((await call(`/api/public/v1/leaves/${id}`, { method: "PUT", auth: token, body: unknownField })).status).toBe(422);
    await call(`/api/public/v1/leaves/${id}`, { method: "DELETE", auth: token });
  });

  it("applies resource rules after the schema: blank and duplicate names, end before start", async () => {
    const blank = await call("/api/public/v1/branches", {
      method: "POST",
      auth: ACME_KEY,
      body: { branch: { title: "", latitude: 41.1, longitude: 29.0 } },
    });
    expect(blank.status).toBe(422);
    expect(objs(obj(blank.json).errors)[0]).toEqual({ field_name: "title", messages: ["Şube Adı doldurulmalı"] });
    const existing = (await list("/api/public/v1/job_positions", ACME_KEY)).data[0];
    const dup = await call("/api/public/v1/job_positions", {
      method: "POST",
      auth: ACME_KEY,
      body: { job_position: { name: existing?.name } },
    });
    expect(dup.status).toBe(422);
    expect(objs(obj(dup.json).errors)[0]).toEqual({ field_name: "name", messages: ["Pozisyon Adı hali hazırda kullanılmakta"] });
    const { token, userId } = await login(USERS.ayse);
    const type = (await list("/api/public/v1/leave_types", token)).data[0];
    const backwards = await call("/api/public/v1/leaves", {
      method: "POST",
      auth: token,
      body: {
        leave: {
          leave_type_id: type?.id,
          user_id: userId,
          is_hourly_leave: 0,
          start_date_daily: "2027-06-10 00:00",
          end_date_daily: "2027-06-08 00:00",
          status: "awaiting_approval",
        },
      },
    });
    expect(backwards.status).toBe(422);
    expect(fieldNames(backwards.json)).toEqual(["end_date"]);
  });

  it("refuses a leave overlapping an approved leave of the same user", async () => {
    const { token, userId } = await login(USERS.ayse);
    const type = (await list("/api/public/v1/leave_types", token)).data[0];
    const r = await call("/api/public/v1/leaves", {
      method: "POST",
      auth: token,
      body: {
        leave: {
          leave_type_id: type?.id,
          user_id: userId,
          is_hourly_leave: false,
          start_date_daily: "2025-07-16 00:00",
          end_date_daily: "2025-07-17 00:00",
          status: "awaiting_approval",
        },
      },
    });
    expect(r.status).toBe(422);
    expect(fieldNames(r.json)).toEqual(["base"]);
  });

  it("answers a night work without a shift with the folder's own 422", async () => {
    const r = await call("/api/public/v1/night_works", {
      method: "POST",
      auth: ACME_KEY,
      body: { night_work: { start_time: "12:00", end_time: "14:00", work_type: 0, shift_id: "" } },
    });
    expect(r.status).toBe(422);
    expect(r.json).toEqual({
      success: false,
      status: 422,
      message: "Night work could not be created",
      errors: [{ field_name: "shift", messages: ["Shift doldurulmalı"] }],
    });
  });
});
