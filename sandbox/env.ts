/**
 * Bindings of the sandbox Worker (sandbox/wrangler.toml). Declared here rather than
 * generated, so the sandbox's types never merge into the MCP server's `Env`.
 */
import type { SandboxStateDO } from "./index";

/** Environment of the sandbox Worker. */
export interface SandboxEnv {
  /** HS256 secret the sandbox signs user JWTs with (sandbox only). */
  readonly SANDBOX_JWT_SECRET: string;
  /** The single SQLite-backed object holding all sandbox state. */
  readonly SANDBOX_STATE: DurableObjectNamespace<SandboxStateDO>;
}
