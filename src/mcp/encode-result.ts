/**
 * Result encoding of the stateless 2026-07-28 revision (the identity for legacy
 * revisions), as the official SDKs encode it: `resultType: "complete"` unless the
 * handler set one; `ttlMs` and `cacheScope` on cacheable results (valid handler
 * values first, then ours, then 0 ms / private); the server's identity under
 * `_meta["io.modelcontextprotocol/serverInfo"]` unless already there.
 */
import { CACHEABLE_METHODS, CATALOG_CACHE_TTL_MS, META_SERVER_INFO, SERVER_INFO } from "./protocol";
import { isRecord } from "../is-record";
import { jsonTextOf, withJsonText } from "../json-text";

type JsonObject = Record<string, unknown>;

/**
 * Cache hints (2026-07-28 `ttlMs` / `cacheScope`). server/discover is the same for every
 * caller. tools/list is not (issue 15): it follows the URL's toolsets and read-only flag,
 * the X-MCP-Toolsets / X-MCP-Readonly headers, and the session (its modes and the
 * toolsets it enabled), so it may be cached only for this caller: `private`.
 */
const CACHE_HINTS: ReadonlyMap<string, { readonly ttlMs: number; readonly cacheScope: "public" | "private" }> = new Map([
  ["tools/list", { ttlMs: CATALOG_CACHE_TTL_MS, cacheScope: "private" }],
  ["server/discover", { ttlMs: CATALOG_CACHE_TTL_MS, cacheScope: "public" }],
]);

/** Encodes one result of `method`; `stateless` says whether the request used the 2026-07-28 revision. */
export function encodeResult(method: string, result: JsonObject, stateless: boolean): JsonObject {
  if (!stateless) return result;
  const out: JsonObject = { ...result };
  if (out.resultType === undefined) out.resultType = "complete";
  if (out.resultType === "complete" && CACHEABLE_METHODS.has(method)) {
    const hint = CACHE_HINTS.get(method);
    const ttl = out.ttlMs;
    if (!(typeof ttl === "number" && Number.isSafeInteger(ttl) && ttl >= 0)) out.ttlMs = hint?.ttlMs ?? 0;
    if (out.cacheScope !== "public" && out.cacheScope !== "private") out.cacheScope = hint?.cacheScope ?? "private";
  }
  const meta = out._meta;
  if (meta === undefined) out._meta = { [META_SERVER_INFO]: SERVER_INFO };
  else if (isRecord(meta) && meta[META_SERVER_INFO] === undefined) out._meta = { ...meta, [META_SERVER_INFO]: SERVER_INFO };
  return withAddedText(result, out);
}

/**
 * `out` (the result with members added), registered with JSON text built from the result's
 * own registered text (a tool result serialised by its SessionDO) and the added members, so
 * the result is not serialised again; `out` as it is when the result has no text or a
 * member of it was changed rather than added.
 */
function withAddedText(result: JsonObject, out: JsonObject): JsonObject {
  const text = jsonTextOf(result);
  if (text === undefined || !text.startsWith("{") || !text.endsWith("}")) return out;
  const added: string[] = [];
  for (const [key, value] of Object.entries(out)) {
    if (Object.hasOwn(result, key)) {
      if (result[key] !== value) return out;
    } else added.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  const inner = text.slice(1, -1).trim();
  return withJsonText(out, `{${[...added, ...(inner === "" ? [] : [inner])].join(",")}}`);
}
