/**
 * Bindings of the sandbox Worker (sandbox/wrangler.toml). Declared here rather than
 * generated, so the sandbox's types never merge into the MCP server's `Env`.
 */
import type { SandboxStateDO, SandboxStateEnv } from "./state-do";

/** Environment of the sandbox Worker: the state object's bindings plus its namespace. */
export interface SandboxEnv extends SandboxStateEnv {
  /** The single SQLite-backed object holding all sandbox state. */
  readonly SANDBOX_STATE: DurableObjectNamespace<SandboxStateDO>;
}
