/**
 * The browser sign-in page in real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core): a wrong password shows a clear error, the right one shows
 * the session ID, its expiry and a Claude Desktop configuration; the copy buttons
 * appear (so the CSP script hash works in a real browser, with no CSP violation); a
 * forged cross-site post is refused; and the session ID read off the page works over
 * MCP (SDK client with X-Session-ID → passgage_session_status shows the user).
 * Screenshots go to test-output/ (gitignored): login-form.png and login-page.png.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, RUN_IN_BROWSER } from "./helpers/chromium.js";
import { type Stack, startStack } from "./helpers/dev-server.js";
import { connectClient } from "./helpers/sdk-clients.js";

const AYSE = { email: "ayse@acme.example", password: "acme-ayse-2026" };
const OUT = "test-output";

let stack: Stack;
let browser: Browser;
let evil: Server | null = null;

beforeAll(async () => {
  if (!RUN_IN_BROWSER) return;
  mkdirSync(OUT, { recursive: true });
  stack = await startStack({ anonymousAccess: "oauth", vars: { RATE_LIMIT_MAX_REQUESTS: "1000" } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await new Promise<void>((done) => (evil ? evil.close(() => done()) : done()));
  await stack?.stop();
});

/** A fresh page that records CSP violations and console errors. */
async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return { page, problems };
}

describe.skipIf(!RUN_IN_BROWSER)("sign-in page in Chromium", () => {
  let sessionId = "";

  it("shows the form, explains a wrong password, then signs in and shows the session ID and configuration", async () => {
    const { page, problems } = await newPage();
    const first = await page.goto(`${stack.serverUrl}/login`);
    expect(first?.status()).toBe(200);
    expect(first?.headers()["cache-control"]).toBe("no-store");
    await expect(page.title()).resolves.toContain("Sign in");
    // Accessible names: the fields are reachable by their labels.
    await page.getByLabel("E-mail", { exact: true }).fill(AYSE.email);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.screenshot({ path: `${OUT}/login-form.png`, fullPage: true });

    const [wrong] = await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
    expect(wrong?.status()).toBe(400);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("The e-mail address or password is wrong.");
    // The e-mail is kept, the password is not, and the field at fault is marked.
    await expect(page.getByLabel("E-mail", { exact: true }).inputValue()).resolves.toBe(AYSE.email);
    await expect(page.getByLabel("Password", { exact: true }).inputValue()).resolves.toBe("");
    await expect(page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");

    await page.getByLabel("Password", { exact: true }).fill(AYSE.password);
    const [ok] = await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
    expect(ok?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("You are signed in");
    sessionId = await page.getByTestId("session-id").inputValue();
    expect(sessionId).toMatch(/^sess_[A-Za-z0-9_-]{43}$/);
    const expires = await page.getByTestId("expires-at").getAttribute("datetime");
    expect(Date.parse(expires ?? "") - Date.now()).toBeGreaterThan(3_600_000);
    const config = JSON.parse(await page.getByTestId("claude-config").inputValue()) as {
      mcpServers: { passgage: { command: string; args: string[]; env: Record<string, string> } };
    };
    expect(config.mcpServers.passgage.command).toBe("npx");
    expect(config.mcpServers.passgage.args).toContain(`${stack.serverUrl}/mcp`);
    expect(config.mcpServers.passgage.env.PASSGAGE_SESSION_ID).toBe(sessionId);
    // The copy buttons are revealed by the page script: the CSP hash lets it run.
    await expect(page.getByRole("button", { name: "Copy session ID" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${OUT}/login-page.png`, fullPage: true });
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.context().close();
  });

  it("the session ID from the page works over MCP: passgage_session_status shows the user", async () => {
    expect(sessionId).not.toBe("");
    const client = await connectClient("sdk1", stack.serverUrl, { "X-Session-ID": sessionId });
    try {
      const status = await client.call("passgage_session_status");
      expect(status.isError).toBe(false);
      expect(status.text).toContain(AYSE.email);
      expect(status.structured?.signedIn).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("signs in with a company API key", async () => {
    const { page } = await newPage();
    await page.goto(`${stack.serverUrl}/login`);
    await page.getByLabel("Company API key", { exact: true }).fill("psg_cmp_sandbox_acme_0000000000000000");
    const [res] = await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Sign in with the API key" }).click()]);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain("company mode");
    await page.context().close();
  });

  it("refuses a forged post from another site (403), and no session is created", async () => {
    // The attacker's page: another origin (localhost vs 127.0.0.1) that auto-submits a form to /login.
    const target = `${stack.serverUrl}/login`;
    evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!doctype html><form method="post" action="${target}"><input name="method" value="password"><input name="email" value="${AYSE.email}"><input name="password" value="${AYSE.password}"><input name="csrf" value="v1.0.forged"></form><script>document.forms[0].submit()</script>`,
      );
    });
    await new Promise<void>((done) => evil?.listen(0, "127.0.0.1", () => done()));
    const port = (evil.address() as AddressInfo).port;
    const { page } = await newPage();
    // The victim opened the real page before, so the browser holds a CSRF cookie for it.
    await page.goto(`${stack.serverUrl}/login`);
    const forged = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.goto(`http://localhost:${port}/`);
    const res = await forged;
    expect(res.status()).toBe(403);
    await page.waitForLoadState();
    await expect(page.locator("body").textContent()).resolves.not.toMatch(/sess_[A-Za-z0-9_-]{43}/);
    await page.context().close();
  });
});
