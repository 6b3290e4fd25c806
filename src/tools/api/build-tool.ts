/**
 * Pure builder: one contract `Operation` → one MCP tool. Everything a tool
 * has is derived from the operation: its flat input schema (path parameters,
 * plain query fields, body fields, paging, a typed `filter` object and `sort`),
 * its output schema, annotations, access modes, documentation group and a
 * handler that builds the request (src/passgage/request.ts), calls the
 * session's upstream and renders the answer (src/tools/render.ts).
 *
 * Called once per operation at module load (src/tools/api-tools.ts), never per
 * request; the input schema itself is built on first use and then kept.
 * Throws only on a contract bug (two arguments with the same name), which the
 * catalog test surfaces by building every schema.
 */
import * as z from "zod/mini";
import { uuid } from "../../contract/fields";
import { pathParams } from "../../contract/operations";
import type { Operation } from "../../contract/types";
import { FILES_ARG, FILTER_ARG, MAX_PER_PAGE, SORT_ARG, pickBodyFields } from "../../passgage/request";
import { err, ok } from "../../result";
import { callOp, nounOf } from "../call-op";
import type { AnyTool, ToolAnnotations, ToolDefinition, ToolOutput } from "../define-tool";
import { ListOutputSchema, RecordOutputSchema, renderList, renderRecord } from "../render";

/** Largest attachment accepted by the leave update, in characters of base64 (about 3 MB of file). */
export const MAX_ATTACHMENT_BASE64_CHARS = 4_000_000;
/** Most presigned upload slots asked for in one call. */
export const MAX_PRESIGNED_FILES = 20;

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
const SORT_PATTERN = /^[a-z][a-z0-9_]{0,63}( (asc|desc))?$/;

/** `page`: 1-based page number. */
export const PageArgSchema = z.int().check(z.minimum(1), z.maximum(1_000_000), z.describe("Page number, 1-based. Default 1."));
/** `per_page`: page size, at most 50. */
export const PerPageArgSchema = z
  .int()
  .check(z.minimum(1), z.maximum(MAX_PER_PAGE), z.describe(`Records per page, 1-${MAX_PER_PAGE}. Default 25.`));
/** `sort`: a Ransack sort expression, sent as `q[s]`. */
export const SortArgSchema = z
  .string()
  .check(z.regex(SORT_PATTERN), z.describe('Sort order "<column> asc|desc", e.g. "created_at desc" (sent as q[s]).'));

/** One file attached to a multipart body (the leave update's `files[]`). */
const AttachmentSchema = z.strictObject({
  filename: z.string().check(z.minLength(1), z.maxLength(255), z.describe("File name, e.g. report.pdf.")),
  content_type: z.string().check(z.minLength(1), z.maxLength(255), z.describe("MIME type, e.g. application/pdf.")),
  content_base64: z
    .string()
    .check(z.regex(BASE64_PATTERN), z.maxLength(MAX_ATTACHMENT_BASE64_CHARS), z.describe("File content, standard base64.")),
});

function paramDescription(op: Operation, name: string): string {
  if (name === "id") return `Id of the ${op.kind === "list" ? "record" : nounOf(op)}`;
  const base = name.replace(/_id$/, "").replace(/_/g, " ");
  return `Id of the ${base}`;
}

/** The flat input shape of an operation's tool. */
export function inputShape(op: Operation): Record<string, z.core.$ZodType> {
  const shape: Record<string, z.core.$ZodType> = {};
  const add = (key: string, schema: z.core.$ZodType): void => {
    if (key in shape) throw new Error(`${op.id}: tool argument "${key}" is defined twice`);
    shape[key] = schema;
  };
  for (const name of pathParams(op.path)) add(name, uuid(paramDescription(op, name)));
  if (op.query) for (const [key, schema] of Object.entries(op.query.shape)) add(key, schema);
  if (op.body) {
    if (op.body.array === true) {
      const item = z.strictObject(op.body.fields.shape);
      add(
        FILES_ARG,
        z
          .array(item)
          .check(z.minLength(1), z.maxLength(MAX_PRESIGNED_FILES), z.describe(`One entry per file to upload (1-${MAX_PRESIGNED_FILES}).`)),
      );
    } else {
      for (const [key, schema] of Object.entries(op.body.fields.shape)) add(key, schema);
      if (op.body.encoding === "multipart") {
        add(
          FILES_ARG,
          z.optional(z.array(AttachmentSchema).check(z.maxLength(5), z.describe("Files to attach (sent as files[] parts), at most 5."))),
        );
      }
    }
  }
  if (op.paginated) {
    add("page", z.optional(PageArgSchema));
    add("per_page", z.optional(PerPageArgSchema));
  }
  if (op.filters && op.filters.length > 0) {
    const filterShape: Record<string, z.core.$ZodType> = {};
    for (const f of op.filters) filterShape[f.key] = z.optional(f.schema);
    add(
      FILTER_ARG,
      z.optional(
        z
          .strictObject(filterShape)
          .check(z.describe("Filters, all of which must match (Ransack q[...]). Enum names are sent as the API's codes.")),
      ),
    );
  }
  if (op.sortable) add(SORT_ARG, z.optional(SortArgSchema));
  return shape;
}

/** MCP annotations of an operation's tool. */
export function annotationsOf(op: Operation): ToolAnnotations {
  const read = op.method === "GET";
  return {
    readOnlyHint: read,
    destructiveHint: op.method === "DELETE",
    idempotentHint: read || op.method === "PUT" || op.method === "DELETE",
    openWorldHint: true,
  };
}

function descriptionOf(op: Operation): string {
  const companyOnly = op.modes.length === 1 && op.modes[0] === "company";
  return companyOnly && !/company key only/i.test(op.description) ? `${op.description} Company mode only.` : op.description;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Input = Record<string, unknown>;

function recordHeading(op: Operation, input: Input): string {
  const noun = capitalise(nounOf(op));
  const id = typeof input.id === "string" ? ` ${input.id}` : "";
  switch (op.kind) {
    case "create":
      return `Created ${nounOf(op)}.`;
    case "update":
      return `Updated ${nounOf(op)}${id}.`;
    case "delete":
      return `Deleted ${nounOf(op)}${id}.`;
    case "get":
      return `${noun}${id}:`;
    default:
      return `${op.title}:`;
  }
}

/** Builds the MCP tool of one contract operation (which must have a `toolName`). */
export function buildApiTool(op: Operation): AnyTool {
  const name = op.toolName;
  if (name === null) throw new Error(`${op.id} has no tool name`);
  const isList = op.kind === "list";
  const needsChange = op.kind === "update" && op.body !== undefined;
  // Built on first use (a call of this tool, or tools/list), so an isolate
  // that serves one call does not build all 127 input schemas.
  let inputSchema: z.ZodMiniType<Input> | undefined;
  const tool: ToolDefinition<Input, unknown> = {
    name,
    title: op.title,
    description: descriptionOf(op),
    get inputSchema(): z.ZodMiniType<Input> {
      inputSchema ??= z.strictObject(inputShape(op)) as unknown as z.ZodMiniType<Input>;
      return inputSchema;
    },
    outputSchema: isList ? ListOutputSchema : RecordOutputSchema,
    annotations: annotationsOf(op),
    access: op.modes,
    operations: [op.id],
    group: op.group,
    handler: async (input, ctx) => {
      if (needsChange && Object.keys(pickBodyFields(op, input)).length === 0 && input[FILES_ARG] === undefined) {
        return err({
          code: "invalid_arguments",
          message: `Nothing to change: pass at least one field to update (${Object.keys(op.body?.fields.shape ?? {})
            .slice(0, 8)
            .join(", ")}, ...).`,
        });
      }
      const r = await callOp(ctx, op, input);
      if (!r.ok) return r;
      // Working-day delete answers a bare { message } (API.md §8.32): data is then null.
      const { data, meta, message } = r.value;
      let out: ToolOutput<unknown>;
      if (isList) {
        const filter = input[FILTER_ARG];
        const items = Array.isArray(data) ? data : data === null || data === undefined ? [] : [data];
        out = renderList(items, meta, {
          noun: nounOf(op),
          toolName: name,
          page: typeof input.page === "number" ? input.page : undefined,
          perPage: typeof input.per_page === "number" ? input.per_page : undefined,
          filtered: (typeof filter === "object" && filter !== null && Object.keys(filter).length > 0) || input[SORT_ARG] !== undefined,
        });
      } else {
        out = renderRecord(recordHeading(op, input), data, message);
      }
      return ok(out);
    },
  };
  return tool as unknown as AnyTool;
}
