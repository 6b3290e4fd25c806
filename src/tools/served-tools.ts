/**
 * Every tool this server serves: the catalog (session, API and composite
 * tools) followed by the discovery tools (issue 15). The discovery tools need a
 * `ToolsetHost` in their context, which the transport supplies once toolsets
 * are wired in; until then they stay out of `CATALOG` (and so out of today's
 * tools/list and tools/call), and the toolset listing and its tests use this
 * array. Wiring them in means looking tools up in `SERVED_TOOLS_BY_NAME` (or
 * appending `DISCOVERY_TOOLS` to `CATALOG` and making this `CATALOG`).
 */
import { CATALOG } from "./catalog";
import type { AnyTool } from "./define-tool";
import { DISCOVERY_TOOLS } from "./discovery/discovery-tools";

/** Every served tool, in listing order. */
export const SERVED_TOOLS: readonly AnyTool[] = [...CATALOG, ...(DISCOVERY_TOOLS as readonly unknown[] as readonly AnyTool[])];

/** Served tools by name. */
export const SERVED_TOOLS_BY_NAME: ReadonlyMap<string, AnyTool> = new Map(SERVED_TOOLS.map((t) => [t.name, t]));
