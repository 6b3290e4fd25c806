/**
 * The tools/list result of a connection (issues 14 and 15): `listTools(selection,
 * modes)` encoded for the request's revision, built and serialised once per isolate
 * per (selection, modes, encoding) and answered from there (src/mcp/pre-encoded.ts
 * writes the cached text into the body). The variants are few (a handful of
 * selections times four mode sets times two encodings); past MAX_CACHED the cache
 * starts afresh.
 */
import { type ListingModes, listingKey, listTools } from "../tools/tool-listing";
import type { ToolSelection } from "../tools/tool-selection";
import { encodeResult } from "./encode-result";
import { preEncode } from "./pre-encoded";

const MAX_CACHED = 256;
const cache = new Map<string, Readonly<Record<string, unknown>>>();

/** The (cached, pre-encoded, frozen) tools/list result; `stateless` selects the 2026-07-28 encoding. */
export function toolsListResult(
  listing: { readonly selection: ToolSelection; readonly modes: ListingModes },
  stateless: boolean,
): Readonly<Record<string, unknown>> {
  const key = `${listingKey(listing.selection, listing.modes)}|${stateless ? "stateless" : "legacy"}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = preEncode(encodeResult("tools/list", { tools: listTools(listing.selection, listing.modes) }, stateless));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}
