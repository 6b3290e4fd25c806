/**
 * Bench-only Worker (see wrangler.toml beside this file): the McpAgent peer. `McpAgent` from
 * `agents` (a Durable Object per MCP session, Streamable HTTP on /mcp) around the MCP SDK's
 * `McpServer`, as Cloudflare's documentation builds a remote MCP server, with one tool,
 * `passgage_list_leave_types`, making the same upstream read as the floor (bench/worker/) and
 * the server's tool: GET /api/public/v1/leave_types from the sandbox with the company key,
 * answered as the JSON text of the upstream's data.
 *
 * A client must initialize first (the answer carries Mcp-Session-Id, which names the Durable
 * Object) and then send that header on every request, as a real MCP client does.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpAgent } from "agents/mcp";

const LIST_PATH = "/api/public/v1/leave_types";

/** One Durable Object per MCP session, holding that session's McpServer. */
export class PeerMcp extends McpAgent {
  server = new McpServer({ name: "passgage-bench-peer", version: "1.0.0" });

  async init() {
    this.server.registerTool(
      "passgage_list_leave_types",
      { title: "List leave types", description: "Leave types of the company (one upstream read).", annotations: { readOnlyHint: true } },
      async () => {
        const res = await fetch(this.env.UPSTREAM_URL + LIST_PATH, {
          headers: { accept: "application/json", authorization: `Bearer ${this.env.UPSTREAM_KEY}` },
        });
        const data = await res.json();
        return { content: [{ type: "text", text: JSON.stringify(data) }], isError: !res.ok };
      },
    );
  }
}

const mcp = PeerMcp.serve("/mcp");

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/mcp") return mcp.fetch(request, env, ctx);
    return Response.json({ error: "not found" }, { status: 404 });
  },
};
