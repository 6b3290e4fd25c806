import { describe, expect, it } from "vitest";
import { ACME_KEY, call, login, obj, objs, s, SANDBOX, USERS } from "./client";

const PATH = "/api/public/v1/leave_types";

/** Hit counters of `GET /__sandbox/faults`. */
async function hits(): Promise<Record<string, unknown>> {
  return obj(obj((await call("/__sandbox/faults")).json).hits);
}

/** Arms a fault rule; returns the rule. */
async function arm(rule: unknown): Promise<Record<string, unknown>> {
  const r = await call("/__sandbox/faults", { method: "POST", body: rule });
  expect(r.status, r.text).toBe(201);
  return obj(obj(r.json).rule);
}

/** Whether fetching (and reading) a request fails at the network level. */
async function networkFails(init: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(`${SANDBOX}${PATH}`, init);
    await res.text();
    return false;
  } catch {
    return true;
  }
}

describe("fault injection with X-Sandbox-Fault", () => {
  it("500 answers the error envelope", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "500" } });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ success: false, status: 500, message: "Internal server error", errors: [] });
  });

  it("502 answers an HTML gateway page", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "502" } });
    expect(r.status).toBe(502);
    expect(r.headers.get("Content-Type")).toContain("text/html");
    expect(r.text).toContain("502 Bad Gateway");
    expect(r.json).toBeNull();
  });

  it("503 answers the error envelope with Retry-After", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "503" } });
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ success: false, status: 503 });
  });

  it("429 answers with Retry-After: 1", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "429" } });
    expect(r.status).toBe(429);
    expect(r.headers.get("Retry-After")).toBe("1");
    expect(r.json).toMatchObject({ success: false, status: 429 });
  });

  it("malformed answers 200 with a truncated JSON body", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "malformed" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toContain("application/json");
    expect(() => JSON.parse(r.text) as unknown).toThrow(SyntaxError);
    expect(r.text.startsWith('{"success":true')).toBe(true);
  });

  it("expired answers the 401 of an expired token", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "expired" } });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ success: false, status: 401, message: "Token has expired", errors: [] });
  });

  it("slow:<ms> delays, then answers normally", async () => {
    const started = Date.now();
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "slow:400" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(r.status).toBe(200);
    expect(objs(obj(r.json).data).length).toBeGreaterThan(0);
  });

  it("reset drops the connection: the client sees a network error", async () => {
    expect(await networkFails({ headers: { Authorization: `Bearer ${ACME_KEY}`, "X-Sandbox-Fault": "reset" } })).toBe(true);
    expect(await networkFails({ headers: { Authorization: `Bearer ${ACME_KEY}` } })).toBe(false);
  });

  it("rejects an unknown fault with 400", async () => {
    const r = await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "explode" } });
    expect(r.status).toBe(400);
  });

  it("counts hits per fault kind", async () => {
    const before = Number((await hits())["503"] ?? 0);
    await call(PATH, { auth: ACME_KEY, headers: { "X-Sandbox-Fault": "503" } });
    expect(Number((await hits())["503"])).toBeGreaterThanOrEqual(before + 1);
  });
});

describe("fault rules armed through /__sandbox/faults", () => {
  it("fails exactly the next `count` requests that match the credential, then answers normally", async () => {
    const { token } = await login(USERS.ayse);
    const rule = await arm({ fault: "500", count: 2, match: { method: "GET", pathPrefix: PATH, credential: token } });
    expect(rule).toMatchObject({ fault: "500", remaining: 2, hits: 0 });
    // Another credential is unaffected.
    expect((await call(PATH, { auth: ACME_KEY })).status).toBe(200);
    expect((await call(PATH, { auth: token })).status).toBe(500);
    const armed = objs(obj((await call("/__sandbox/faults")).json).armed).find((r) => r.id === rule.id);
    expect(armed).toMatchObject({ remaining: 1, hits: 1 });
    expect((await call(PATH, { auth: token })).status).toBe(500);
    expect((await call(PATH, { auth: token })).status).toBe(200);
    const gone = objs(obj((await call("/__sandbox/faults")).json).armed).find((r) => r.id === rule.id);
    expect(gone).toBeUndefined();
  });

  it("matches on method and path prefix", async () => {
    const { token } = await login(USERS.mehmet);
    await arm({ fault: "503", count: 1, match: { method: "POST", pathPrefix: "/api/public/auth/refresh", credential: token } });
    expect((await call(PATH, { auth: token })).status).toBe(200);
    const refresh = await call("/api/public/auth/refresh", { method: "POST", auth: token });
    expect(refresh.status).toBe(503);
    expect((await call("/api/public/auth/refresh", { method: "POST", auth: token })).status).toBe(200);
  });

  it("can make an upstream call look like an expired token, and counts the refresh that follows", async () => {
    const { token } = await login(USERS.admin);
    await arm({ fault: "expired", count: 1, match: { pathPrefix: "/api/public/v1/", credential: token } });
    const first = await call("/api/public/v1/leaves", { auth: token });
    expect(first.status).toBe(401);
    expect(obj(first.json).message).toBe("Token has expired");
    const refreshed = await call("/api/public/auth/refresh", { method: "POST", auth: token });
    expect(refreshed.status).toBe(200);
    const stats = obj((await call("/__sandbox/stats")).json);
    expect(obj(obj(stats.refresh).byCredential)[token]).toBe(1);
    const fresh = s(obj(obj(refreshed.json).data).token);
    expect((await call("/api/public/v1/leaves", { auth: fresh })).status).toBe(200);
  });

  it("arms a reset and a slow fault by API too", async () => {
    const { token } = await login(USERS.ayse);
    await arm({ fault: "reset", count: 1, match: { credential: token } });
    expect(await networkFails({ headers: { Authorization: `Bearer ${token}` } })).toBe(true);
    await arm({ fault: "slow:300", count: 1, match: { credential: token } });
    const started = Date.now();
    expect((await call(PATH, { auth: token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("refuses invalid rules with 422", async () => {
    for (const rule of [{}, { fault: "boom" }, { fault: "500", count: 0 }, { fault: "500", match: { method: 5 } }]) {
      const r = await call("/__sandbox/faults", { method: "POST", body: rule });
      expect(r.status, JSON.stringify(rule)).toBe(422);
    }
  });

  it("DELETE /__sandbox/faults?id= clears one rule", async () => {
    const { token } = await login(USERS.ayse);
    const rule = await arm({ fault: "500", count: 5, match: { credential: token } });
    const r = await call(`/__sandbox/faults?id=${s(rule.id)}`, { method: "DELETE" });
    expect(obj(r.json).cleared).toBe(1);
    expect((await call(PATH, { auth: token })).status).toBe(200);
  });
});
