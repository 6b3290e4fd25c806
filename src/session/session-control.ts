/**
 * The lifecycle operations a signed-in session offers its tools (switch mode, list and end
 * sessions within its scope, src/session/revocation.ts, sign out). The decisions are pure (src/session/state.ts); the
 * SessionDO supplies its state and the effects (storage, mirror, registry, the wipe).
 * Sign-in is not here: it is routed by session routing to `SessionDO.login`.
 */
import type { AuthMode } from "../contract/types";
import type { Logger } from "../log";
import { listSessionsFor, revokeFor } from "../registry/session-admin";
import { err, ok, type Result } from "../result";
import { revokerOf } from "./revocation";
import { type SessionMeta, switchMode, viewOf } from "./state";
import type { LoginOutcome, SessionControl, SessionError } from "./types";

/** What the control operations need from the SessionDO. */
export interface ControlHost {
  /** The live session's metadata, or null once it ended. */
  meta(): SessionMeta | null;
  /** Stores and mirrors metadata after a mode switch. */
  saveMode(next: SessionMeta, mode: AuthMode): void;
  /** The bindings the listing and revocation reach the registry with. */
  readonly env: Pick<Env, "REGISTRY">;
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
    listSessions: async (position, limit, filter) => {
      const meta = host.meta();
      const revoker = meta ? revokerOf(viewOf(meta)) : null;
      if (!revoker) return err({ code: "not_signed_in", message: "The session has ended." });
      return ok(await listSessionsFor(host.env, revoker, { position, limit, filter }, Date.now()));
    },
    revokeSessions: async (target) => {
      const meta = host.meta();
      const revoker = meta ? revokerOf(viewOf(meta)) : null;
      if (!revoker) return err({ code: "not_signed_in", message: "The session has ended." });
      const r = await revokeFor(host.env, revoker, target);
      if (!r.ok) return err({ code: "forbidden", message: r.error.message });
      logger.info("session.revoke_requested", { revoked: r.value.revoked.length, skipped: r.value.skipped });
      return r;
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
