/**
 * The sign-in page's HTML (pure rendering, no I/O): the form (e-mail and password, or
 * a company API key) and the signed-in page with the session ID, its expiry and a
 * ready-to-paste Claude Desktop configuration. Accessible by construction: labelled
 * fields, an alert region naming the problem, `aria-invalid` on the field at fault,
 * and nothing that needs a script (copy buttons are an enhancement).
 */
import { claudeDesktopConfigJson, SESSION_ENV_VAR } from "./claude-config";
import { CSRF_FIELD } from "./csrf";
import { escapeHtml, htmlDocument } from "./html";

/** Which sign-in form. */
export type LoginMethod = "password" | "api_key";

/** A problem shown above the forms. */
export interface FormError {
  readonly title: string;
  readonly message: string;
  /** The form the problem belongs to, and its field at fault (for focus and aria-invalid). */
  readonly method?: LoginMethod;
  readonly field?: "email" | "password" | "api_key";
}

/** What the form page shows. */
export interface LoginFormView {
  readonly csrfToken: string;
  /** This server's MCP endpoint, e.g. https://mcp.example.com/mcp. */
  readonly mcpUrl: string;
  readonly sessionHours: number;
  readonly error?: FormError;
  /** E-mail to keep in the field after an error (never the password or key). */
  readonly email?: string;
}

/** What the signed-in page shows. */
export interface SignedInView {
  readonly sessionId: string;
  readonly expiresAt: number;
  readonly mode: "user" | "company";
  /** "Ayşe Yılmaz (ayse@acme.example)" or "company API key". */
  readonly who: string;
  readonly company: string;
  readonly mcpUrl: string;
}

/** A page that is neither form nor success (a server that cannot sign anyone in). */
export interface MessageView {
  readonly title: string;
  readonly message: string;
}

/** What the two sign-in forms need: where they post, their hidden fields, and the error and e-mail to show. */
export interface SignInFormsView {
  /** The form action (a path of this server). */
  readonly action: string;
  /** Hidden fields besides `method` (the CSRF token, the authorize page's signed parameters). */
  readonly hidden: Readonly<Record<string, string>>;
  readonly error?: FormError;
  readonly email?: string;
}

function invalid(view: SignInFormsView, field: FormError["field"]): string {
  return view.error?.field === field ? ' aria-invalid="true" aria-describedby="form-error" autofocus' : "";
}

/** The alert block naming a problem above the forms (empty without one). */
export function errorBlock(error: FormError | undefined): string {
  if (!error) return "";
  return `<div class="alert" role="alert" id="form-error"><h2>${escapeHtml(error.title)}</h2><p>${escapeHtml(error.message)}</p></div>`;
}

/**
 * The two sign-in forms (e-mail and password for user mode, a company API key for company
 * mode), shared by /login and the OAuth authorize page.
 */
export function renderSignInForms(view: SignInFormsView): string {
  const hidden = Object.entries(view.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n    ");
  const action = escapeHtml(view.action);
  return `<section aria-labelledby="password-heading">
  <h2 id="password-heading">With your Passgage e-mail and password</h2>
  <p class="hint">User mode: your own leaves, shifts, approvals and attendance.</p>
  <form method="post" action="${action}">
    ${hidden}
    <input type="hidden" name="method" value="password">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" inputmode="email" autocomplete="username" spellcheck="false" required maxlength="254" value="${escapeHtml(view.email ?? "")}"${invalid(view, "email")}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${invalid(view, "password")}>
    <button type="submit">Sign in</button>
  </form>
</section>
<section aria-labelledby="key-heading">
  <h2 id="key-heading">With a company API key</h2>
  <p class="hint">Company mode, for administrators: company-wide data and changes. The key starts with <code>psg_cmp_</code>.</p>
  <form method="post" action="${action}">
    ${hidden}
    <input type="hidden" name="method" value="api_key">
    <label for="api-key">Company API key</label>
    <input id="api-key" name="api_key" type="password" class="mono" autocomplete="off" spellcheck="false" required maxlength="200"${invalid(view, "api_key")}>
    <button type="submit">Sign in with the API key</button>
  </form>
</section>`;
}

/** The sign-in form page. */
export function renderLoginForm(view: LoginFormView): string {
  const body = `
<h1>Sign in to Passgage for your AI assistant</h1>
<p class="lead">Sign in here to get a <strong>session ID</strong> for your MCP client (Claude Desktop and others). Your password goes only to Passgage: it never passes through the chat and is never stored.</p>
${errorBlock(view.error)}
${renderSignInForms({
  action: "/login",
  hidden: { [CSRF_FIELD]: view.csrfToken },
  ...(view.error ? { error: view.error } : {}),
  ...(view.email !== undefined ? { email: view.email } : {}),
})}
<footer>
  <p>A session lasts ${view.sessionHours} hours. MCP endpoint of this server: <code>${escapeHtml(view.mcpUrl)}</code>.</p>
  <p>You can also sign in from the chat with the <code>passgage_session_login</code> tool, but then your password passes through the conversation; this page avoids that.</p>
</footer>`;
  return htmlDocument(view.error ? `Error: ${view.error.title} · Passgage sign-in` : "Sign in · Passgage MCP", body);
}

/** The signed-in page: session ID, expiry, configuration. */
export function renderSignedIn(view: SignedInView): string {
  const expires = new Date(view.expiresAt).toISOString();
  const expiresText = `${expires.slice(0, 16).replace("T", " ")} UTC`;
  const config = claudeDesktopConfigJson(view.mcpUrl, view.sessionId);
  const body = `
<h1>You are signed in</h1>
<div class="success" role="status"><p>Signed in as <strong>${escapeHtml(view.who)}</strong> at <strong>${escapeHtml(view.company)}</strong>, ${view.mode} mode.</p></div>
<section aria-labelledby="session-heading">
  <h2 id="session-heading">Your session</h2>
  <dl>
    <dt><label for="session-id">Session ID</label></dt>
    <dd><input id="session-id" class="mono" type="text" readonly value="${escapeHtml(view.sessionId)}" data-testid="session-id" aria-describedby="session-warning"><button type="button" class="secondary" data-copy="session-id" hidden>Copy session ID</button></dd>
    <dt>Expires</dt>
    <dd><time datetime="${expires}" data-testid="expires-at">${expiresText}</time></dd>
  </dl>
  <p class="hint" id="session-warning">Treat the session ID like a password: anyone who has it acts as you until it expires. This page is not stored by your browser; copy the ID now.</p>
</section>
<section aria-labelledby="claude-heading">
  <h2 id="claude-heading">Claude Desktop</h2>
  <ol>
    <li>Open Claude Desktop's <strong>Settings → Developer → Edit Config</strong> (the file <code>claude_desktop_config.json</code>).</li>
    <li>Paste the configuration below. If the file already lists other servers, add only the <code>"passgage"</code> entry inside <code>"mcpServers"</code>.</li>
    <li>Restart Claude Desktop. It needs Node.js 20 or newer for <code>npx</code>.</li>
  </ol>
  <label for="claude-config">claude_desktop_config.json</label>
  <textarea id="claude-config" readonly spellcheck="false" data-testid="claude-config">${escapeHtml(config)}</textarea>
  <button type="button" class="secondary" data-copy="claude-config" hidden>Copy configuration</button>
  <p class="hint">When the session expires, sign in here again and replace only the value of <code>${SESSION_ENV_VAR}</code>.</p>
</section>
<section aria-labelledby="other-heading">
  <h2 id="other-heading">Other MCP clients</h2>
  <p>Connect to <code>${escapeHtml(view.mcpUrl)}</code> (Streamable HTTP) and send the header <code>X-Session-ID</code> with the session ID on every request.</p>
</section>
<p class="visually-hidden" id="copy-status" role="status" aria-live="polite"></p>
<p>To sign out, ask your assistant to call <code>passgage_session_logout</code>. <a href="/login">Sign in with another account</a>.</p>`;
  return htmlDocument("Signed in · Passgage MCP", body);
}

/** A page with one message (e.g. the server is misconfigured). */
export function renderMessage(view: MessageView): string {
  return htmlDocument(
    `${view.title} · Passgage MCP`,
    `<h1>${escapeHtml(view.title)}</h1><div class="alert" role="alert"><p>${escapeHtml(view.message)}</p></div><p><a href="/login">Back to the sign-in page</a></p>`,
  );
}
