/**
 * Era classification of one POST /mcp body, with the header checks of both eras
 * (pure; the HTTP handler turns a rejection into its status and JSON-RPC body).
 *
 * Body-primary, as the 2026-07-28 Streamable HTTP transport and the official SDKs do:
 * a request whose `params._meta` carries `io.modelcontextprotocol/protocolVersion` (the
 * per-request envelope) is a stateless-revision request; anything else is legacy
 * traffic (the initialize handshake and Mcp-Session-Id), where MCP-Protocol-Version
 * only names the negotiated revision. The checks, in the order a request failing
 * several is answered by the earliest:
 *  1. MCP-Protocol-Version names no supported revision → 400, -32022 (data: supported, requested);
 *  2. a batch holding a stateless message, or a posted response, under the stateless revision → 400, -32600;
 *  3. the header disagrees with the envelope → 400, -32020 (HeaderMismatch);
 *     the envelope names an unsupported revision → 400, -32022 (one naming a legacy
 *     revision makes the message legacy traffic);
 *  4. the envelope is malformed, or a request under a stateless header has none → 400, -32602;
 *  5. on a stateless request, MCP-Protocol-Version, Mcp-Method, and (tools/call,
 *     prompts/get, resources/read) Mcp-Name must be present → 400, -32020;
 *  6. Mcp-Method / Mcp-Name, when present on any single message, must match the body
 *     (`=?base64?…?=` values decoded first) → 400, -32020.
 * Notifications are exempt from the presence half of 5, as in the SDKs.
 */
import * as z from "zod/mini";
import { utf8Decode } from "../crypto/encoding";
import { RPC, type RpcErrorResponse, type RpcId, rpcError } from "./errors";
import {
  isModernRevision,
  LEGACY_REVISIONS,
  MCP_NAME_SOURCE,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
  MODERN_REVISIONS,
  SUPPORTED_REVISIONS,
} from "./protocol";
import { isRecord } from "../is-record";

/** The request headers the classification reads (null when absent). */
export interface InboundHeaders {
  readonly protocolVersion: string | null;
  readonly method: string | null;
  readonly name: string | null;
}

/** Outcome of {@link classifyInbound}. */
export type InboundClass =
  /** Legacy traffic; `headerRevision` is the MCP-Protocol-Version header, if any. */
  | { readonly kind: "legacy"; readonly headerRevision: string | null }
  /** A single message under the stateless revision `revision`. */
  | { readonly kind: "modern"; readonly revision: string }
  /** Refused before dispatch: answer `status` with `body`. */
  | { readonly kind: "reject"; readonly status: 400; readonly body: RpcErrorResponse };

const LOG_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;

/** The per-request `_meta` object (2026-07-28): version and capabilities required, client info optional. */
const RequestMetaSchema = z.looseObject({
  [META_PROTOCOL_VERSION]: z.string(),
  [META_CLIENT_CAPABILITIES]: z.record(z.string(), z.unknown()),
  [META_CLIENT_INFO]: z.optional(z.looseObject({ name: z.string(), version: z.string() })),
  [META_LOG_LEVEL]: z.optional(z.enum(LOG_LEVELS)),
});

const BASE64_PREFIX = "=?base64?";
const BASE64_SUFFIX = "?=";

type Rec = Record<string, unknown>;

/** The envelope claim of a message: `params._meta[protocolVersion]`, `undefined` when the key is absent. */
function envelopeOf(message: Rec): { readonly meta: Rec; readonly claim: unknown } | null {
  const params = message.params;
  if (!isRecord(params)) return null;
  const meta = params._meta;
  if (!isRecord(meta) || !(META_PROTOCOL_VERSION in meta)) return null;
  return { meta, claim: meta[META_PROTOCOL_VERSION] };
}

function idOf(message: Rec): RpcId {
  return typeof message.id === "string" || typeof message.id === "number" ? message.id : null;
}

function reject(id: RpcId, code: number, message: string, data?: unknown): InboundClass {
  return { kind: "reject", status: 400, body: rpcError(id, code, message, data) };
}

function unsupported(id: RpcId, requested: string): InboundClass {
  return reject(
    id,
    RPC.UNSUPPORTED_PROTOCOL_VERSION,
    `Unsupported protocol version: ${JSON.stringify(requested.slice(0, 40))} (supported: ${SUPPORTED_REVISIONS.join(", ")})`,
    {
      supported: [...SUPPORTED_REVISIONS],
      requested: requested.slice(0, 40),
    },
  );
}

/**
 * Decodes an `Mcp-Name` style header value: plain ASCII as is, or the
 * `=?base64?{base64 of UTF-8}?=` form; null when the encoded form is malformed.
 */
export function decodeHeaderValue(value: string): string | null {
  if (!(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX) && value.length >= BASE64_PREFIX.length + BASE64_SUFFIX.length))
    return value;
  const b64 = value.slice(BASE64_PREFIX.length, value.length - BASE64_SUFFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  try {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return utf8Decode.decode(bytes);
  } catch {
    return null;
  }
}

/** Checks Mcp-Method / Mcp-Name against one message; `required` adds the presence rules of a stateless request. */
function checkStandardHeaders(message: Rec, headers: InboundHeaders, required: boolean): InboundClass | null {
  const id = idOf(message);
  const method = typeof message.method === "string" ? message.method : null;
  if (method === null) return null;
  if (headers.method === null) {
    return required ? reject(id, RPC.HEADER_MISMATCH, "Header mismatch: the Mcp-Method header is required") : null;
  }
  if (headers.method !== method) {
    return reject(
      id,
      RPC.HEADER_MISMATCH,
      `Header mismatch: Mcp-Method ${JSON.stringify(headers.method.slice(0, 80))} does not match the body's method ${JSON.stringify(method.slice(0, 80))}`,
    );
  }
  const field = Object.hasOwn(MCP_NAME_SOURCE, method) ? MCP_NAME_SOURCE[method] : undefined;
  if (field === undefined) return null;
  const params = message.params;
  const value = isRecord(params) && typeof params[field] === "string" ? params[field] : undefined;
  if (value === undefined) return null;
  if (headers.name === null) {
    return required
      ? reject(id, RPC.HEADER_MISMATCH, `Header mismatch: the Mcp-Name header is required for ${method} (it mirrors params.${field})`)
      : null;
  }
  const decoded = decodeHeaderValue(headers.name);
  if (decoded === null) return reject(id, RPC.HEADER_MISMATCH, "Header mismatch: the Mcp-Name header is not valid =?base64?...?= encoding");
  if (decoded !== value) return reject(id, RPC.HEADER_MISMATCH, `Header mismatch: Mcp-Name does not match the body's params.${field}`);
  return null;
}

/** Classifies one parsed POST body; see the module comment for the rules. */
export function classifyInbound(body: unknown, headers: InboundHeaders): InboundClass {
  const header = headers.protocolVersion;
  const first = isRecord(body) ? body : null;
  const firstId = first ? idOf(first) : null;
  if (header !== null && !SUPPORTED_REVISIONS.includes(header)) return unsupported(firstId, header);
  const headerModern = header !== null && isModernRevision(header);

  if (Array.isArray(body)) {
    const holdsModern = headerModern || body.some((m) => isRecord(m) && envelopeOf(m) !== null);
    if (holdsModern)
      return reject(null, RPC.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not part of the stateless protocol revision");
    return { kind: "legacy", headerRevision: header };
  }
  if (first === null) return { kind: "legacy", headerRevision: header };

  const isRequest = typeof first.method === "string" && "id" in first && first.id !== undefined;
  const isNotification = typeof first.method === "string" && !isRequest;
  if (!isRequest && !isNotification && headerModern) {
    return reject(firstId, RPC.INVALID_REQUEST, "Invalid Request: the stateless protocol revision accepts only requests and notifications");
  }

  const envelope = envelopeOf(first);
  if (envelope !== null) {
    const claim = envelope.claim;
    if (typeof claim !== "string")
      return reject(firstId, RPC.INVALID_PARAMS, `Invalid _meta envelope: ${META_PROTOCOL_VERSION} must be a string`);
    if (header !== null && header !== claim) {
      return reject(
        firstId,
        RPC.HEADER_MISMATCH,
        `Header mismatch: MCP-Protocol-Version ${JSON.stringify(header)} does not match the request's _meta protocol version ${JSON.stringify(claim.slice(0, 40))}`,
      );
    }
    // A claim naming a legacy revision is legacy traffic (the era follows the claimed revision).
    if ((LEGACY_REVISIONS as readonly string[]).includes(claim)) return legacyChecked(first, headers, header);
    if (!MODERN_REVISIONS.includes(claim)) return unsupported(firstId, claim);
    const parsed = RequestMetaSchema.safeParse(envelope.meta);
    if (!parsed.success) {
      const keys = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "_meta")))];
      return reject(
        firstId,
        RPC.INVALID_PARAMS,
        `Invalid _meta envelope for protocol revision ${claim}: missing or malformed ${keys.join(", ")}`,
      );
    }
    if (isRequest && header === null)
      return reject(firstId, RPC.HEADER_MISMATCH, "Header mismatch: the MCP-Protocol-Version header is required");
    const headerProblem = checkStandardHeaders(first, headers, isRequest);
    if (headerProblem) return headerProblem;
    return { kind: "modern", revision: claim };
  }

  if (headerModern && isRequest) {
    return reject(
      firstId,
      RPC.INVALID_PARAMS,
      `Invalid params: a request under protocol revision ${header} must carry the _meta envelope (${META_PROTOCOL_VERSION}, ${META_CLIENT_CAPABILITIES})`,
    );
  }
  // A stateless client's notifications carry the header but no envelope.
  if (headerModern && header !== null) {
    const headerProblem = checkStandardHeaders(first, headers, false);
    return headerProblem ?? { kind: "modern", revision: header };
  }
  return legacyChecked(first, headers, header);
}

function legacyChecked(message: Rec, headers: InboundHeaders, header: string | null): InboundClass {
  return checkStandardHeaders(message, headers, false) ?? { kind: "legacy", headerRevision: header };
}
