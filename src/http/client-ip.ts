/**
 * The client IP for rate limiting: `CF-Connecting-IP`, set by Cloudflare's edge and not
 * forgeable by the client. Never `X-Forwarded-For` (client-settable).
 */
import { sha256Hex } from "../crypto/session-id";

/** The connecting IP, or "unknown" (local tests without the header). */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip")?.trim() || "unknown";
}

/** A short, salted hash of the IP for limiter keys and logs (IPs are never logged). */
export async function ipHash(ip: string): Promise<string> {
  return (await sha256Hex(`ip:${ip}`)).slice(0, 16);
}
