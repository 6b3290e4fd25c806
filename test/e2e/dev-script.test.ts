/**
 * `npm run dev -- <wrangler dev flags>` (scripts/dev.mjs) passes the flags to the MCP
 * server's `wrangler dev` (issue 11): `--port` moves the server while the sandbox stays
 * on SANDBOX_PORT and the server keeps pointing at it, and `--var
 * RATE_LIMIT_MAX_REQUESTS:100000` is honoured (before the bounds were unified, that
 * value made every /mcp request answer 500).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/free-port.js";

/** Polls `url` until it answers 200, or fails after `ms`. */
async function waitFor(url: string, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`scripts/dev.mjs exited early with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

describe("npm run dev -- <wrangler dev flags>", () => {
  let child: ChildProcess;
  let serverPort = 0;
  let sandboxPort = 0;
  let output = "";
  const persist = mkdtempSync(join(tmpdir(), "passgage-dev-"));

  beforeAll(async () => {
    serverPort = await freePort();
    sandboxPort = await freePort();
    child = spawn(
      process.execPath,
      [
        "scripts/dev.mjs",
        "--",
        "--port",
        String(serverPort),
        "--var",
        "RATE_LIMIT_MAX_REQUESTS:100000",
        "--var",
        "ANONYMOUS_ACCESS:open",
        "--persist-to",
        persist,
      ],
      // Its own process group, so the wrangler and workerd processes it starts stop with it.
      { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SANDBOX_PORT: String(sandboxPort), PORT: "1" } },
    );
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await waitFor(`http://127.0.0.1:${serverPort}/health`, 100_000, child);
  });

  afterAll(async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
    rmSync(persist, { recursive: true, force: true });
  });

  it("serves /health on the --port given (not PORT), pointing at the sandbox on SANDBOX_PORT", async () => {
    const res = await fetch(`http://127.0.0.1:${serverPort}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; upstream: string };
    expect(body).toMatchObject({ status: "ok", upstream: `http://127.0.0.1:${sandboxPort}` });
    expect(output).toContain(`http://127.0.0.1:${serverPort}/mcp`);
  });

  it("answers a tools/list on /mcp with RATE_LIMIT_MAX_REQUESTS=100000 passed by --var", async () => {
    expect(output).toContain("RATE_LIMIT_MAX_REQUESTS");
    const res = await fetch(`http://127.0.0.1:${serverPort}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result?: { tools?: { name: string }[] } };
    expect(body.result?.tools?.length ?? 0).toBeGreaterThan(0);
  });
});
