/**
 * Optional MCP features beyond tools (prompts, resources): their method handlers and
 * the capabilities they add to initialize / server/discover. Each feature lives in its
 * own module and registers here.
 */
import type { Result } from "../result";
import type { DispatchContext } from "./dispatch-context";

/** A JSON-RPC method handler of a feature. */
export type FeatureMethod = (
  params: Readonly<Record<string, unknown>>,
  ctx: DispatchContext,
) => Promise<Result<Record<string, unknown>, { readonly code: number; readonly message: string }>>;

/** Extra methods, by name (e.g. "prompts/list"). */
export const FEATURE_METHODS: ReadonlyMap<string, FeatureMethod> = new Map<string, FeatureMethod>([]);

/** Capabilities the features add (e.g. { prompts: { listChanged: false } }). */
export const FEATURE_CAPABILITIES: Readonly<Record<string, unknown>> = {};
