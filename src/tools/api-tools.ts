/** API tools generated from the contract table (filled in by the catalog work). */
import type { AnyTool } from "./define-tool";

/** Tools for the Passgage API operations. */
export const API_TOOLS: readonly AnyTool[] = [];
