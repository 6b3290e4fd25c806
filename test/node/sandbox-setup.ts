/**
 * vitest globalSetup: starts the local Passgage sandbox (sandbox/wrangler.toml)
 * on a free loopback port with wrangler's programmatic API, and provides its
 * URL to the tests (`inject("sandboxUrl")`) and to the Worker under test
 * (PASSGAGE_BASE_URL, see vitest.config.ts). State is in memory only, so every
 * run starts from the deterministic seed.
 */
import { unstable_startWorker } from "wrangler";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    sandboxUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  const worker = await unstable_startWorker({
    config: "sandbox/wrangler.toml",
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  const url = await worker.url;
  project.provide("sandboxUrl", url.origin);
  return async () => {
    await worker.dispose();
  };
}
