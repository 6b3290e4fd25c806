/**
 * Optional MCP features beyond tools (prompts, resources): their method handlers and
 * the capabilities they add to initialize / server/discover. Each feature lives in its
 * own module and registers here.
 */
import { getPrompt, listPrompts } from "../prompts/prompt-methods";
import { listResources, listResourceTemplates, readResource } from "../resources/resource-methods";
import type { FeatureMethod } from "./feature-method";

/** Extra methods, by name (e.g. "prompts/list"). */
export const FEATURE_METHODS: ReadonlyMap<string, FeatureMethod> = new Map<string, FeatureMethod>([
  ["prompts/list", listPrompts],
  ["prompts/get", getPrompt],
  ["resources/list", listResources],
  ["resources/read", readResource],
  ["resources/templates/list", listResourceTemplates],
]);

/**
 * Capabilities the features add. The lists are fixed at deploy time (no
 * list_changed notifications) and resources cannot be subscribed to.
 */
export const FEATURE_CAPABILITIES: Readonly<Record<string, unknown>> = {
  prompts: { listChanged: false },
  resources: { subscribe: false, listChanged: false },
};
