/** What a JSON-RPC method handler may use: narrow, never the raw request. */
import type { Logger } from "../log";
import type { SessionView } from "../session/types";
import type { RoutedOutcome } from "../tools/run-tool";
import type { ListingModes } from "../tools/tool-listing";
import type { ToolSelection } from "../tools/tool-selection";

/** Per-request dispatch context. */
export interface DispatchContext {
  /** The protocol revision governing this request. */
  readonly revision: string;
  /** Whether the request uses the stateless 2026-07-28 revision. */
  readonly stateless: boolean;
  readonly requestId: string;
  readonly logger: Logger;
  /** Routes a tools/call to the session (or the anonymous path), under the connection's tool selection. */
  callTool(name: string, args: unknown): Promise<RoutedOutcome>;
  /** What tools/list shows: the connection's selection (plus what the session enabled) and the listing modes. */
  toolListing(): Promise<{ readonly selection: ToolSelection; readonly modes: ListingModes }>;
  /** The signed-in session's public view, or null (one Durable Object hop at most). */
  sessionView(): Promise<SessionView | null>;
}
