/**
 * The contract table (src/contract) against itself, the house rules, and the
 * vendor's request collection (../shared/passgage-api), which is parsed at
 * test time rather than copied: every collection request must map to exactly
 * one operation after the normalisations of API.md §9, and the wrapper key,
 * field names and sample values of every JSON body must be accepted by that
 * operation's body schema.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { COLLECTION_REQUESTS, type CollectionRequest } from "../helpers/postman";
import { OPERATIONS, OPERATIONS_BY_ID, findOperation, matchPath, pathParams } from "../../src/contract/operations";
import type { Operation } from "../../src/contract/types";

const REQUESTS = COLLECTION_REQUESTS;

/** Collection path-parameter names that differ from the contract's (API.md §9.2, §8.18, §8.24). */
const PARAM_RENAMES: Readonly<Record<string, string>> = {
  sihft_id: "shift_id", // typo on slack list/create
  slack_id: "id",
  leave_balance_import_id: "id", // written as a {{variable}} placeholder
};

interface NormalisedPath {
  /** Path with every parameter segment written `{}`. */
  readonly shape: string;
  /** Parameter names in order, after `PARAM_RENAMES`. */
  readonly params: readonly string[];
  /** A concrete path with sample parameter values, for `findOperation`. */
  readonly concrete: string;
}

/**
 * Normalises a collection URL (API.md §9.1–9.2): drops the query and the host
 * (`{{baseUrl}}`, `{{base_url}}` or a literal origin), restores the
 * `/api/public/v1` prefix that `{{base_url}}` carries in the approvals folder,
 * collapses `//`, and turns `:name` and `{{name}}` segments into parameters.
 */
function normalisePath(rawUrl: string): NormalisedPath {
  let path = rawUrl.split("?")[0] ?? "";
  const hostVar = /^\{\{(baseUrl|base_url)\}\}/.exec(path);
  if (hostVar !== null) {
    path = path.slice(hostVar[0].length);
  } else {
    path = path.replace(/^https?:\/\/[^/]+/, "");
  }
  if (!path.startsWith("/api/") && !path.startsWith("/rails/")) path = `/api/public/v1${path}`;
  path = path.replace(/\/{2,}/g, "/");
  const params: string[] = [];
  const shape: string[] = [];
  const concrete: string[] = [];
  for (const segment of path.split("/")) {
    const m = /^:([A-Za-z_]+)$/.exec(segment) ?? /^\{\{([A-Za-z_]+)\}\}$/.exec(segment);
    if (m?.[1] === undefined) {
      shape.push(segment);
      concrete.push(segment);
    } else {
      params.push(PARAM_RENAMES[m[1]] ?? m[1]);
      shape.push("{}");
      concrete.push(`sample-${params.length}`);
    }
  }
  return { shape: shape.join("/"), params, concrete: concrete.join("/") };
}

function templateShape(path: string): string {
  return path.replace(/\{[^}]+\}/g, "{}");
}

/** Removes `//` line comments outside JSON strings (several bodies carry them; API.md §9.8). */
function stripLineComments(source: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (inString) {
      out += c;
      if (c === "\\") {
        out += source.charAt(i + 1);
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    if (c === "/" && source.charAt(i + 1) === "/") {
      while (i < source.length && source.charAt(i) !== "\n") i++;
      out += "\n";
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * The operations a collection request maps to: by path shape when the request
 * writes its ids as placeholders; otherwise (the storage PUT carries a literal
 * token) the operation a router would pick for the literal path.
 */
function mapRequest(req: CollectionRequest): { readonly ops: Operation[]; readonly literal: boolean } {
  const { shape, concrete } = normalisePath(req.rawUrl);
  const ops = OPERATIONS.filter((op) => op.method === req.method && templateShape(op.path) === shape);
  if (ops.length > 0) return { ops, literal: false };
  const found = findOperation(req.method, concrete);
  return { ops: found === null ? [] : [found.op], literal: true };
}

function label(req: CollectionRequest): string {
  return `${req.folder} / ${req.name} (${req.method})`;
}

/** Sample values the collection's authors left as placeholders or junk; only their keys are checked. */
function isPlaceholder(value: unknown): boolean {
  return value === "" || (typeof value === "string" && value.includes("{{"));
}

/** Known-bad sample values in the collection, keyed `<folder> / <request> (<METHOD>) <field>`. */
const KNOWN_BAD_VALUES: Readonly<Record<string, string>> = {
  "User Rate / update (PUT) fba_rate": 'the sample sends "Sales Goals" for a numeric rate',
};

/** Checks keys (and non-placeholder values) of one body object against a fields schema. */
function checkFields(req: CollectionRequest, fields: z.ZodMiniObject, value: unknown): void {
  const obj = z.record(z.string(), z.unknown()).parse(value);
  const shape = fields.shape;
  for (const [key, sample] of Object.entries(obj)) {
    const field = shape[key];
    expect(field, `${label(req)}: field "${key}" not in the body schema`).toBeDefined();
    if (field === undefined || isPlaceholder(sample)) continue;
    if (KNOWN_BAD_VALUES[`${label(req)} ${key}`] !== undefined) continue;
    const result = z.safeParse(field, sample);
    expect(result.success, `${label(req)}: sample value of "${key}" rejected: ${JSON.stringify(sample)}`).toBe(true);
  }
}

/** The value, or a thrown error naming what is missing (fails the test). */
function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

type CollectionBody = NonNullable<CollectionRequest["body"]>;

/**
 * Checks one collection body against its operation's body spec: "checked" when its
 * fields were checked, "skipped" for a sample that is not valid JSON, "none" when there
 * is nothing to check (the raw upload bytes, an empty DELETE body).
 */
function expectBodyAccepted(req: CollectionRequest, op: Operation, body: CollectionBody): "checked" | "skipped" | "none" {
  if (body.mode === "file") return expectUploadBody(req, op);
  if (body.mode === "formdata") return expectFormBody(req, op, body);
  const raw = (body.raw ?? "").trim();
  if (raw === "") return "none"; // the empty bodies of two DELETE requests
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripLineComments(raw));
  } catch {
    return "skipped";
  }
  return expectJsonBody(req, op, parsed);
}

/** Raw bytes go to the presigned URL only. */
function expectUploadBody(req: CollectionRequest, op: Operation): "none" {
  expect(op.id, label(req)).toBe("files.upload");
  return "none";
}

/** A multipart body: every form key is `<wrapper>[<field>]` (attachments aside) and the fields are accepted. */
function expectFormBody(req: CollectionRequest, op: Operation, body: CollectionBody): "checked" {
  const spec = op.body;
  expect(spec?.encoding, label(req)).toBe("multipart");
  const fieldsSpec = defined(spec, `${label(req)}: body spec`);
  const fields: Record<string, unknown> = {};
  for (const part of body.formdata ?? []) {
    if (part.key === "files[]") continue; // attachments (API.md §8.17)
    const m = /^([a-z_]+)\[([a-z_]+)\]$/.exec(part.key);
    expect(m?.[1], `${label(req)}: form key ${part.key}`).toBe(fieldsSpec.wrapper);
    if (m?.[2] !== undefined) fields[m[2]] = part.value ?? "";
  }
  checkFields(req, fieldsSpec.fields, fields);
  return "checked";
}

/** A JSON body: an array of records, a bare record, or one record under the wrapper key; every record's fields accepted. */
function expectJsonBody(req: CollectionRequest, op: Operation, parsed: unknown): "checked" {
  expect(op.body, label(req)).toBeDefined();
  const spec = defined(op.body, `${label(req)}: body spec`);
  expect(spec.encoding ?? "json", label(req)).toBe("json");
  const records =
    spec.array === true ? z.array(z.unknown()).parse(parsed) : [spec.wrapper === null ? parsed : unwrap(req, spec.wrapper, parsed)];
  expect(records.length, label(req)).toBeGreaterThan(0);
  for (const record of records) checkFields(req, spec.fields, record);
  return "checked";
}

/** The record under the wrapper key, the wrapper being the body's only key. */
function unwrap(req: CollectionRequest, wrapper: string, parsed: unknown): unknown {
  const outer = z.record(z.string(), z.unknown()).parse(parsed);
  expect(Object.keys(outer), label(req)).toEqual([wrapper]);
  return outer[wrapper];
}

// ---------------------------------------------------------------------------
// The table itself
// ---------------------------------------------------------------------------

describe("contract table", () => {
  it("has 131 distinct method + path operations with unique ids", () => {
    const pairs = new Set(OPERATIONS.map((op) => `${op.method} ${op.path}`));
    expect(OPERATIONS).toHaveLength(131);
    expect(pairs.size).toBe(131);
    expect(OPERATIONS_BY_ID.size).toBe(131);
    for (const op of OPERATIONS) expect(OPERATIONS_BY_ID.get(op.id)).toBe(op);
  });

  it("gives every non-auth operation a unique passgage_* tool name of at most 64 characters", () => {
    const names = OPERATIONS.flatMap((op) => (op.toolName === null ? [] : [op.toolName]));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^passgage_[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(64);
    }
    const untooled = OPERATIONS.filter((op) => op.toolName === null).map((op) => op.id);
    expect(untooled.sort()).toEqual(["auth.login", "auth.logout", "auth.refresh", "files.upload"]);
  });

  it("uses prefixed paths with {name} parameters", () => {
    for (const op of OPERATIONS) {
      if (op.id === "files.upload") continue; // object storage, not the API (API.md §8.13)
      const prefix = op.resource === "auth" ? "/api/public/auth/" : "/api/public/v1/";
      expect(op.path.startsWith(prefix), op.id).toBe(true);
      expect(op.path, op.id).not.toMatch(/\/\/|:|\{\{/);
      expect(op.path.split("/").filter((s) => s.startsWith("{")).length).toBe(pathParams(op.path).length);
    }
    expect(pathParams("/api/public/v1/shifts/{shift_id}/slacks/{id}")).toEqual(["shift_id", "id"]);
    expect(pathParams("/api/public/v1/zones")).toEqual([]);
  });

  it("keeps kind, method, success status and paging consistent", () => {
    const expectedMethods: Record<Operation["kind"], readonly string[]> = {
      list: ["GET"],
      get: ["GET"],
      create: ["POST"],
      update: ["PUT", "PATCH"],
      delete: ["DELETE"],
      action: ["POST", "PUT", "DELETE"],
    };
    for (const op of OPERATIONS) {
      expect(expectedMethods[op.kind], op.id).toContain(op.method);
      const wantStatus = op.kind === "create" && op.id !== "user_shifts.create" ? 201 : 200;
      expect(op.successStatus, op.id).toBe(wantStatus);
      expect(op.title.length, op.id).toBeGreaterThan(0);
      expect(op.description.length, op.id).toBeGreaterThan(0);
      expect(op.description.length, op.id).toBeLessThanOrEqual(300);
      // Lists are paginated and filterable (maybe sortable); nothing else is.
      const isList = op.kind === "list";
      expect({ paginated: op.paginated, filters: op.filters !== undefined }, op.id).toEqual({
        paginated: isList ? true : undefined,
        filters: isList,
      });
      expect(isList || op.sortable === undefined, `${op.id}: sortable outside a list`).toBe(true);
      // Creates and updates carry a body; lists, gets and deletes never do (actions may).
      const needsBody = op.kind === "create" || op.kind === "update";
      const noBody = op.kind === "list" || op.kind === "get" || op.kind === "delete";
      expect(op.body !== undefined || !needsBody, `${op.id}: body missing`).toBe(true);
      expect(op.body === undefined || !noBody, `${op.id}: unexpected body`).toBe(true);
    }
    expect(OPERATIONS.filter((op) => op.sortable === true).map((op) => op.id)).toEqual(["leaves.list", "user_shifts.list"]);
  });

  it("converts every body, query and filter schema to JSON Schema (bodies and queries object-rooted)", () => {
    for (const op of OPERATIONS) {
      for (const schema of [op.body?.fields, op.query]) {
        if (schema === undefined) continue;
        const json = z.toJSONSchema(schema, { io: "input" });
        expect(json.type, op.id).toBe("object");
      }
      const keys = new Set<string>();
      for (const f of op.filters ?? []) {
        expect(keys.has(f.key), `${op.id} ${f.key}`).toBe(false);
        keys.add(f.key);
        expect(f.key).toMatch(/^[a-z0-9_]+$/);
        expect(f.description.length).toBeGreaterThan(0);
        expect(() => z.toJSONSchema(f.schema, { io: "input" })).not.toThrow();
        for (const [name, code] of Object.entries(f.enumCodes ?? {})) {
          expect(f.schema.safeParse(name).success, `${op.id} ${f.key} ${name}`).toBe(true);
          expect(Number.isInteger(code)).toBe(true);
        }
      }
    }
  });

  it("marks bare, array and multipart bodies as the contract sends them", () => {
    const bare = OPERATIONS.filter((op) => op.body !== undefined && op.body.wrapper === null).map((op) => op.id);
    expect(bare.sort()).toEqual(
      [
        "auth.login",
        "files.presigned_upload",
        "kpis.set_goal",
        "target_goals.replace",
        "target_goals.update",
        "user_rates.create",
        "user_rates.update",
        "zones.create",
        "zones.update",
      ].sort(),
    );
    expect(OPERATIONS.filter((op) => op.body?.array === true).map((op) => op.id)).toEqual(["files.presigned_upload"]);
    expect(OPERATIONS.filter((op) => op.body?.encoding === "multipart").map((op) => op.id)).toEqual(["leaves.update"]);
    expect(OPERATIONS_BY_ID.get("target_goals.create")?.body?.wrapper).toBe("target_goal");
    expect(OPERATIONS_BY_ID.get("approval_flows.by_type")?.query?.safeParse({}).success).toBe(false);
  });

  it("makes every update field optional", () => {
    for (const op of OPERATIONS) {
      if (op.kind !== "update" || op.body === undefined) continue;
      expect(op.body.fields.safeParse({}).success, op.id).toBe(true);
    }
  });

  it("applies the credential policy of API.md §2.3", () => {
    const companyOnlyReads = new Set([
      "payrolls.list",
      "payrolls.get",
      "approvals.pending",
      "approvals.approved",
      "approvals.rejected",
      "approvals.waiting_for_approval",
      "users.list",
    ]);
    /** Exact modes of the operations outside the company/user rule. */
    const fixedModes: Readonly<Record<string, readonly string[]>> = {
      "auth.login": [],
      "files.upload": [],
      "auth.refresh": ["user"],
      "auth.logout": ["user"],
    };
    for (const op of OPERATIONS) {
      const fixed = fixedModes[op.id];
      const userMay =
        (op.method === "GET" && !companyOnlyReads.has(op.id)) ||
        op.resource === "leaves" ||
        op.resource === "user_shifts" ||
        op.id === "files.presigned_upload";
      // The rest: always company; user exactly when the rule above says so.
      const got = fixed === undefined ? { company: op.modes.includes("company"), user: op.modes.includes("user") } : op.modes;
      expect(got, op.id).toEqual(fixed ?? { company: true, user: userMay });
    }
  });

  it("routes concrete paths, preferring static segments over parameters", () => {
    expect(findOperation("GET", "/api/public/v1/approvals/pending")?.op.id).toBe("approvals.pending");
    expect(findOperation("GET", "/api/public/v1/approvals/abc-123")).toEqual({
      op: OPERATIONS_BY_ID.get("approvals.get"),
      params: { id: "abc-123" },
    });
    expect(findOperation("GET", "/api/public/v1/shifts/extra_work_types")?.op.id).toBe("shifts.extra_work_types");
    expect(findOperation("get", "/api/public/v1/shifts/s1/slacks/k2/")?.params).toEqual({ shift_id: "s1", id: "k2" });
    expect(findOperation("POST", "/api/public/v1/approvals")).toBeNull();
    expect(findOperation("GET", "/api/public/v1/nope")).toBeNull();
    const leavesGet = defined(OPERATIONS_BY_ID.get("leaves.get"), "leaves.get");
    expect(matchPath(leavesGet, "GET", "/api/public/v1/leaves/a%20b")).toEqual({ id: "a b" });
    expect(matchPath(leavesGet, "GET", "/api/public/v1/leaves/%E0")).toBeNull();
    expect(matchPath(leavesGet, "DELETE", "/api/public/v1/leaves/x")).toBeNull();
    expect(matchPath(leavesGet, "GET", "/api/public/v1/leaves/")).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// The table against the vendor collection
// ---------------------------------------------------------------------------

describe("contract table vs the vendor collection", () => {
  it("maps every collection request to exactly one operation, and covers every operation", () => {
    expect(REQUESTS).toHaveLength(133);
    const covered = new Set<string>();
    for (const req of REQUESTS) {
      const { ops, literal } = mapRequest(req);
      expect(
        ops.map((op) => op.id),
        label(req),
      ).toHaveLength(1);
      const op = ops[0];
      if (op === undefined) continue;
      covered.add(op.id);
      const { params, concrete } = normalisePath(req.rawUrl);
      // A literal URL is the presigned upload's; any other request has the operation's path parameters.
      expect(literal ? { op: op.id } : { params }, label(req)).toEqual(literal ? { op: "files.upload" } : { params: pathParams(op.path) });
      expect(findOperation(req.method, concrete)?.op.id, label(req)).toBe(op.id);
      // The user-rate folder's PATCH points at target goals (API.md §9.3).
      const expectedGroup = req.folder === "User Rate" && req.method === "PATCH" ? "TargetGoal" : req.folder;
      expect(op.group, label(req)).toBe(expectedGroup);
    }
    expect(covered.size).toBe(OPERATIONS.length);
    console.log(`contract: ${OPERATIONS.length} operations, ${REQUESTS.length} collection requests mapped`);
  });

  it("accepts the wrapper key, field names and sample values of every collection body", () => {
    const skipped: string[] = [];
    let checked = 0;
    for (const req of REQUESTS) {
      const op = mapRequest(req).ops[0];
      const body = req.body;
      if (op === undefined || body === undefined) continue;
      const outcome = expectBodyAccepted(req, op, body);
      if (outcome === "skipped") skipped.push(label(req));
      if (outcome === "checked") checked++;
    }
    // The card create sample is invalid JSON (a missing comma; API.md §9.8).
    expect(skipped).toEqual(["Cards / create (POST)"]);
    expect(checked).toBeGreaterThan(40);
  });
});
