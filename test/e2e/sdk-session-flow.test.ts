/**
 * End to end with the official SDK clients against the stack `npm run dev` runs
 * (sandbox + server in workerd, started fresh): connect with no session, sign in as
 * ayse with passgage_session_login, then
 *  (a) the same connection is signed in on its next call (SDK 1.x: the sign-in answers
 *      with a new, bound Mcp-Session-Id, which its transport adopts; the 2.x client adopts
 *      the header only at the handshake, so its connection stays anonymous and it uses
 *      X-Session-ID as in (b));
 *  (b) a new client carrying `X-Session-ID` uses the session tools: status, switch_mode
 *      (refused with guidance: no company key), logout, then the next call is refused.
 * For the stateless 2026-07-28 revision there is no connection to bind: the login
 * result hands out the session ID, a header-less next call stays anonymous, and (b)
 * is how that client signs in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";
import { CLIENT_KINDS, type ClientKind, connectClient, type TestClient } from "./helpers/sdk-clients.js";

const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" };
const SESSION_ID = /^sess_[A-Za-z0-9_-]{43}$/;

let stack: Stack;

beforeAll(async () => {
  // Every local request comes from 127.0.0.1: give the per-IP limiter room for the whole file.
  stack = await startStack({ anonymousAccess: "open", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
});

afterAll(async () => {
  await stack?.stop();
});

function sessionOf(structured: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = structured?.session;
  if (!s || typeof s !== "object") throw new Error(`no session in ${JSON.stringify(structured)}`);
  return s as Record<string, unknown>;
}

for (const kind of CLIENT_KINDS) describeFlow(kind);

function describeFlow(kind: ClientKind): void {
  describe(`${kind}`, () => {
    const stateless = kind === "sdk2-stateless";
    // Whether the client adopts a new Mcp-Session-Id after the handshake (SDK 1.x does; 2.x does not).
    const adopts = kind === "sdk1";
    const clients: TestClient[] = [];
    let first: TestClient;
    let sessionId = "";

    afterAll(async () => {
      await Promise.allSettled(clients.map((c) => c.close()));
    });

    /** The client connected with X-Session-ID by the first (b) test. */
    const secondClient = (): TestClient => {
      const second = clients[1];
      if (second === undefined) throw new Error("the X-Session-ID client was not connected");
      return second;
    };

    it(`connects with no session and negotiates ${stateless ? "2026-07-28" : "2025-11-25"}`, async () => {
      first = await connectClient(kind, stack.serverUrl);
      clients.push(first);
      expect(first.protocolVersion).toBe(stateless ? "2026-07-28" : "2025-11-25");
      expect(first.serverName).toBe("passgage-mcp");
      // Only a stateful revision has a connection, named by its Mcp-Session-Id.
      expect(String(first.mcpSessionId)).toMatch(stateless ? /^undefined$/ : /^mcp_/);
      const names = await first.listToolNames();
      expect(names.slice(0, 7)).toEqual([
        "passgage_session_login",
        "passgage_session_login_api_key",
        "passgage_session_status",
        "passgage_session_switch_mode",
        "passgage_session_list",
        "passgage_session_revoke",
        "passgage_session_logout",
      ]);
      const status = await first.call("passgage_session_status");
      expect(status.isError).toBe(false);
      expect(status.structured?.signedIn).toBe(false);
    });

    it("signs in as ayse with passgage_session_login", async () => {
      const r = await first.call("passgage_session_login", AYSE);
      expect(r.isError, r.text).toBe(false);
      expect(r.structured?.authMode).toBe("user");
      expect(r.structured?.created).toBe(true);
      expect(String(r.structured?.sessionId)).toMatch(SESSION_ID);
      expect(r.text).toContain("X-Session-ID");
      sessionId = String(r.structured?.sessionId);
    });

    // (a) differs by revision and client: the stateless revision has no connection to bind the
    // login to; a legacy client that keeps its first Mcp-Session-Id stays anonymous (that header
    // is never signed in); one that adopts the sign-in's new header is signed in on its next call.
    it.runIf(stateless)("(a) stateless: no connection to bind, so the next header-less call is anonymous", async () => {
      const status = await first.call("passgage_session_status");
      expect(status.isError).toBe(false);
      expect(status.structured?.signedIn).toBe(false);
    });

    it.runIf(!stateless && !adopts)(
      "(a) a client that keeps its first Mcp-Session-Id stays anonymous: that header is never signed in",
      async () => {
        const status = await first.call("passgage_session_status");
        expect(status.isError).toBe(false);
        expect(status.structured?.signedIn).toBe(false);
      },
    );

    it.runIf(!stateless && adopts)("(a) the same connection is signed in on its next call, in user mode", async () => {
      const status = await first.call("passgage_session_status");
      expect(status.isError, status.text).toBe(false);
      expect(status.structured?.signedIn).toBe(true);
      const session = sessionOf(status.structured);
      expect(session.authMode).toBe("user");
      expect(session.user).toMatchObject({ email: AYSE.email });
    });

    it("(b) a new client with X-Session-ID sees the session (status: user mode)", async () => {
      const second = await connectClient(kind, stack.serverUrl, { "X-Session-ID": sessionId });
      clients.push(second);
      const status = await second.call("passgage_session_status");
      expect(status.isError, status.text).toBe(false);
      expect(status.structured?.signedIn).toBe(true);
      const session = sessionOf(status.structured);
      expect(session.authMode).toBe("user");
      expect(session.availableModes).toEqual(["user"]);
      expect(session.user).toMatchObject({ email: AYSE.email });
    });

    it("(b) switch_mode to company is refused with guidance (no company key)", async () => {
      const second = secondClient();
      const r = await second.call("passgage_session_switch_mode", { mode: "company" });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/company/i);
      expect(r.text).toContain("passgage_session_login_api_key");
      // Both modes in one session only on request: a sign-in with carry: true (issue 11, F2).
      expect(r.text).toContain("carry: true");
    });

    it("(b) logout ends the session; the next call with that X-Session-ID is refused", async () => {
      const second = secondClient();
      const out = await second.call("passgage_session_logout");
      expect(out.isError, out.text).toBe(false);
      expect(out.structured?.loggedOut).toBe(true);

      const refused = await second.call("passgage_session_switch_mode", { mode: "user" });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/not found|expired|signed out/i);
      expect(refused.text).toContain("passgage_session_login");

      const status = await second.call("passgage_session_status");
      expect(status.structured?.signedIn).toBe(false);
    });

    // The stateless revision has no connection: nothing to sign out or DELETE.
    it.skipIf(stateless)("after logout the first connection is signed out too", async () => {
      const status = await first.call("passgage_session_status");
      expect(status.structured?.signedIn).toBe(false);
    });

    it.skipIf(stateless)("DELETE ends the connection: its Mcp-Session-Id then gets 404", async () => {
      const header = first.mcpSessionId ?? "";
      await first.terminate();
      const res = await fetch(new URL("/mcp", stack.serverUrl), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": header,
          "mcp-protocol-version": "2025-11-25",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(res.status).toBe(404);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    });
  });
}
