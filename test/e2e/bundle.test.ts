/**
 * The production bundle as `wrangler deploy --env production` builds it (issue 12's size
 * goal, BENCHMARKS.md section 6): minified without esbuild's `__name()` wrappers
 * (`keep_names = false` in wrangler.toml, worth about 7 KB of gzip), and with nothing of
 * the sandbox in it. scripts/bundle-size.mjs measures the same build and ranks its modules.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("production bundle", () => {
  let outdir = "";
  let code = "";

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "passgage-bundle-test-"));
    execFileSync(
      process.execPath,
      [join(process.cwd(), "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "--env", "production"],
      {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
      },
    );
    code = readFileSync(join(outdir, "index.js"), "utf8");
  });

  afterAll(() => {
    if (outdir !== "") rmSync(outdir, { recursive: true, force: true });
  });

  it("is minified and keeps no function names (no __name wrappers)", () => {
    // A non-empty bundle that exports the Durable Object classes wrangler.toml binds.
    expect(code.length).toBeGreaterThan(100_000);
    expect(code).toMatch(/export\s*\{[^}]*\bSessionDO\b/);
    // esbuild's __name helper, as minified: `(t, v) => defineProperty(t, "name", { value: v, configurable: true })`.
    expect(code).not.toMatch(/"name",\{value:[\w$]+,configurable:!0\}/);
    // Minified: no line of indented source code.
    expect(code.split("\n").length).toBeLessThan(code.length / 500);
  });

  it("holds nothing of the sandbox", () => {
    for (const marker of ["SandboxStateDO", "SANDBOX_JWT_SECRET", "psg_cmp_sandbox"]) expect(code).not.toContain(marker);
  });
});
