/**
 * Maps an `UpstreamError` onto the `ToolError` the model reads: 422 field
 * errors name the fields, 404 says what was not found, and transient failures
 * (timeouts, network, 5xx, malformed answers, rate limits) are `retryable`.
 * Upstream messages are quoted clipped and stripped of control characters;
 * credentials never reach these texts (the client never puts them in errors).
 */
import type { FieldError } from "../passgage/response-envelope";
import type { UpstreamError } from "../passgage/client";
import type { ToolError } from "./define-tool";

/** What the failing call was about, for the wording. */
export interface ErrorSubject {
  /** Singular noun of the record ("leave", "shift break"). */
  readonly noun: string;
  /** Record id the call addressed, when it addressed one. */
  readonly id?: string;
  /** Whether the call wrote (create, update, delete, action). */
  readonly write: boolean;
}

const MAX_QUOTE_CHARS = 300;

/** Cleans an upstream text for quoting: no control characters, bounded. */
function quote(s: string): string {
  // Matching control characters is the point here: they are replaced before the text is quoted.
  // oxlint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length <= MAX_QUOTE_CHARS ? clean : `${clean.slice(0, MAX_QUOTE_CHARS - 1)}…`;
}

/** `field: msg1, msg2; other: msg` (messages without a field listed bare). */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors
    .slice(0, 20)
    .map((e) => {
      const msgs = e.messages.map(quote).join(", ");
      return e.field === null ? msgs || "invalid" : `${quote(e.field)}: ${msgs || "invalid"}`;
    })
    .join("; ");
}

function passgageSays(message: string): string {
  const q = quote(message);
  return q === "" ? "" : ` Passgage said: "${q}".`;
}

const AMBIGUOUS: ReadonlySet<UpstreamError["code"]> = new Set(["timeout", "network", "malformed", "server"]);

/**
 * The tool error for an upstream failure. A write that failed ambiguously (timeout,
 * connection lost, 5xx, unreadable answer) may have been applied upstream: it is not
 * marked retryable, and the text says to check the record before calling again, so
 * following it never makes the change twice. A 429 was not processed: retryable.
 */
export function upstreamToolError(e: UpstreamError, subject: ErrorSubject): ToolError {
  const base = upstreamToolErrorOf(e, subject);
  if (!subject.write || !AMBIGUOUS.has(e.code)) return base;
  return {
    code: base.code,
    message: `${base.message} It is unknown whether the ${subject.noun} change was made: Passgage may have applied it. Check the record (list or get it) before calling this tool again, so the change is not made twice.`,
    retryable: false,
  };
}

function upstreamToolErrorOf(e: UpstreamError, subject: ErrorSubject): ToolError {
  switch (e.code) {
    case "validation": {
      const fields = e.fieldErrors.map((f) => f.field).filter((f): f is string => f !== null);
      const detail = formatFieldErrors(e.fieldErrors);
      const which = fields.length > 0 ? ` Fields with errors: ${[...new Set(fields)].map(quote).join(", ")}.` : "";
      return {
        code: "upstream_validation",
        message: `Passgage rejected the ${subject.noun} (422 ${quote(e.message)}).${which}${detail !== "" ? ` Details: ${detail}.` : ""} Fix the arguments and call again.`,
      };
    }
    case "not_found": {
      const what =
        subject.id !== undefined
          ? `No ${subject.noun} with id ${quote(subject.id)} was found (or it is not visible to this session).`
          : subject.write
            ? `A record referred to by this ${subject.noun} request was not found; check the ids you passed.`
            : `The ${subject.noun} was not found (or it is not visible to this session).`;
      return { code: "upstream_not_found", message: `${what}${passgageSays(e.message)}` };
    }
    case "unauthorized":
      return {
        code: "upstream_unauthorized",
        message: `Passgage did not accept this session's credential (401).${passgageSays(e.message)} Sign in again with passgage_session_login or passgage_session_login_api_key.`,
      };
    case "forbidden":
      return {
        code: "upstream_forbidden",
        message: `Passgage refused this call for the current credential (403).${passgageSays(e.message)} Company-wide data and writes need company mode (passgage_session_switch_mode).`,
      };
    case "timeout":
      return { code: "upstream_timeout", message: `Passgage did not answer within ${Math.round(e.timeoutMs / 1000)} s.`, retryable: true };
    case "network":
      return { code: "upstream_unreachable", message: "Passgage could not be reached.", retryable: true };
    case "malformed":
      return { code: "upstream_malformed", message: `Passgage sent an unreadable answer (HTTP ${e.status}).`, retryable: true };
    case "rate_limited":
      return {
        code: "upstream_rate_limited",
        message: `Passgage is limiting the request rate${e.retryAfterSeconds !== null ? `; wait ${e.retryAfterSeconds} s` : ""}.`,
        retryable: true,
      };
    case "server":
      return {
        code: "upstream_server_error",
        message: `Passgage failed with HTTP ${e.status}.${passgageSays(e.message)}`,
        retryable: true,
      };
    case "http": {
      const detail = formatFieldErrors(e.fieldErrors);
      return {
        code: "upstream_http_error",
        message: `Passgage answered HTTP ${e.status}.${passgageSays(e.message)}${detail !== "" ? ` Details: ${detail}.` : ""}`,
      };
    }
  }
}
