/**
 * Authorisation policy (API.md §2.3): an operation may be called with the
 * credential kinds its contract `modes` list, nothing else; a user JWT on a
 * company-only operation (user/department/branch/device/shift writes,
 * payrolls, `GET /users`, approval sub-lists, ...) gets 403 in the envelope.
 * Own-data rules (a user sees only their own leaves, shifts, approvals,
 * entrances) are applied per record by the engine (sandbox/engine.ts).
 */
import type { Operation } from "../src/contract/types";
import { forbidden, type Reply } from "./envelope";
import type { Caller } from "./types";

/** Whether an operation needs a credential at all (login, the storage upload). */
export function needsCredential(op: Operation): boolean {
  return op.modes.length > 0;
}

/** The 403 for a caller whose credential kind the operation does not accept, or null. */
export function refusal(op: Operation, caller: Caller): Reply | null {
  if (op.modes.includes(caller.mode)) return null;
  return forbidden(
    caller.mode === "user"
      ? "This operation requires a company API key; user tokens may not call it"
      : "This operation requires a user token",
  );
}
