/**
 * Shared pieces of the OAuth tests: the signing keys the test Worker uses (the development
 * key: the tests set no ENCRYPTION_KEY) and a registration helper.
 */
import { DEV_ENCRYPTION_KEY_HEX } from "../../src/config";
import type { SigningKeys } from "../../src/oauth/clients-signing";
import { workerFetch } from "../helpers/mcp";

/** The keys the Worker signs client ids and authorize tickets with in tests. */
export const KEYS: SigningKeys = { current: DEV_ENCRYPTION_KEY_HEX, previous: null };

/** A fresh documentation-range client IP, so per-IP limits of one test stay out of the others. */
export function freshIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${b[0]}.${b[1]}`;
}

/** Registers a client (RFC 7591) through the Worker; the parsed JSON body. */
export async function register(metadata: unknown): Promise<{ res: Response; body: Record<string, unknown> }> {
  const res = await workerFetch("/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": freshIp() },
    body: JSON.stringify(metadata),
  });
  return { res, body: await res.json<Record<string, unknown>>() };
}
