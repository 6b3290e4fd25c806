/** Worker entry (placeholder until the router lands). */
import { DurableObject } from "cloudflare:workers";

export class SessionDO extends DurableObject<Env> {}
export { RateLimiterDO } from "../durable-objects/rate-limiter";
export { RegistryDO } from "../durable-objects/registry";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") {
      const upstream = await fetch(new URL("/api/public/v1/leave_types", env.PASSGAGE_BASE_URL));
      return Response.json({ status: "ok", upstream: upstream.status });
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  },
} satisfies ExportedHandler<Env>;
