/** Placeholder sandbox entry; replaced by the sandbox implementation. */
import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "./env";

export class SandboxStateDO extends DurableObject<SandboxEnv> {}

export default {
  async fetch(): Promise<Response> {
    return Response.json({ success: true, status: 200, message: "sandbox", data: {}, meta: {} });
  },
} satisfies ExportedHandler;
