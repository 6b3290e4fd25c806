/**
 * One tool call inside a live session: the tool selection it runs under (the connection's,
 * plus the toolsets the session enabled, kept under the SessionDO's `toolsets` key), the
 * `ToolContext` the SessionDO supplies, the run (`runConnectionTool`) and its `tool.call`
 * log line. The toolsets a session enables are kept until it ends; a connection's read-only
 * flag never is.
 */
import type { Logger } from "../log";
import type { AuthMode } from "../contract/types";
import { runConnectionTool } from "../tools/connection-tools";
import type { ToolContext } from "../tools/define-tool";
import type { ToolOutcome } from "../tools/run-tool";
import { DEFAULT_SELECTION, enableToolsets, keptToolsets, type ToolSelection } from "../tools/tool-selection";
import type { ToolsetName } from "../tools/toolsets";
import { type SessionMeta, viewOf } from "./state";
import type { SessionControl } from "./types";

/** Where a session keeps the toolsets it enabled (`SessionStore`). */
export interface ToolsetStore {
  readToolsets(): ToolsetName[];
  putToolsets(names: readonly ToolsetName[]): void;
}

/** What a session tool call needs from the SessionDO. */
export interface SessionToolHost {
  /** The live session's metadata (null once it ended). */
  readonly meta: () => SessionMeta | null;
  readonly upstream: ToolContext["upstream"];
  readonly control: SessionControl;
  readonly store: ToolsetStore;
}

/** What tools/list needs of a live session (issue 15): its available modes and the toolsets it enabled. */
export function sessionToolListing(modes: readonly AuthMode[], store: ToolsetStore): { modes: AuthMode[]; toolsets: ToolsetName[] } {
  return { modes: [...modes], toolsets: store.readToolsets() };
}

/**
 * Runs tool `name` for the live session `meta` (admitted, touched) under the connection's
 * `selection` (the default when absent) widened by the session's toolsets, and logs it.
 */
/** A tool call routed to a SessionDO (`SessionDO.callTool`): the presented ID, the tool, and the connection's selection. */
export interface SessionCallRequest {
  readonly sessionId: string;
  readonly name: string;
  readonly args: unknown;
  readonly requestId: string;
  /** The connection's tool selection (URL or headers); the default when absent. */
  readonly selection?: ToolSelection;
  /** The resource the request addressed (`<issuer>/mcp`): an OAuth access token is accepted only for its grant's. */
  readonly audience?: string;
}

export async function runSessionTool(
  req: { readonly name: string; readonly args: unknown; readonly selection?: ToolSelection },
  meta: SessionMeta,
  host: SessionToolHost,
  logger: Logger,
  now: number,
): Promise<ToolOutcome> {
  const started = Date.now();
  const connection = req.selection ?? DEFAULT_SELECTION;
  const selection = enableToolsets(connection, host.store.readToolsets()).selection;
  const base: ToolContext = { session: viewOf(host.meta() ?? meta), upstream: host.upstream, control: host.control, logger, now };
  const outcome = await runConnectionTool(req.name, req.args, base, {
    selection,
    modes: meta.modes,
    saveSelection: async (next) => {
      // Kept until the session ends (wipe deletes it); a connection's read-only flag is never kept.
      const live = host.meta() !== null;
      if (live) host.store.putToolsets(keptToolsets(host.store.readToolsets(), connection, next));
      return { notified: false, persisted: live };
    },
  });
  logger.info("tool.call", {
    mode: meta.mode,
    durationMs: Date.now() - started,
    outcome: outcome.kind === "result" ? (outcome.result.isError ? "error" : "ok") : "rpc_error",
    code: outcome.code,
  });
  return outcome;
}
