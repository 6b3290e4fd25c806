/**
 * The session tools: sign in (password or company API key), status, switch mode,
 * list the company's sessions, sign out. Their handlers call `ctx.control`, which the
 * SessionDO (signed in) or the edge's anonymous path implements.
 */
import * as z from "zod/mini";
import { err, ok } from "../result";
import type { LoginOutcome, SessionError, SessionView } from "../session/types";
import { defineTool, type ToolAnnotations, type ToolError } from "./define-tool";
import { SIGN_IN_GUIDE } from "./guidance";
import { AuthModeSchema } from "../contract/enums";
import { COMPANY_API_KEY_PATTERN } from "../session/credentials";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageSizeSchema } from "../registry/page-cursor";

const UserSchema = z.nullable(z.object({ id: z.string(), email: z.string(), fullName: z.nullable(z.string()) }));
const CompanySchema = z.object({ id: z.string(), name: z.string() });

const SessionViewSchema = z.object({
  sessionHash: z.string(),
  authMode: AuthModeSchema,
  availableModes: z.array(AuthModeSchema),
  user: UserSchema,
  company: CompanySchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  lastSeenAt: z.string(),
});

const LoginResultSchema = z.object({
  sessionId: z.string(),
  authMode: AuthModeSchema,
  availableModes: z.array(AuthModeSchema),
  expiresAt: z.string(),
  user: UserSchema,
  company: CompanySchema,
  created: z.boolean(),
  instructions: z.string(),
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** Structured public view of a session. */
export function viewToStructured(view: SessionView): z.infer<typeof SessionViewSchema> {
  return {
    sessionHash: view.hash,
    authMode: view.mode,
    availableModes: [...view.modes],
    user: view.user ? { id: view.user.id, email: view.user.email, fullName: view.user.fullName } : null,
    company: { id: view.company.id, name: view.company.name },
    createdAt: iso(view.createdAt),
    expiresAt: iso(view.expiresAt),
    lastSeenAt: iso(view.lastSeenAt),
  };
}

function toToolError(e: SessionError): ToolError {
  return { code: e.code, message: e.message, retryable: e.retryable ?? false };
}

function loginResult(outcome: LoginOutcome): { text: string; structured: z.infer<typeof LoginResultSchema> } {
  const v = outcome.view;
  const who = v.mode === "user" && v.user ? `${v.user.fullName ?? v.user.email} (${v.user.email})` : `company ${v.company.name}`;
  const carried = outcome.carried;
  const instructions = [
    `Signed in as ${who}, ${v.mode} mode, until ${iso(v.expiresAt)}. This is a new session (${v.hash}) that only you received.`,
    carried && carried.modes.length > 0
      ? `This new session also carries the ${carried.modes.join(" and ")}-mode login of ${carried.from} from the session your client presented; that session is unchanged.`
      : "",
    outcome.binding === "oauth"
      ? "This client is connected through OAuth: it keeps acting for the session its access token names, not for this new one. To use the new session, put the session ID below in the X-Session-ID header of a client that does not sign in with OAuth."
      : outcome.binding === "connection"
        ? "This answer carries a new Mcp-Session-Id: a client that adopts it (the MCP SDK 1.x, mcp-remote) uses the new session from its next request; a client that keeps its old Mcp-Session-Id stays signed out and must put the session ID below in X-Session-ID."
        : "This client is not signed in automatically: put the session ID below in its X-Session-ID header.",
    outcome.headerNamesOther
      ? "The X-Session-ID header this client sends names another session (or none): replace it with the new ID to use this session from other connections."
      : "",
    `To stay signed in from other connections, set the header X-Session-ID: ${outcome.sessionId} in your MCP client configuration (for Claude Desktop with mcp-remote: --header "X-Session-ID:\${PASSGAGE_SESSION_ID}" and PASSGAGE_SESSION_ID in env).`,
    "Treat the session ID like a password: anyone holding it acts as you until it expires or you sign out (passgage_session_logout).",
    v.modes.length > 1 ? "Both modes are available: passgage_session_switch_mode switches between user and company." : "",
  ]
    .filter((s) => s !== "")
    .join("\n");
  const view = viewToStructured(v);
  return {
    text: instructions,
    structured: {
      sessionId: outcome.sessionId,
      authMode: view.authMode,
      availableModes: view.availableModes,
      expiresAt: view.expiresAt,
      user: view.user,
      company: view.company,
      created: outcome.created,
      instructions,
    },
  };
}

const WRITE_SESSION: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
const READ_LOCAL: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Sign in with a Passgage e-mail and password (user mode). */
export const sessionLogin = defineTool({
  name: "passgage_session_login",
  title: "Sign in to Passgage (e-mail and password)",
  description:
    "Signs in with your Passgage e-mail and password and starts a session in user mode (your own leaves, shifts, approvals). The password is used once for the Passgage login and never stored. Prefer the browser sign-in page (/login on this server) so the password never passes through the chat. A sign-in always starts a NEW session; when your client presents a session of the same company, its company-key login is carried into the new one (the presented session stays as it was).",
  inputSchema: z.object({
    email: z.email().check(z.maxLength(254), z.describe("Your Passgage account e-mail address.")),
    password: z.string().check(z.minLength(1), z.maxLength(256), z.describe("Your Passgage password (used once, never stored).")),
  }),
  outputSchema: LoginResultSchema,
  annotations: WRITE_SESSION,
  access: "anyone",
  operations: ["auth.login"],
  group: "Session",
  handler: async (input, ctx) => {
    const r = await ctx.control.login(input.email, input.password);
    return r.ok ? ok(loginResult(r.value)) : err(toToolError(r.error));
  },
});

/** Sign in with a company API key (company mode). */
export const sessionLoginApiKey = defineTool({
  name: "passgage_session_login_api_key",
  title: "Sign in to Passgage (company API key)",
  description:
    "Signs in with a Passgage company API key (psg_cmp_...) and starts a session in company mode (company-wide data and writes). The key is checked with one read and kept only encrypted. Prefer the browser sign-in page (/login on this server) so the key never passes through the chat. A sign-in always starts a NEW session; when your client presents a session of the same company, its user login is carried into the new one (the presented session stays as it was).",
  inputSchema: z.object({
    apiKey: z
      .string()
      .check(
        z.regex(COMPANY_API_KEY_PATTERN, "must be a Passgage company API key (psg_cmp_...)"),
        z.describe("Company API key, starting with psg_cmp_."),
      ),
  }),
  outputSchema: LoginResultSchema,
  annotations: WRITE_SESSION,
  access: "anyone",
  operations: ["users.list"],
  group: "Session",
  handler: async (input, ctx) => {
    const r = await ctx.control.loginApiKey(input.apiKey);
    return r.ok ? ok(loginResult(r.value)) : err(toToolError(r.error));
  },
});

/** Who am I, which mode, until when. */
export const sessionStatus = defineTool({
  name: "passgage_session_status",
  title: "Session status",
  description:
    "Shows whether this connection is signed in: mode, available modes, user, company, created, expires and last seen. Without a session it explains both ways to sign in (the /login page of this server, or passgage_session_login) and how to put the session ID in the client's X-Session-ID header. Call it first.",
  inputSchema: z.object({}),
  outputSchema: z.object({ signedIn: z.boolean(), session: z.nullable(SessionViewSchema), guide: z.optional(z.string()) }),
  annotations: READ_LOCAL,
  access: "anyone",
  operations: [],
  group: "Session",
  handler: async (_input, ctx) => {
    if (!ctx.session) return ok({ text: SIGN_IN_GUIDE, structured: { signedIn: false, session: null, guide: SIGN_IN_GUIDE } });
    const v = ctx.session;
    const s = viewToStructured(v);
    const text = [
      `Signed in: ${v.mode === "user" && v.user ? `${v.user.fullName ?? v.user.email} <${v.user.email}>` : "company API key"} at ${v.company.name}.`,
      `Mode: ${v.mode} (available: ${v.modes.join(", ")}).`,
      `Created ${s.createdAt}, expires ${s.expiresAt}, last seen ${s.lastSeenAt}. Session ${v.hash}.`,
      v.client
        ? `Connected through OAuth by ${v.client.name}: this client holds an access token for this session; signing out (passgage_session_logout) ends its access, and it will ask you to sign in again.`
        : "",
    ]
      .filter((line) => line !== "")
      .join("\n");
    return ok({ text, structured: { signedIn: true, session: s } });
  },
});

/** Switch between user and company mode. */
export const sessionSwitchMode = defineTool({
  name: "passgage_session_switch_mode",
  title: "Switch mode (user / company)",
  description:
    "Switches the session between user mode (your own data, via your login) and company mode (company-wide, via the company API key). The session must hold the credential of the target mode.",
  inputSchema: z.object({ mode: AuthModeSchema.check(z.describe("user: your own data; company: company-wide data and writes.")) }),
  outputSchema: SessionViewSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  access: ["user", "company"],
  operations: [],
  group: "Session",
  handler: async (input, ctx) => {
    const r = await ctx.control.switchMode(input.mode);
    if (!r.ok) return err(toToolError(r.error));
    return ok({ text: `Now in ${r.value.mode} mode.`, structured: viewToStructured(r.value) });
  },
});

const ListedSessionSchema = z.object({
  sessionHash: z.string(),
  email: z.nullable(z.string()),
  mode: AuthModeSchema,
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});

/**
 * The company's live sessions (company mode), one page at a time (`limit`, default
 * DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE; `cursor` = the previous page's `nextCursor`),
 * oldest first. Keyset pages: sessions that start or end between pages shift nothing.
 */
export const sessionList = defineTool({
  name: "passgage_session_list",
  title: "List your company's sessions",
  description: `Company mode only: lists the live MCP sessions of your own company (e-mail, mode, created, last seen, expires, a short hash), oldest first, ${DEFAULT_PAGE_SIZE} per page by default (limit, at most ${MAX_PAGE_SIZE}); pass nextCursor as cursor for the next page. Session IDs are never shown.`,
  inputSchema: z.object({
    limit: z.optional(PageSizeSchema.check(z.describe(`Sessions per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`))),
    cursor: z.optional(z.string().check(z.maxLength(512), z.describe("The nextCursor of the previous page; omit for the first page."))),
  }),
  outputSchema: z.object({ company: z.string(), sessions: z.array(ListedSessionSchema), nextCursor: z.nullable(z.string()) }),
  annotations: READ_LOCAL,
  access: ["company"],
  operations: [],
  group: "Session",
  handler: async (input, ctx) => {
    const position = input.cursor === undefined ? null : decodeCursor(input.cursor);
    if (input.cursor !== undefined && position === null)
      return err({ code: "invalid_cursor", message: "cursor is not a nextCursor this tool returned; omit it for the first page." });
    const r = await ctx.control.listCompanySessions(position, input.limit ?? DEFAULT_PAGE_SIZE);
    if (!r.ok) return err(toToolError(r.error));
    const pageEntries = r.value.items;
    const nextCursor = r.value.nextCursor;
    const sessions = pageEntries.map((e) => ({
      sessionHash: e.hash,
      email: e.email,
      mode: e.mode,
      createdAt: iso(e.createdAt),
      lastSeenAt: iso(e.lastSeenAt),
      expiresAt: iso(e.expiresAt),
    }));
    const company = ctx.session?.company.name ?? "";
    const lines = sessions.map(
      (s) => `- ${s.sessionHash} ${s.email ?? "(API key)"} ${s.mode}, last seen ${s.lastSeenAt}, expires ${s.expiresAt}`,
    );
    const more = nextCursor === null ? "" : `\nMore sessions follow: call again with cursor "${nextCursor}".`;
    return ok({
      text: `${sessions.length} live session(s) at ${company} on this page:\n${lines.join("\n")}${more}`,
      structured: { company, sessions, nextCursor },
    });
  },
});

/** Sign out: upstream logout, then every trace of the session is wiped. */
export const sessionLogout = defineTool({
  name: "passgage_session_logout",
  title: "Sign out",
  description:
    "Signs out: logs out of Passgage (the user token is invalidated) and deletes the session's stored state, mirror and registry entry. The session ID stops working immediately.",
  inputSchema: z.object({}),
  outputSchema: z.object({ loggedOut: z.boolean(), upstreamLoggedOut: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  access: ["user", "company"],
  operations: ["auth.logout"],
  group: "Session",
  handler: async (_input, ctx) => {
    const oauthClient = ctx.session?.client;
    const r = await ctx.control.logout();
    if (!r.ok) return err(toToolError(r.error));
    return ok({
      text: oauthClient
        ? `Signed out. The OAuth access of ${oauthClient.name} has ended: its token no longer works, and it will ask you to sign in again.`
        : "Signed out. The session ID no longer works; sign in again to continue.",
      structured: { loggedOut: true, upstreamLoggedOut: r.value.upstreamLoggedOut },
    });
  },
});

/** The session tools in catalog order. */
export const SESSION_TOOLS = [sessionLogin, sessionLoginApiKey, sessionStatus, sessionSwitchMode, sessionList, sessionLogout] as const;
