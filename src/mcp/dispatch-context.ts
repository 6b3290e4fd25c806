/** What a JSON-RPC method handler may use: narrow, never the raw request. */
import type { Logger } from "../log";
import type { SessionView } from "../session/types";
import type { RoutedOutcome } from "../tools/run-tool";

/** Per-request dispatch context. */
export interface DispatchContext {
  /** The protocol revision governing this request. */
  readonly revision: string;
  /** Whether the request uses the stateless 2026-07-28 revision. */
  readonly stateless: boolean;
  readonly requestId: string;
  readonly logger: Logger;
  /** Routes a tools/call to the session (or the anonymous path). */
  callTool(name: string, args: unknown): Promise<RoutedOutcome>;
  /** The signed-in session's public view, or null (one Durable Object hop at most). */
  sessionView(): Promise<SessionView | null>;
}
