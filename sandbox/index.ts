/**
 * The local Passgage Public API sandbox Worker (sandbox/wrangler.toml): a
 * stand-in for https://api.passgage.com used by `npm run dev` and by every
 * test. It reads the request, makes exactly one RPC call to the single
 * SandboxStateDO (which routes, authenticates, authorises and answers), and
 * delivers the answer, applying `slow` delays and `reset` faults.
 *
 * Sandbox-only endpoints (never part of the real API):
 *   GET    /__sandbox/health   liveness, seed version, record counts
 *   GET    /__sandbox/seed     companies, API keys, named users, sample ids
 *   POST   /__sandbox/reset    back to the deterministic seed
 *   GET    /__sandbox/faults   armed fault rules and hit counters
 *   POST   /__sandbox/faults   arm a fault rule (JSON, see sandbox/README.md)
 *   DELETE /__sandbox/faults   clear all rules (or `?id=` one)
 *   GET    /__sandbox/stats    calls per operation; login/refresh/logout per user and credential
 *   DELETE /__sandbox/stats    clear the counters
 */
import type { SandboxEnv } from "./env";
import { normalisePath } from "./path";
import type { SandboxBody, SandboxRequest, SandboxResponse } from "./types";

export { SandboxStateDO } from "./state-do";

/** Name of the one state object. */
const STATE_NAME = "sandbox";

function json(status: number, body: unknown): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

async function readBody(request: Request, path: string): Promise<SandboxBody> {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return { kind: "none" };
  const type = request.headers.get("Content-Type") ?? "";
  if (path.startsWith("/rails/active_storage/disk/")) {
    return { kind: "bytes", size: (await request.arrayBuffer()).byteLength };
  }
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    try {
      const form = await request.formData();
      const fields: [string, string][] = [];
      const files: [string, string][] = [];
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") fields.push([key, value]);
        else files.push([key, value.name]);
      }
      return { kind: "form", fields, files };
    } catch {
      return { kind: "json", text: "\u0000invalid multipart" };
    }
  }
  return { kind: "json", text: await request.text() };
}

/** Delivers a sandbox response, honouring `slow` and `reset` faults. */
async function deliver(res: SandboxResponse): Promise<Response> {
  if (res.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, res.delayMs));
  if (res.delivery === "reset") {
    // workerd cannot drop a TCP connection on request. A response that promises
    // more bytes (Content-Length) than it sends makes workerd abort the
    // connection mid-body, which clients see as a network error.
    const { readable, writable } = new FixedLengthStream(4096);
    const writer = writable.getWriter();
    void (async () => {
      await writer.write(new TextEncoder().encode('{"success":true,"status":200,"message":"","da'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      await writer.abort(new Error('sandbox fault injection: connection reset on purpose (fault "reset"); not a bug')).catch(() => {});
    })();
    return new Response(readable, {
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8", "Content-Encoding": "identity" },
    });
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) headers.set(k, v);
  const empty = res.body === "" && (res.status === 204 || res.status === 200) && !headers.has("Content-Type");
  return new Response(empty ? null : res.body, { status: res.status, headers });
}

async function admin(request: Request, url: URL, env: SandboxEnv): Promise<Response> {
  const stub = env.SANDBOX_STATE.getByName(STATE_NAME);
  const route = `${request.method} ${normalisePath(url.pathname)}`;
  switch (route) {
    case "GET /__sandbox/health":
      return json(200, await stub.health());
    case "GET /__sandbox/seed":
      return json(200, await stub.seed());
    case "POST /__sandbox/reset":
      return json(200, await stub.reset());
    case "GET /__sandbox/faults":
      return json(200, await stub.faults());
    case "POST /__sandbox/faults": {
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json(400, { error: "the body must be JSON" });
      }
      const r = await stub.armFault(body);
      return json(r.status, r.body);
    }
    case "DELETE /__sandbox/faults":
      return json(200, await stub.clearFaults(url.searchParams.get("id")));
    case "GET /__sandbox/stats":
      return json(200, await stub.stats());
    case "DELETE /__sandbox/stats":
      return json(200, await stub.clearStats());
    default:
      return json(404, { error: `unknown sandbox endpoint ${route}` });
  }
}

export default {
  async fetch(request: Request, env: SandboxEnv): Promise<Response> {
    const url = new URL(request.url);
    const path = normalisePath(url.pathname);
    if (path.startsWith("/__sandbox/")) return admin(request, url, env);
    const req: SandboxRequest = {
      method: request.method.toUpperCase(),
      path,
      query: url.search.startsWith("?") ? url.search.slice(1) : url.search,
      origin: url.origin,
      authorization: request.headers.get("Authorization"),
      fault: request.headers.get("X-Sandbox-Fault"),
      tokenTtl: request.headers.get("X-Sandbox-Token-TTL"),
      body: await readBody(request, path),
    };
    const stub = env.SANDBOX_STATE.getByName(STATE_NAME);
    return deliver(await stub.handle(req));
  },
} satisfies ExportedHandler<SandboxEnv>;
