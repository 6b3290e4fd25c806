/**
 * Isolation matrix (issue 7): seven sandbox accounts (two companies; company keys and
 * users) each signed in through the Worker, all calling tools at once. For every
 * ordered pair of accounts, no tool returns the other's records: nothing of the other
 * company (every UUID in text and structured results is checked against everything
 * the other company's key can see), and nothing of another user's own records (leaves,
 * user shifts, entrances); fetching the other's record by id fails, except where company
 * mode legitimately sees its own company. passgage_session_list stays in its company (a user
 * lists only their own sessions); listing and revocation across every ordered pair: only a
 * company admin (company mode) sees and ends another's session, in its own company (issue 13);
 * /admin/sessions requires the token; and an anonymous caller, even from a signed-in
 * user's IP, is never signed in (the earlier server leaked one user's login to everyone).
 */
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { sessionHash, shortHash } from "../../src/crypto/session-id";
import { callTool, loginAs, loginWithKey, postMcp, type RpcBody, SEED, workerFetch } from "../helpers/mcp";
import { figure, ipSource, quietLogs } from "./figures";

quietLogs();

const SANDBOX = inject("sandboxUrl");
const nextIp = ipSource("198.21");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

type Company = "acme" | "globex";

/** A sandbox account. */
interface Account {
  readonly name: string;
  readonly company: Company;
  readonly mode: "user" | "company";
  readonly email?: string;
  readonly password?: string;
  readonly apiKey?: string;
}

const ACCOUNTS: readonly Account[] = [
  { name: "acme key", company: "acme", mode: "company", apiKey: SEED.acmeKey },
  { name: "ayse", company: "acme", mode: "user", ...SEED.ayse },
  { name: "mehmet", company: "acme", mode: "user", ...SEED.mehmet },
  { name: "admin", company: "acme", mode: "user", ...SEED.admin },
  { name: "globex key", company: "globex", mode: "company", apiKey: SEED.globexKey },
  { name: "john", company: "globex", mode: "user", ...SEED.john },
  { name: "ali", company: "globex", mode: "user", email: "ali@globex.example", password: "globex-ali-2026" },
];

const COMPANY_PATHS = [
  "leaves",
  "users",
  "departments",
  "branches",
  "user_shifts",
  "entrances",
  "approvals",
  "shifts",
  "leave_types",
  "cards",
];
const OWN_PATHS = ["leaves", "user_shifts", "entrances"];

const COMPANY_TOOLS: readonly [string, Record<string, unknown>][] = [
  ["passgage_list_leaves", { per_page: 50 }],
  ["passgage_list_leaves", { per_page: 50, page: 2 }],
  ["passgage_list_users", { per_page: 50 }],
  ["passgage_list_departments", { per_page: 50 }],
  ["passgage_list_branches", { per_page: 50 }],
  ["passgage_list_user_shifts", { per_page: 50 }],
  ["passgage_list_entrances", { per_page: 50 }],
  ["passgage_list_approvals", { per_page: 50 }],
  ["passgage_list_shifts", { per_page: 50 }],
  ["passgage_list_cards", { per_page: 50 }],
];
const USER_TOOLS: readonly [string, Record<string, unknown>][] = [
  ["passgage_list_my_leaves", {}],
  ["passgage_list_leaves", { per_page: 50 }],
  ["passgage_list_user_shifts", { per_page: 50 }],
  ["passgage_list_entrances", { per_page: 50 }],
  ["passgage_list_my_shifts", {}],
  ["passgage_list_my_entrances", {}],
  ["passgage_get_my_profile", {}],
  ["passgage_list_cards", { per_page: 50 }],
];
/** Tools whose results are a user's own records (approvals are left out: approvers legitimately see others'). */
const PERSONAL_TOOLS = new Set([
  "passgage_list_my_leaves",
  "passgage_list_leaves",
  "passgage_list_user_shifts",
  "passgage_list_entrances",
  "passgage_list_my_shifts",
  "passgage_list_my_entrances",
]);

/** Every page of a sandbox list, with a credential. */
async function sandboxList(path: string, credential: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; page <= 20; page++) {
    const res = await fetch(`${SANDBOX}/api/public/v1/${path}?per_page=50&page=${page}`, {
      headers: { authorization: `Bearer ${credential}`, accept: "application/json" },
    });
    if (res.status !== 200) break;
    const body = await res.json<{ data?: unknown; meta?: { total_pages?: number } }>();
    if (Array.isArray(body.data)) out.push(...(body.data as Record<string, unknown>[]));
    if (!body.meta?.total_pages || page >= body.meta.total_pages) break;
  }
  return out;
}

async function sandboxToken(who: { email?: string; password?: string }): Promise<string> {
  const res = await fetch(`${SANDBOX}/api/public/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  const body = await res.json<{ data?: { token?: string } }>();
  if (!body.data?.token) throw new Error(`sandbox login failed for ${who.email}`);
  return body.data.token;
}

function uuidsIn(text: string): Set<string> {
  return new Set(text.match(UUID) ?? []);
}

/** What one account's tools returned: every UUID, and the ids of personal records. */
interface Seen {
  readonly all: Set<string>;
  readonly personal: Set<string>;
  calls: number;
  errors: string[];
}

describe("isolation matrix", () => {
  it("7 accounts, every ordered pair: no tool returns the other's records; direct reads of the other's records fail", async () => {
    // Ground truth, straight from the sandbox.
    const universe: Record<Company, Set<string>> = { acme: new Set(), globex: new Set() };
    for (const [company, key] of [
      ["acme", SEED.acmeKey],
      ["globex", SEED.globexKey],
    ] as const) {
      for (const path of COMPANY_PATHS)
        for (const rec of await sandboxList(path, key)) for (const u of uuidsIn(JSON.stringify(rec))) universe[company].add(u);
    }
    expect(universe.acme.size).toBeGreaterThan(0);
    expect(universe.globex.size).toBeGreaterThan(0);
    const shared = [...universe.acme].filter((u) => universe.globex.has(u));
    expect(shared).toEqual([]);
    const own = new Map<string, { ids: Set<string>; leaves: string[] }>();
    for (const a of ACCOUNTS.filter((x) => x.mode === "user")) {
      const token = await sandboxToken(a);
      const ids = new Set<string>();
      const leaves: string[] = [];
      for (const path of OWN_PATHS) {
        for (const rec of await sandboxList(path, token)) {
          if (typeof rec.id === "string") {
            ids.add(rec.id);
            if (path === "leaves") leaves.push(rec.id);
          }
        }
      }
      own.set(a.name, { ids, leaves });
    }
    const companyLeaves: Record<Company, string[]> = {
      acme: (await sandboxList("leaves", SEED.acmeKey)).map((r) => String(r.id)),
      globex: (await sandboxList("leaves", SEED.globexKey)).map((r) => String(r.id)),
    };

    // Everyone signs in through the Worker, then all call their tools at once (two rounds).
    const headers = new Map<string, Record<string, string>>();
    for (const a of ACCOUNTS) {
      const ip = { "cf-connecting-ip": nextIp() };
      const id = a.apiKey ? await loginWithKey(a.apiKey, ip) : await loginAs({ email: a.email ?? "", password: a.password ?? "" }, ip);
      headers.set(a.name, { "x-session-id": id });
    }
    const seen = new Map<string, Seen>(
      ACCOUNTS.map((a) => [a.name, { all: new Set<string>(), personal: new Set<string>(), calls: 0, errors: [] }]),
    );
    const jobs: (() => Promise<void>)[] = [];
    for (let round = 0; round < 2; round++) {
      for (const a of ACCOUNTS) {
        for (const [tool, args] of a.mode === "company" ? COMPANY_TOOLS : USER_TOOLS) {
          jobs.push(async () => {
            const r = await callTool(tool, args, { ...headers.get(a.name), "cf-connecting-ip": nextIp() });
            const s = seen.get(a.name);
            if (!s) return;
            s.calls += 1;
            if (r.isError) s.errors.push(tool);
            const text = JSON.stringify(r);
            for (const u of uuidsIn(text)) {
              s.all.add(u);
              if (PERSONAL_TOOLS.has(tool)) s.personal.add(u);
            }
          });
        }
      }
    }
    // Interleave accounts: shuffle deterministically, run 12 at a time.
    const order = jobs.map((job, i) => ({ job, key: (i * 7_919) % jobs.length })).sort((x, y) => x.key - y.key);
    for (let i = 0; i < order.length; i += 12) await Promise.all(order.slice(i, i + 12).map((o) => o.job()));
    for (const a of ACCOUNTS) expect(seen.get(a.name)?.errors, `${a.name} tool errors`).toEqual([]);

    // The matrix.
    let crossPairs = 0;
    let userPairs = 0;
    let legitPairs = 0;
    let foreign = 0;
    let directReads = 0;
    let directLeaks = 0;
    const leaks: string[] = [];
    for (const a of ACCOUNTS) {
      for (const b of ACCOUNTS) {
        if (a === b) continue;
        const mine = seen.get(a.name);
        if (!mine) continue;
        let target: string | undefined;
        if (a.company !== b.company) {
          crossPairs += 1;
          const hits = [...mine.all].filter((u) => universe[b.company].has(u));
          foreign += hits.length;
          if (hits.length > 0) leaks.push(`${a.name} saw ${hits.length} ids of ${b.company}`);
          target = b.mode === "user" ? own.get(b.name)?.leaves[0] : companyLeaves[b.company][0];
        } else if (a.mode === "company") {
          legitPairs += 1; // company mode sees its own company's records by design
          continue;
        } else if (b.mode === "user") {
          userPairs += 1;
          const hits = [...mine.personal].filter((u) => own.get(b.name)?.ids.has(u));
          foreign += hits.length;
          if (hits.length > 0) leaks.push(`${a.name} saw ${hits.length} records of ${b.name}`);
          target = own.get(b.name)?.leaves[0];
        } else {
          userPairs += 1;
          // A user against the company account: a company record that is not the user's own.
          target = companyLeaves[b.company].find((id) => !own.get(a.name)?.ids.has(id));
        }
        if (target === undefined) continue;
        directReads += 1;
        const r = await callTool("passgage_get_leave", { id: target }, { ...headers.get(a.name), "cf-connecting-ip": nextIp() });
        if (r.isError !== true) {
          directLeaks += 1;
          leaks.push(`${a.name} read leave ${target} of ${b.name}`);
        }
      }
    }
    const calls = [...seen.values()].reduce((n, s) => n + s.calls, 0);
    figure(
      "isolation",
      `${ACCOUNTS.length} accounts (2 companies; 2 company keys, 5 users), ${crossPairs + userPairs + legitPairs} ordered pairs (${crossPairs} cross-company, ${userPairs} user vs another account of the same company, ${legitPairs} company mode over its own company: allowed), ${calls} concurrent tool calls checked against ${universe.acme.size + universe.globex.size} known ids: ${foreign} foreign records returned; ${directReads} direct reads of another's record: ${directLeaks} succeeded`,
    );
    expect(leaks).toEqual([]);
  }, 60_000);

  it("passgage_session_list stays in its company; /admin/sessions requires the token; anonymous callers are never signed in", async () => {
    const ip = { "cf-connecting-ip": nextIp() };
    const acme = await loginWithKey(SEED.acmeKey, ip);
    const globex = await loginWithKey(SEED.globexKey, ip);
    const ayse = await loginAs(SEED.ayse, ip);
    const john = await loginAs(SEED.john, ip);
    const hashOf = async (id: string) => shortHash(await sessionHash(id));
    const acmeHashes = new Set([await hashOf(acme), await hashOf(ayse)]);
    const globexHashes = new Set([await hashOf(globex), await hashOf(john)]);

    const listFor = async (id: string, expected: Set<string>): Promise<Record<string, unknown>[]> => {
      for (let i = 0; i < 100; i++) {
        const r = await callTool("passgage_session_list", {}, { ...ip, "x-session-id": id });
        const rows = (r.structuredContent?.sessions ?? []) as Record<string, unknown>[];
        if ([...expected].every((h) => rows.some((row) => row.handle === h))) return rows;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("registry entries did not appear");
    };
    const acmeRows = await listFor(acme, acmeHashes);
    const globexRows = await listFor(globex, globexHashes);
    const crossRows =
      acmeRows.filter((r) => globexHashes.has(String(r.handle)) || (typeof r.email === "string" && r.email.endsWith("@globex.example")))
        .length +
      globexRows.filter((r) => acmeHashes.has(String(r.handle)) || (typeof r.email === "string" && r.email.endsWith("@acme.example")))
        .length;
    expect(crossRows).toBe(0);
    expect(JSON.stringify([acmeRows, globexRows])).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    // User mode lists only the user's own sessions.
    const ayseRows = ((await callTool("passgage_session_list", {}, { ...ip, "x-session-id": ayse })).structuredContent?.sessions ??
      []) as Record<string, unknown>[];
    expect(ayseRows.length).toBeGreaterThan(0);
    expect(ayseRows.every((r) => r.email === SEED.ayse.email)).toBe(true);

    // /admin/sessions: the bearer token, exactly, in the Authorization header.
    const token = "test-admin-token-0123456789abcdef";
    const attempts: [string, RequestInit][] = [
      ["no token", {}],
      ["wrong token", { headers: { authorization: "Bearer wrong-token-0123456789abcdef" } }],
      ["token prefix", { headers: { authorization: `Bearer ${token.slice(0, -1)}` } }],
      ["token plus a char", { headers: { authorization: `Bearer ${token}x` } }],
      ["basic scheme", { headers: { authorization: `Basic ${btoa(`admin:${token}`)}` } }],
      ["no scheme", { headers: { authorization: token } }],
      ["lowercase scheme", { headers: { authorization: `bearer ${token}` } }],
      ["a session ID", { headers: { authorization: `Bearer ${acme}` } }],
      ["X-Admin-Token header", { headers: { "x-admin-token": token } }],
    ];
    const statuses: string[] = [];
    // Each from its own IP: failed admin tokens are throttled per IP (routes-admission.test.ts).
    for (const [what, init] of attempts) {
      const res = await workerFetch("/admin/sessions", {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), "cf-connecting-ip": nextIp() },
      });
      statuses.push(`${what}: ${res.status}`);
      expect(res.status, what).toBe(401);
      expect(await res.text()).not.toContain("sessionHash");
    }
    const query = await workerFetch(`/admin/sessions?token=${token}`, { headers: { "cf-connecting-ip": nextIp() } });
    expect(query.status).toBe(401);
    await query.body?.cancel();
    const ok = await workerFetch("/admin/sessions", { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": nextIp() } });
    expect(ok.status).toBe(200);
    const listing = await ok.text();
    expect(listing).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    for (const h of [...acmeHashes, ...globexHashes]) expect(listing).toContain(h);

    // Anonymous callers, from the same IP as signed-in users and from elsewhere, with and without a connection.
    let anonymousSignedIn = 0;
    let anonymousServed = 0;
    const probes: Record<string, string>[] = [ip, { "cf-connecting-ip": nextIp() }, {}];
    for (const h of probes) {
      const status = await callTool("passgage_session_status", {}, h);
      if (status.structuredContent?.signedIn === true) anonymousSignedIn += 1;
      if ((await callTool("passgage_list_leaves", { per_page: 1 }, h)).isError !== true) anonymousServed += 1;
      const init = await postMcp(
        {
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "anon", version: "1" } },
        },
        h,
      );
      const conn = { ...h, "mcp-session-id": init.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
      const res = await postMcp(
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "passgage_session_status", arguments: {} } },
        conn,
      );
      if ((await res.json<RpcBody>()).result?.structuredContent?.signedIn === true) anonymousSignedIn += 1;
    }
    expect(anonymousSignedIn).toBe(0);
    expect(anonymousServed).toBe(0);
    figure(
      "isolation",
      `session_list: ${acmeRows.length} Acme rows, ${globexRows.length} Globex rows, ${crossRows} across companies, 0 raw IDs; /admin/sessions: ${attempts.length + 1} requests without the exact bearer token all 401, with it 200 (hashes only); anonymous probes (same IP as signed-in users, other IP, no IP; with and without a connection): ${probes.length * 3} requests, ${anonymousSignedIn + anonymousServed} signed in or served`,
    );
  }, 30_000);

  it("listing and revocation, every ordered pair of accounts: only a company admin (company mode) sees and ends another's session, in its own company", async () => {
    const handleOf = async (id: string): Promise<string> => shortHash(await sessionHash(id));
    const signIn = async (a: Account): Promise<string> => {
      const ip = { "cf-connecting-ip": nextIp() };
      return a.apiKey ? loginWithKey(a.apiKey, ip) : loginAs({ email: a.email ?? "", password: a.password ?? "" }, ip);
    };
    const as = (id: string): Record<string, string> => ({ "x-session-id": id, "cf-connecting-ip": nextIp() });
    const live = async (id: string): Promise<boolean> =>
      (await callTool("passgage_session_status", {}, as(id))).structuredContent?.signedIn === true;
    const sessions = new Map<string, string>();
    for (const a of ACCOUNTS) sessions.set(a.name, await signIn(a));
    const ended = new Set<string>();

    let pairs = 0;
    let listedAllowed = 0;
    let listedLeaks = 0;
    let revokedAllowed = 0;
    let revokeLeaks = 0;
    let refused = 0;
    let byUserRefused = 0;
    const wrong: string[] = [];
    for (const a of ACCOUNTS) {
      for (const b of ACCOUNTS) {
        if (a === b) continue;
        pairs += 1;
        const allowed = a.mode === "company" && a.company === b.company;
        // Both sides hold a live session (a session ended by an earlier allowed pair is replaced).
        const liveSession = async (x: Account): Promise<string> => {
          const current = sessions.get(x.name) ?? "";
          if (!ended.has(current)) return current;
          const next = await signIn(x);
          sessions.set(x.name, next);
          return next;
        };
        const aId = await liveSession(a);
        const bId = await liveSession(b);
        const bHandle = await handleOf(bId);
        // Listing: one page of everything a may see (the company holds far fewer than 200 sessions here).
        const listing = await callTool("passgage_session_list", { limit: 200 }, as(aId));
        expect(listing.isError ?? false, `${a.name} lists`).toBe(false);
        const rows = (listing.structuredContent?.sessions ?? []) as { handle: string; companyId: string; email: string | null }[];
        expect(rows.length, `${a.name} sees at least its own session`).toBeGreaterThan(0);
        const sees = rows.some((r) => r.handle === bHandle);
        if (sees && allowed) listedAllowed += 1;
        if (sees && !allowed) {
          listedLeaks += 1;
          wrong.push(`${a.name} listed ${b.name}`);
        }
        if (!sees && allowed) wrong.push(`${a.name} could not list ${b.name}`);
        // Revocation by handle, then (when refused) every session of b's user by e-mail.
        const r = await callTool("passgage_session_revoke", { handle: bHandle }, as(aId));
        const bEnded = !(await live(bId));
        if (bEnded) ended.add(bId);
        if (allowed) {
          if (r.isError === true || !bEnded) wrong.push(`${a.name} could not end ${b.name}`);
          else revokedAllowed += 1;
        } else {
          if (r.isError !== true || bEnded) {
            revokeLeaks += 1;
            wrong.push(`${a.name} ended ${b.name}`);
          } else refused += 1;
          if (b.email !== undefined) {
            const byUser = await callTool("passgage_session_revoke", { user: b.email, all: true }, as(aId));
            if (byUser.isError === true && (await live(bId))) byUserRefused += 1;
            else {
              ended.add(bId);
              revokeLeaks += 1;
              wrong.push(`${a.name} ended every session of ${b.name}`);
            }
          }
        }
      }
      // The caller's own session survived its attempts (a revocation never ends the caller).
      const own = sessions.get(a.name) ?? "";
      if (!ended.has(own) && !(await live(own))) wrong.push(`${a.name}'s own session ended`);
    }
    // A user ends her own other session; an operator ends any session (JSON endpoint).
    const ayseFirst = await signIn(ACCOUNTS[1] as Account);
    const ayseSecond = await signIn(ACCOUNTS[1] as Account);
    const own = await callTool("passgage_session_revoke", { handle: await handleOf(ayseSecond) }, as(ayseFirst));
    expect(own.isError ?? false).toBe(false);
    expect(await live(ayseSecond)).toBe(false);
    expect(await live(ayseFirst)).toBe(true);
    const self = await callTool("passgage_session_revoke", { handle: await handleOf(ayseFirst) }, as(ayseFirst));
    expect(self.isError).toBe(true);
    expect(await live(ayseFirst)).toBe(true);
    const john = sessions.get("john") ?? "";
    const johnStatus = (await callTool("passgage_session_status", {}, as(john))).structuredContent?.session as
      { company: { id: string } } | undefined;
    const johnCompany = johnStatus?.company.id ?? "";
    expect(johnCompany).not.toBe("");
    const op = await workerFetch("/admin/sessions/revoke", {
      method: "POST",
      headers: {
        authorization: "Bearer test-admin-token-0123456789abcdef",
        "content-type": "application/json",
        "cf-connecting-ip": nextIp(),
      },
      body: JSON.stringify({ company: johnCompany, handle: await handleOf(john) }),
    });
    expect(op.status).toBe(200);
    expect(await op.text()).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    expect(await live(john)).toBe(false);

    figure(
      "isolation",
      `revocation matrix: ${ACCOUNTS.length} accounts, ${pairs} ordered pairs: listing showed the other's session in ${listedAllowed} (all company mode over its own company) and in ${listedLeaks} others; revocation by handle ended ${revokedAllowed} (the same pairs), was refused in ${refused} with the target still live, ${revokeLeaks} wrongly ended; ${byUserRefused} "every session of this user" attempts across the line all refused; a user ended her own other session, not her current one; an operator ended a Globex session`,
    );
    expect(wrong).toEqual([]);
    expect(listedAllowed).toBe(5);
    expect(revokedAllowed).toBe(5);
  }, 300_000);
});
