/**
 * Type of what the vitest globalSetup (test/node/sandbox-setup.ts, outside
 * this tsconfig) provides to the workers tests: the sandbox origin.
 */
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    sandboxUrl: string;
  }
}
