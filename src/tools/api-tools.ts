/**
 * The Passgage API tools: one per contract operation that has a `toolName`
 * (every operation but the auth calls, which the session tools and the
 * SessionDO make, and the storage upload, which is no API call), built from
 * the contract table in its order, followed by the composite tools. Built once
 * per isolate at module load.
 */
import { OPERATIONS } from "../contract/operations";
import { buildApiTool } from "./api/build-tool";
import { COMPOSITE_TOOLS } from "./composite/composite-tools";
import type { AnyTool } from "./define-tool";

/** One tool per tooled contract operation, in contract order. */
export const OPERATION_TOOLS: readonly AnyTool[] = OPERATIONS.filter((op) => op.toolName !== null).map(buildApiTool);

/** Tools for the Passgage API operations, then the composite tools. */
export const API_TOOLS: readonly AnyTool[] = [...OPERATION_TOOLS, ...COMPOSITE_TOOLS];
