/**
 * `GET /__sandbox/seed`: notable seed facts for tests and humans: companies
 * with their API keys and ids, the named users with credentials and ids, and
 * one sample record id per table and company.
 */
import { SEED_COMPANIES } from "./seed/catalog";
import { SEED_TODAY, SEED_VERSION } from "./seed/build";
import type { Store } from "./store";
import { TABLE_NAMES, type JsonObject } from "./types";

/** Seed facts as JSON. */
export function seedInfo(store: Store): JsonObject {
  const companies: JsonObject = {};
  const users: JsonObject = {};
  const samples: JsonObject = {};
  const counts: JsonObject = {};
  for (const spec of SEED_COMPANIES) {
    const company = store.all("companies").find((c) => c.api_key === spec.apiKey);
    if (!company) continue;
    companies[spec.key] = { id: company.id, name: company.name ?? null, api_key: spec.apiKey };
    for (const n of spec.namedUsers) {
      const u = store.all("users").find((r) => r.email === n.email);
      users[n.key] = {
        id: u ? u.id : null,
        email: n.email,
        password: n.password,
        company: spec.key,
        is_active: n.isActive,
        client_id: n.clientId,
      };
    }
    const perTable: JsonObject = {};
    const perCount: JsonObject = {};
    for (const table of TABLE_NAMES) {
      if (table === "companies") continue;
      const rows = store.ofCompany(table, company.id);
      perTable[table] = rows[0]?.id ?? null;
      perCount[table] = rows.length;
    }
    samples[spec.key] = perTable;
    counts[spec.key] = perCount;
  }
  return { seed_version: SEED_VERSION, seed_today: SEED_TODAY, companies, users, samples, counts };
}
