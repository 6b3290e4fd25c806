/**
 * The SSRF guard of Client ID Metadata Documents: which `client_id` URLs this server will
 * fetch. The document URL is chosen by whoever opens an authorization link, so it must not
 * make the server reach anything private.
 *
 * Accepted: `https:` on the default port, a host name or a public IP literal, a path other
 * than `/`, no user information, no fragment. Refused: IP literals in loopback, private
 * (RFC 1918), link-local, CGNAT (100.64/10), unique-local (fc00::/7), multicast, reserved,
 * documentation and "this network" ranges, IPv4 embedded in IPv6 (mapped, NAT64, 6to4,
 * Teredo), `localhost` and names under `.localhost`, `.local`, `.internal`, `.localdomain`,
 * `.home.arpa`, `.lan`, `.intranet`, `.corp`, `.private`, and single-label names.
 *
 * Limit: in workerd the address a host name resolves to is not visible, so a public name
 * that resolves to a private address is not caught here (Cloudflare's edge does not route
 * Worker subrequests to private networks; SECURITY.md discusses it).
 */
import { err, ok, type Result } from "../result";

/** Longest document URL accepted (characters). */
export const CIMD_URL_MAX_CHARS = 2048;

/** Name suffixes of private or local networks. */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp", ".private"];

/** Whether `clientId` is meant as a metadata document URL (an https URL). */
export function isCimdClientId(clientId: string): boolean {
  return clientId.startsWith("https://");
}

/** The document URL of `clientId` when this server may fetch it, or why not. */
export function checkCimdUrl(clientId: string): Result<URL, string> {
  if (clientId.length > CIMD_URL_MAX_CHARS) return err(`The client_id URL is longer than ${CIMD_URL_MAX_CHARS} characters.`);
  if (!isCimdClientId(clientId)) return err("A client_id metadata document must be served over https.");
  if (clientId.includes("#")) return err("The client_id URL must not contain a fragment.");
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return err("The client_id is not a valid URL.");
  }
  // The document names itself: the URL must be written in its canonical form.
  if (url.href !== clientId) return err("The client_id URL is not in canonical form (lowercase host, no default port, encoded path).");
  if (url.username !== "" || url.password !== "") return err("The client_id URL must not contain user information.");
  if (url.port !== "") return err("The client_id URL must use the default https port.");
  if (url.pathname === "/" || url.pathname === "")
    return err("The client_id URL must have a path (like https://app.example/oauth/client.json).");
  // A host name with any number of trailing dots names the same host (hostile-client finding I-2).
  const host = url.hostname.replace(/\.+$/, "");
  if (host.startsWith("[")) return isPublicIpv6(host.slice(1, -1)) ? ok(url) : err("The client_id URL names a non-public IP address.");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return isPublicIpv4(host) ? ok(url) : err("The client_id URL names a non-public IP address.");
  if (host === "localhost" || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) return err("The client_id URL names a local host.");
  if (!host.includes(".")) return err("The client_id URL must name a fully qualified host.");
  return ok(url);
}

/** The four octets of a dotted IPv4 address (already canonical, from the URL parser). */
function octets(ip: string): readonly number[] {
  return ip.split(".").map(Number);
}

/** Whether a canonical dotted IPv4 address is publicly routable. */
export function isPublicIpv4(ip: string): boolean {
  const [a = 0, b = 0, c = 0] = octets(ip);
  if (a === 0 || a === 10 || a === 127) return false; // this network, private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT, RFC 6598
  if (a === 169 && b === 254) return false; // link-local
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

/** The eight 16-bit groups of an IPv6 address (URL-canonical, compressed, no zone), or null. */
function ipv6Groups(ip: string): readonly number[] | null {
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const part = (s: string | undefined): number[] => (s === undefined || s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const groups = halves.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * Whether an IPv6 address is publicly routable: global unicast (2000::/3) outside the
 * documentation, 6to4, Teredo and ORCHID ranges; everything carrying an IPv4 address
 * (mapped, NAT64) or local (loopback, link-local, unique-local, multicast) is not.
 */
export function isPublicIpv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (g === null) return false;
  const [g0 = 0, g1 = 0] = g;
  if ((g0 & 0xe000) !== 0x2000) return false; // not global unicast: ::, ::1, mapped, 64:ff9b::, fc00::/7, fe80::/10, ff00::/8
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x2001 && g1 === 0x0000) return false; // Teredo (embeds IPv4)
  if (g0 === 0x2001 && (g1 & 0xfff0) === 0x0010) return false; // ORCHID
  if (g0 === 0x2002) return false; // 6to4 (embeds IPv4)
  return true;
}
