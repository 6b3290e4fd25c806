/**
 * MCP resources through the Worker: resources/list, resources/read with and without
 * a session, and unknown URIs (-32002 for 2025-11-25, -32602 for 2026-07-28).
 */
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/contract/operations";
import { loginAs, loginWithKey, rpc, SEED } from "../helpers/mcp";

interface ResourceEntry {
  uri: string;
  name: string;
  title: string;
  mimeType: string;
}

interface Contents {
  uri: string;
  mimeType: string;
  text: string;
}

async function read(uri: string, headers: Record<string, string> = {}) {
  const { res, body } = await rpc("resources/read", { uri }, headers);
  const contents = (body.result?.contents ?? []) as unknown as Contents[];
  return { res, body, contents, text: contents.map((c) => c.text).join("\n") };
}

describe("resources", () => {
  it("resources/list names the profile, leave types and both guides", async () => {
    const { body } = await rpc("resources/list");
    const list = (body.result?.resources ?? []) as unknown as ResourceEntry[];
    expect(list.map((r) => r.uri)).toEqual([
      "passgage://me/profile",
      "passgage://company/leave-types",
      "passgage://guides/list-filters",
      "passgage://guides/sign-in",
    ]);
    for (const r of list) {
      expect(r.name).not.toBe("");
      expect(r.title).not.toBe("");
      expect(r.mimeType).toMatch(/^(application\/json|text\/markdown)$/);
    }
    const { body: templates } = await rpc("resources/templates/list");
    expect(templates.result?.resourceTemplates).toEqual([]);
  });

  it("without a session, data resources say to sign in first instead of failing", async () => {
    for (const uri of ["passgage://me/profile", "passgage://company/leave-types"]) {
      const { body, contents, text } = await read(uri);
      expect(body.error).toBeUndefined();
      expect(contents[0]?.uri).toBe(uri);
      expect(contents[0]?.mimeType).toBe("text/plain");
      expect(text).toMatch(/^Sign in first/);
      expect(text).toContain("/login");
      expect(text).toContain("passgage_session_login");
    }
  });

  it("an unknown or expired X-Session-ID also gets the sign-in text", async () => {
    const { text } = await read("passgage://me/profile", { "x-session-id": `sess_${"A".repeat(43)}` });
    expect(text).toMatch(/^Sign in first/);
  });

  it("the filter guide lists every list tool's filters with values", async () => {
    const { contents, text } = await read("passgage://guides/list-filters");
    expect(contents[0]?.mimeType).toBe("text/markdown");
    expect(text).toContain("### passgage_list_leaves");
    expect(text).toContain("`status_eq`");
    expect(text).toContain("awaiting_approval");
    expect(text).toContain("per_page");
    const listTools = OPERATIONS.filter((op) => op.kind === "list").flatMap((op) => (op.toolName ? [op.toolName] : []));
    expect(listTools.length).toBeGreaterThan(0);
    for (const name of listTools) expect(text, name).toContain(`### ${name}`);
  });

  it("the sign-in guide explains the page, the tools and the client configuration", async () => {
    const { text } = await read("passgage://guides/sign-in");
    expect(text).toContain("/login");
    expect(text).toContain("passgage_session_login_api_key");
    expect(text).toContain("mcp-remote@");
    expect(text).toContain("X-Session-ID:${PASSGAGE_SESSION_ID}");
  });

  it("an unknown URI is resource-not-found: -32002 with data.uri under 2025-11-25", async () => {
    const { res, body } = await rpc("resources/read", { uri: "passgage://nope" }, { "mcp-protocol-version": "2025-11-25" });
    expect(res.status).toBe(200);
    expect(body.error?.code).toBe(-32002);
    expect(body.error?.message).toContain("passgage://nope");
    const { body: missing } = await rpc("resources/read", {});
    expect(missing.error?.code).toBe(-32602);
  });

  it("an unknown URI is -32602 under the stateless 2026-07-28 revision", async () => {
    const { body } = await rpc(
      "resources/read",
      { uri: "passgage://nope", _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
      { "mcp-protocol-version": "2026-07-28" },
    );
    expect(body.error?.code).toBe(-32602);
  });

  it("signed in with a password, the profile shows the user and company", async () => {
    const id = await loginAs(SEED.ayse);
    const { contents } = await read("passgage://me/profile", { "x-session-id": id });
    expect(contents[0]?.mimeType).toBe("application/json");
    const profile = JSON.parse(contents[0]?.text ?? "{}") as { signedIn: boolean; session: { mode: string; user: { email: string } } };
    expect(profile.signedIn).toBe(true);
    expect(profile.session.mode).toBe("user");
    expect(profile.session.user.email).toBe(SEED.ayse.email);
  });

  it("signed in with a company key, the leave types resource returns the company's types", async () => {
    const id = await loginWithKey(SEED.acmeKey);
    const { body, text } = await read("passgage://company/leave-types", { "x-session-id": id });
    expect(body.error).toBeUndefined();
    expect(text).not.toMatch(/^Sign in first/);
    expect(text.length).toBeGreaterThan(20);
  });
});
