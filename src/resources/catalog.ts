/**
 * The resource catalog: the caller's profile, the company's leave types, the
 * list-filter guide and the sign-in guide. Resources that need data read it through
 * the dispatch context (`sessionView()`, `callTool()`), so they obey the same modes,
 * limits and refreshes as tools; without a session they answer with a clear
 * "sign in first" text, never an error.
 */
import type { DispatchContext } from "../mcp/dispatch-context";
import { RPC } from "../mcp/errors";
import { retryAfterSeconds } from "../rate-limit/policy";
import { err, ok, type Result } from "../result";
import { SIGN_IN_GUIDE } from "../tools/guidance";
import type { RoutedOutcome } from "../tools/run-tool";
import { listFilterGuide } from "./filter-guide";
import { signInGuide } from "./sign-in-guide";

/** One content item of resources/read. */
export interface TextResourceContents {
  readonly uri: string;
  readonly mimeType: string;
  readonly text: string;
}

/** A JSON-RPC failure of a read. */
export type ReadFailure = { readonly code: number; readonly message: string };

/** One resource. */
export interface ResourceDefinition {
  readonly uri: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: string;
  readonly read: (ctx: DispatchContext) => Promise<Result<readonly TextResourceContents[], ReadFailure>>;
}

const text = (uri: string, body: string, mimeType = "text/plain"): TextResourceContents => ({ uri, mimeType, text: body });
const json = (uri: string, body: unknown): TextResourceContents => ({
  uri,
  mimeType: "application/json",
  text: JSON.stringify(body, null, 2),
});

/** The "sign in first" answer of a data resource read without a session. */
export function signInFirst(uri: string, what: string): TextResourceContents {
  return text(uri, `Sign in first to read ${what}.\n\n${SIGN_IN_GUIDE}`);
}

/** The text of a tool result. */
function resultText(call: Extract<RoutedOutcome, { kind: "result" }>): string {
  return call.result.content.map((c) => c.text).join("\n");
}

/**
 * A routed tool call as resource contents: structured content as JSON when the tool
 * succeeded, its text otherwise (errors carry guidance, e.g. how to switch mode).
 */
function fromCall(uri: string, call: RoutedOutcome): Result<readonly TextResourceContents[], ReadFailure> {
  switch (call.kind) {
    case "result":
      if (call.result.isError) return ok([text(uri, resultText(call))]);
      return ok([call.result.structuredContent ? json(uri, call.result.structuredContent) : text(uri, resultText(call))]);
    case "rate_limited":
      return err({
        code: RPC.RATE_LIMITED,
        message: `Rate limit exceeded for this session; retry after ${retryAfterSeconds(call.retryAfterMs)} s.`,
      });
    case "rpc_error":
      // The tool is not in this server's catalog (or refused its arguments): say so plainly.
      return ok([text(uri, `This resource is not available on this server right now (${call.message}).`)]);
  }
}

/** URI of the profile resource. */
export const PROFILE_URI = "passgage://me/profile";
/** URI of the leave types resource. */
export const LEAVE_TYPES_URI = "passgage://company/leave-types";
/** URI of the list-filter guide. */
export const FILTER_GUIDE_URI = "passgage://guides/list-filters";
/** URI of the sign-in guide. */
export const SIGN_IN_GUIDE_URI = "passgage://guides/sign-in";

/** The caller's profile: session facts, plus the employee record in user mode. */
export const profileResource: ResourceDefinition = {
  uri: PROFILE_URI,
  name: "profile",
  title: "My Passgage profile",
  description: "Who you are signed in as: mode, company, session expiry and, in user mode, your employee record.",
  mimeType: "application/json",
  read: async (ctx) => {
    const view = await ctx.sessionView();
    if (!view) return ok([signInFirst(PROFILE_URI, "your profile")]);
    const session = {
      mode: view.mode,
      availableModes: [...view.modes],
      company: { id: view.company.id, name: view.company.name },
      user: view.user ? { id: view.user.id, email: view.user.email, fullName: view.user.fullName } : null,
      expiresAt: new Date(view.expiresAt).toISOString(),
    };
    if (view.mode !== "user" || !view.user) {
      return ok([
        json(PROFILE_URI, {
          signedIn: true,
          session,
          note: "Company mode (API key): there is no personal employee record. Sign in with e-mail and password for user mode.",
        }),
      ]);
    }
    const call = await ctx.callTool("passgage_get_user", { id: view.user.id });
    if (call.kind === "rate_limited") return fromCall(PROFILE_URI, call);
    if (call.kind === "result" && !call.result.isError) {
      return ok([json(PROFILE_URI, { signedIn: true, session, employee: call.result.structuredContent ?? resultText(call) })]);
    }
    const why = call.kind === "result" ? resultText(call) : call.message;
    return ok([json(PROFILE_URI, { signedIn: true, session, employee: null, employeeUnavailable: why })]);
  },
};

/** The company's leave types (ids to use as leave_type_id). */
export const leaveTypesResource: ResourceDefinition = {
  uri: LEAVE_TYPES_URI,
  name: "leave-types",
  title: "Leave types",
  description: "The company's leave types (first 50): ids for leave_type_id, paid or unpaid, limits, document and hourly rules.",
  mimeType: "application/json",
  read: async (ctx) => {
    const view = await ctx.sessionView();
    if (!view) return ok([signInFirst(LEAVE_TYPES_URI, "the leave types")]);
    return fromCall(LEAVE_TYPES_URI, await ctx.callTool("passgage_list_leave_types", { per_page: 50 }));
  },
};

/** How list tools filter, sort and page. */
export const filterGuideResource: ResourceDefinition = {
  uri: FILTER_GUIDE_URI,
  name: "list-filters",
  title: "Guide: filtering Passgage lists",
  description: "How list tools page, filter and sort, and every filter key of every list tool with its meaning and values.",
  mimeType: "text/markdown",
  read: async () => ok([text(FILTER_GUIDE_URI, listFilterGuide(), "text/markdown")]),
};

/** How to sign in and connect a client. */
export const signInGuideResource: ResourceDefinition = {
  uri: SIGN_IN_GUIDE_URI,
  name: "sign-in",
  title: "Guide: signing in and connecting",
  description:
    "The two ways to sign in (the /login page or the login tools), user and company mode, and how to configure the session ID in an MCP client.",
  mimeType: "text/markdown",
  read: async () => ok([text(SIGN_IN_GUIDE_URI, signInGuide(), "text/markdown")]),
};

/** Every resource, in resources/list order. */
export const RESOURCES: readonly ResourceDefinition[] = [profileResource, leaveTypesResource, filterGuideResource, signInGuideResource];

/** Resources by URI. */
export const RESOURCES_BY_URI: ReadonlyMap<string, ResourceDefinition> = new Map(RESOURCES.map((r) => [r.uri, r]));
