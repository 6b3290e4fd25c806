/**
 * Plain HTML pages served by the Worker (the browser sign-in page): escaping, one
 * shared layout with its stylesheet and a tiny progressive-enhancement script, and
 * the response headers every page carries. The stylesheet and script are inline and
 * allowed by their SHA-256 hashes in the Content-Security-Policy (CSP Level 3
 * "hash-source"), so the policy never needs 'unsafe-inline'.
 */
import { utf8 } from "../crypto/encoding";

/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

/** The page stylesheet: system fonts, high contrast, visible focus, dark mode. */
export const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#4b5563;--bg:#f6f7f9;--card:#fff;--line:#d0d5dd;--accent:#0b57d0;--accent-fg:#fff;--err-bg:#fdecea;--err-fg:#8a1c12;--ok-bg:#e7f5ec;--ok-fg:#14532d}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--muted:#b0b6bf;--bg:#14171b;--card:#1d2127;--line:#3b424c;--accent:#8ab4f8;--accent-fg:#0b1526;--err-bg:#3b1512;--err-fg:#ffb4a9;--ok-bg:#10291a;--ok-fg:#a7f3c0}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.15rem;margin:0 0 .25rem}
p{margin:.25rem 0 .75rem}
.lead{color:var(--muted)}
section,.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1.25rem;margin:1rem 0}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,textarea{width:100%;font:inherit;padding:.55rem .65rem;border:1px solid var(--line);border-radius:.375rem;background:var(--bg);color:var(--fg)}
textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;min-height:22rem;resize:vertical}
input.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
button,.button{display:inline-block;margin-top:1rem;font:inherit;font-weight:600;padding:.55rem 1.1rem;border:0;border-radius:.375rem;background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
button.secondary{background:transparent;color:var(--accent);border:1px solid var(--accent);margin-top:.5rem;padding:.35rem .8rem}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.hint{color:var(--muted);font-size:.9rem}
.alert{border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0;background:var(--err-bg);color:var(--err-fg);border:1px solid currentColor}
.alert h2{font-size:1rem}
.success{background:var(--ok-bg);color:var(--ok-fg);border:1px solid currentColor;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}
dl{margin:0}dt{font-weight:600;margin-top:.75rem}dd{margin:.25rem 0 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
ol{padding-left:1.25rem}
footer{color:var(--muted);font-size:.85rem;margin-top:2rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`.trim();

/**
 * Copy buttons: shown only when scripts run (they carry `hidden`), copy the named
 * field's value and announce the result in the polite live region `#copy-status`.
 */
export const PAGE_SCRIPT = `
document.querySelectorAll("button[data-copy]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () {
    var field = document.getElementById(b.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!field) return;
    function done(text) { if (status) status.textContent = text; }
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(function () { done("Copied to the clipboard."); }, function () { field.select(); done("Selected: press Ctrl+C (Cmd+C) to copy."); });
    } else { field.select(); done("Selected: press Ctrl+C (Cmd+C) to copy."); }
  });
});
`.trim();

async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
  // CSP hash-sources use standard, padded base64 (not base64url).
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

let hashesPromise: Promise<readonly [string, string]> | null = null;

/**
 * The Content-Security-Policy of every page (hashes computed once per isolate).
 * `formAction` adds sources to `form-action 'self'`: the OAuth authorize page's form is
 * answered by a redirect to the client, and Chromium applies form-action to that redirect.
 */
export async function contentSecurityPolicy(formAction: readonly string[] = []): Promise<string> {
  hashesPromise ??= Promise.all([sha256Source(PAGE_CSS), sha256Source(PAGE_SCRIPT)]);
  const [style, script] = await hashesPromise;
  return [
    "default-src 'none'",
    `style-src ${style}`,
    `script-src ${script}`,
    "img-src 'self'",
    ["form-action 'self'", ...formAction].join(" "),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/**
 * Security headers of every page: never cached, never framed, no referrer, strict CSP
 * (`formAction`: extra form-action sources, see contentSecurityPolicy).
 */
export async function pageHeaders(requestId: string, formAction: readonly string[] = []): Promise<Headers> {
  return new Headers({
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    pragma: "no-cache",
    "content-security-policy": await contentSecurityPolicy(formAction),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "x-request-id": requestId,
  });
}

/** The style sheet, script (none: null) and main element class of a page; the sign-in pages' by default. */
export interface PageAssets {
  readonly css: string;
  readonly script: string | null;
  readonly mainClass?: string;
}

/** A whole HTML document around `body` (already escaped HTML). */
export function htmlDocument(title: string, body: string, assets: PageAssets = { css: PAGE_CSS, script: PAGE_SCRIPT }): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${assets.css}</style>`,
    "</head>",
    "<body>",
    `<main id="main"${assets.mainClass ? ` class="${assets.mainClass}"` : ""}>${body}</main>`,
    ...(assets.script === null ? [] : [`<script>${assets.script}</script>`]),
    "</body>",
    "</html>",
  ].join("\n");
}
