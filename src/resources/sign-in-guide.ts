/** The sign-in guide (a static resource): both ways to sign in and the client configuration step. */
import { CLAUDE_SERVER_NAME, MCP_REMOTE_VERSION, SESSION_ENV_VAR } from "../web/claude-config";

/** The guide as Markdown. */
export function signInGuide(): string {
  const config = JSON.stringify(
    {
      mcpServers: {
        [CLAUDE_SERVER_NAME]: {
          command: "npx",
          args: [
            "-y",
            `mcp-remote@${MCP_REMOTE_VERSION}`,
            "https://<this server>/mcp",
            "--transport",
            "http-only",
            "--header",
            `X-Session-ID:\${${SESSION_ENV_VAR}}`,
          ],
          env: { [SESSION_ENV_VAR]: "sess_..." },
        },
      },
    },
    null,
    2,
  );
  return `# Signing in to Passgage

This server acts for one signed-in Passgage session at a time, named by a session ID
(\`sess_\` followed by 43 characters) that your MCP client sends in the \`X-Session-ID\` header.

## Two ways to sign in

1. **The sign-in page (recommended).** Open \`/login\` on this server in a browser (for example
   \`https://<this server>/login\`; locally \`http://127.0.0.1:8787/login\`). Sign in with your
   Passgage e-mail and password, or with a company API key. The page shows your session ID, when it
   expires, and a ready-to-paste Claude Desktop configuration. Your password goes only to
   Passgage: it never passes through the chat.
2. **The login tools.** \`passgage_session_login\` (e-mail, password) or
   \`passgage_session_login_api_key\` (company API key, \`psg_cmp_...\`). A client that keeps a
   connection (\`Mcp-Session-Id\`) is signed in from its next request, and the result shows the
   session ID for the \`X-Session-ID\` header. The password then passes through the conversation,
   so prefer the page.

## Modes

- **User mode** (e-mail and password): your own leaves, shifts, approvals and attendance.
- **Company mode** (company API key): the whole company, including creating and changing records.
- A session can hold both (sign in with the other credential while signed in);
  \`passgage_session_switch_mode\` switches between them.

## Configure your client

Claude Desktop runs local (stdio) servers, so it reaches this server through \`mcp-remote\`.
In Settings → Developer → Edit Config (\`claude_desktop_config.json\`):

\`\`\`json
${config}
\`\`\`

Restart Claude Desktop after editing. Other clients: connect to \`https://<this server>/mcp\`
(Streamable HTTP) and send \`X-Session-ID: sess_...\` on every request.

## Good to know

- Treat the session ID like a password. It stops working when it expires or after
  \`passgage_session_logout\`.
- \`passgage_session_status\` shows who you are signed in as, the mode and the expiry.
- When a session has expired, sign in again and replace only the session ID.
`;
}
