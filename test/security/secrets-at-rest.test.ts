/**
 * Secrets at rest (issue 7): after a scripted run of sign-ins (MCP tools, the browser
 * sign-in page, a connection-bound sign-in), calls in both modes, failed sign-ins, a
 * token refresh, logouts and an expiry, read every Durable Object storage entry (every
 * object of the three namespaces, KV API and SQL tables), every KV value, key and
 * metadata, and every captured log line: no password, company API key, JWT or raw
 * session ID appears in clear, nor in the encodings a careless store would use
 * (base64, base64url, hex, URL encoding: the earlier server kept passwords as base64).
 */
import { env } from "cloudflare:workers";
import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toHex, utf8 } from "../../src/crypto/encoding";
import { sessionHash } from "../../src/crypto/session-id";
import { callTool, loginAs, loginWithKey, postMcp, SEED, workerFetch } from "../helpers/mcp";
import { armFault, captureLogs, captureUpstream, dumpKv } from "../durable-objects/session-fixtures";
import { figure, ipSource, quietLogs } from "./figures";

quietLogs();

const nextIp = ipSource("198.20");
const ip = (): Record<string, string> => ({ "cf-connecting-ip": nextIp() });
const as = (id: string): Record<string, string> => ({ ...ip(), "x-session-id": id });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Every encoding of a secret worth searching for. */
function encodings(secret: string): string[] {
  const bytes = utf8.encode(secret);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const b64url = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return [
    ...new Set([
      secret,
      b64,
      b64.replace(/=+$/, ""),
      b64url,
      toHex(bytes),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
    ]),
  ];
}

/** Every storage entry of every object of a namespace, as searchable text, and the counts. */
async function dumpNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  ns: DurableObjectNamespace<T>,
): Promise<{ objects: number; entries: number; text: string }> {
  const ids = await listDurableObjectIds(ns);
  let entries = 0;
  const parts: string[] = [];
  for (const id of ids) {
    const dump = await runInDurableObject(ns.get(id), async (_instance, state) => {
      const kv = [...state.storage.kv.list()];
      const rows: unknown[] = [];
      const tables = state.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
        .toArray()
        .map((r) => (typeof r.name === "string" ? r.name : JSON.stringify(r.name)));
      for (const t of tables) for (const row of state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray()) rows.push({ table: t, ...row });
      return { kv, rows };
    });
    entries += dump.kv.length + dump.rows.length;
    parts.push(JSON.stringify(dump));
  }
  return { objects: ids.length, entries, text: parts.join("\n") };
}

/** Signs in on the browser page; returns the session ID it shows. */
async function pageLogin(fields: Record<string, string>): Promise<string> {
  const client = ip();
  const form = await workerFetch("/login", { headers: client });
  const html = await form.text();
  const cookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const res = await workerFetch("/login", {
    method: "POST",
    headers: {
      ...client,
      "content-type": "application/x-www-form-urlencoded",
      origin: "https://mcp.test",
      "sec-fetch-site": "same-origin",
      cookie,
    },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
  const id = /value="(sess_[A-Za-z0-9_-]{43})"/.exec(await res.text())?.[1];
  if (!id) throw new Error(`page sign-in failed: ${res.status}`);
  return id;
}

describe("secrets at rest", () => {
  it("after a scripted run, no secret is in any DO storage entry, KV entry or log line", async () => {
    const upstream = captureUpstream();
    const logs = captureLogs();
    const wrongPasswords = ["Wr0ng-Secret-Pa55!", "hunter2-but-longer", "şifre-Ğ-yanlış"];
    const sessionIds: string[] = [];
    try {
      // Sign-ins of every kind.
      const ayse = await loginAs(SEED.ayse, ip());
      const admin = await loginAs(SEED.admin, ip());
      // A key sign-in presenting admin's session with carry: true: a new session carrying admin's user login (admin's own is unchanged).
      const adminBothId = (await callTool("passgage_session_login_api_key", { apiKey: SEED.acmeKey, carry: true }, as(admin)))
        .structuredContent?.sessionId;
      const adminBoth = typeof adminBothId === "string" ? adminBothId : "";
      expect(adminBoth).toMatch(/^sess_/);
      const john = await loginAs(SEED.john, ip());
      const globex = await loginWithKey(SEED.globexKey, ip());
      const mehmet = await pageLogin({ method: "password", email: SEED.mehmet.email, password: SEED.mehmet.password });
      const pageKey = await pageLogin({ method: "api_key", api_key: SEED.acmeKey });
      const init = await postMcp(
        {
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "security", version: "1" } },
        },
        ip(),
      );
      const conn = { "mcp-session-id": init.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
      const bindOn = { ...ip(), ...conn };
      const connLogin = await callTool("passgage_session_login", SEED.ayse, bindOn);
      conn["mcp-session-id"] = bindOn["mcp-session-id"] ?? "";
      const connSessionId = connLogin.structuredContent?.sessionId;
      const connId = typeof connSessionId === "string" ? connSessionId : "";
      expect(connId).not.toBe("");
      sessionIds.push(ayse, admin, adminBoth, john, globex, mehmet, pageKey, connId);

      // Calls in both modes, session tools, and failed sign-ins.
      await callTool("passgage_list_my_leaves", {}, as(ayse));
      await callTool("passgage_list_users", { per_page: 2 }, as(admin));
      await callTool("passgage_session_switch_mode", { mode: "user" }, as(adminBoth));
      await callTool("passgage_get_my_profile", {}, as(adminBoth));
      await callTool("passgage_session_list", {}, as(globex));
      await callTool("passgage_list_leaves", { per_page: 2 }, as(john));
      await callTool("passgage_session_status", {}, { ...ip(), ...conn });
      for (const wrong of wrongPasswords) await callTool("passgage_session_login", { email: SEED.ayse.email, password: wrong }, ip());
      await callTool("passgage_session_login_api_key", { apiKey: "psg_cmp_sandbox_wrong_00000000000000000" }, ip());

      // A token refresh (the stored JWT changes), a logout and an expiry.
      const johnToken =
        upstream.tokens.find(
          (t) => JSON.parse(atob((t.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))).email === SEED.john.email,
        ) ?? "";
      await armFault("expired", 1, { method: "GET", pathPrefix: "/api/public/v1/leaves", credential: johnToken });
      expect((await callTool("passgage_list_leaves", { per_page: 1 }, as(john))).isError).toBeFalsy();
      await callTool("passgage_session_logout", {}, as(ayse));
      const mehmetStub = env.SESSION.getByName(await sessionHash(mehmet));
      const expiresAt = (await mehmetStub.view(mehmet))?.expiresAt ?? 0;
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(expiresAt + 1);
      await runDurableObjectAlarm(mehmetStub);
      vi.useRealTimers();
      // Let the mirror and registry writes that run after replies land.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const jwts = [...new Set(upstream.tokens)];
      expect(jwts.length).toBeGreaterThanOrEqual(6);
      const needles: [string, string][] = [];
      const addSecret = (what: string, secret: string) => {
        for (const e of encodings(secret)) needles.push([what, e]);
      };
      for (const who of [SEED.ayse, SEED.admin, SEED.john, SEED.mehmet]) addSecret(`password of ${who.email}`, who.password);
      for (const wrong of wrongPasswords) addSecret("wrong password", wrong);
      addSecret("Acme key", SEED.acmeKey);
      addSecret("Globex key", SEED.globexKey);
      addSecret("wrong key", "psg_cmp_sandbox_wrong_00000000000000000");
      for (const jwt of jwts) {
        addSecret("JWT", jwt);
        for (const part of jwt.split(".").slice(1)) needles.push(["JWT part", part]);
      }
      for (const id of sessionIds) {
        addSecret("session ID", id);
        addSecret("session ID body", id.slice("sess_".length));
      }
      const patterns: [string, RegExp][] = [
        ["any JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/],
        ["any session ID", /sess_[A-Za-z0-9_-]{43}/],
        ["any company key", /psg_cmp_[A-Za-z0-9_]{8,}/],
      ];

      const stores = {
        SessionDO: await dumpNamespace(env.SESSION),
        RateLimiterDO: await dumpNamespace(env.RATE_LIMITER),
        RegistryDO: await dumpNamespace(env.REGISTRY),
      };
      const kv = await dumpKv();
      const logText = logs.raw.join("\n");
      const haystacks: [string, string][] = [
        ...Object.entries(stores).map(([k, v]): [string, string] => [k, v.text]),
        ["KV", kv],
        ["logs", logText],
      ];
      const search = (places: [string, string][]): string[] => {
        const hits: string[] = [];
        for (const [where, text] of places) {
          for (const [what, needle] of needles) if (needle.length >= 8 && text.includes(needle)) hits.push(`${what} in ${where}`);
          for (const [what, re] of patterns) if (re.test(text)) hits.push(`${what} in ${where}`);
        }
        return hits;
      };
      const found = search(haystacks);
      // The search can fail: planted secrets (a base64 password, a hex key, a JWT part, a session ID) are all found.
      const planted = [
        btoa(SEED.ayse.password),
        toHex(utf8.encode(SEED.globexKey)),
        `{"t":"${(jwts[0] ?? "").split(".")[2] ?? ""}"}`,
        encodeURIComponent(connId),
      ];
      for (const p of planted) expect(search([["planted", p]]).length, `planted ${p.slice(0, 12)}… found`).toBeGreaterThan(0);
      // Session IDs in logs only as 12-hex-char hashes.
      const badSessionFields = logs.lines.filter(
        (l) => l.sessionId !== undefined && !(typeof l.sessionId === "string" && /^[0-9a-f]{12}$/.test(l.sessionId)),
      ).length;

      const objects = Object.values(stores).reduce((n, s) => n + s.objects, 0);
      const entries = Object.values(stores).reduce((n, s) => n + s.entries, 0);
      const kvValues = (await env.PASSGAGE_SESSIONS.list()).keys.length;
      figure(
        "secrets at rest",
        `${sessionIds.length} sessions (tools, sign-in page, connection), ${jwts.length} JWTs issued, 1 refresh, 1 logout, 1 expiry: searched ${objects} Durable Objects (SessionDO ${stores.SessionDO.objects}, RateLimiterDO ${stores.RateLimiterDO.objects}, RegistryDO ${stores.RegistryDO.objects}; ${entries} storage entries), ${kvValues} KV entries, ${logs.raw.length} log lines for ${needles.length} needles (passwords, keys, JWTs, session IDs; clear, base64, base64url, hex, URL-encoded) and ${patterns.length} patterns: ${found.length} found; ${badSessionFields} log lines with a non-hash session field`,
      );
      expect(found).toEqual([]);
      expect(badSessionFields).toBe(0);
      expect(stores.SessionDO.entries).toBeGreaterThan(0);
      expect(kv.length).toBeGreaterThan(0);
    } finally {
      upstream.restore();
      logs.restore();
    }
  }, 60_000);
});
