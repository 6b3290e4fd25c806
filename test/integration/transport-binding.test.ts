/**
 * How a request finds its session: a login inside an anonymous connection mints a new
 * session and answers with a new, bound Mcp-Session-Id that the client adopts, so the
 * connection is signed in from its next request (no configuration change); X-Session-ID names a session from any connection; the stateless
 * revision, having no connection, signs in only through X-Session-ID.
 */
import { describe, expect, it } from "vitest";
import { initializeConnection, postMcp, randomIp, type RpcBody, SEED } from "../helpers/mcp";

const ip = randomIp;

let nextId = 1;

type Result = NonNullable<RpcBody["result"]>;

async function call(name: string, args: Record<string, unknown>, headers: Record<string, string>): Promise<Result> {
  const res = await postMcp(
    { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } },
    { "cf-connecting-ip": ip(), ...headers },
  );
  expect(res.status).toBe(200);
  // The client adopts a new Mcp-Session-Id, as the SDK's transport does (a sign-in answers with one).
  const issued = res.headers.get("mcp-session-id");
  if (issued !== null && headers["mcp-session-id"] !== undefined) headers["mcp-session-id"] = issued;
  const body = await res.json<RpcBody>();
  if (!body.result) throw new Error(JSON.stringify(body.error));
  return body.result;
}

const connect = (): Promise<Record<string, string>> => initializeConnection();

function statelessHeaders(method: string, name?: string): Record<string, string> {
  return { "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...(name ? { "mcp-name": name } : {}) };
}

async function statelessCall(name: string, args: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Result> {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  const res = await postMcp(
    { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args, _meta: meta } },
    { "cf-connecting-ip": ip(), ...statelessHeaders("tools/call", name), ...headers },
  );
  expect(res.status).toBe(200);
  const body = await res.json<RpcBody>();
  if (!body.result) throw new Error(JSON.stringify(body.error));
  return body.result;
}

function signedIn(r: Result): boolean {
  return r.structuredContent?.signedIn === true;
}

describe("connection binding (legacy revisions)", () => {
  it("a login inside an anonymous connection signs that connection in from its next request", async () => {
    const conn = await connect();
    expect(signedIn(await call("passgage_session_status", {}, conn))).toBe(false);
    const login = await call("passgage_session_login", SEED.ayse, conn);
    expect(login.isError, JSON.stringify(login.content)).toBeFalsy();
    const sessionId = String(login.structuredContent?.sessionId);
    const status = await call("passgage_session_status", {}, conn);
    expect(signedIn(status)).toBe(true);
    expect(status.structuredContent?.session).toMatchObject({ authMode: "user", user: { email: SEED.ayse.email } });

    // The same session is reachable by its ID from anywhere, and another connection stays anonymous.
    expect(signedIn(await call("passgage_session_status", {}, { "x-session-id": sessionId }))).toBe(true);
    expect(signedIn(await call("passgage_session_status", {}, await connect()))).toBe(false);
  });

  it("a connection whose X-Session-ID has ended signs in through the connection, and stays signed in", async () => {
    const conn = { ...(await connect()), "x-session-id": `sess_${"D".repeat(43)}` };
    const before = await call("passgage_session_status", {}, conn);
    expect(signedIn(before)).toBe(false);
    expect(before.content?.[0]?.text).toContain("was not found");
    const login = await call("passgage_session_login", SEED.mehmet, conn);
    expect(login.isError, JSON.stringify(login.content)).toBeFalsy();
    const after = await call("passgage_session_status", {}, conn);
    expect(signedIn(after)).toBe(true);
    expect(after.structuredContent?.session).toMatchObject({ user: { email: SEED.mehmet.email } });
  });

  it("logging out ends the session for the connection too", async () => {
    const conn = await connect();
    await call("passgage_session_login", SEED.ayse, conn);
    const out = await call("passgage_session_logout", {}, conn);
    expect(out.isError).toBeFalsy();
    expect(signedIn(await call("passgage_session_status", {}, conn))).toBe(false);
  });
});

describe("the stateless revision has no connection", () => {
  it("a stateless login hands out a session ID; only X-Session-ID signs later requests in", async () => {
    const login = await statelessCall("passgage_session_login", SEED.ayse);
    expect(login.isError, JSON.stringify(login.content)).toBeFalsy();
    expect(login.resultType).toBe("complete");
    const sessionId = String(login.structuredContent?.sessionId);
    expect(sessionId).toMatch(/^sess_/);
    expect(signedIn(await statelessCall("passgage_session_status", {}))).toBe(false);
    const status = await statelessCall("passgage_session_status", {}, { "x-session-id": sessionId });
    expect(signedIn(status)).toBe(true);
    expect(status.structuredContent?.session).toMatchObject({ authMode: "user" });
  });

  it("a stateless request ignores an Mcp-Session-Id, even a connection's signed-in one", async () => {
    const conn = await connect();
    await call("passgage_session_login", SEED.ayse, conn);
    const status = await statelessCall("passgage_session_status", {}, { "mcp-session-id": conn["mcp-session-id"] ?? "" });
    expect(signedIn(status)).toBe(false);
  });
});
