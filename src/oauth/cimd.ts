/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP
 * authorization 2025-11-25): a `client_id` that is an https URL names a JSON document the
 * client publishes; this server fetches it to learn the client's name and redirect URIs.
 *
 * The fetch is guarded (cimd-url.ts decides which URLs; here: redirects are not followed,
 * CIMD_TIMEOUT_MS timeout, CIMD_MAX_BYTES cap, JSON object whose `client_id` equals the URL,
 * redirect URIs under the same policy as DCR, `token_endpoint_auth_method` absent or "none")
 * and its successes are cached in the isolate (bounded LRU, CIMD_CACHE_TTL_MS).
 *
 * The fetcher is injectable (`cimdTransport.fetch`, replaced in tests the way `logSink` is);
 * there is no configuration switch that relaxes the guard.
 */
import * as z from "zod/mini";
import { utf8Decode } from "../crypto/encoding";
import { readBodyCapped } from "../http/responses";
import { err, ok, type Result } from "../result";
import { formatIssues } from "../validation";
import { checkCimdUrl } from "./cimd-url";
import { checkClientName, checkGrantTypes, checkRegisteredRedirectUris, type OAuthClient } from "./clients";

/** How long a document fetch may take (ms). */
export const CIMD_TIMEOUT_MS = 5000;
/** Largest document accepted (bytes). */
export const CIMD_MAX_BYTES = 65_536;
/** How long a fetched document is reused (ms). */
export const CIMD_CACHE_TTL_MS = 5 * 60_000;
/** Most documents kept in an isolate's cache. */
const CIMD_CACHE_MAX_ENTRIES = 256;

/** Fetches one request (the platform's fetch, or a stand-in in tests). */
export type CimdFetcher = (request: Request) => Promise<Response>;

/** The fetcher metadata documents are fetched with; tests replace `fetch` (never configuration). */
export const cimdTransport: { fetch: CimdFetcher } = { fetch: (request) => fetch(request) };

/** What a metadata document must contain (other fields are ignored). */
const DocumentSchema = z.object({
  client_id: z.string(),
  client_name: z.optional(z.string()),
  redirect_uris: z.array(z.string()),
  grant_types: z.optional(z.array(z.string())),
  response_types: z.optional(z.array(z.string())),
  token_endpoint_auth_method: z.optional(z.string()),
});

interface CacheEntry {
  readonly client: OAuthClient;
  readonly expiresAt: number;
}

/** Fetched documents by URL, oldest first (a Map keeps insertion order: LRU by re-insertion). */
const cache = new Map<string, CacheEntry>();

/** Options of one resolution (tests shorten the timeout; `now` drives the cache). */
export interface CimdOptions {
  readonly fetcher?: CimdFetcher;
  readonly timeoutMs?: number;
  readonly nowMs?: number;
}

/**
 * The client a metadata-document `client_id` names, fetched (or from the cache), or why it
 * cannot be used (a sentence for the error page; no response body is ever echoed).
 */
export async function resolveCimdClient(clientId: string, options: CimdOptions = {}): Promise<Result<OAuthClient, string>> {
  const checked = checkCimdUrl(clientId);
  if (!checked.ok) return checked;
  const now = options.nowMs ?? Date.now();
  const hit = cache.get(clientId);
  if (hit !== undefined) {
    cache.delete(clientId);
    if (hit.expiresAt > now) {
      cache.set(clientId, hit);
      return ok(hit.client);
    }
  }
  const fetched = await fetchDocument(checked.value, options.fetcher ?? cimdTransport.fetch, options.timeoutMs ?? CIMD_TIMEOUT_MS);
  if (!fetched.ok) return fetched;
  const client = parseDocument(clientId, fetched.value);
  if (!client.ok) return client;
  cache.set(clientId, { client: client.value, expiresAt: now + CIMD_CACHE_TTL_MS });
  while (cache.size > CIMD_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (oldest.done === true) break;
    cache.delete(oldest.value);
  }
  return client;
}

/** Fetches the document's body (at most CIMD_MAX_BYTES), or why not. */
async function fetchDocument(url: URL, fetcher: CimdFetcher, timeoutMs: number): Promise<Result<string, string>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  try {
    const request = new Request(url.href, {
      method: "GET",
      redirect: "manual",
      headers: { accept: "application/json" },
      signal: controller.signal,
    });
    const raced = await Promise.race([
      (async (): Promise<Result<string, string>> => {
        const res = await fetcher(request);
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          return err("The client's metadata document redirects elsewhere; redirects are not followed.");
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          return err(`The client's metadata document could not be fetched (HTTP ${res.status}).`);
        }
        const bytes = await readBodyCapped(res, CIMD_MAX_BYTES);
        if (bytes === null) return err(`The client's metadata document is larger than ${CIMD_MAX_BYTES / 1024} KB.`);
        try {
          return ok(utf8Decode.decode(bytes));
        } catch {
          return err("The client's metadata document is not valid UTF-8 text.");
        }
      })(),
      timedOut,
    ]);
    return raced === "timeout" ? err(`The client's metadata document did not arrive within ${timeoutMs / 1000} s.`) : raced;
  } catch {
    return controller.signal.aborted
      ? err(`The client's metadata document did not arrive within ${timeoutMs / 1000} s.`)
      : err("The client's metadata document could not be fetched.");
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

/** The client a document describes, or why it is refused. */
function parseDocument(clientId: string, text: string): Result<OAuthClient, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err("The client's metadata document is not JSON.");
  }
  const parsed = DocumentSchema.safeParse(json);
  if (!parsed.success) return err(`The client's metadata document is invalid: ${formatIssues(parsed.error, 3, "document")}.`);
  const doc = parsed.data;
  if (doc.client_id !== clientId) return err("The client's metadata document names a different client_id than its own URL.");
  const uris = checkRegisteredRedirectUris(doc.redirect_uris);
  if (!uris.ok) return err(`The client's metadata document is invalid: ${uris.error.error_description}`);
  const grants = checkGrantTypes(doc.grant_types);
  if (!grants.ok) return err(`The client's metadata document is invalid: ${grants.error}`);
  if (doc.response_types !== undefined && doc.response_types.some((t) => t !== "code")) {
    return err('The client\'s metadata document is invalid: response_types: only "code" is supported.');
  }
  if (doc.token_endpoint_auth_method !== undefined && doc.token_endpoint_auth_method !== "none") {
    return err('The client\'s metadata document asks for client authentication; this server supports only public clients ("none").');
  }
  // A document's name may be longer than a registration's: it is cut, but never shown with unshowable characters.
  const name = checkClientName(doc.client_name, { cut: true });
  if (!name.ok) return err(`The client's metadata document is invalid: ${name.error}`);
  return ok({ id: clientId, name: name.value, redirectUris: uris.value, kind: "cimd" });
}
