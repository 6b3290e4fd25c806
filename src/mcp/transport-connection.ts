/**
 * The transport's `Mcp-Session-Id` (legacy revisions): names one MCP connection, as the
 * specification says, and is a different thing from `X-Session-ID` (a signed-in
 * Passgage session that outlives connections).
 *
 * It is sealed with AES-256-GCM under a key derived from ENCRYPTION_KEY, so the server
 * needs no lookup to reject a forged one, and it carries:
 *   c  a connection id (tombstoned on DELETE, so an ended connection gets 404);
 *   v  the negotiated protocol revision;
 *   t  its issue time (a header older than CONNECTION_MAX_AGE_MS is refused, so a
 *      tombstone that lives as long always covers it);
 *   s  only in a BOUND header: the session ID minted by a sign-in on this connection.
 * `initialize` issues an unbound header (no `s`): it is worth nothing to anyone who
 * learns it. A successful sign-in by tool never writes into the connection it came on:
 * it mints a fresh session and answers with a NEW, bound header (new `c`, same `v`),
 * which MCP clients adopt from that response (the SDK's client transport takes the
 * `mcp-session-id` of every response). The old header stays unbound. A bound header is
 * a session credential: logged only hashed.
 */
import * as z from "zod/mini";
import { fromBase64Url, toBase64Url, utf8, utf8Decode } from "../crypto/encoding";
import { importMasterKey } from "../crypto/sealing";
import { SESSION_ID_PATTERN, SESSION_ID_REUSE_HORIZON_MS, sha256Hex } from "../crypto/session-id";

const PREFIX = "mcp_";
const PayloadSchema = z.object({
  c: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
  v: z.string().check(z.maxLength(32)),
  /** Issue time (epoch ms). */
  t: z.number(),
  /** The session a sign-in on this connection minted (bound header only). */
  s: z.optional(z.string().check(z.regex(SESSION_ID_PATTERN))),
});

/**
 * How long an Mcp-Session-Id is accepted after issue (ms). The same horizon as a
 * connection tombstone's lifetime, the retirement marker's and the longest session
 * (SESSION_TIMEOUT_HOURS' upper bound): one constant, so a DELETEd connection never
 * comes back and a bound header never outlives what it could reach.
 */
export const CONNECTION_MAX_AGE_MS = SESSION_ID_REUSE_HORIZON_MS;
/** A decoded Mcp-Session-Id: one MCP transport connection (not a Passgage session). */
export type TransportConnection = z.infer<typeof PayloadSchema>;

const keyCache = new Map<string, Promise<CryptoKey>>();

function transportKey(masterHex: string): Promise<CryptoKey> {
  let hit = keyCache.get(masterHex);
  if (!hit) {
    hit = (async () => {
      const master = await importMasterKey(masterHex);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: utf8.encode("mcp-transport"), info: utf8.encode("passgage-mcp/transport/v1") },
        master.key,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    keyCache.set(masterHex, hit);
  }
  return hit;
}

/**
 * Issues a new Mcp-Session-Id: unbound for an initialize, bound to `sessionId` after a
 * sign-in on a connection (always with a new connection id).
 */
export async function issueConnection(
  masterHex: string,
  revision: string,
  sessionId?: string,
): Promise<{ header: string; connection: TransportConnection }> {
  const connection: TransportConnection = {
    c: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    v: revision,
    t: Date.now(),
    ...(sessionId === undefined ? {} : { s: sessionId }),
  };
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: utf8.encode(PREFIX) },
      await transportKey(masterHex),
      utf8.encode(JSON.stringify(connection)),
    ),
  );
  const packed = new Uint8Array(iv.byteLength + ct.byteLength);
  packed.set(iv, 0);
  packed.set(ct, iv.byteLength);
  return { header: PREFIX + toBase64Url(packed), connection };
}

/** Opens an Mcp-Session-Id; null when malformed or forged. */
export async function openConnection(masterHex: string, header: string): Promise<TransportConnection | null> {
  if (!header.startsWith(PREFIX) || header.length > 400) return null;
  const packed = fromBase64Url(header.slice(PREFIX.length));
  if (!packed || packed.byteLength < 12 + 16) return null;
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: packed.slice(0, 12), additionalData: utf8.encode(PREFIX) },
      await transportKey(masterHex),
      packed.slice(12),
    );
    const parsed = PayloadSchema.safeParse(JSON.parse(utf8Decode.decode(pt)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether a connection header is too old to be accepted at `now` (see CONNECTION_MAX_AGE_MS). */
export function isConnectionExpired(connection: TransportConnection, now: number): boolean {
  return now - connection.t >= CONNECTION_MAX_AGE_MS;
}

/**
 * Name of the SessionDO that keeps a connection's tombstone: derived from the
 * connection id alone (never a session ID), so bound and unbound connections share
 * one home and DELETE -> 404 holds whatever the connection was bound to.
 */
export function connectionHomeName(connection: Pick<TransportConnection, "c">): Promise<string> {
  return sha256Hex(`connection:${connection.c}`);
}
