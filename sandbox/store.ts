/**
 * In-memory tables of the sandbox: one ordered list and one id index per
 * table. Reads never touch storage; every write calls the `persist` hook
 * (write-through), which the state object points at SQLite.
 *
 * Order is insertion order (seed first, then records created through the
 * API), which is what unsorted lists return.
 */
import { TABLE_NAMES, type Rec, type TableName } from "./types";

/** Called after every write: the new record, or null for a delete. */
export type PersistHook = (table: TableName, id: string, rec: Rec | null) => void;

interface Table {
  rows: Rec[];
  byId: Map<string, Rec>;
}

/** The in-memory dataset. */
export class Store {
  readonly #tables = new Map<TableName, Table>();
  #persist: PersistHook;

  /** Creates an empty store; `persist` defaults to a no-op. */
  constructor(persist: PersistHook = () => {}) {
    this.#persist = persist;
    for (const name of TABLE_NAMES) this.#tables.set(name, { rows: [], byId: new Map() });
  }

  /** Replaces the write-through hook (used once loading is done). */
  setPersistHook(persist: PersistHook): void {
    this.#persist = persist;
  }

  #table(name: TableName): Table {
    const t = this.#tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  /** All records of a table, in order. Do not mutate the returned array. */
  all(table: TableName): readonly Rec[] {
    return this.#table(table).rows;
  }

  /** Records of a table that belong to a company. */
  ofCompany(table: TableName, companyId: string): Rec[] {
    return this.#table(table).rows.filter((r) => r.company_id === companyId);
  }

  /** One record by id. */
  get(table: TableName, id: string | null | undefined): Rec | undefined {
    if (typeof id !== "string") return undefined;
    return this.#table(table).byId.get(id);
  }

  /** One record by id, only if it belongs to the company. */
  getInCompany(table: TableName, id: string | null | undefined, companyId: string): Rec | undefined {
    const rec = this.get(table, id);
    return rec && rec.company_id === companyId ? rec : undefined;
  }

  /** Inserts or replaces a record (replacing keeps its position) and persists it. */
  put(table: TableName, rec: Rec): Rec {
    this.load(table, rec);
    this.#persist(table, rec.id, rec);
    return rec;
  }

  /** Inserts or replaces a record without persisting (seeding and loading). */
  load(table: TableName, rec: Rec): void {
    const t = this.#table(table);
    const existing = t.byId.get(rec.id);
    if (existing) {
      const i = t.rows.indexOf(existing);
      if (i >= 0) t.rows[i] = rec;
    } else {
      t.rows.push(rec);
    }
    t.byId.set(rec.id, rec);
  }

  /** Deletes a record and persists the deletion; returns the deleted record. */
  delete(table: TableName, id: string): Rec | undefined {
    const rec = this.unload(table, id);
    if (rec) this.#persist(table, id, null);
    return rec;
  }

  /** Removes a record without persisting (loading tombstones). */
  unload(table: TableName, id: string): Rec | undefined {
    const t = this.#table(table);
    const rec = t.byId.get(id);
    if (!rec) return undefined;
    t.byId.delete(id);
    t.rows = t.rows.filter((r) => r !== rec);
    return rec;
  }

  /** Number of records per table. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, t] of this.#tables) out[name] = t.rows.length;
    return out;
  }
}
