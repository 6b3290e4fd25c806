/**
 * The official MCP conformance suite's `authorization` mode (`@modelcontextprotocol/conformance`
 * 0.2.0-alpha.12 on Node 22, test/conformance) against this server's authorization server
 * under `wrangler dev` (ANONYMOUS_ACCESS "oauth"): every authorization-server scenario of the
 * suite, run together as the CLI runs them (the code-grant scenario reads the metadata the
 * first one fetched):
 *
 * - `authorization-server-metadata-endpoint`: RFC 8414 metadata at the well-known URL, JSON,
 *   issuer equal to the URL given, S256 advertised, `client_id_metadata_document_supported`;
 * - `authorization-code-grant`: the suite prints an authorization URL (PKCE S256, state,
 *   resource) and waits for the browser on its own callback listener; the test opens the URL
 *   in headless Chromium and signs in as Ayse; the suite checks the redirect (code, state,
 *   iss) and exchanges the code (200, JSON, Cache-Control no-store, access_token, token_type).
 *
 * The client is registered with DCR first (public client, redirect
 * `http://127.0.0.1:<port>/callback` as the suite asks).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";
import { AYSE, authorizeInBrowser, launchChromium, registerClient, RUN_IN_BROWSER } from "./helpers/oauth.js";
import { freePort } from "./helpers/free-port.js";

const DIR = resolve("test/conformance");
const NODE22 = join(DIR, "node_modules/.bin/node");
const CLI = join(DIR, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
/** The line after which the suite prints the authorization URL. */
const URL_LINE = /Access the following URL in your browser[^\n]*\n(\S+)/;

let stack: Stack;
let browser: Browser;
let outDir = "";

/** Every `checks.json` the CLI wrote under `dir`. */
function checkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...checkFiles(path));
    else if (name === "checks.json") out.push(path);
  }
  return out;
}

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  if (!existsSync(CLI) || !existsSync(NODE22)) execFileSync("npm", ["ci", "--prefix", DIR, "--no-audit", "--no-fund"], { stdio: "ignore" });
  outDir = mkdtempSync(join(tmpdir(), "mcp-conformance-auth-"));
  stack = await startStack({ anonymousAccess: "oauth", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe.skipIf(!RUN_IN_BROWSER)("MCP conformance suite, authorization mode", () => {
  it("every authorization-server scenario passes", async () => {
    const port = await freePort();
    const client = await registerClient(stack.serverUrl, {
      client_name: "MCP conformance suite",
      redirect_uris: [`http://127.0.0.1:${port}/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    const args = [
      CLI,
      "authorization",
      "--url",
      stack.serverUrl,
      "--client-id",
      client.client_id,
      "--resource",
      `${stack.serverUrl}/mcp`,
      "--port",
      String(port),
      "--output-dir",
      outDir,
    ];
    const { code, output, signIn } = await new Promise<{ code: number | null; output: string; signIn: string }>((done, fail) => {
      const child = spawn(NODE22, args, { cwd: DIR, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      let signing: Promise<string> | null = null;
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = URL_LINE.exec(output);
        if (match?.[1] !== undefined && signing === null) {
          signing = authorizeInBrowser(browser, match[1], AYSE, "follow").then(
            (o) => o.location,
            (e: unknown) => `sign-in failed: ${String(e)}`,
          );
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("error", fail);
      child.on("close", (exit) => {
        void (signing ?? Promise.resolve("no authorization URL printed")).then((s) => done({ code: exit, output, signIn: s }));
      });
    });
    expect(signIn, output).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?`));
    expect(code, output).toBe(0);
    const files = checkFiles(outDir);
    expect(files.length, output).toBeGreaterThan(0);
    const checks = files.flatMap((f) => JSON.parse(readFileSync(f, "utf8")) as { id: string; status: string; errorMessage?: string }[]);
    expect(checks.length, output).toBeGreaterThan(0);
    const byId = new Map(checks.map((c) => [c.id, c.status]));
    expect(byId.get("authorization-server-metadata"), output).toBe("SUCCESS");
    expect(byId.get("authorization-server-metadata-cimd"), output).toBe("SUCCESS");
    expect(byId.get("authorization-code-grant"), output).toBe("SUCCESS");
    for (const c of checks) expect(c.status, `${c.id}: ${c.errorMessage ?? ""}`).toBe("SUCCESS");
  });
});
