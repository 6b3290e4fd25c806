import { describe, expect, it } from "vitest";
import { forgeSignature } from "../helpers/forge";
import { ACME_KEY, call, jwtPayload, list, login, obj, s, USERS } from "./client";

const LOGIN = "/api/public/auth/login";
const REFRESH = "/api/public/auth/refresh";
const LOGOUT = "/api/public/auth/logout";

describe("POST /api/public/auth/login", () => {
  it("returns a 30-day HS256 token with id, exp and jti, and the user with the company", async () => {
    const r = await call(LOGIN, { method: "POST", body: USERS.ayse });
    expect(r.status).toBe(200);
    const body = obj(r.json);
    expect(body).toMatchObject({ success: true, status: 200, message: "Login successful", meta: {} });
    const data = obj(body.data);
    const token = s(data.token);
    const header = JSON.parse(atob(token.split(".")[0] ?? "")) as unknown;
    expect(header).toMatchObject({ alg: "HS256", typ: "JWT" });
    const claims = jwtPayload(token);
    const user = obj(data.user);
    expect(claims.id).toBe(user.id);
    expect(typeof claims.jti).toBe("string");
    const exp = Number(claims.exp);
    const days = (exp * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(Date.parse(s(data.expires_at))).toBe(exp * 1000);
    expect(user).toMatchObject({ email: "ayse@acme.example", first_name: "Ayşe", last_name: "Yılmaz", full_name: "Ayşe Yılmaz" });
    expect(obj(user.company)).toMatchObject({ name: "Acme Teknoloji A.Ş." });
  });

  it("answers 401 Invalid email or password for a wrong password or an unknown e-mail", async () => {
    for (const body of [
      { email: USERS.ayse.email, password: "wrong" },
      { email: "nobody@acme.example", password: "x" },
    ]) {
      const r = await call(LOGIN, { method: "POST", body });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ success: false, status: 401, message: "Invalid email or password", errors: [] });
    }
  });

  it("answers 401 Account is inactive for the deactivated seed user", async () => {
    const r = await call(LOGIN, { method: "POST", body: USERS.inactive });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ success: false, status: 401, message: "Account is inactive", errors: [] });
  });

  it("answers 422 with string errors when e-mail or password is missing", async () => {
    const both = await call(LOGIN, { method: "POST", body: {} });
    expect(both.status).toBe(422);
    expect(both.json).toEqual({
      success: false,
      status: 422,
      message: "Email and password are required",
      errors: ["Email can't be blank", "Password can't be blank"],
    });
    const onlyPassword = await call(LOGIN, { method: "POST", body: { email: USERS.ayse.email } });
    expect(onlyPassword.status).toBe(422);
    expect(obj(onlyPassword.json).errors).toEqual(["Password can't be blank"]);
  });

  it("is case-insensitive on the e-mail", async () => {
    const r = await call(LOGIN, { method: "POST", body: { email: "AYSE@ACME.EXAMPLE", password: USERS.ayse.password } });
    expect(r.status).toBe(200);
  });

  it("shortens the token lifetime with X-Sandbox-Token-TTL", async () => {
    const { token } = await login(USERS.ayse, 120);
    const exp = Number(jwtPayload(token).exp);
    expect(exp - Date.now() / 1000).toBeGreaterThan(110);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(120);
  });

  it("rejects a malformed X-Sandbox-Token-TTL with 400", async () => {
    const r = await call(LOGIN, { method: "POST", body: USERS.ayse, headers: { "X-Sandbox-Token-TTL": "soon" } });
    expect(r.status).toBe(400);
  });
});

describe("credentials on resources", () => {
  it("answers the 401 envelope without a credential, with an unknown key or with a forged token", async () => {
    const { token } = await login(USERS.ayse);
    const forged = forgeSignature(token);
    expect(forged).not.toBe(token);
    for (const auth of [undefined, "psg_cmp_unknown_key_000000000000000", "not-a-jwt", forged]) {
      const r = await call("/api/public/v1/leave_types", auth === undefined ? {} : { auth });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ success: false, status: 401, message: "Unauthorized" });
      expect(Array.isArray(obj(r.json).errors)).toBe(true);
    }
  });

  it("accepts the company key and a user token", async () => {
    const { token } = await login(USERS.ayse);
    expect((await call("/api/public/v1/leave_types", { auth: ACME_KEY })).status).toBe(200);
    expect((await call("/api/public/v1/leave_types", { auth: token })).status).toBe(200);
  });

  it("answers 401 Token has expired once a token's lifetime is over", async () => {
    const { token } = await login(USERS.ayse, 1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const r = await call("/api/public/v1/leaves", { auth: token });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ success: false, status: 401, message: "Token has expired", errors: [] });
  });
});

describe("POST /api/public/auth/refresh", () => {
  it("issues a new 30-day token with a new jti and leaves the old token valid", async () => {
    const { token } = await login(USERS.ayse, 600);
    const r = await call(REFRESH, { method: "POST", auth: token });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, status: 200, message: "Token refreshed successfully" });
    const data = obj(obj(r.json).data);
    const fresh = s(data.token);
    expect(fresh).not.toBe(token);
    expect(jwtPayload(fresh).jti).not.toBe(jwtPayload(token).jti);
    expect(jwtPayload(fresh).id).toBe(jwtPayload(token).id);
    expect(Number(jwtPayload(fresh).exp) * 1000 - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(typeof data.expires_at).toBe("string");
    expect((await call("/api/public/v1/leaves", { auth: fresh })).status).toBe(200);
    expect((await call("/api/public/v1/leaves", { auth: token })).status).toBe(200);
  });

  it("answers 401 Token refresh failed for a company key, a forged token or an expired token", async () => {
    const { token } = await login(USERS.ayse, 1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    for (const auth of [ACME_KEY, "x.y.z", token]) {
      const r = await call(REFRESH, { method: "POST", auth });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ success: false, status: 401, message: "Token refresh failed" });
    }
  });

  it("is counted per credential in /__sandbox/stats", async () => {
    const { token, userId } = await login(USERS.mehmet);
    await call(REFRESH, { method: "POST", auth: token });
    await call(REFRESH, { method: "POST", auth: token });
    const stats = obj((await call("/__sandbox/stats")).json);
    const refresh = obj(stats.refresh);
    expect(obj(refresh.byCredential)[token]).toBe(2);
    expect(Number(obj(refresh.byUser)[userId])).toBeGreaterThanOrEqual(2);
    expect(Number(obj(stats.operations)["auth.refresh"])).toBeGreaterThanOrEqual(2);
  });
});

describe("DELETE /api/public/auth/logout", () => {
  it("invalidates exactly the presented token", async () => {
    const first = await login(USERS.ayse);
    const second = await login(USERS.ayse);
    const r = await call(LOGOUT, { method: "DELETE", auth: first.token });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ success: true, status: 200, message: "Logout successful", data: {}, meta: {} });
    const after = await call("/api/public/v1/leaves", { auth: first.token });
    expect(after.status).toBe(401);
    expect((await call(REFRESH, { method: "POST", auth: first.token })).status).toBe(401);
    expect((await call(LOGOUT, { method: "DELETE", auth: first.token })).status).toBe(401);
    expect((await list("/api/public/v1/leaves", second.token)).data.length).toBeGreaterThan(0);
  });

  it("refuses a company key with 401", async () => {
    const r = await call(LOGOUT, { method: "DELETE", auth: ACME_KEY });
    expect(r.status).toBe(401);
  });
});
