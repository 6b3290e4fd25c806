/**
 * Result encoding of the stateless 2026-07-28 revision (the identity for legacy
 * revisions), as the official SDKs encode it: `resultType: "complete"` unless the
 * handler set one; `ttlMs` and `cacheScope` on cacheable results (valid handler
 * values first, then ours, then 0 ms / private); the server's identity under
 * `_meta["io.modelcontextprotocol/serverInfo"]` unless already there.
 */
import { CACHEABLE_METHODS, CATALOG_CACHE_TTL_MS, META_SERVER_INFO, SERVER_INFO } from "./protocol";
import { isRecord } from "../is-record";
import { jsonTextOf, lazyJsonObject } from "../json-text";

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
  // The members to add or replace; only these members of the result are read (a result
  // whose text is known is then not parsed: src/json-text.ts).
  const set: JsonObject = {};
  const resultType = result.resultType === undefined ? "complete" : result.resultType;
  if (result.resultType === undefined) set.resultType = resultType;
  if (resultType === "complete" && CACHEABLE_METHODS.has(method)) {
    const hint = CACHE_HINTS.get(method);
    const ttl = result.ttlMs;
    if (!(typeof ttl === "number" && Number.isSafeInteger(ttl) && ttl >= 0)) set.ttlMs = hint?.ttlMs ?? 0;
    if (result.cacheScope !== "public" && result.cacheScope !== "private") set.cacheScope = hint?.cacheScope ?? "private";
  }
  const meta = result._meta;
  if (meta === undefined) set._meta = { [META_SERVER_INFO]: SERVER_INFO };
  else if (isRecord(meta) && meta[META_SERVER_INFO] === undefined) set._meta = { ...meta, [META_SERVER_INFO]: SERVER_INFO };
  return withSet(result, set);
}

/**
 * The result with the members of `set` added or replaced. When the result's JSON text is
 * known (a tool result serialised by its SessionDO) and `set` only adds members, the
 * answer's text is the result's text with them spliced in, and the result is not read;
 * otherwise the answer is a plain object, serialised as usual.
 */
function withSet(result: JsonObject, set: JsonObject): JsonObject {
  const text = jsonTextOf(result);
  const setKeys = Object.keys(set);
  if (text === undefined || !text.startsWith("{") || !text.endsWith("}") || setKeys.some((k) => Object.hasOwn(result, k)))
    return { ...result, ...set };
  const added = setKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(set[k])}`);
  const inner = text.slice(1, -1).trim();
  const keys = [...Object.keys(result), ...setKeys];
  return lazyJsonObject(`{${[...added, ...(inner === "" ? [] : [inner])].join(",")}}`, keys, () => ({ ...result, ...set }));
}
