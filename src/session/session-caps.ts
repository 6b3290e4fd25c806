/**
 * The live-session caps of a sign-in (MAX_SESSIONS_PER_ACCOUNT, MAX_SESSIONS_PER_COMPANY):
 * a new session is refused when its account or company already holds the cap. The account
 * is the user (or, for a company-key-only session, the company's key sessions). The counts
 * come from the RegistryDO, a mirror: when it cannot be read the caps fail open (logged).
 */
import type { Config } from "../config";
import type { Logger } from "../log";
import type { Carried } from "./sign-in-carry";
import type { AddedCredential } from "./state";
import type { SessionError } from "./types";

/** Live sessions of the new session's company and account. */
type LiveCounts = { company: number; account: number };

/**
 * The refusal when the new session's account or company is at its cap, else null.
 * `count` reads the registry (`countLiveSessions`) for the company and the user (null: key sessions).
 */
export async function capRefusal(
  caps: Config["maxSessions"],
  added: AddedCredential,
  carried: Carried | null,
  count: (companyId: string, userId: string | null) => Promise<LiveCounts>,
  logger: Logger,
): Promise<SessionError | null> {
  const userId = added.kind === "user" ? added.user.id : (carried?.meta.user?.id ?? null);
  let counts: LiveCounts;
  try {
    counts = await count(added.company.id, userId);
  } catch {
    // The registry is a mirror: its outage must not block sign-in (the caps are then not enforced; logged).
    logger.warn("session.cap_unchecked", { outcome: "registry_unavailable" });
    return null;
  }
  const { perAccount, perCompany } = caps;
  const free = "Sign out a session you no longer use (passgage_session_logout with its X-Session-ID), or wait until one expires.";
  if (counts.account >= perAccount) {
    return {
      code: "forbidden",
      message: `This ${userId === null ? "company key" : "account"} already has ${counts.account} live sessions, the most allowed (MAX_SESSIONS_PER_ACCOUNT=${perAccount}). ${free}`,
    };
  }
  if (counts.company >= perCompany) {
    return {
      code: "forbidden",
      message: `${added.company.name} already has ${counts.company} live sessions, the most allowed (MAX_SESSIONS_PER_COMPANY=${perCompany}). ${free}`,
    };
  }
  return null;
}
