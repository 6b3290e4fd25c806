/**
 * The audit trail's bounds (issue 13), in a company shard of the RegistryDO: records older than
 * AUDIT_RETENTION_DAYS are purged (on append, on read and by the shard's alarm), at most
 * AUDIT_MAX_ROWS are kept (the oldest go first), an emptied shard keeps its storage while it
 * holds audit records and deletes everything once they expire, and pages go newest first.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RegistryDO } from "../../durable-objects/registry";
import { AUDIT_MAX_ROWS, type AuditInput } from "../../src/registry/audit-sql";
import { registryShardName } from "../../src/registry/names";
import { auditTrailPage, recordAudit, registerSession, unregisterSession } from "../../src/registry/registry-client";
import type { RegistryEntry } from "../../src/registry/schemas";

const DAY_MS = 86_400_000;
const RETENTION_MS = 30 * DAY_MS; // AUDIT_RETENTION_DAYS' default (wrangler.toml)

function record(at: number, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    at,
    event: "signed_in",
    actor: "ayse@acme.example",
    subject: "ayse@acme.example",
    subjectUserId: "u-ayse",
    handle: "0123456789ab",
    client: null,
    detail: null,
    ...overrides,
  };
}

function shard(companyId: string): DurableObjectStub<RegistryDO> {
  return env.REGISTRY.getByName(registryShardName(companyId));
}

describe("audit retention", () => {
  it("drops records older than the retention; pages are newest first and continue with before", async () => {
    const company = `co-${crypto.randomUUID()}`;
    const now = Date.now();
    await recordAudit(env, company, record(now - RETENTION_MS - 60_000, { detail: "too old" }));
    for (let i = 0; i < 5; i++) await recordAudit(env, company, record(now - (5 - i) * 1_000, { detail: `n${i}` }));
    const first = await auditTrailPage(env, company, null, 3, null);
    expect(first.map((r) => r.detail)).toEqual(["n4", "n3", "n2"]);
    const last = first.at(-1);
    if (!last) throw new Error("empty page");
    const second = await auditTrailPage(env, company, last.id, 3, null);
    expect(second.map((r) => r.detail)).toEqual(["n1", "n0"]);
  });

  it("keeps at most AUDIT_MAX_ROWS records per company, dropping the oldest", async () => {
    const company = `co-${crypto.randomUUID()}`;
    const now = Date.now();
    await recordAudit(env, company, record(now, { detail: "first" }));
    // Fill past the cap in one statement (appending thousands one by one over RPC is slow).
    await runInDurableObject(shard(company), async (_instance, state) => {
      state.storage.sql.exec(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO audit (at, event, actor, subject, subject_user_id, handle, client, detail)
         SELECT ?, 'signed_in', 'x', 'x', NULL, NULL, NULL, 'bulk' FROM n`,
        AUDIT_MAX_ROWS + 10,
        now,
      );
    });
    await recordAudit(env, company, record(now + 1, { detail: "newest" }));
    const count = await runInDurableObject(shard(company), async (_instance, state) =>
      Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM audit").one().n),
    );
    expect(count).toBe(AUDIT_MAX_ROWS);
    const page = await auditTrailPage(env, company, null, 1, null);
    expect(page.map((r) => r.detail)).toEqual(["newest"]);
    const firstLeft = await runInDurableObject(
      shard(company),
      async (_instance, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM audit WHERE detail = 'first'").one().n,
    );
    expect(firstLeft).toBe(0);
  });

  it("a shard without sessions keeps its audit records, then its alarm deletes them and all storage once they expire", async () => {
    const company = `co-${crypto.randomUUID()}`;
    const stub = shard(company);
    const at = Date.now() - RETENTION_MS + 60_000; // expires in a minute
    await recordAudit(env, company, record(at));
    const alarm = await runInDurableObject(stub, async (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(at + RETENTION_MS);
    expect(await auditTrailPage(env, company, null, 10, null)).toHaveLength(1);
    // Make the record due (as time passing would), then run the alarm.
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec("UPDATE audit SET at = ?", Date.now() - RETENTION_MS - 1);
      await state.storage.setAlarm(Date.now() + 60_000); // run below by hand, not by the clock
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, async (_instance, state) => ({
      keys: [...state.storage.kv.list()].length,
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ keys: 0, alarm: null });
  });

  it("refuses a record with a malformed handle or an over-long field (nothing stored)", async () => {
    const company = `co-${crypto.randomUUID()}`;
    await recordAudit(env, company, record(Date.now(), { handle: "sess_not_a_handle" }));
    await recordAudit(env, company, record(Date.now(), { detail: "x".repeat(301) }));
    expect(await auditTrailPage(env, company, null, 10, null)).toEqual([]);
  });

  it("an expiry is recorded from the ended session's own entry when the shard's alarm purged its row (and storage) first", async () => {
    const company = `co-${crypto.randomUUID()}`;
    const now = Date.now();
    const entry: RegistryEntry = {
      hash: crypto.randomUUID().replaceAll("-", "").slice(0, 12),
      companyId: company,
      companyName: "Expiring",
      email: "gone@example.com",
      userId: "u-gone",
      mode: "user",
      modes: ["user"],
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + 3_600_000,
      client: "Claude",
    };
    await registerSession(env, entry);
    expect(await unregisterSession(env, company, entry.hash)).toBe(true); // the row is gone, the shard emptied
    expect(await unregisterSession(env, company, entry.hash, "expired", entry)).toBe(false);
    const trail = await auditTrailPage(env, company, null, 10, null);
    expect(trail).toEqual([
      expect.objectContaining({ event: "expired", actor: "system", subject: "gone@example.com", handle: entry.hash, client: "Claude" }),
    ]);
  });
});
