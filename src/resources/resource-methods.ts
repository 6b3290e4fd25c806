/**
 * `resources/list`, `resources/read` and `resources/templates/list` (MCP 2025-11-25
 * "Resources"). An unknown URI is "resource not found": -32002 with `data.uri` for
 * the revisions up to 2025-11-25 (their Error Handling section), and -32602 (Invalid
 * Params) for the stateless 2026-07-28 revision, which adopted SEP-2164.
 */
import type { DispatchContext } from "../mcp/dispatch-context";
import { RPC } from "../mcp/errors";
import type { FeatureMethod } from "../mcp/feature-method";
import { err, ok } from "../result";
import { RESOURCES, RESOURCES_BY_URI, type ResourceDefinition } from "./catalog";

/** JSON-RPC code of "resource not found" before 2026-07-28. */
export const RESOURCE_NOT_FOUND = -32002;

/** The code for an unknown resource under the request's revision. */
export function resourceNotFoundCode(ctx: Pick<DispatchContext, "stateless">): number {
  return ctx.stateless ? RPC.INVALID_PARAMS : RESOURCE_NOT_FOUND;
}

/** The resources/list entry of one resource. */
export function resourceListEntry(r: ResourceDefinition): Record<string, unknown> {
  return { uri: r.uri, name: r.name, title: r.title, description: r.description, mimeType: r.mimeType };
}

/** resources/list: every resource (one page). */
export const listResources: FeatureMethod = async () => ok({ resources: RESOURCES.map(resourceListEntry) });

/** resources/templates/list: none (every resource has a fixed URI). */
export const listResourceTemplates: FeatureMethod = async () => ok({ resourceTemplates: [] });

/** resources/read: the contents of one resource; an unknown URI names itself in `data.uri`. */
export const readResource: FeatureMethod = async (params, ctx) => {
  const uri = params.uri;
  if (typeof uri !== "string" || uri === "") return err({ code: RPC.INVALID_PARAMS, message: "params.uri must be a resource URI" });
  const resource = RESOURCES_BY_URI.get(uri);
  if (!resource)
    return err({ code: resourceNotFoundCode(ctx), message: `Resource not found: ${uri.slice(0, 200)}`, data: { uri: uri.slice(0, 200) } });
  const r = await resource.read(ctx);
  if (!r.ok) return r;
  return ok({ contents: r.value.map((c) => ({ ...c })) });
};
