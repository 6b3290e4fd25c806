/**
 * The shape of a JSON-RPC method handler contributed by an optional MCP feature
 * (prompts, resources). Its own module so feature modules and the registry in
 * features.ts both depend on it without depending on each other.
 */
import type { Result } from "../result";
import type { DispatchContext } from "./dispatch-context";

/** A JSON-RPC method handler of a feature. */
export type FeatureMethod = (
  params: Readonly<Record<string, unknown>>,
  ctx: DispatchContext,
) => Promise<Result<Record<string, unknown>, { readonly code: number; readonly message: string; readonly data?: unknown }>>;
