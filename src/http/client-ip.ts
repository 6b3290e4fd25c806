/**
 * The client for rate limiting: `CF-Connecting-IP`, set by Cloudflare's edge and not
 * forgeable by the client. Never `X-Forwarded-For` or any other client-settable header.
 *
 * An IPv4 client is its address. An IPv6 client is its /64 prefix: one subscriber,
 * host or virtual machine is routinely given a whole /64 (RFC 6177, RFC 7934), so
 * keying by the full address would give one client 2^64 quotas (issue 11: 120
 * requests from one /64 were all admitted against a limit of 100, which also lifted
 * the per-IP failed-login limit). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is
 * the IPv4 client it maps.
 */
import { sha256Hex } from "../crypto/session-id";

/** Key of requests without a usable `CF-Connecting-IP` (local tests); all of them share it. */
const UNKNOWN_CLIENT = "unknown";

/**
 * The rate-limit key of a request's client: its IPv4 address, or its IPv6 /64 prefix
 * (see the file header), or "unknown" when the header is absent or not an address.
 */
export function clientIp(request: Request): string {
  const raw = request.headers.get("cf-connecting-ip");
  return (raw === null ? null : clientNetwork(raw)) ?? UNKNOWN_CLIENT;
}

/**
 * Normalises an address to its rate-limit key: IPv4 as four decimal octets
 * (`203.0.113.7`), IPv6 as its /64 prefix in lower-case compressed-free form
 * (`2001:db8:0:1::/64`) whatever the input's spelling (compression, leading zeros,
 * case, brackets, zone id `%eth0`, an embedded dotted IPv4 tail); an IPv4-mapped
 * address gives the IPv4 key. Returns null for anything that is not an address.
 */
export function clientNetwork(raw: string): string | null {
  let text = raw.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (!text.includes(":")) return formatIpv4(parseIpv4(text));
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const groups = parseIpv6(text.toLowerCase());
  if (groups === null) return null;
  // ::ffff:0:0/96 holds IPv4-mapped addresses (RFC 4291 section 2.5.5.2).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return formatIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Recent client keys and their hashes, per isolate (issue 14: one digest less per request); bounded, oldest out first. */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 1024;

/** A short hash of the client key for limiter keys and logs (IPs are never logged). */
export async function ipHash(ip: string): Promise<string> {
  const known = recentHashes.get(ip);
  if (known !== undefined) return known;
  const hash = (await sha256Hex(`ip:${ip}`)).slice(0, 16);
  if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.delete(recentHashes.keys().next().value ?? "");
  recentHashes.set(ip, hash);
  return hash;
}

/** Four octets of a dotted-decimal IPv4 address, or null. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    octets.push(n);
  }
  return octets;
}

function formatIpv4(octets: readonly number[] | null): string | null {
  return octets === null ? null : octets.join(".");
}

/** The eight 16-bit groups of an IPv6 address (lower case, no zone), or null. */
function parseIpv6(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  // A dotted IPv4 tail may only end the address.
  const head = splitGroups(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? splitGroups(halves[1] ?? "", true) : [];
  if (head === null || tail === null) return null;
  const explicit = head.length + tail.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return null;
  return [...head, ...Array.from({ length: 8 - explicit }, () => 0), ...tail];
}

/**
 * The groups of one side of `::`: hex groups of 1 to 4 digits, the last of which may be
 * a dotted IPv4 address (two groups). Null when malformed.
 */
function splitGroups(side: string, endsAddress: boolean): number[] | null {
  if (side === "") return [];
  const parts = side.split(":");
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (endsAddress && i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      const [a = 0, b = 0, c = 0, d = 0] = v4;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9a-f]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}
