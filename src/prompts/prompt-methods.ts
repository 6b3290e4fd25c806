/**
 * `prompts/list` and `prompts/get` (MCP 2025-11-25 "Prompts"). Arguments are
 * validated against the prompt's declaration: an unknown prompt, a missing required
 * argument, an undeclared argument or a malformed value is JSON-RPC -32602 (the
 * spec's code for invalid prompt name and missing required arguments). An empty
 * string counts as "not given", as clients with forms send it for blank fields.
 */
import type { FeatureMethod } from "../mcp/feature-method";
import { RPC } from "../mcp/errors";
import { err, ok, type Result } from "../result";
import { PROMPTS, PROMPTS_BY_NAME } from "./catalog";
import type { PromptArgs, PromptDefinition } from "./define-prompt";

type RpcFailure = { readonly code: number; readonly message: string };

const invalid = (message: string): { readonly ok: false; readonly error: RpcFailure } => err({ code: RPC.INVALID_PARAMS, message });

/** The prompts/list entry of one prompt. */
export function promptListEntry(p: PromptDefinition): Record<string, unknown> {
  return {
    name: p.name,
    title: p.title,
    description: p.description,
    arguments: p.arguments.map((a) => ({ name: a.name, description: a.description, required: a.required })),
  };
}

/** Validates raw prompt arguments against the declaration. */
export function validatePromptArgs(p: PromptDefinition, raw: unknown): Result<PromptArgs, RpcFailure> {
  if (raw !== undefined && (raw === null || typeof raw !== "object" || Array.isArray(raw)))
    return invalid("params.arguments must be an object of strings");
  const given = (raw ?? {}) as Readonly<Record<string, unknown>>;
  const declared = new Set(p.arguments.map((a) => a.name));
  for (const key of Object.keys(given)) {
    if (!declared.has(key))
      return invalid(`Unknown argument ${JSON.stringify(key.slice(0, 60))} for prompt ${p.name} (arguments: ${[...declared].join(", ")})`);
  }
  const out: Record<string, string> = {};
  for (const a of p.arguments) {
    const value = given[a.name];
    if (value !== undefined && value !== null && typeof value !== "string") return invalid(`Argument ${a.name} must be a string`);
    const text = typeof value === "string" ? value.trim() : "";
    if (text === "") {
      if (a.required) return invalid(`Missing required argument ${a.name} for prompt ${p.name}: ${a.description}`);
      continue;
    }
    if (!a.schema.safeParse(text).success) return invalid(`Invalid argument: ${a.invalidMessage}`);
    out[a.name] = text;
  }
  return ok(out);
}

/** prompts/list: every prompt (one page; no cursor needed for four prompts). */
export const listPrompts: FeatureMethod = async () => ok({ prompts: PROMPTS.map(promptListEntry) });

/** prompts/get: one prompt rendered with validated arguments. */
export const getPrompt: FeatureMethod = async (params) => {
  const name = params.name;
  if (typeof name !== "string" || name === "") return invalid("params.name must be a prompt name");
  const prompt = PROMPTS_BY_NAME.get(name);
  if (!prompt) return invalid(`Unknown prompt: ${name.slice(0, 80)} (prompts: ${PROMPTS.map((p) => p.name).join(", ")})`);
  const args = validatePromptArgs(prompt, params.arguments);
  if (!args.ok) return args;
  return ok({
    description: prompt.description,
    messages: [{ role: "user", content: { type: "text", text: prompt.render(args.value, new Date()) } }],
  });
};
