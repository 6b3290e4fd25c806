/**
 * A prompt is a plain object (like a tool): name, title, description, its declared
 * arguments (each a zod/mini string schema, so validation and the prompts/list entry
 * come from one place) and a pure `render(args, now)` that returns the text of the
 * user message. No registration side effects.
 */
import type * as z from "zod/mini";

/** One declared prompt argument. */
export interface PromptArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  /** Validates the value (all MCP prompt arguments are strings). */
  readonly schema: z.ZodMiniType<string, string>;
  /** What to tell the caller when the value fails `schema`. */
  readonly invalidMessage: string;
}

/** Validated arguments by name: required ones always present, optional ones only when given. */
export type PromptArgs = Readonly<Record<string, string | undefined>>;

/** One prompt. */
export interface PromptDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgumentSpec[];
  /** The user message for validated arguments; `now` is the request time (for "this week"). */
  readonly render: (args: PromptArgs, now: Date) => string;
}

/** Identity function that checks a prompt's shape. */
export function definePrompt(prompt: PromptDefinition): PromptDefinition {
  return prompt;
}
