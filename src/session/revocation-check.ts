/**
 * What a company shard of the RegistryDO hands the SessionDO it asks to end (issue 13), and the
 * answer: kept apart from src/session/revocation.ts (the policy) so the registry and the
 * SessionDO share these shapes without importing each other's modules.
 */

/** What the registry passes the SessionDO it asks to end: the scope it authorised, re-checked there. */
export interface RevocationCheck {
  /** The company whose shard holds the row: the session must belong to it. */
  readonly companyId: string;
  /** For a user's revocation: the session must be this user's; null for admins and operators. */
  readonly userId: string | null;
}

/** The SessionDO's answer to a revocation. */
export type RevocationOutcome = "revoked" | "not_found" | "forbidden";
