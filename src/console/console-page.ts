/**
 * The web console's HTML (issue 13), pure rendering: the sign-in page (a company key, a user's
 * e-mail and password, or, for operators, the admin token) and the console itself: who is
 * signed in, the sessions in scope with filters and an "End session" button each, ending every
 * session of a user (admins and operators), and the audit trail. Plain forms, no script; every
 * state change carries the CSRF field. Accessible by construction: labelled fields, table
 * captions and header cells, buttons named after what they end, a status region for results,
 * visible focus and the shared high-contrast palette. Never a session ID, token or key.
 */
import type { AuditRecord } from "../registry/audit-sql";
import type { ListedSession } from "../registry/listed-session";
import type { SessionFilter } from "../registry/session-filter";
import { escapeHtml, htmlDocument } from "../web/html";
import { CONSOLE_CSS } from "./console-style";

/** Name of the CSRF form field of the console's forms. */
export const CONSOLE_CSRF_FIELD = "csrf";

/** A problem or a result shown at the top of a page. */
export interface Notice {
  readonly kind: "ok" | "error";
  readonly title: string;
  readonly text: string;
}

/** What the sign-in page shows. */
export interface ConsoleSignInView {
  readonly csrfToken: string;
  readonly notice?: Notice;
  readonly email?: string;
  /** Whether the admin-token form is offered (ADMIN_TOKEN is set). */
  readonly operatorEnabled: boolean;
  /** Which field is at fault, for focus and aria-invalid. */
  readonly field?: "email" | "password" | "api_key" | "admin_token";
}

/** What the console shows. */
export interface ConsoleView {
  readonly csrfToken: string;
  readonly kind: "operator" | "company_admin" | "user";
  /** "ayse@acme.example", "Acme (company key)" or "Operator". */
  readonly who: string;
  readonly company: string | null;
  readonly notice?: Notice;
  readonly filter: SessionFilter & { readonly company?: string };
  readonly sessions: readonly ListedSession[];
  /** The query string of the next page (filters kept), or null. */
  readonly nextPage: string | null;
  readonly audit: readonly AuditRecord[] | null;
  readonly now: number;
}

/** A whole console document around `body`: the sign-in pages' document with the console's style and no script. */
function consoleDocument(title: string, body: string): string {
  return htmlDocument(title, body, { css: CONSOLE_CSS, script: null, mainClass: "console" });
}

function noticeBlock(notice: Notice | undefined): string {
  if (!notice) return "";
  const role = notice.kind === "error" ? "alert" : "status";
  return `<div class="${notice.kind === "error" ? "alert" : "success"}" role="${role}" id="notice"><h2>${escapeHtml(notice.title)}</h2><p>${escapeHtml(notice.text)}</p></div>`;
}

function invalid(view: ConsoleSignInView, field: ConsoleSignInView["field"]): string {
  return view.field === field ? ' aria-invalid="true" aria-describedby="notice" autofocus' : "";
}

/** The console's sign-in page. */
export function renderConsoleSignIn(view: ConsoleSignInView): string {
  const csrf = `<input type="hidden" name="${CONSOLE_CSRF_FIELD}" value="${escapeHtml(view.csrfToken)}">`;
  const operator = view.operatorEnabled
    ? `<section aria-labelledby="admin-heading">
  <h2 id="admin-heading">Operators: with the admin token</h2>
  <p class="hint">Every company's sessions. The token is checked once; the console keeps only a signed, hour-long sign-in of its own.</p>
  <form method="post" action="/console/login">
    ${csrf}
    <input type="hidden" name="method" value="admin_token">
    <label for="admin-token">Admin token</label>
    <input id="admin-token" name="admin_token" type="password" class="mono" autocomplete="off" spellcheck="false" required maxlength="512"${invalid(view, "admin_token")}>
    <button type="submit">Sign in as operator</button>
  </form>
</section>`
    : "";
  const body = `
<h1>Passgage sessions console</h1>
<p class="lead">See and end the sessions connected to this server: company administrators see their company's, everyone sees their own.</p>
${noticeBlock(view.notice)}
<section aria-labelledby="key-heading">
  <h2 id="key-heading">Company administrators: with the company API key</h2>
  <p class="hint">Your company's sessions. The key starts with <code>psg_cmp_</code>.</p>
  <form method="post" action="/console/login">
    ${csrf}
    <input type="hidden" name="method" value="api_key">
    <label for="api-key">Company API key</label>
    <input id="api-key" name="api_key" type="password" class="mono" autocomplete="off" spellcheck="false" required maxlength="200"${invalid(view, "api_key")}>
    <button type="submit">Sign in with the API key</button>
  </form>
</section>
<section aria-labelledby="password-heading">
  <h2 id="password-heading">Everyone: with your Passgage e-mail and password</h2>
  <p class="hint">Your own sessions (your other devices and assistants).</p>
  <form method="post" action="/console/login">
    ${csrf}
    <input type="hidden" name="method" value="password">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" inputmode="email" autocomplete="username" spellcheck="false" required maxlength="254" value="${escapeHtml(view.email ?? "")}"${invalid(view, "email")}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${invalid(view, "password")}>
    <button type="submit">Sign in</button>
  </form>
</section>
${operator}`;
  return consoleDocument(
    view.notice?.kind === "error" ? `Error: ${view.notice.title} · Passgage console` : "Sign in · Passgage console",
    body,
  );
}

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const utcIso = (iso: string): string => utc(Date.parse(iso));

function option(value: string, label: string, selected: string | undefined): string {
  return `<option value="${escapeHtml(value)}"${selected === value ? " selected" : ""}>${escapeHtml(label)}</option>`;
}

function filtersForm(view: ConsoleView): string {
  const f = view.filter;
  const company =
    view.kind === "operator"
      ? `<div><label for="f-company">Company id</label><input id="f-company" name="company" maxlength="256" value="${escapeHtml(f.company ?? "")}"></div>`
      : "";
  const user =
    view.kind === "user"
      ? ""
      : `<div><label for="f-user">User (e-mail or id)</label><input id="f-user" name="user" type="search" maxlength="254" value="${escapeHtml(f.user ?? "")}"></div>`;
  return `<form method="get" action="/console" class="filters" aria-label="Filter sessions">
  ${company}${user}
  <div><label for="f-mode">Mode</label><select id="f-mode" name="mode">${option("", "Any", f.mode ?? "")}${option("user", "User", f.mode)}${option("company", "Company", f.mode)}</select></div>
  <div><label for="f-client">Client</label><input id="f-client" name="client" maxlength="200" placeholder="header, or a client name" value="${escapeHtml(f.client ?? "")}"></div>
  <div><label for="f-activity">Activity</label><select id="f-activity" name="activity">${option("", "Any", f.activity ?? "")}${option("active", "Active", f.activity)}${option("idle", "Idle", f.activity)}</select></div>
  <div><button type="submit">Apply filters</button> <a href="/console">Clear</a></div>
</form>`;
}

function sessionRow(view: ConsoleView, s: ListedSession): string {
  const who = s.email ?? "Company API key";
  const action = s.current
    ? `<span class="badge">This console</span>`
    : `<form method="post" action="/console/revoke">
        <input type="hidden" name="${CONSOLE_CSRF_FIELD}" value="${escapeHtml(view.csrfToken)}">
        <input type="hidden" name="handle" value="${escapeHtml(s.handle)}">
        ${view.kind === "operator" ? `<input type="hidden" name="company" value="${escapeHtml(s.companyId)}">` : ""}
        <button type="submit" class="danger" aria-label="End session ${escapeHtml(s.handle)} of ${escapeHtml(who)} (${escapeHtml(s.client)})" data-testid="end-${escapeHtml(s.handle)}">End session</button>
      </form>`;
  return `<tr data-handle="${escapeHtml(s.handle)}">
    <td>${escapeHtml(who)}${view.kind === "operator" ? `<br><span class="hint">${escapeHtml(s.companyName)}</span>` : ""}</td>
    <td>${s.mode}</td>
    <td>${escapeHtml(s.client)}</td>
    <td><time datetime="${escapeHtml(s.createdAt)}">${utcIso(s.createdAt)}</time></td>
    <td><time datetime="${escapeHtml(s.lastSeenAt)}">${utcIso(s.lastSeenAt)}</time></td>
    <td><time datetime="${escapeHtml(s.expiresAt)}">${utcIso(s.expiresAt)}</time></td>
    <td>${s.active ? "Active" : '<span class="idle">Idle</span>'}</td>
    <td><code>${escapeHtml(s.handle)}</code></td>
    <td>${action}</td>
  </tr>`;
}

function sessionsTable(view: ConsoleView): string {
  const rows = view.sessions.map((s) => sessionRow(view, s)).join("\n");
  const empty = view.sessions.length === 0 ? `<p>No live session matches.</p>` : "";
  const next = view.nextPage === null ? "" : `<p><a href="/console?${escapeHtml(view.nextPage)}">Next page of sessions</a></p>`;
  return `<div class="table-wrap"><table data-testid="sessions">
  <caption>${view.sessions.length} live session(s) on this page</caption>
  <thead><tr><th scope="col">Who</th><th scope="col">Mode</th><th scope="col">Client</th><th scope="col">Created</th><th scope="col">Last seen</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Handle</th><th scope="col">Action</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>${empty}${next}`;
}

function endAllForm(view: ConsoleView): string {
  if (view.kind === "user") return "";
  const company =
    view.kind === "operator"
      ? `<div><label for="all-company">Company id</label><input id="all-company" name="company" required maxlength="256"></div>`
      : "";
  return `<section aria-labelledby="all-heading">
  <h2 id="all-heading">End every session of a user</h2>
  <p class="hint">For a lost laptop or a departing employee: every session of that user ends at once (their assistants must sign in again).</p>
  <form method="post" action="/console/revoke" class="inline">
    <input type="hidden" name="${CONSOLE_CSRF_FIELD}" value="${escapeHtml(view.csrfToken)}">
    <input type="hidden" name="all" value="true">
    ${company}
    <div><label for="all-user">User e-mail or id</label><input id="all-user" name="user" required maxlength="254" autocomplete="off"></div>
    <button type="submit" class="danger">End all their sessions</button>
  </form>
</section>`;
}

const EVENT_LABELS: Readonly<Record<AuditRecord["event"], string>> = {
  signed_in: "Signed in",
  signed_out: "Signed out",
  revoked: "Ended (revoked)",
  expired: "Expired",
  ended_with_source: "Ended with its source session",
  limit_hit: "Refused by a limit",
  sign_in_failed: "Sign-in failed",
};

function auditTable(audit: readonly AuditRecord[] | null): string {
  if (audit === null)
    return `<p class="hint">Operators: filter by a company id above to read that company's audit trail (or use GET /admin/audit).</p>`;
  if (audit.length === 0) return "<p>No events recorded yet.</p>";
  const rows = audit
    .map(
      (r) =>
        `<tr><td><time datetime="${new Date(r.at).toISOString()}">${utc(r.at)}</time></td><td>${escapeHtml(EVENT_LABELS[r.event])}</td><td>${escapeHtml(r.actor)}</td><td>${escapeHtml(r.subject ?? "")}</td><td>${escapeHtml(r.client ?? "")}</td><td><code>${escapeHtml(r.handle ?? "")}</code></td><td>${escapeHtml(r.detail ?? "")}</td></tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table data-testid="audit">
  <caption>Latest ${audit.length} event(s), newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">By</th><th scope="col">Session of</th><th scope="col">Client</th><th scope="col">Handle</th><th scope="col">Note</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>`;
}

/** The console page. */
export function renderConsole(view: ConsoleView): string {
  const scope =
    view.kind === "operator"
      ? "every company's sessions"
      : view.kind === "company_admin"
        ? "every session of your company"
        : "your own sessions";
  const body = `
<div class="who">
  <div><h1>Sessions console</h1><p class="lead">Signed in as <strong data-testid="who">${escapeHtml(view.who)}</strong>${view.company ? ` · <strong>${escapeHtml(view.company)}</strong>` : ""} · you see ${scope}</p></div>
  <form method="post" action="/console/logout"><input type="hidden" name="${CONSOLE_CSRF_FIELD}" value="${escapeHtml(view.csrfToken)}"><button type="submit" class="secondary">Sign out of the console</button></form>
</div>
${noticeBlock(view.notice)}
<section aria-labelledby="sessions-heading">
  <h2 id="sessions-heading">Live sessions</h2>
  <p class="hint">"Header session" = a client using a session ID (X-Session-ID); other names are OAuth clients. Idle = not seen for 15 minutes. Ending a session takes effect on its next request, everywhere, and signs it out of Passgage.</p>
  ${filtersForm(view)}
  ${sessionsTable(view)}
</section>
${endAllForm(view)}
<section aria-labelledby="audit-heading">
  <h2 id="audit-heading">Audit trail</h2>
  ${auditTable(view.audit)}
</section>
<footer><p>Page generated at ${utc(view.now)}. Session IDs and tokens are never shown here.</p></footer>`;
  return consoleDocument("Sessions console · Passgage", body);
}

/** A page with one message (misconfigured server, wrong method). */
export function renderConsoleMessage(title: string, text: string): string {
  return consoleDocument(
    `${title} · Passgage console`,
    `<h1>${escapeHtml(title)}</h1><div class="alert" role="alert"><p>${escapeHtml(text)}</p></div><p><a href="/console">Back to the console</a></p>`,
  );
}
