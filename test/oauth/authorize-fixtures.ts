/**
 * Driving the authorize page in tests like a browser would: open it (GET with the OAuth
 * parameters), keep its cookie and hidden fields, post the sign-in form. Requests go to
 * the Worker's fetch with ANONYMOUS_ACCESS "oauth" (the production default).
 */
import { send } from "../security/route-fetch";
import { BASE } from "../helpers/mcp";
import { freshIp, register } from "./client-fixtures";
import { OAUTH_ENV, pkcePair } from "./oauth-fixtures";

/** Sends a request to the Worker (OAuth mode). */
export function oauthFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return send(new Request(BASE + path, init), OAUTH_ENV);
}

/** A registered client and a ready authorization request for it. */
export interface Flow {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly verifier: string;
  readonly challenge: string;
  readonly state: string;
  readonly ip: string;
  /** The authorization request's query parameters (change them per test). */
  readonly params: Readonly<Record<string, string | null>>;
}

/** Registers `metadata` (DCR) and prepares a valid request for its first (or the given) redirect URI. */
export async function flowFor(metadata: { client_name?: string; redirect_uris: string[] }, redirectUri?: string): Promise<Flow> {
  const { body } = await register(metadata);
  const clientId = String(body.client_id);
  const { verifier, challenge } = await pkcePair();
  const state = crypto.randomUUID();
  const uri = redirectUri ?? metadata.redirect_uris[0] ?? "";
  return {
    clientId,
    redirectUri: uri,
    verifier,
    challenge,
    state,
    ip: freshIp(),
    params: {
      response_type: "code",
      client_id: clientId,
      redirect_uri: uri,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
      resource: `${BASE}/mcp`,
      scope: "passgage",
    },
  };
}

/** The authorize URL's path and query for `params` (a value of null leaves the parameter out). */
export function authorizePath(params: Readonly<Record<string, string | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) q.append(k, v);
  return `/oauth/authorize?${q.toString()}`;
}

/** The opened page: its response, HTML, cookie and hidden fields. */
export interface OpenedPage {
  readonly res: Response;
  readonly html: string;
  readonly cookie: string;
  readonly csrf: string;
  readonly ticket: string;
}

function hiddenValue(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
}

/** GET /oauth/authorize with `params`. */
export async function openPage(ip: string, params: Readonly<Record<string, string | null>>): Promise<OpenedPage> {
  const res = await oauthFetch(authorizePath(params), { headers: { "cf-connecting-ip": ip }, redirect: "manual" });
  const html = await res.text();
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { res, html, cookie, csrf: hiddenValue(html, "csrf"), ticket: hiddenValue(html, "oauth") };
}

/** POSTs the sign-in form as a browser on this site would; a header given as "" is left out. */
export async function postPage(
  ip: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ res: Response; html: string }> {
  const all: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    origin: BASE,
    "sec-fetch-site": "same-origin",
    "cf-connecting-ip": ip,
    ...headers,
  };
  const res = await oauthFetch("/oauth/authorize", {
    method: "POST",
    redirect: "manual",
    headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== "")),
    body: new URLSearchParams(fields).toString(),
  });
  return { res, html: await res.text() };
}

/** Opens the page and signs in with a password; the POST's response. */
export async function signInThrough(flow: Flow, who: { email: string; password: string }): Promise<{ res: Response; html: string }> {
  const page = await openPage(flow.ip, flow.params);
  if (page.res.status !== 200) throw new Error(`authorize page answered ${page.res.status}: ${page.html.slice(0, 300)}`);
  return postPage(
    flow.ip,
    { csrf: page.csrf, oauth: page.ticket, method: "password", email: who.email, password: who.password },
    { cookie: page.cookie },
  );
}
