/**
 * Session model: what a signed-in Passgage session is, as the tools see it, and the
 * lifecycle operations the session tools call. Secrets never appear in these types.
 */
import type { AuthMode } from "../contract/types";
import type { Result } from "../result";
import type { Page, PagePosition } from "../registry/page-cursor";
import type { RegistryEntry } from "../registry/schemas";

/** The Passgage user behind a user-mode credential. */
export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly fullName: string | null;
}

/** The company a session is bound to. */
export interface SessionCompany {
  readonly id: string;
  readonly name: string;
}

/** Public facts of a session (safe to show the model). */
export interface SessionView {
  /** 12-hex-char hash prefix: the only session identifier shown anywhere but the login result. */
  readonly hash: string;
  readonly mode: AuthMode;
  readonly modes: readonly AuthMode[];
  readonly user: SessionUser | null;
  readonly company: SessionCompany;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  /** The OAuth client holding the session (it connects with an access token), absent for a header session. */
  readonly client?: { readonly id: string; readonly name: string };
}

/** Credentials of one sign-in attempt (they travel only in memory, never stored or logged). */
export type SignIn =
  { readonly kind: "password"; readonly email: string; readonly password: string } | { readonly kind: "api_key"; readonly apiKey: string };

/** Outcome of a successful login. */
export interface LoginOutcome {
  /** The raw session ID, shown once to the client for its configuration. */
  readonly sessionId: string;
  readonly view: SessionView;
  /** Whether the login created the session (false: it added a credential to it). */
  readonly created: boolean;
  /**
   * How the client reaches the new session from its next request: through its MCP
   * connection (the response carries a new, bound Mcp-Session-Id the client adopts), or
   * not automatically (it must put the ID in X-Session-ID); `oauth`: the client presented an
   * OAuth access token and keeps acting for that token's session. Set by session routing.
   */
  readonly binding?: "connection" | "none" | "oauth";
  /** Whether the request sent an X-Session-ID (which still names the old session, or none). Set by session routing. */
  readonly headerNamesOther?: boolean;
  /**
   * Credentials carried INTO this new session from the live session the client presented
   * (same company only; that session is left unchanged), and whose they are; null when none.
   */
  readonly carried?: { readonly modes: readonly AuthMode[]; readonly from: string } | null;
}

/** A failure of a session operation, shown as a tool error. */
export interface SessionError {
  readonly code:
    | "invalid_credentials"
    | "login_rate_limited"
    | "upstream_unavailable"
    | "not_signed_in"
    | "mode_unavailable"
    | "wrong_account"
    | "forbidden"
    | "misconfigured";
  readonly message: string;
  readonly retryable?: boolean;
  /** For `login_rate_limited`: when a retry can succeed (ms), for a Retry-After header. */
  readonly retryAfterMs?: number;
}

/** Session lifecycle operations, implemented where the state lives. */
export interface SessionControl {
  login(email: string, password: string): Promise<Result<LoginOutcome, SessionError>>;
  loginApiKey(apiKey: string): Promise<Result<LoginOutcome, SessionError>>;
  switchMode(mode: AuthMode): Promise<Result<SessionView, SessionError>>;
  /** One page of the company's live sessions (company mode), after `position` (null: the first page). */
  listCompanySessions(position: PagePosition | null, limit: number): Promise<Result<Page<RegistryEntry>, SessionError>>;
  logout(): Promise<Result<{ readonly upstreamLoggedOut: boolean }, SessionError>>;
}
