/**
 * The console's stylesheet and security headers: the sign-in page's stylesheet (src/web/html.ts)
 * plus wide tables that scroll on narrow screens, and a Content-Security-Policy allowing exactly
 * this stylesheet (by its SHA-256) and no script at all: the console works with plain forms.
 */
import { utf8 } from "../crypto/encoding";
import { PAGE_CSS } from "../web/html";

/** What the console adds to the shared page stylesheet (contrast-checked colours come from it). */
const CONSOLE_EXTRA_CSS = `
main.console{max-width:72rem}
.who{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.who form button{margin-top:0}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;white-space:nowrap}
td form{margin:0}
td button{margin-top:0;padding:.35rem .8rem;font-size:.9rem}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem;align-items:end}
.filters label{margin-top:.5rem}
.filters select,.filters input{width:100%;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:.375rem;background:var(--bg);color:var(--fg)}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;border:1px solid currentColor;font-size:.8rem}
.idle{color:var(--muted)}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.inline label{margin:0}
.inline input{max-width:22rem}
.danger{background:#b3261e;color:#fff}
@media (prefers-color-scheme:dark){.danger{background:#f2b8b5;color:#370b09}}
`.trim();

/** The console's whole stylesheet. */
export const CONSOLE_CSS = `${PAGE_CSS}\n${CONSOLE_EXTRA_CSS}`;

let cspPromise: Promise<string> | null = null;

function consoleCsp(): Promise<string> {
  cspPromise ??= crypto.subtle
    .digest("SHA-256", utf8.encode(CONSOLE_CSS))
    .then((digest) =>
      [
        "default-src 'none'",
        `style-src 'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`,
        "script-src 'none'",
        "img-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
    );
  return cspPromise;
}

/** Security headers of every console answer (pages and JSON): never cached, never framed, no referrer, strict CSP. */
export async function consoleHeaders(requestId: string, contentType = "text/html; charset=utf-8"): Promise<Headers> {
  return new Headers({
    "content-type": contentType,
    "cache-control": "no-store",
    pragma: "no-cache",
    "content-security-policy": await consoleCsp(),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "x-request-id": requestId,
  });
}
