/**
 * Sends requests to the Worker's fetch handler with `[vars]` overridden (a small per-IP
 * limit, say) and bindings optionally wrapped, for the route-level security tests
 * (routes-admission, batches, origin). Background work is awaited after each test.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach } from "vitest";
import worker from "../../src/index";

/** Execution contexts of the requests sent; their waitUntil work is awaited after each test. */
const pending: ExecutionContext[] = [];

/** Awaits the background work of every request of a test once it ends. */
export function settleAfterEach(): void {
  afterEach(async () => {
    await Promise.all(pending.splice(0).map((ctx) => waitOnExecutionContext(ctx)));
  });
}

/** Sends one request to the Worker with `overrides` on top of the test env. */
export async function send(request: Request, overrides: Record<string, unknown> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  pending.push(ctx);
  return worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...overrides }, ctx);
}

/** A namespace that counts `getByName` calls (to show which routes touch storage). */
export function countingNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  ns: DurableObjectNamespace<T>,
): { ns: DurableObjectNamespace<T>; calls: string[] } {
  const calls: string[] = [];
  const wrapped = new Proxy(ns, {
    get(target, prop) {
      if (prop === "getByName")
        return (name: string) => {
          calls.push(name);
          return target.getByName(name);
        };
      const v: unknown = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { ns: wrapped, calls };
}
