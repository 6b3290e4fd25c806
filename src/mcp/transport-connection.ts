/**
 * The transport's `Mcp-Session-Id` (legacy revisions): names one MCP connection, as the
 * specification says, and is a different thing from `X-Session-ID` (a signed-in
 * Passgage session that outlives connections).
 *
 * It is sealed with AES-256-GCM under a key derived from ENCRYPTION_KEY, so the server
 * needs no lookup to reject a forged one, and it carries:
 *   p  a pending session ID, unused until someone signs in on this connection: a login
 *      here creates the session under this ID, which authenticates the same connection
 *      from its next request on without any header change (the login result still
 *      shows the ID for the client's configuration);
 *   c  a connection id (tombstoned on DELETE, so an ended connection gets 404);
 *   v  the negotiated protocol revision.
 * Because `p` is a session credential, the Mcp-Session-Id is one too: logged only hashed.
 */
import * as z from "zod/mini";
import { fromBase64Url, toBase64Url, utf8, utf8Decode } from "../crypto/encoding";
import { importMasterKey } from "../crypto/sealing";
import { generateSessionId, SESSION_ID_PATTERN } from "../crypto/session-id";

const PREFIX = "mcp_";
const PayloadSchema = z.object({
  p: z.string().check(z.regex(SESSION_ID_PATTERN)),
  c: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
  v: z.string().check(z.maxLength(32)),
  /** Issue time (epoch ms): the pending session may be signed into only while young. */
  t: z.number(),
});
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

/** Issues a new Mcp-Session-Id for an initialize. */
export async function issueConnection(masterHex: string, revision: string): Promise<{ header: string; connection: TransportConnection }> {
  const connection: TransportConnection = {
    p: generateSessionId(),
    c: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    v: revision,
    t: Date.now(),
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
