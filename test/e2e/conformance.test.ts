/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
 * test/conformance/package.json with the Node 22 it needs, apart from the root package so
 * Node 20 stays the project's Node) run against the local stack:
 *
 * - `dns-rebinding-protection`: a request with `Host: evil.example.com` and
 *   `Origin: http://evil.example.com` must get a 4xx, one with the server's own loopback
 *   Host and Origin a 2xx (initialize, then notifications/initialized). This is the MCP
 *   transport's MUST on Origin validation (issue 11).
 *
 * The suite is installed by .ci/run (`npm ci --prefix test/conformance`), or here when missing.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./helpers/dev-server.js";

const DIR = resolve("test/conformance");
const NODE22 = join(DIR, "node_modules/.bin/node");
const CLI = join(DIR, "node_modules/@modelcontextprotocol/conformance/dist/index.js");

let stack: Stack;
let outDir = "";

/** Runs one conformance scenario against the stack; resolves to its exit code and output. */
function runScenario(scenario: string, url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(NODE22, [CLI, "server", "--url", url, "--scenario", scenario, "--output-dir", outDir], {
      cwd: DIR,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, output }));
  });
}

/** Every `checks.json` the CLI wrote under `dir` (one per scenario run). */
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
  if (!existsSync(CLI) || !existsSync(NODE22)) execFileSync("npm", ["ci", "--prefix", DIR, "--no-audit", "--no-fund"], { stdio: "ignore" });
  outDir = mkdtempSync(join(tmpdir(), "mcp-conformance-"));
  stack = await startStack({ anonymousAccess: "open" });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("MCP conformance suite", () => {
  it("uses Node 22 from test/conformance, not the project's Node", () => {
    expect(execFileSync(NODE22, ["--version"]).toString().trim()).toMatch(/^v22\./);
  });

  it("dns-rebinding-protection passes: a foreign Host/Origin is refused, the server's own loopback Host/Origin is served", async () => {
    const { code, output } = await runScenario("dns-rebinding-protection", `${stack.serverUrl}/mcp`);
    expect(code, output).toBe(0);
    const files = checkFiles(outDir);
    expect(files.length, output).toBeGreaterThan(0);
    const checks = files.flatMap((f) => JSON.parse(readFileSync(f, "utf8")) as { id: string; status: string; errorMessage?: string }[]);
    expect(checks.length).toBeGreaterThan(0);
    const byId = new Map(checks.map((c) => [c.id, c]));
    expect(byId.get("localhost-host-rebinding-rejected")?.status, output).toBe("SUCCESS");
    expect(byId.get("localhost-host-valid-accepted")?.status, output).toBe("SUCCESS");
    for (const c of checks) expect(c.status, `${c.id}: ${c.errorMessage ?? ""}`).toBe("SUCCESS");
  });
});
