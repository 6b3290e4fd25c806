/**
 * Dynamic Client Registration (POST /oauth/register) through the Worker: the shapes real
 * MCP clients send, stateless signed client ids (a changed byte is refused), bounds, and
 * clear RFC 7591 errors.
 */
import { describe, expect, it } from "vitest";
import { verifyDcrClientId } from "../../src/oauth/clients";
import { workerFetch } from "../helpers/mcp";
import { send, settleAfterEach } from "../security/route-fetch";
import { KEYS, register } from "./client-fixtures";

settleAfterEach();

describe("POST /oauth/register: the clients' shapes", () => {
  it.each([
    [
      "Claude",
      {
        client_name: "Claude",
        redirect_uris: ["https://claude.ai/api/mcp/auth_callback"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        scope: "passgage",
      },
    ],
    [
      "ChatGPT",
      {
        client_name: "ChatGPT",
        redirect_uris: ["https://chatgpt.com/connector_platform_oauth_redirect"],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "none",
      },
    ],
    [
      "VS Code",
      {
        client_name: "Visual Studio Code",
        redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "none",
      },
    ],
    [
      "Cursor",
      { client_name: "Cursor", redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"], token_endpoint_auth_method: "none" },
    ],
    [
      "mcp-remote",
      {
        client_name: "MCP CLI Client",
        client_uri: "https://github.com/modelcontextprotocol/mcp-cli",
        redirect_uris: ["http://localhost:3334/oauth/callback"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        software_id: "2e6dc280-f3c3-4e01-99a7-8181dbd1d23d",
        software_version: "0.15.1",
      },
    ],
  ])("registers %s's shape: 201, a signed pgmc_ id, no secret, no null fields", async (_name, metadata) => {
    const { res, body } = await register(metadata);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(body.client_id).toMatch(/^pgmc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(body.client_name).toBe(metadata.client_name);
    expect(body.redirect_uris).toEqual(metadata.redirect_uris);
    expect(body.token_endpoint_auth_method).toBe("none");
    expect(body.response_types).toEqual(["code"]);
    expect(body.grant_types).toEqual(["authorization_code", "refresh_token"]);
    expect(typeof body.client_id_issued_at).toBe("number");
    expect(body).not.toHaveProperty("client_secret");
    expect(Object.values(body)).not.toContain(null);
    const client = await verifyDcrClientId(KEYS, String(body.client_id));
    expect(client).toEqual({ id: body.client_id, name: metadata.client_name, redirectUris: metadata.redirect_uris, kind: "dcr" });
  });

  it("omits client_name when none is given and replaces a confidential auth method with none", async () => {
    const { res, body } = await register({ redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "client_secret_post" });
    expect(res.status).toBe(201);
    expect(body).not.toHaveProperty("client_name");
    expect(body.token_endpoint_auth_method).toBe("none");
  });

  it("stores nothing: the same metadata twice gives two working ids", async () => {
    const a = await register({ client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] });
    const b = await register({ client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] });
    expect(await verifyDcrClientId(KEYS, String(a.body.client_id))).not.toBeNull();
    expect(await verifyDcrClientId(KEYS, String(b.body.client_id))).not.toBeNull();
  });
});

describe("POST /oauth/register: browser-based clients", () => {
  it("answers a preflight and a registration from any origin (a public endpoint, no credentials)", async () => {
    const origin = "https://inspector.example";
    const pre = await send(
      new Request("https://mcp.test/oauth/register", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    const res = await send(
      new Request("https://mcp.test/oauth/register", {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ client_name: "Inspector", redirect_uris: ["http://localhost:6274/oauth/callback"] }),
      }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("stateless client ids", () => {
  it("refuses a tampered client id (payload or signature), and one signed under another key", async () => {
    const { body } = await register({ client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] });
    const id = String(body.client_id);
    const [payload = "", mac = ""] = id.slice("pgmc_".length).split(".");
    // The payload re-encoded with another redirect URI, the signature kept.
    const forged = btoa(JSON.stringify({ n: "Claude", r: ["https://evil.example/cb"], g: ["authorization_code"], t: 1 }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    expect(await verifyDcrClientId(KEYS, `pgmc_${forged}.${mac}`)).toBeNull();
    const flipped = mac.startsWith("A") ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    expect(await verifyDcrClientId(KEYS, `pgmc_${payload}.${flipped}`)).toBeNull();
    expect(await verifyDcrClientId(KEYS, `pgmc_${payload}`)).toBeNull();
    expect(await verifyDcrClientId(KEYS, `${id}.x`)).toBeNull();
    expect(await verifyDcrClientId({ current: "ab".repeat(32), previous: null }, id)).toBeNull();
    // After a key rotation the old key still verifies as ENCRYPTION_KEY_PREVIOUS.
    expect(await verifyDcrClientId({ current: "ab".repeat(32), previous: KEYS.current }, id)).not.toBeNull();
  });
});

describe("POST /oauth/register: bounds and errors", () => {
  it.each([
    [{ redirect_uris: [] }, "invalid_redirect_uri", "at least one"],
    [{ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/cb${i}`) }, "invalid_redirect_uri", "at most 10"],
    [{ redirect_uris: [`https://app.example/${"a".repeat(2001)}`] }, "invalid_redirect_uri", "longer than 2000"],
    [{ redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri", "javascript:"],
    [{ redirect_uris: ["http://evil.example/cb"] }, "invalid_redirect_uri", "loopback"],
    [{ redirect_uris: ["myapp://cb"] }, "invalid_redirect_uri", "myapp:"],
    [{ redirect_uris: ["https://app.example/cb#x"] }, "invalid_redirect_uri", "fragment"],
    [{ client_name: "x".repeat(201), redirect_uris: ["https://app.example/cb"] }, "invalid_client_metadata", "client_name"],
    [{ redirect_uris: ["https://app.example/cb"], grant_types: ["client_credentials"] }, "invalid_client_metadata", "client_credentials"],
    [{ redirect_uris: ["https://app.example/cb"], grant_types: ["refresh_token"] }, "invalid_client_metadata", "authorization_code"],
    [{ redirect_uris: ["https://app.example/cb"], response_types: ["token"] }, "invalid_client_metadata", "response_types"],
    [{ redirect_uris: "https://app.example/cb" }, "invalid_client_metadata", "redirect_uris"],
    [{ client_name: "x" }, "invalid_client_metadata", "redirect_uris: is required"],
  ])("refuses %j with 400 %s", async (metadata, error, why) => {
    const { res, body } = await register(metadata);
    expect(res.status).toBe(400);
    expect(body.error).toBe(error);
    expect(String(body.error_description)).toContain(why);
  });

  it("refuses metadata whose signed id would exceed 4 KB", async () => {
    const uris = Array.from({ length: 10 }, (_, i) => `https://app.example/${String(i).repeat(300)}`);
    const { res, body } = await register({ client_name: "x".repeat(200), redirect_uris: uris });
    expect(res.status).toBe(400);
    expect(String(body.error_description)).toContain("4096");
  });

  it("refuses non-JSON, non-object, wrong content type, oversize bodies and other methods", async () => {
    const post = (body: string, type = "application/json"): Promise<Response> =>
      workerFetch("/oauth/register", { method: "POST", headers: { "content-type": type, "cf-connecting-ip": "203.0.113.40" }, body });
    const notJson = await post("{");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "invalid_client_metadata" });
    const array = await post("[]");
    expect(array.status).toBe(400);
    const form = await post("redirect_uris=x", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    await form.body?.cancel();
    const big = await post(JSON.stringify({ redirect_uris: ["https://app.example/cb"], pad: "x".repeat(70_000) }));
    expect(big.status).toBe(413);
    await big.body?.cancel();
    const get = await workerFetch("/oauth/register", { headers: { "cf-connecting-ip": "203.0.113.40" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
    await get.body?.cancel();
  });

  it("answers 503 (not 5xx from a crash) when ENCRYPTION_KEY is missing in production", async () => {
    const res = await send(
      new Request("https://mcp.test/oauth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ redirect_uris: ["https://app.example/cb"] }),
      }),
      { ENVIRONMENT: "production", ENCRYPTION_KEY: undefined, ALLOWED_ORIGINS: "https://mcp.test" },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "temporarily_unavailable" });
  });
});
