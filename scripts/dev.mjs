#!/usr/bin/env node
/**
 * `npm run dev`: the local Passgage sandbox on :8788 and the MCP server on :8787
 * (its PASSGAGE_BASE_URL points at the sandbox), both with `wrangler dev`, no
 * Cloudflare account and no network needed. Ctrl-C stops both.
 *
 * Arguments after `--` are `wrangler dev` flags for the MCP server, passed through
 * as given: `npm run dev -- --port 9000 --var RATE_LIMIT_MAX_REQUESTS:5000`.
 * `--port` (or `--ip`, `--inspector-port`, `--persist-to`) replaces this script's
 * default for that flag; the sandbox keeps its own port and the server keeps pointing
 * at it (a `--var PASSGAGE_BASE_URL:...` of yours wins, being later).
 * Ports: SANDBOX_PORT (default 8788) and PORT (default 8787; `--port` wins).
 */
import { spawn } from "node:child_process";

/** The server's `wrangler dev` flags given to this script (a leading `--` dropped). */
const passed = process.argv.slice(2);
if (passed[0] === "--") passed.shift();

/** The value of `--flag value` or `--flag=value` in `args`, or undefined. */
function flagValue(args, flag) {
  for (const [i, arg] of args.entries()) {
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** Whether `args` set the `--var` NAME. */
function setsVar(args, name) {
  return args.some((arg, i) => {
    const value = arg === "--var" ? args[i + 1] : arg.startsWith("--var=") ? arg.slice(6) : undefined;
    return value !== undefined && value.split(/\s+/).some((pair) => pair.startsWith(`${name}:`));
  });
}

const sandboxPort = process.env.SANDBOX_PORT ?? "8788";
const serverPort = flagValue(passed, "--port") ?? process.env.PORT ?? "8787";
const serverIp = flagValue(passed, "--ip") ?? "127.0.0.1";
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const wrangler = ["node_modules/wrangler/bin/wrangler.js"];

/** This script's defaults for the server, each dropped when the caller gives that flag. */
const defaults = [
  ["--ip", serverIp],
  ["--port", serverPort],
  ["--inspector-port", "0"],
  ["--persist-to", ".wrangler/state"],
].flatMap(([flag, value]) => (flagValue(passed, flag) === undefined ? [flag, value] : []));

const vars = ["--var", `PASSGAGE_BASE_URL:http://127.0.0.1:${sandboxPort}`];
// wrangler.toml allows browser origins on :8787 only; a moved server allows its own.
if (serverPort !== "8787" && !setsVar(passed, "ALLOWED_ORIGINS")) {
  vars.push("--var", `ALLOWED_ORIGINS:http://localhost:${serverPort},http://127.0.0.1:${serverPort}`);
}

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
  spawn(process.execPath, [...wrangler, "dev", ...defaults, ...vars, ...passed], { stdio: "inherit", env }),
];

console.log(
  `\n  MCP server:       http://${serverIp}:${serverPort}/mcp   (health: /health)\n  Passgage sandbox: http://127.0.0.1:${sandboxPort}/api/public/v1\n`,
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
