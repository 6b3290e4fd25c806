/**
 * The lifecycle operations a signed-in session offers its tools (switch mode, list the
 * company's sessions, sign out). The decisions are pure (src/session/state.ts); the
 * SessionDO supplies its state and the effects (storage, mirror, registry, the wipe).
 * Sign-in is not here: it is routed by session routing to `SessionDO.login`.
 */
import type { AuthMode } from "../contract/types";
import type { Logger } from "../log";
import type { Page, PagePosition } from "../registry/page-cursor";
import type { RegistryEntry } from "../registry/schemas";
import { err, ok, type Result } from "../result";
import { type SessionMeta, switchMode, viewOf } from "./state";
import type { LoginOutcome, SessionControl, SessionError } from "./types";

/** What the control operations need from the SessionDO. */
export interface ControlHost {
  /** The live session's metadata, or null once it ended. */
  meta(): SessionMeta | null;
  /** Stores and mirrors metadata after a mode switch. */
  saveMode(next: SessionMeta, mode: AuthMode): void;
  /** One page of a company's live sessions (from the company's RegistryDO shard, keyset-paged). */
  listCompany(companyId: string, position: PagePosition | null, limit: number): Promise<Page<RegistryEntry>>;
  /** The user token the session holds, or null. */
  userToken(): string | null;
  /** Ends the session; it is forgotten synchronously when called. */
  end(): Promise<void>;
  /** Logs a token out upstream; whether Passgage confirmed it. */
  logoutUpstream(token: string): Promise<boolean>;
}

const notHere = async (): Promise<Result<LoginOutcome, SessionError>> =>
  err({ code: "forbidden", message: "Sign-in is handled by the server's login path." });

/** The SessionControl of a live session. */
export function sessionControl(host: ControlHost, logger: Logger): SessionControl {
  return {
    login: notHere,
    loginApiKey: notHere,
    switchMode: async (mode: AuthMode) => {
      const meta = host.meta();
      if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
      const decided = switchMode(meta, mode);
      if (!decided.ok) return decided;
      host.saveMode(decided.value, mode);
      logger.info("session.mode_switched", { mode });
      return ok(viewOf(decided.value));
    },
    listCompanySessions: async (position, limit) => {
      const meta = host.meta();
      if (!meta) return err({ code: "not_signed_in", message: "The session has ended." });
      if (meta.mode !== "company") return err({ code: "mode_unavailable", message: "Listing sessions needs company mode." });
      const page = await host.listCompany(meta.company.id, position, limit);
      return ok({ ...page, items: page.items.filter((e) => e.companyId === meta.company.id) });
    },
    logout: async () => {
      if (!host.meta()) return err({ code: "not_signed_in", message: "The session has already ended." });
      const token = host.userToken();
      // `end` forgets the session synchronously: from here on, every request is refused.
      const [, upstreamLoggedOut] = await Promise.all([host.end(), token ? host.logoutUpstream(token) : Promise.resolve(false)]);
      return ok({ upstreamLoggedOut });
    },
  };
}
