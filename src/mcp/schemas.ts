/** zod/mini schemas of incoming JSON-RPC messages (parsed at the trust boundary). */
import * as z from "zod/mini";
import { describeIssue, formatIssues } from "../validation";

const IdSchema = z.union([z.string().check(z.maxLength(256)), z.number().check(z.int())]);

/** A request: has an id and a method. */
export const RpcRequestSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: IdSchema,
  method: z.string().check(z.minLength(1), z.maxLength(256)),
  params: z.optional(z.record(z.string(), z.unknown())),
});
/** A parsed request. */
export type RpcRequest = z.infer<typeof RpcRequestSchema>;

/** A notification: a method without an id. */
export const RpcNotificationSchema = z.object({
  jsonrpc: z.literal("2.0"),
  method: z.string().check(z.minLength(1), z.maxLength(256)),
  params: z.optional(z.record(z.string(), z.unknown())),
});

/** A response sent by the client (e.g. to a server request): accepted and ignored. */
export const RpcClientResponseSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.nullable(IdSchema),
  result: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
});

/**
 * `initialize` params as the MCP schema requires them (InitializeRequestParams):
 * `protocolVersion`, `capabilities` (an object) and `clientInfo` with `name` and
 * `version`; other members are allowed. Checked by dispatch, -32602 naming the field.
 */
export const InitializeParamsSchema = z.object({
  protocolVersion: z.string().check(z.minLength(1), z.maxLength(64)),
  capabilities: z.record(z.string(), z.unknown()),
  clientInfo: z.object({
    name: z.string().check(z.maxLength(256)),
    version: z.string().check(z.maxLength(256)),
  }),
});

/**
 * Why `initialize` params are invalid (naming the first bad field as `params.<path>`),
 * or null when they are valid.
 */
export function initializeParamsProblem(params: unknown): string | null {
  if (params === undefined) return "params is required: initialize needs protocolVersion, capabilities and clientInfo";
  const r = InitializeParamsSchema.safeParse(params, { reportInput: true });
  if (r.success) return null;
  const issue = r.error.issues[0];
  return issue ? `params${issue.path.map((k) => `.${String(k)}`).join("")}: ${describeIssue(issue)}` : "params: is invalid";
}

/** Classified incoming message. */
export type IncomingMessage =
  | { readonly kind: "request"; readonly message: RpcRequest }
  | { readonly kind: "notification"; readonly method: string }
  | { readonly kind: "response" }
  | { readonly kind: "invalid"; readonly id: string | number | null; readonly reason: string };

/** Classifies one JSON value as a JSON-RPC message. */
export function classifyMessage(value: unknown): IncomingMessage {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { kind: "invalid", id: null, reason: "a JSON-RPC message must be an object" };
  const rec = value as Record<string, unknown>;
  const id = typeof rec.id === "string" || typeof rec.id === "number" ? rec.id : null;
  if ("method" in rec) {
    if ("id" in rec && rec.id !== undefined) {
      const r = RpcRequestSchema.safeParse(value);
      return r.success ? { kind: "request", message: r.data } : { kind: "invalid", id, reason: formatIssues(r.error, 1, "message") };
    }
    const n = RpcNotificationSchema.safeParse(value);
    return n.success
      ? { kind: "notification", method: n.data.method }
      : { kind: "invalid", id: null, reason: formatIssues(n.error, 1, "message") };
  }
  if ("result" in rec || "error" in rec) {
    return RpcClientResponseSchema.safeParse(value).success ? { kind: "response" } : { kind: "invalid", id, reason: "malformed response" };
  }
  return { kind: "invalid", id, reason: "missing method" };
}
