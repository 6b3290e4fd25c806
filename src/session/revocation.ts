/**
 * Revocation (issue 13): who may end which session, decided twice. First at the edge (or the
 * caller's SessionDO) from the caller's OWN session or the operator token, never from input:
 * an operator (ADMIN_TOKEN) ends any session; a company admin (a session in company mode) ends
 * any session of their own company; a user (user mode) ends their own sessions only. Then the
 * SessionDO being ended re-checks the scope the registry passes it against its own metadata
 * (company id, and the user id for a user's revocation) before it ends itself through its
 * normal end path (upstream logout, wipe, KV purge, registry removal, forks), so a wrong
 * registry row can never end another company's session. Sessions are named by their listing
 * handle (the registry's short hash), which is not a credential.
 */
import { constantTimeEqual } from "../crypto/session-id";
import type { RevocationCheck, RevocationOutcome } from "./revocation-check";
import type { SessionMeta } from "./state";
import type { SessionView } from "./types";

/** Who asks for a listing or a revocation, derived from their own credential. */
export type Revoker =
  | { readonly kind: "operator" }
  | { readonly kind: "company_admin"; readonly companyId: string; readonly label: string; readonly selfHandle: string | null }
  | {
      readonly kind: "user";
      readonly companyId: string;
      readonly userId: string;
      readonly label: string;
      readonly selfHandle: string | null;
    };

/** The revoker a live session acts as: company mode is the company's admin; user mode is the user; null when neither applies. */
export function revokerOf(view: SessionView): Revoker | null {
  const label = view.user?.email ?? "company key";
  if (view.mode === "company") return { kind: "company_admin", companyId: view.company.id, label, selfHandle: view.hash };
  if (view.user) return { kind: "user", companyId: view.company.id, userId: view.user.id, label, selfHandle: view.hash };
  return null;
}

/** What a revoker may list and end: one company (null: every company, operators only) and, for a user, only their sessions. */
export interface RevokerScope {
  readonly companyId: string | null;
  readonly scopeUserId: string | null;
}

/** The scope of a revoker; an operator may narrow to one company. */
export function scopeOf(revoker: Revoker, operatorCompany: string | null = null): RevokerScope {
  switch (revoker.kind) {
    case "operator":
      return { companyId: operatorCompany, scopeUserId: null };
    case "company_admin":
      return { companyId: revoker.companyId, scopeUserId: null };
    case "user":
      return { companyId: revoker.companyId, scopeUserId: revoker.userId };
  }
}

/** The audit label of a revoker ("operator", an e-mail, "company key"). */
export function actorLabel(revoker: Revoker): string {
  return revoker.kind === "operator" ? "operator" : revoker.label;
}

/**
 * The SessionDO's re-check: null when `meta` (its live session) may be ended under `check`,
 * else why not. `name` is the object's name (its session hash), checked against the meta.
 */
export function revocationRefusal(meta: SessionMeta | null, check: RevocationCheck, name: string | undefined): RevocationOutcome | null {
  if (!meta || (name !== undefined && !constantTimeEqual(name, meta.hash))) return "not_found";
  if (meta.company.id !== check.companyId) return "forbidden";
  if (check.userId !== null && meta.user?.id !== check.userId) return "forbidden";
  return null;
}
