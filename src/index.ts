/**
 * Worker entry: the edge Worker (stateless; one per request) and the Durable Object
 * classes it binds (SessionDO, RateLimiterDO, RegistryDO).
 */
import { handle } from "./router";

export { SessionDO } from "../durable-objects/session";
export { RateLimiterDO } from "../durable-objects/rate-limiter";
export { RegistryDO } from "../durable-objects/registry";

export default {
  fetch: (request, env, ctx) => handle(request, env, ctx),
} satisfies ExportedHandler<Env>;
