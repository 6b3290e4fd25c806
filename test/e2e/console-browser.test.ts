/**
 * The sessions console (issue 13) in real headless Chromium (Debian's /usr/bin/chromium, driven
 * by playwright-core) against `wrangler dev`: an Acme admin signs in on /console with the company
 * key, sees Ayse's session (header session, signed in through MCP), ends it with the keyboard-
 * reachable "End session" button, and Ayse's next MCP call (SDK client with X-Session-ID) is
 * refused; Ayse signs in on /console herself and ends her own other session; Globex's admin sees
 * none of Acme's sessions. No CSP violation, no session ID in any page. Screenshots
 * (console-admin.png, console-ended.png, console-user.png, console-mobile.png) go to docs/ for the
 * README when UPDATE_SCREENSHOTS=1 (`UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/console-browser.test.ts`).
 * The OAuth half: Ayse connects an OAuth client (registration, the authorize page in Chromium, the
 * code exchange); the admin ends that session on /console; the client's next call gets 401 and its
 * refresh token is refused, so it cannot get back in without a new sign-in.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, RUN_IN_BROWSER } from "./helpers/chromium.js";
import { type Stack, startStack } from "./helpers/dev-server.js";
import {
  authorizeInBrowser,
  authorizeUrl,
  exchangeCode,
  mcpRequest,
  pkcePair,
  randomState,
  redirectParams,
  registerClient,
  tokenRequest,
  toolText,
} from "./helpers/oauth.js";
import { connectClient, type TestClient } from "./helpers/sdk-clients.js";

const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" };
const ACME_KEY = "psg_cmp_sandbox_acme_0000000000000000";
const GLOBEX_KEY = "psg_cmp_sandbox_globex_00000000000000";
/** Screenshots go to docs/ (shown in the README) with UPDATE_SCREENSHOTS=1, else to test-output/ (gitignored), so a test run leaves the tree clean. */
const DOCS = process.env.UPDATE_SCREENSHOTS === "1" ? "docs" : "test-output";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  mkdirSync(DOCS, { recursive: true });
  stack = await startStack({ anonymousAccess: "open", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** Signs in through MCP (the in-chat tool) and returns the new session ID. */
async function mcpSignIn(args: Record<string, string>, tool = "passgage_session_login"): Promise<string> {
  const res = await fetch(`${stack.serverUrl}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: args } }),
  });
  const body = (await res.json()) as { result?: { structuredContent?: { sessionId?: string } } };
  const id = body.result?.structuredContent?.sessionId;
  if (typeof id !== "string") throw new Error(`sign-in failed: ${JSON.stringify(body).slice(0, 300)}`);
  return id;
}

/** A fresh browser context and page that records CSP violations and errors. */
async function newPage(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return { page, problems };
}

async function consoleSignIn(page: Page, how: { key: string } | { email: string; password: string }): Promise<void> {
  const first = await page.goto(`${stack.serverUrl}/console`);
  expect(first?.status()).toBe(200);
  expect(first?.headers()["x-frame-options"]).toBe("DENY");
  if ("key" in how) {
    await page.getByLabel("Company API key", { exact: true }).fill(how.key);
    await Promise.all([
      page.waitForURL(`${stack.serverUrl}/console`),
      page.getByRole("button", { name: "Sign in with the API key" }).click(),
    ]);
  } else {
    await page.getByLabel("E-mail", { exact: true }).fill(how.email);
    await page.getByLabel("Password", { exact: true }).fill(how.password);
    await Promise.all([page.waitForURL(`${stack.serverUrl}/console`), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
  }
  await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sessions console");
}

describe.skipIf(!RUN_IN_BROWSER)("sessions console in Chromium", () => {
  let ayse: TestClient | null = null;
  let ayseOther = "";

  afterAll(async () => {
    await ayse?.close().catch(() => undefined);
  });

  it("an Acme admin sees Ayse's session and ends it; her next MCP call is refused", async () => {
    const ayseId = await mcpSignIn(AYSE);
    ayseOther = await mcpSignIn(AYSE);
    ayse = await connectClient("sdk1", stack.serverUrl, { "X-Session-ID": ayseId });
    const before = await ayse.call("passgage_session_status");
    expect(before.structured?.signedIn).toBe(true);

    const { page, problems } = await newPage();
    await consoleSignIn(page, { key: ACME_KEY });
    const sessions = page.getByRole("table").filter({ has: page.getByText("live session(s) on this page") });
    await expect(sessions.getByRole("row").filter({ hasText: AYSE.email }).count()).resolves.toBe(2);
    await expect(sessions.getByRole("row").filter({ hasText: "Web console" }).count()).resolves.toBe(1);
    const html = await page.content();
    expect(html).not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    expect(html).not.toContain(ACME_KEY);
    await page.screenshot({ path: `${DOCS}/console-admin.png`, fullPage: true });

    // The session the SDK client uses, by its handle (the SHA-256 prefix of its ID, computed here).
    const target = await shortHashOf(ayseId);
    const button = page.getByRole("button", { name: new RegExp(`End session ${target} of ${AYSE.email.replace(".", "\\.")}`) });
    await button.focus();
    await Promise.all([page.waitForURL(/\/console\?ended=1$/), page.keyboard.press("Enter")]);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Ended 1 session");
    expect(await page.locator(`tr[data-handle="${target}"]`).count()).toBe(0);
    await expect(page.getByTestId("audit").textContent()).resolves.toContain("Ended (revoked)");
    await page.screenshot({ path: `${DOCS}/console-ended.png`, fullPage: true });
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.context().close();

    const after = await ayse.call("passgage_session_status");
    expect(after.structured?.signedIn).not.toBe(true);
    const data = await ayse.call("passgage_list_my_leaves");
    expect(data.isError).toBe(true);
  });

  it("Ayse signs in on /console and ends her own other session, not the console's", async () => {
    expect(ayseOther).not.toBe("");
    const { page } = await newPage();
    await consoleSignIn(page, AYSE);
    await expect(page.getByTestId("who").textContent()).resolves.toBe(AYSE.email);
    const other = await shortHashOf(ayseOther);
    expect(await page.locator(`tr[data-handle="${other}"]`).count()).toBe(1);
    await expect(page.getByText("This console").count()).resolves.toBe(1);
    await page.screenshot({ path: `${DOCS}/console-user.png`, fullPage: true });
    await Promise.all([page.waitForURL(/\/console\?ended=1$/), page.getByTestId(`end-${other}`).click()]);
    expect(await page.locator(`tr[data-handle="${other}"]`).count()).toBe(0);
    const client = await connectClient("sdk1", stack.serverUrl, { "X-Session-ID": ayseOther });
    try {
      expect((await client.call("passgage_session_status")).structured?.signedIn).not.toBe(true);
    } finally {
      await client.close();
    }
    // Signing out of the console ends its session too.
    await Promise.all([
      page.waitForURL(`${stack.serverUrl}/console`),
      page.getByRole("button", { name: "Sign out of the console" }).click(),
    ]);
    await expect(page.getByRole("button", { name: "Sign in", exact: true }).isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it("an Acme admin ends Ayse's OAuth session on /console; the OAuth client's next call gets 401 and its refresh token is refused", async () => {
    // An OAuth client the way an app connects: registration, the authorize page in Chromium, the code exchange.
    const name = "Console e2e OAuth client";
    const redirectUri = "http://127.0.0.1:43117/callback";
    const registered = await registerClient(stack.serverUrl, {
      client_name: name,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "none",
    });
    const pkce = pkcePair();
    const state = randomState();
    const url = authorizeUrl(stack.serverUrl, {
      clientId: registered.client_id,
      redirectUri,
      challenge: pkce.challenge,
      state,
      resource: `${stack.serverUrl}/mcp`,
    });
    const outcome = await authorizeInBrowser(browser, url, AYSE, { stub: redirectUri });
    const code = redirectParams(outcome.location).get("code") ?? "";
    const tokens = await exchangeCode(stack.serverUrl, { code, verifier: pkce.verifier, clientId: registered.client_id, redirectUri });
    expect(tokens.status).toBe(200);
    const access = String(tokens.body.access_token);
    const refresh = String(tokens.body.refresh_token);
    const before = await mcpRequest(stack.serverUrl, access, "tools/call", { name: "passgage_session_status", arguments: {} });
    expect(before.status).toBe(200);
    expect(toolText(before)).toContain(AYSE.email);
    // The console's handle is the short hash of the session, which the token's routing part names.
    const handle = access.slice("pgm_at_".length, "pgm_at_".length + 12);

    const { page } = await newPage();
    await consoleSignIn(page, { key: ACME_KEY });
    const row = page.locator(`tr[data-handle="${handle}"]`);
    expect(await row.count()).toBe(1);
    await expect(row.textContent()).resolves.toContain(name);
    await Promise.all([page.waitForURL(/\/console\?ended=1$/), page.getByTestId(`end-${handle}`).click()]);
    expect(await page.locator(`tr[data-handle="${handle}"]`).count()).toBe(0);
    await page.context().close();

    const after = await mcpRequest(stack.serverUrl, access, "tools/call", { name: "passgage_session_status", arguments: {} });
    expect(after.status).toBe(401);
    expect(after.wwwAuthenticate ?? "").toContain("invalid_token");
    const refreshed = await tokenRequest(stack.serverUrl, {
      grant_type: "refresh_token",
      refresh_token: refresh,
      client_id: registered.client_id,
    });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("Globex's admin sees none of Acme's sessions; the console reflows on a phone", async () => {
    await mcpSignIn(AYSE);
    const { page } = await newPage({ width: 390, height: 844 });
    await consoleSignIn(page, { key: GLOBEX_KEY });
    const text = (await page.getByTestId("sessions").textContent()) ?? "";
    expect(text).not.toContain("acme.example");
    expect(text).not.toContain(AYSE.email);
    // Nothing overflows the viewport but the table's own scroll area.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${DOCS}/console-mobile.png`, fullPage: true });
    await page.context().close();
  });
});

/** The listing handle of a session ID: the first 12 hex chars of SHA-256("session:" + ID) (src/crypto/session-id.ts). */
async function shortHashOf(sessionId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`session:${sessionId}`)));
  return [...digest]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 12);
}
