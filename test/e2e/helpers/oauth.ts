/**
 * OAuth 2.1 pieces the end-to-end tests share: PKCE pairs, Dynamic Client Registration,
 * the sign-in on the authorize page in headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core) up to the redirect the page answers with, the code exchange,
 * revocation, raw bearer requests to /mcp, and an in-memory `OAuthClientProvider` for the
 * MCP SDK 1.x client.
 *
 * The page is driven by its accessible names (the labels and buttons of the /login forms
 * it reuses), as a person would use it; the redirect is read off the page's 302 answer, so
 * redirect URIs that lead nowhere on this machine (https://claude.ai/…, cursor://…) are
 * checked without leaving it.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
export { launchChromium, RUN_IN_BROWSER } from "./chromium.js";

/** The sandbox's seed user every OAuth test signs in as (sandbox/seed). */
export const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" } as const;
/** Another seed user of the same company, whose data Ayse's connection must never show. */
export const MEHMET_EMAIL = "mehmet@acme.example";

/** A PKCE pair (RFC 7636, S256): the verifier the client keeps, the challenge it sends. */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

/** A fresh PKCE pair. */
export function pkcePair(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** A random `state` value. */
export function randomState(): string {
  return randomBytes(16).toString("base64url");
}

/** What /oauth/register answers (RFC 7591), as far as the tests read it. */
export interface RegisteredClient {
  readonly client_id: string;
  readonly client_name?: string;
  readonly redirect_uris: readonly string[];
  readonly [field: string]: unknown;
}

/** Registers a public client with Dynamic Client Registration; throws on anything but 201. */
export async function registerClient(serverUrl: string, metadata: Record<string, unknown>): Promise<RegisteredClient> {
  const res = await fetch(`${serverUrl}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(metadata),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`registration refused (${res.status}): ${text}`);
  return JSON.parse(text) as RegisteredClient;
}

/** The parameters of an authorization request (code flow, PKCE S256). */
export interface AuthorizeParams {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly state?: string;
  /** Sent as `resource` when given (RFC 8707). */
  readonly resource?: string;
  /** Sent as `scope` when given. */
  readonly scope?: string;
}

/** The /oauth/authorize URL of `params`. */
export function authorizeUrl(serverUrl: string, params: AuthorizeParams): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    code_challenge: params.challenge,
    code_challenge_method: "S256",
  });
  if (params.state !== undefined) query.set("state", params.state);
  if (params.resource !== undefined) query.set("resource", params.resource);
  if (params.scope !== undefined) query.set("scope", params.scope);
  return `${serverUrl}/oauth/authorize?${query.toString()}`;
}

/** How to sign in on the page: a user's e-mail and password, or a company API key. */
export type PageCredentials = { readonly email: string; readonly password: string } | { readonly apiKey: string };

/** What the page showed and where it sent the browser. */
export interface AuthorizeOutcome {
  /** The `Location` of the page's 302 after a successful sign-in. */
  readonly location: string;
  /** The redirect host the page showed before sign-in (data-testid="redirect-host"). */
  readonly shownHost: string;
  /** The page's h1 before sign-in. */
  readonly heading: string;
}

/**
 * Where the browser goes after the page's 302: "stub" answers every request under
 * `prefix` with a placeholder page inside the browser (redirect targets that do not exist
 * offline, e.g. https://claude.ai/…, or loopback ports nobody listens on); "follow" lets the
 * browser load the redirect and waits until it has (a real callback listener: mcp-remote,
 * the conformance suite); "none" only reads the 302 (custom schemes such as cursor://).
 */
export type RedirectHandling = { readonly stub: string } | "follow" | "none";

/**
 * Opens `url` (an /oauth/authorize link) in a fresh browser context, signs in with
 * `credentials` and resolves to the redirect the page answers with (see
 * {@link RedirectHandling} for what the browser does with it).
 */
export async function authorizeInBrowser(
  browser: Browser,
  url: string,
  credentials: PageCredentials,
  redirect: RedirectHandling,
): Promise<AuthorizeOutcome> {
  const fulfillPrefix = typeof redirect === "object" ? redirect.stub : undefined;
  const context = await browser.newContext();
  try {
    if (fulfillPrefix !== undefined) {
      await context.route(
        (u) => u.href.startsWith(fulfillPrefix),
        (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback reached" }),
      );
    }
    const page = await context.newPage();
    const first = await page.goto(url);
    if (first?.status() !== 200) throw new Error(`authorize page answered ${first?.status()}: ${(await first?.text())?.slice(0, 500)}`);
    const heading = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
    const shownHost = (await page.getByTestId("redirect-host").textContent()) ?? "";
    let button: string;
    if ("apiKey" in credentials) {
      await page.getByLabel("Company API key", { exact: true }).fill(credentials.apiKey);
      button = "Sign in with the API key";
    } else {
      await page.getByLabel("E-mail", { exact: true }).fill(credentials.email);
      await page.getByLabel("Password", { exact: true }).fill(credentials.password);
      button = "Sign in";
    }
    // Every response the page sees, for the error message when the sign-in goes wrong.
    const seen: string[] = [];
    page.on("response", (r) => seen.push(`${r.request().method()} ${r.url().slice(0, 120)} ${r.status()}`));
    page.on("console", (m) => seen.push(`console ${m.type()}: ${m.text().slice(0, 300)}`));
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/oauth/authorize", {
      timeout: 20_000,
    });
    // A custom-scheme redirect (cursor://) makes the click's navigation fail in the browser; the 302 is what counts.
    let clickError = "";
    await page
      .getByRole("button", { name: button, exact: true })
      .click({ noWaitAfter: true, timeout: 10_000 })
      .catch((e: unknown) => (clickError = String(e)));
    const res = await answered.catch((e: unknown) => {
      throw new Error(`no answer to the sign-in (${String(e)}); click: ${clickError || "ok"}; responses: ${seen.join(" | ")}`);
    });
    if (res.status() !== 302) {
      const alert = await page
        .getByRole("alert")
        .first()
        .textContent()
        .catch(() => "");
      throw new Error(`sign-in on the authorize page answered ${res.status()}: ${alert ?? ""}`);
    }
    const location = res.headers().location;
    if (location === undefined) throw new Error("the authorize page's 302 has no Location");
    if (redirect === "follow") await page.waitForURL(location, { timeout: 20_000 });
    return { location, shownHost, heading };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** The query of a redirect `location`, for `code`, `state`, `iss` and `error`. */
export function redirectParams(location: string): URLSearchParams {
  return new URL(location).searchParams;
}

/** A token endpoint answer: the status, the JSON body and the headers a client must see. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly cacheControl: string | null;
  readonly contentType: string | null;
}

/** POSTs a form to /oauth/token. */
export async function tokenRequest(serverUrl: string, form: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${serverUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cacheControl: res.headers.get("cache-control"),
    contentType: res.headers.get("content-type"),
  };
}

/** Exchanges an authorization code (grant_type=authorization_code, PKCE verifier, public client). */
export function exchangeCode(
  serverUrl: string,
  args: {
    readonly code: string;
    readonly verifier: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly resource?: string;
  },
): Promise<TokenAnswer> {
  return tokenRequest(serverUrl, {
    grant_type: "authorization_code",
    code: args.code,
    code_verifier: args.verifier,
    client_id: args.clientId,
    redirect_uri: args.redirectUri,
    ...(args.resource !== undefined ? { resource: args.resource } : {}),
  });
}

/** Revokes a token (RFC 7009); resolves to the HTTP status. */
export async function revokeToken(serverUrl: string, token: string, clientId: string): Promise<number> {
  const res = await fetch(`${serverUrl}/oauth/revoke`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: clientId }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A raw JSON-RPC answer from /mcp. */
export interface McpAnswer {
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly body: Record<string, unknown> | null;
}

/** POSTs one JSON-RPC request to /mcp with `Authorization: Bearer <token>` (no token: no header). */
export async function mcpRequest(
  serverUrl: string,
  token: string | null,
  method: string,
  params: Record<string, unknown> = {},
): Promise<McpAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${serverUrl}/mcp`, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const text = await res.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = null;
  }
  return { status: res.status, wwwAuthenticate: res.headers.get("www-authenticate"), body };
}

/** The text of a tools/call answer's content blocks. */
export function toolText(answer: McpAnswer): string {
  const result = answer.body?.result as { content?: { type?: string; text?: string }[] } | undefined;
  return (result?.content ?? []).map((c) => c.text ?? "").join("\n");
}

export { MemoryOAuthProvider } from "../../helpers/memory-oauth-provider.js";
