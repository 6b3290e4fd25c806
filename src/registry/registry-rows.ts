/**
 * Row mapping of the RegistryDO: the shapes SQLite and the KV API hand back (session rows,
 * count rows, company rows, stored counters), validated on the way out since storage is a
 * trust boundary, and turned into the registry's own types (src/registry/schemas.ts).
 */
import * as z from "zod/mini";
import { AuthModeSchema } from "../contract/enums";
import { RegistryEntrySchema, type RegistryEntry, type RequestCounts, type SessionCounts } from "./schemas";

const SessionRowSchema = z.object({
  hash: z.string(),
  company_id: z.string(),
  company_name: z.string(),
  email: z.nullable(z.string()),
  user_id: z.nullable(z.string()),
  mode: z.string(),
  modes: z.string(),
  created_at: z.number(),
  last_seen_at: z.number(),
  expires_at: z.number(),
  session_hash: z.optional(z.nullable(z.string())),
  client_name: z.optional(z.nullable(z.string())),
});

const ModesJsonSchema = z.array(AuthModeSchema);
const CountsRowSchema = z.object({
  total: z.number(),
  user: z.nullable(z.number()),
  company: z.nullable(z.number()),
});
const LiveCountsRowSchema = z.object({ company: z.number(), account: z.nullable(z.number()) });
const CompanyRowSchema = z.object({ company_id: z.string() });
const StoredCountersSchema = z.object({
  requests: z.int().check(z.nonnegative()),
  rateLimited: z.int().check(z.nonnegative()),
  since: z.int().check(z.nonnegative()),
});

/** A non-negative request-count delta (`addRequestCounts`). */
export const CountDeltaSchema = z.int().check(z.nonnegative());

/** Storage row -> entry, validated. */
export function rowToEntry(raw: unknown): RegistryEntry {
  const row = SessionRowSchema.parse(raw);
  let modes: unknown;
  try {
    modes = JSON.parse(row.modes);
  } catch {
    modes = null;
  }
  return RegistryEntrySchema.parse({
    hash: row.hash,
    companyId: row.company_id,
    companyName: row.company_name,
    email: row.email,
    userId: row.user_id,
    mode: row.mode,
    modes: ModesJsonSchema.parse(modes),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    ...(row.session_hash ? { sessionHash: row.session_hash } : {}),
    ...(row.client_name ? { client: row.client_name } : {}),
  });
}

/** The row of `countsStatement` -> counts by mode. */
export function rowToCounts(raw: unknown): SessionCounts {
  const row = CountsRowSchema.parse(raw);
  return { total: row.total, byMode: { user: row.user ?? 0, company: row.company ?? 0 } };
}

/** The row of `liveCountsStatement` -> the company's and the account's live sessions. */
export function rowToLiveCounts(raw: unknown): { company: number; account: number } {
  const row = LiveCountsRowSchema.parse(raw);
  return { company: row.company, account: row.account ?? 0 };
}

/** A directory row -> its company ID. */
export function rowToCompanyId(raw: unknown): string {
  return CompanyRowSchema.parse(raw).company_id;
}

/** The stored request counters, or null when absent or malformed (then they start afresh). */
export function storedCounters(raw: unknown): RequestCounts | null {
  const stored = StoredCountersSchema.safeParse(raw);
  return stored.success ? stored.data : null;
}
