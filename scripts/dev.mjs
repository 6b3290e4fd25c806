#!/usr/bin/env node
/**
 * `npm run dev`: the local Passgage sandbox on :8788 and the MCP server on :8787
 * (its PASSGAGE_BASE_URL points at the sandbox), both with `wrangler dev`, no
 * Cloudflare account and no network needed. Ctrl-C stops both.
 * Ports: SANDBOX_PORT (default 8788) and PORT (default 8787).
 */
import { spawn } from "node:child_process";

const sandboxPort = process.env.SANDBOX_PORT ?? "8788";
const serverPort = process.env.PORT ?? "8787";
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const wrangler = ["node_modules/wrangler/bin/wrangler.js"];

const children = [
  spawn(
    process.execPath,
    [
      ...wrangler,
      "dev",
      "-c",
      "sandbox/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      sandboxPort,
      "--inspector-port",
      "0",
      "--persist-to",
      ".wrangler/state",
    ],
    { stdio: "inherit", env },
  ),
  spawn(
    process.execPath,
    [
      ...wrangler,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      serverPort,
      "--inspector-port",
      "0",
      "--persist-to",
      ".wrangler/state",
      "--var",
      `PASSGAGE_BASE_URL:http://127.0.0.1:${sandboxPort}`,
    ],
    { stdio: "inherit", env },
  ),
];

console.log(
  `\n  MCP server:       http://127.0.0.1:${serverPort}/mcp   (health: /health)\n  Passgage sandbox: http://127.0.0.1:${sandboxPort}/api/public/v1\n`,
);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGINT");
  setTimeout(() => process.exit(code), 1500).unref();
}
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
