/**
 * Two vitest projects:
 * - `workers`: tests inside workerd (@cloudflare/vitest-pool-workers) against the
 *   real Durable Objects and KV of wrangler.toml, with the local sandbox as upstream;
 * - `e2e`: Node-side tests with the official MCP SDK clients against `wrangler dev`.
 */
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                PASSGAGE_BASE_URL: inject<string>("sandboxUrl"),
                SANDBOX_URL: inject<string>("sandboxUrl"),
                ENVIRONMENT: "test",
                ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
                // Many tests sign the same seed accounts in from one storage: the sign-in
                // limits and session caps are tested with their own values (test/security/takeover.test.ts).
                LOGIN_SUCCESS_LIMIT: "100000",
                MAX_SESSIONS_PER_ACCOUNT: "1000000",
                MAX_SESSIONS_PER_COMPANY: "1000000",
                // Most tests use the anonymous catalog and in-chat sign-in; the OAuth tests send
                // ANONYMOUS_ACCESS "oauth" (the default) through the Worker's fetch handler.
                ANONYMOUS_ACCESS: "open",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/{unit,integration,durable-objects,contract,sandbox,security,oauth}/**/*.test.ts"],
          globalSetup: ["test/node/sandbox-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
