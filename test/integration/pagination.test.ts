/**
 * Every session listing is paginated (issue 11): `GET /admin/sessions` and
 * `passgage_session_list` take `limit` (default 50, at most 200) and `cursor` (the previous
 * page's `nextCursor`), and the registry reads one page per call (`listCompanySessionsPage`,
 * `listAllSessionsPage`). Pages are keyset pages: walking them yields each live session
 * once, in order, whatever comes and goes between pages.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../src/registry/page-cursor";
import { listCompanySessionsPage, registerSession, unregisterSession } from "../../src/registry/registry-client";
import type { RegistryEntry } from "../../src/registry/schemas";
import { callTool, loginWithKey, randomIp, SEED, workerFetch } from "../helpers/mcp";

const ADMIN = "test-admin-token-0123456789abcdef";
const HOUR_MS = 3_600_000;

function entries(companyId: string, n: number): RegistryEntry[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const hash = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("");
    // Some share a createdAt, so the hash breaks the tie.
    const createdAt = now - 10_000 + Math.floor(i / 2);
    return {
      hash,
      companyId,
      companyName: "Paged Co",
      email: `p${i}@paged.example`,
      userId: `u${i}`,
      mode: "user",
      modes: ["user"],
      createdAt,
      lastSeenAt: createdAt,
      expiresAt: now + HOUR_MS,
    } satisfies RegistryEntry;
  });
}

const inOrder = (a: RegistryEntry, b: RegistryEntry): number => a.createdAt - b.createdAt || a.hash.localeCompare(b.hash);

async function adminPage(query: string): Promise<Response> {
  return workerFetch(`/admin/sessions${query}`, { headers: { authorization: `Bearer ${ADMIN}`, "cf-connecting-ip": randomIp() } });
}

describe("registry pages", () => {
  it("listCompanySessionsPage walks a company's sessions page by page, each once, in order", async () => {
    const company = `co-${crypto.randomUUID()}`;
    const mine = entries(company, 11);
    for (const e of mine) await registerSession(env, e);
    const seen: RegistryEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listCompanySessionsPage(env, company, Date.now(), cursor === null ? null : decodeCursor(cursor), 4);
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(mine.toSorted(inOrder));
    for (const e of mine) await unregisterSession(env, company, e.hash);
  });
});

describe("GET /admin/sessions is paginated", () => {
  it("limit and cursor page through every session once; nextCursor is null at the end", async () => {
    const companies = [`co-${crypto.randomUUID()}`, `co-${crypto.randomUUID()}`];
    const mine = companies.flatMap((c) => entries(c, 5));
    for (const e of mine) await registerSession(env, e);
    const seen: RegistryEntry[] = [];
    let query = "?limit=3";
    for (let pages = 0; pages < 1_000; pages++) {
      const res = await adminPage(query);
      expect(res.status).toBe(200);
      const body = await res.json<{ count: number; sessions: RegistryEntry[]; nextCursor: string | null }>();
      expect(body.count).toBe(body.sessions.length);
      expect(body.sessions.length).toBeLessThanOrEqual(3);
      seen.push(...body.sessions);
      if (body.nextCursor === null) break;
      query = `?limit=3&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    const mineSeen = seen.filter((e) => companies.includes(e.companyId));
    expect(mineSeen).toHaveLength(mine.length);
    expect(new Set(seen.map((e) => e.hash)).size).toBe(seen.length);
    for (const c of companies)
      expect(mineSeen.filter((e) => e.companyId === c)).toEqual(mine.filter((e) => e.companyId === c).toSorted(inOrder));
    for (const e of mine) await unregisterSession(env, e.companyId, e.hash);
  });

  it(`the default page is ${DEFAULT_PAGE_SIZE}; a limit outside 1 … ${MAX_PAGE_SIZE} or a foreign cursor is 400`, async () => {
    const first = await adminPage("");
    expect(first.status).toBe(200);
    const body = await first.json<{ sessions: unknown[]; nextCursor: unknown }>();
    expect(body.sessions.length).toBeLessThanOrEqual(DEFAULT_PAGE_SIZE);
    expect(body).toHaveProperty("nextCursor");
    for (const q of ["?limit=0", `?limit=${MAX_PAGE_SIZE + 1}`, "?limit=abc", "?limit=", "?limit=2.5"]) {
      const res = await adminPage(q);
      expect(res.status, q).toBe(400);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("invalid_limit");
    }
    for (const q of ["?cursor=nope", "?cursor=", `?cursor=${btoa("[1,2,3]")}`]) {
      const res = await adminPage(q);
      expect(res.status, q).toBe(400);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("invalid_cursor");
    }
  });
});

describe("passgage_session_list is paginated", () => {
  it("limit and cursor walk the company's sessions; each page at most limit, none twice", async () => {
    const ip = { "cf-connecting-ip": randomIp() };
    const ids = [await loginWithKey(SEED.acmeKey, ip), await loginWithKey(SEED.acmeKey, ip), await loginWithKey(SEED.acmeKey, ip)];
    const me = { ...ip, "x-session-id": ids[0] ?? "" };
    const hashes: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1_000; pages++) {
      const r = await callTool("passgage_session_list", cursor === null ? { limit: 2 } : { limit: 2, cursor }, me);
      expect(r.isError ?? false).toBe(false);
      const s = r.structuredContent as { sessions: { handle: string }[]; nextCursor: string | null };
      expect(s.sessions.length).toBeGreaterThan(0);
      expect(s.sessions.length).toBeLessThanOrEqual(2);
      hashes.push(...s.sessions.map((x) => x.handle));
      cursor = s.nextCursor;
      if (cursor === null) break;
    }
    expect(hashes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(hashes).size).toBe(hashes.length);
    const bad = await callTool("passgage_session_list", { cursor: "nope" }, me);
    expect(bad.isError).toBe(true);
    const over = await callTool("passgage_session_list", { limit: MAX_PAGE_SIZE + 1 }, me);
    expect(over.isError).toBe(true);
  });
});
