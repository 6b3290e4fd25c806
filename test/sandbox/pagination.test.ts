import { describe, expect, it } from "vitest";
import { ACME_KEY, call, list, obj } from "./client";

const LEAVES = "/api/public/v1/leaves";

describe("pagination (API.md §4)", () => {
  it("pages every list by 25 by default, with current_page, total_pages and total_count", async () => {
    const { data, meta } = await list(LEAVES, ACME_KEY);
    const total = Number(meta.total_count);
    expect(total).toBeGreaterThanOrEqual(120);
    expect(data).toHaveLength(25);
    expect(meta.current_page).toBe(1);
    expect(meta.total_pages).toBe(Math.ceil(total / 25));
  });

  it("clamps per_page above 50 to 50", async () => {
    const { data, meta } = await list(`${LEAVES}?per_page=500`, ACME_KEY);
    expect(data).toHaveLength(50);
    expect(meta.total_pages).toBe(Math.ceil(Number(meta.total_count) / 50));
  });

  it("honours smaller page sizes and walks the pages without overlap", async () => {
    const first = await list(`${LEAVES}?per_page=10&page=1`, ACME_KEY);
    const second = await list(`${LEAVES}?per_page=10&page=2`, ACME_KEY);
    expect(first.data).toHaveLength(10);
    expect(second.data).toHaveLength(10);
    expect(second.meta.current_page).toBe(2);
    expect(second.meta.total_pages).toBe(Math.ceil(Number(second.meta.total_count) / 10));
    const ids = new Set(first.data.map((l) => l.id));
    expect(second.data.some((l) => ids.has(l.id))).toBe(false);
  });

  it("answers an empty page past the end, echoing the page asked for", async () => {
    const { data, meta } = await list(`${LEAVES}?page=999`, ACME_KEY);
    expect(data).toEqual([]);
    expect(meta.current_page).toBe(999);
    expect(Number(meta.total_count)).toBeGreaterThanOrEqual(120);
  });

  it("falls back to page 1 and 25 per page for zero, negative or non-numeric values", async () => {
    for (const q of ["page=0&per_page=0", "page=-3&per_page=-1", "page=abc&per_page=xyz"]) {
      const { data, meta } = await list(`${LEAVES}?${q}`, ACME_KEY);
      expect(meta.current_page, q).toBe(1);
      expect(data, q).toHaveLength(25);
    }
  });

  it("counts only the filtered rows in total_count", async () => {
    const { meta } = await list(`${LEAVES}?q[status_eq]=2&per_page=5`, ACME_KEY);
    const all = await list(`${LEAVES}?per_page=5`, ACME_KEY);
    expect(Number(meta.total_count)).toBeLessThan(Number(all.meta.total_count));
    expect(meta.total_pages).toBe(Math.ceil(Number(meta.total_count) / 5));
  });

  it("paginates the other lists too (users, user shifts, entrances)", async () => {
    for (const path of ["/api/public/v1/users", "/api/public/v1/user_shifts", "/api/public/v1/entrances"]) {
      const r = await call(`${path}?per_page=7&page=2`, { auth: ACME_KEY });
      expect(r.status).toBe(200);
      const meta = obj(obj(r.json).meta);
      expect(meta.current_page).toBe(2);
      expect(Object.keys(meta).sort()).toEqual(["current_page", "total_count", "total_pages"]);
    }
  });
});
