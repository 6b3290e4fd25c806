/** Texts that tell a user (through the model) how to sign in and what to do next. */

/** How to sign in, shown without a session. */
export const SIGN_IN_GUIDE = [
  "Not signed in to Passgage. Two ways to sign in:",
  "1. Recommended: the sign-in page. Open this server's address with /login instead of /mcp in a browser (for example https://mcp.example.com/login; locally http://127.0.0.1:8787/login) and sign in with your Passgage e-mail and password (user mode) or a company API key (company mode). The page shows a session ID and a ready-to-paste Claude Desktop configuration: put the session ID in your MCP client's X-Session-ID header and restart the client. Your password never passes through the chat.",
  "2. Or call passgage_session_login {email, password} (user mode) or passgage_session_login_api_key {apiKey} (company mode) here. A client that keeps a connection (Mcp-Session-Id) is signed in from its next request; the result also gives the session ID for the X-Session-ID header, which keeps you signed in across restarts.",
].join("\n");

/** What to do when a tool needs a mode the session lacks. */
export function modeGuidance(needed: readonly string[], current: string | null, available: readonly string[]): string {
  const wants = needed.join(" or ");
  if (current === null) return `This tool needs a signed-in session (${wants} mode).\n${SIGN_IN_GUIDE}`;
  const can = needed.find((m) => available.includes(m));
  if (can)
    return `This tool needs ${wants} mode; the session is in ${current} mode. Call passgage_session_switch_mode {"mode":"${can}"} first.`;
  const how = needed.includes("company")
    ? "sign in with a company API key (passgage_session_login_api_key); with carry: true it makes a new session that keeps this session's login too, so both modes are in one session"
    : "sign in with your Passgage e-mail and password (passgage_session_login); with carry: true it makes a new session that keeps this session's company key too, so both modes are in one session";
  return `This tool needs ${wants} mode, which this session does not have (it has: ${available.join(", ")}). To use it, ${how}.`;
}
