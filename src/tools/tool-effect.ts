/**
 * What a tool does to Passgage data, for read-only connections (issue 15):
 *
 * - `read`: reads only. Every contract operation it calls is a GET and its
 *   annotations say `readOnlyHint: true`.
 * - `write`: creates, changes or deletes Passgage data: any operation that is
 *   not a GET, or annotations that do not promise read-only. A read-only
 *   connection neither lists nor runs these.
 * - `session`: changes only the caller's own session or connection on this
 *   server (sign in, sign out, switch mode, enable a toolset). Allowed on a
 *   read-only connection: they grant no write access to Passgage data, and
 *   without them a read-only connection could not sign in from the chat.
 * - `dispatch`: runs another tool by name (`passgage_call_tool`); the tool it
 *   runs is checked on its own, so a read-only connection reaches reads only.
 *
 * Session and discovery tools are classified explicitly (they call no contract
 * operation the method could be read from, or call the auth endpoints with POST);
 * the classification fails closed: an unclassified tool of those groups is a write.
 */
import { OPERATIONS_BY_ID } from "../contract/operations";
import type { AnyTool } from "./define-tool";

/** A tool's effect class (see the file header). */
export type ToolEffect = "read" | "write" | "session" | "dispatch";

/** Session and discovery tools, classified by hand (tested one by one). */
const EXPLICIT_EFFECTS: Readonly<Record<string, ToolEffect>> = {
  passgage_session_login: "session",
  passgage_session_login_api_key: "session",
  passgage_session_status: "read",
  passgage_session_switch_mode: "session",
  passgage_session_list: "read",
  // Ends other sessions (issue 13): not the caller's own session, so never on a read-only connection.
  passgage_session_revoke: "write",
  passgage_session_logout: "session",
  passgage_list_toolsets: "read",
  passgage_describe_tool: "read",
  passgage_enable_toolset: "session",
  passgage_call_tool: "dispatch",
};

/** Groups whose tools must be classified explicitly. */
const EXPLICIT_GROUPS: ReadonlySet<string> = new Set(["Session", "Discovery"]);

/** The effect class of a tool. */
export function effectOf(tool: AnyTool): ToolEffect {
  if (EXPLICIT_GROUPS.has(tool.group))
    return Object.hasOwn(EXPLICIT_EFFECTS, tool.name) ? (EXPLICIT_EFFECTS[tool.name] ?? "write") : "write";
  if (!tool.annotations.readOnlyHint || tool.operations.length === 0) return "write";
  for (const id of tool.operations) if (OPERATIONS_BY_ID.get(id)?.method !== "GET") return "write";
  return "read";
}

/** Whether a read-only connection may list and run the tool. */
export function allowedReadOnly(tool: AnyTool): boolean {
  return effectOf(tool) !== "write";
}
