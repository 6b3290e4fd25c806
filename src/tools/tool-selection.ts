/**
 * A connection's tool selection (issue 15): which toolsets it lists and whether
 * it is read-only, parsed from the request the way GitHub's remote MCP server
 * takes them:
 *
 * - URL: `/mcp` (default toolsets), `/mcp/readonly`, `/mcp/x/leaves,shifts`,
 *   `/mcp/x/leaves,shifts/readonly`, `/mcp/x/all`;
 * - headers: `X-MCP-Toolsets: leaves,shifts` and `X-MCP-Readonly: true`.
 *
 * Precedence: toolsets named in the URL win over the header (the URL is what a
 * user configured for the connection); read-only is on when either asks for it,
 * so a header can never loosen a read-only URL. `all` names every toolset,
 * `default` the default ones; the always-on toolsets are always included.
 * Unknown names are an error naming the name and the known ones (HTTP 400);
 * a path under /mcp of another shape is a 404.
 */
import * as z from "zod/mini";
import { err, ok, type Result } from "../result";
import { DEFAULT_TOOLSETS, TOOLSET_NAMES, TOOLSETS, type ToolsetName, ToolsetNameSchema } from "./toolsets";

/** The toolsets a connection lists and whether it is read-only. Canonical: `TOOLSET_NAMES` order, always-on toolsets included. */
export const ToolSelectionSchema = z.object({
  toolsets: z.array(ToolsetNameSchema),
  readOnly: z.boolean(),
});
/** A connection's tool selection (build with `makeSelection` to keep it canonical). */
export type ToolSelection = Readonly<{ toolsets: readonly ToolsetName[]; readOnly: boolean }>;

/** Why a selection could not be parsed; `status` is the HTTP status to answer with. */
export interface SelectionError {
  readonly status: 400 | 404;
  readonly message: string;
}

/** Header naming the toolsets. */
export const TOOLSETS_HEADER = "x-mcp-toolsets";
/** Header asking for a read-only connection. */
export const READONLY_HEADER = "x-mcp-readonly";
/** Longest toolset list accepted (URL segment or header), in characters. */
const MAX_LIST_CHARS = 512;

const ToolsetTokenSchema = z.enum([...TOOLSET_NAMES, "all", "default"]);
const ReadonlyFlagSchema = z.enum(["true", "false", "1", "0"]);

const ALWAYS_ON: readonly ToolsetName[] = TOOLSETS.filter((t) => t.alwaysOn).map((t) => t.name);

/** A canonical selection of the given toolsets (plus the always-on ones). */
export function makeSelection(toolsets: Iterable<ToolsetName>, readOnly: boolean): ToolSelection {
  const chosen = new Set<ToolsetName>([...ALWAYS_ON, ...toolsets]);
  return { toolsets: TOOLSET_NAMES.filter((n) => chosen.has(n)), readOnly };
}

/** The selection of a connection that chose nothing. */
export const DEFAULT_SELECTION: ToolSelection = makeSelection(DEFAULT_TOOLSETS, false);

/** A stable key of a selection, for caches (`session,leaves` or `session,leaves/readonly`). */
export function selectionKey(sel: ToolSelection): string {
  return `${sel.toolsets.join(",")}${sel.readOnly ? "/readonly" : ""}`;
}

/** The toolsets of a comma-separated list (`leaves, shifts`, `all`, `default`); `source` names where it came from in errors. */
export function parseToolsetList(raw: string, source: string): Result<readonly ToolsetName[], SelectionError> {
  const known = `known toolsets: ${TOOLSET_NAMES.join(", ")}, all, default`;
  if (raw.length > MAX_LIST_CHARS) return err({ status: 400, message: `${source} is too long (at most ${MAX_LIST_CHARS} characters)` });
  const names = raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
  if (names.length === 0) return err({ status: 400, message: `${source} names no toolset; ${known}` });
  const out = new Set<ToolsetName>();
  for (const name of names) {
    const parsed = ToolsetTokenSchema.safeParse(name);
    if (!parsed.success) return err({ status: 400, message: `${source}: unknown toolset "${name.slice(0, 40)}"; ${known}` });
    const t = parsed.data;
    for (const n of t === "all" ? TOOLSET_NAMES : t === "default" ? DEFAULT_TOOLSETS : [t]) out.add(n);
  }
  return ok([...out]);
}

/** The selection asked for by the path after `/mcp`: toolsets (or null for none named) and the read-only flag. */
function parsePath(pathname: string): Result<{ toolsets: readonly ToolsetName[] | null; readOnly: boolean }, SelectionError> {
  const notFound = err<SelectionError>({
    status: 404,
    message: "Not found: MCP endpoints are /mcp, /mcp/readonly, /mcp/x/<toolsets> and /mcp/x/<toolsets>/readonly",
  });
  const parts = pathname.split("/").filter((p) => p !== "");
  if (parts[0] !== "mcp") return notFound;
  const rest = parts.slice(1);
  const readOnly = rest.at(-1) === "readonly";
  const mid = readOnly ? rest.slice(0, -1) : rest;
  if (mid.length === 0) return ok({ toolsets: null, readOnly });
  if (mid.length !== 2 || mid[0] !== "x") return notFound;
  let segment: string;
  try {
    segment = decodeURIComponent(mid[1] ?? "");
  } catch {
    return err({ status: 400, message: "The toolset list in the URL is not valid percent-encoding" });
  }
  const list = parseToolsetList(segment, "The URL's toolset list");
  return list.ok ? ok({ toolsets: list.value, readOnly }) : list;
}

/**
 * The selection of a request: toolsets from the URL path (`/mcp/x/<list>`), else
 * from the `X-MCP-Toolsets` header, else the defaults; read-only when the path
 * ends in `/readonly` or `X-MCP-Readonly` is `true`/`1`.
 */
export function parseToolSelection(url: URL, headers: Headers): Result<ToolSelection, SelectionError> {
  const path = parsePath(url.pathname);
  if (!path.ok) return path;
  let toolsets = path.value.toolsets;
  const header = headers.get(TOOLSETS_HEADER);
  if (toolsets === null && header !== null) {
    const list = parseToolsetList(header, "The X-MCP-Toolsets header");
    if (!list.ok) return list;
    toolsets = list.value;
  }
  let readOnly = path.value.readOnly;
  const flag = headers.get(READONLY_HEADER);
  if (flag !== null) {
    const parsed = ReadonlyFlagSchema.safeParse(flag.trim().toLowerCase());
    if (!parsed.success) return err({ status: 400, message: "The X-MCP-Readonly header must be true, false, 1 or 0" });
    readOnly ||= parsed.data === "true" || parsed.data === "1";
  }
  return ok(makeSelection(toolsets ?? DEFAULT_TOOLSETS, readOnly));
}

/** What enabling toolsets changed. */
export interface EnableResult {
  readonly selection: ToolSelection;
  /** Toolsets newly enabled (empty when all were enabled already). */
  readonly added: readonly ToolsetName[];
}

/**
 * The toolsets a signed-in session keeps after `passgage_enable_toolset` moved its
 * connection from `before` to `next`: what it kept already plus what was added
 * (never the URL's own toolsets nor the always-on ones, so a later connection with
 * another URL gets only what was enabled).
 */
export function keptToolsets(kept: readonly ToolsetName[], before: ToolSelection, next: ToolSelection): ToolsetName[] {
  const added = next.toolsets.filter((n) => !before.toolsets.includes(n));
  return makeSelection([...kept, ...added], false).toolsets.filter((n) => !ALWAYS_ON.includes(n));
}

/** Adds toolsets to a selection (read-only stays as it is). */
export function enableToolsets(sel: ToolSelection, names: readonly ToolsetName[]): EnableResult {
  const have = new Set(sel.toolsets);
  const selection = makeSelection([...sel.toolsets, ...names], sel.readOnly);
  return { selection, added: selection.toolsets.filter((n) => !have.has(n)) };
}
