/**
 * The per-request context every resource handler receives: the dataset, the
 * authenticated caller, path parameters, the parsed query and the clock.
 */
import type { ParsedQuery } from "./query";
import type { Store } from "./store";
import type { Caller } from "./types";

/** Context of one API call. */
export interface Ctx {
  readonly store: Store;
  readonly caller: Caller;
  /** The caller's company id (all data is scoped to it). */
  readonly companyId: string;
  /** Path parameters of the matched operation (`shift_id`, `id`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: ParsedQuery;
  /** Current time as a company-zone timestamp. */
  readonly now: string;
  /** Origin the client used (for URLs the sandbox hands out). */
  readonly origin: string;
  /** Names of files sent as multipart `files[]` parts (leave update). */
  readonly files: readonly string[];
}
