/**
 * The request builder (src/passgage/request.ts) against the vendor's request
 * collection, parsed at test time: for every collection request that maps to
 * a tooled operation, the tool input made from the request's own sample
 * (path parameters, body fields, query parameters) must build the same method,
 * path, wrapper key, body field names and query keys. Plus the builder's own
 * rules: enum names to codes, array filters, paging clamp, sort, multipart and
 * bare-array bodies, percent-encoded path parameters.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { COLLECTION_REQUESTS, type CollectionRequest as CollectionRequestBase } from "../helpers/postman";

type CollectionRequest = CollectionRequestBase & { readonly label: string };
import { OPERATIONS, OPERATIONS_BY_ID, pathParams } from "../../src/contract/operations";
import type { Operation } from "../../src/contract/types";
import { buildRequest } from "../../src/passgage/request";
import { OPERATION_TOOLS } from "../../src/tools/api-tools";

const REQUESTS = COLLECTION_REQUESTS.map((r) => ({ ...r, label: `${r.folder} / ${r.name} (${r.method})` }));

/** Collection parameter names that differ from the contract's (API.md §9.2, §8.18, §8.24). */
const PARAM_RENAMES: Readonly<Record<string, string>> = { sihft_id: "shift_id", slack_id: "id", leave_balance_import_id: "id" };

/** The collection path normalised as in API.md §9.1–9.2, with parameters as `sample-<name>`. */
function normalise(rawUrl: string): { readonly path: string; readonly params: Record<string, string>; readonly query: URLSearchParams } {
  const [pathPart = "", queryPart = ""] = rawUrl.split("?");
  let path = pathPart;
  const hostVar = /^\{\{(baseUrl|base_url)\}\}/.exec(path);
  path = hostVar !== null ? path.slice(hostVar[0].length) : path.replace(/^https?:\/\/[^/]+/, "");
  if (!path.startsWith("/api/") && !path.startsWith("/rails/")) path = `/api/public/v1${path}`;
  path = path.replace(/\/{2,}/g, "/");
  const params: Record<string, string> = {};
  const segments = path.split("/").map((segment) => {
    const m = /^:([A-Za-z_]+)$/.exec(segment) ?? /^\{\{([A-Za-z_]+)\}\}$/.exec(segment);
    if (m?.[1] === undefined) return segment;
    const name = PARAM_RENAMES[m[1]] ?? m[1];
    params[name] = `sample-${name}`;
    return params[name];
  });
  return { path: segments.join("/"), params, query: new URLSearchParams(queryPart) };
}

function shapeOf(path: string): string {
  return path.replace(/\{[^}]+\}/g, "{}");
}

/** The operation a collection request maps to (method and path shape), if any. */
function opFor(req: CollectionRequest): Operation | undefined {
  const { path } = normalise(req.rawUrl);
  const shape = path.replace(/sample-[a-z_]+/g, "{}");
  return OPERATIONS.find((op) => op.method === req.method && shapeOf(op.path) === shape);
}

/** Removes `//` line comments outside JSON strings (API.md §9.8). */
function stripLineComments(source: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (inString) {
      out += c;
      if (c === "\\") out += source.charAt(++i);
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && source.charAt(i + 1) === "/") {
      while (i < source.length && source.charAt(i) !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  return out;
}

const RecordSchema = z.record(z.string(), z.unknown());

/** The collection's body as flat tool fields plus what the wire must show. */
interface SampleBody {
  readonly fields: Record<string, unknown>;
  readonly files?: unknown[];
  readonly wireKeys: readonly string[];
  readonly wrapper: string | null;
}

type Built = ReturnType<typeof buildRequest>;

/** The built body shows the sample's wrapper and field names, in the operation's encoding. */
function expectBuiltBody(label: string, op: Operation, body: SampleBody | null, built: Built): void {
  if (body === null) return expectNoSampleBody(label, op, built);
  if (built.body instanceof FormData) return expectFormKeys(label, op, body, built.body);
  if (op.body?.array === true) return expectArrayKeys(label, body, built);
  return expectRecordKeys(label, body, built);
}

/** No sample body: an operation without a body spec sends none. */
function expectNoSampleBody(label: string, op: Operation, built: Built): void {
  expect(op.body === undefined ? built.body : undefined, label).toBeUndefined();
}

/** Multipart: `<wrapper>[<field>]` for every sample field, and the operation is multipart. */
function expectFormKeys(label: string, op: Operation, body: SampleBody, form: FormData): void {
  const keys = [...new Set(form.keys())];
  expect(keys.sort(), label).toEqual(body.wireKeys.map((k) => `${body.wrapper ?? ""}[${k}]`).sort());
  expect(op.body?.encoding, label).toBe("multipart");
}

/** An array body: every record has exactly the sample's field names. */
function expectArrayKeys(label: string, body: SampleBody, built: Built): void {
  const items = z.array(RecordSchema).parse(built.body);
  expect(items.length, label).toBeGreaterThan(0);
  for (const item of items) expect(Object.keys(item).sort(), label).toEqual([...body.wireKeys].sort());
}

/** A record body: the wrapper is the only outer key (when there is one) and the record has the sample's field names. */
function expectRecordKeys(label: string, body: SampleBody, built: Built): void {
  const wire = RecordSchema.parse(built.body);
  const inner = body.wrapper === null ? wire : RecordSchema.parse(wire[body.wrapper]);
  expect(body.wrapper === null ? null : Object.keys(wire), label).toEqual(body.wrapper === null ? null : [body.wrapper]);
  expect(Object.keys(inner).sort(), label).toEqual([...body.wireKeys].sort());
}

function sampleBody(req: CollectionRequest, op: Operation): SampleBody | "invalid" | null {
  const body = req.body;
  if (body === undefined || op.body === undefined) return null;
  if (body.mode === "formdata") {
    const fields: Record<string, unknown> = {};
    for (const part of body.formdata ?? []) {
      const m = /^([a-z_]+)\[([a-z_]+)\]$/.exec(part.key);
      if (m?.[2] !== undefined) fields[m[2]] = part.value ?? "";
    }
    return { fields, wireKeys: Object.keys(fields), wrapper: op.body.wrapper };
  }
  const raw = (body.raw ?? "").trim();
  if (raw === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripLineComments(raw));
  } catch {
    return "invalid";
  }
  if (op.body.array === true) {
    const items = z.array(RecordSchema).parse(parsed);
    return { fields: {}, files: items, wireKeys: Object.keys(items[0] ?? {}), wrapper: null };
  }
  const outer = RecordSchema.parse(parsed);
  const inner = op.body.wrapper === null ? outer : RecordSchema.parse(outer[op.body.wrapper]);
  return { fields: inner, wireKeys: Object.keys(inner), wrapper: op.body.wrapper };
}

/** Tool input from the collection's query string: paging, sort, documented filters, plain query fields. */
function sampleQueryInput(op: Operation, query: URLSearchParams): { input: Record<string, unknown>; expectedKeys: string[] } {
  const input: Record<string, unknown> = {};
  const filter: Record<string, unknown> = {};
  const expectedKeys: string[] = [];
  for (const [key, value] of query) {
    if (key === "page" || key === "per_page") {
      input[key] = Number(value);
      expectedKeys.push(key);
      continue;
    }
    const m = /^q\[([a-z_]+)\]\]?(\[\])?$/.exec(key);
    if (m?.[1] !== undefined) {
      if (m[1] === "s" && op.sortable) {
        input.sort = value;
        expectedKeys.push("q[s]");
      } else if (op.filters?.some((f) => f.key === m[1])) {
        filter[m[1]] = value;
        expectedKeys.push(`q[${m[1]}]`);
      }
      continue;
    }
    if (op.query && key in op.query.shape) {
      input[key] = value;
      expectedKeys.push(key);
    }
  }
  if (Object.keys(filter).length > 0) input.filter = filter;
  return { input, expectedKeys };
}

// ---------------------------------------------------------------------------
// Against the collection
// ---------------------------------------------------------------------------

describe("request builder vs the vendor collection", () => {
  it("builds each collection request's method, path, wrapper key, field names and query keys", async () => {
    let compared = 0;
    const invalid: string[] = [];
    for (const req of REQUESTS) {
      const op = opFor(req);
      if (op === undefined || op.toolName === null) continue; // auth calls and the storage PUT have no tool
      const { path, params, query } = normalise(req.rawUrl);
      const body = sampleBody(req, op);
      if (body === "invalid") {
        invalid.push(req.label);
        continue;
      }
      const { input: queryInput, expectedKeys } = sampleQueryInput(op, query);
      const input = { ...params, ...queryInput, ...body?.fields, ...(body?.files ? { files: body.files } : {}) };
      const built = buildRequest(op, input);
      expect(built.method, req.label).toBe(req.method);
      expect(built.path, req.label).toBe(path.replace(/sample-([a-z_]+)/g, (s) => encodeURIComponent(s)));
      expect(Object.keys(params).sort(), req.label).toEqual([...pathParams(op.path)].sort());
      // GET requests carry exactly the sample's query keys; other methods none.
      const isGet = op.method === "GET";
      expect(isGet ? [...(built.query?.keys() ?? [])].sort() : null, req.label).toEqual(isGet ? [...new Set(expectedKeys)].sort() : null);
      expectBuiltBody(req.label, op, body, built);
      compared++;
    }
    // The card create sample is invalid JSON (a missing comma; API.md §9.8).
    expect(invalid).toEqual(["Cards / create (POST)"]);
    expect(compared).toBeGreaterThanOrEqual(125);
  });

  it("has a collection request for every tooled operation", () => {
    const seen = new Set(REQUESTS.map(opFor).flatMap((op) => (op === undefined ? [] : [op.id])));
    const tooled = OPERATIONS.filter((op) => op.toolName !== null).map((op) => op.id);
    expect(tooled.filter((id) => !seen.has(id))).toEqual([]);
    expect(OPERATION_TOOLS).toHaveLength(tooled.length);
  });
});

// ---------------------------------------------------------------------------
// The builder's own rules
// ---------------------------------------------------------------------------

function op(id: string): Operation {
  const found = OPERATIONS_BY_ID.get(id);
  if (found === undefined) throw new Error(id);
  return found;
}

describe("request builder rules", () => {
  it("sends enum filter names as their integer codes and passes other filters through", () => {
    const r = buildRequest(op("leaves.list"), {
      filter: { status_eq: "approved", start_date_gteq: "2026-01-01", is_hourly_leave_eq: false, days_off_count_eq: 24 },
      page: 2,
      per_page: 10,
      sort: "start_date desc",
    });
    expect(r.method).toBe("GET");
    expect(r.path).toBe("/api/public/v1/leaves");
    expect(r.body).toBeUndefined();
    expect(Object.fromEntries(r.query ?? [])).toEqual({
      page: "2",
      per_page: "10",
      "q[status_eq]": "2",
      "q[start_date_gteq]": "2026-01-01",
      "q[is_hourly_leave_eq]": "false",
      "q[days_off_count_eq]": "24",
      "q[s]": "start_date desc",
    });
    const shifts = buildRequest(op("user_shifts.list"), { filter: { status_eq: "locked" } });
    expect(shifts.query?.get("q[status_eq]")).toBe("3");
    const rotation = buildRequest(op("rotation_users.list"), { filter: { status_eq: "cancelled" } });
    expect(rotation.query?.get("q[status_eq]")).toBe("3");
    // Approval statuses have no documented codes: the name is sent.
    expect(buildRequest(op("approvals.list"), { filter: { status_eq: "pending" } }).query?.get("q[status_eq]")).toBe("pending");
  });

  it("sends array filters as repeated q[key][] parameters", () => {
    const r = buildRequest(op("users.list"), { filter: { first_name_or_last_name_cont_any: ["Ayşe", "Mehmet"] } });
    expect(r.query?.getAll("q[first_name_or_last_name_cont_any][]")).toEqual(["Ayşe", "Mehmet"]);
    expect(r.query?.toString()).toContain("q%5Bfirst_name_or_last_name_cont_any%5D%5B%5D=Ay%C5%9Fe");
  });

  it("clamps per_page to 50, sends no query without arguments and ignores sort where the API does not sort", () => {
    expect(buildRequest(op("titles.list"), { per_page: 500 }).query?.get("per_page")).toBe("50");
    expect(buildRequest(op("titles.list"), {}).query).toBeUndefined();
    expect(buildRequest(op("titles.list"), { sort: "name asc" }).query).toBeUndefined();
  });

  it("keeps plain query fields plain", () => {
    const r = buildRequest(op("approval_flows.by_type"), { flow_type: "leave_approval", page: 1 });
    expect(r.path).toBe("/api/public/v1/approval_flows/by_type");
    expect(Object.fromEntries(r.query ?? [])).toEqual({ flow_type: "leave_approval", page: "1" });
  });

  it("fills and percent-encodes path parameters", () => {
    expect(buildRequest(op("slacks.get"), { shift_id: "s 1", id: "k/2" }).path).toBe("/api/public/v1/shifts/s%201/slacks/k%2F2");
    expect(buildRequest(op("shift_settings.get"), {}).path).toBe("/api/public/v1/shift_settings");
  });

  it("wraps body fields in the wrapper key, drops unknown and path keys, sends bare bodies bare", () => {
    const created = buildRequest(op("branches.create"), { title: "Konya", is_active: true, id: "x", bogus: 1 });
    expect(created).toMatchObject({
      method: "POST",
      path: "/api/public/v1/branches",
      body: { branch: { title: "Konya", is_active: true } },
    });
    const zone = buildRequest(op("zones.update"), { id: "z1", name: "Lobby" });
    expect(zone).toMatchObject({ method: "PUT", path: "/api/public/v1/zones/z1", body: { name: "Lobby" } });
    expect(buildRequest(op("target_goals.update"), { id: "t1", actual_goal: 3 }).body).toEqual({ actual_goal: 3 });
    expect(buildRequest(op("users.delete"), { id: "u1" })).toEqual({
      method: "DELETE",
      path: "/api/public/v1/users/u1",
      label: "users.delete",
    });
  });

  it("sends the presigned upload as a bare array of file entries", () => {
    const files = [{ filename: "a.pdf", byte_size: 3, checksum: "abc==", content_type: "application/pdf", extra: true }];
    expect(buildRequest(op("files.presigned_upload"), { files }).body).toEqual([
      { filename: "a.pdf", byte_size: 3, checksum: "abc==", content_type: "application/pdf" },
    ]);
  });

  it("sends the leave update as multipart leave[...] fields with files[] parts", async () => {
    const r = buildRequest(op("leaves.update"), {
      id: "l1",
      title: "Yıllık izin",
      is_hourly_leave: false,
      is_signed: 1,
      files: [{ filename: "rapor.txt", content_type: "text/plain", content_base64: btoa("hello") }],
    });
    expect(r.method).toBe("PUT");
    expect(r.path).toBe("/api/public/v1/leaves/l1");
    expect(r.body).toBeInstanceOf(FormData);
    const form = r.body as FormData;
    expect(form.get("leave[title]")).toBe("Yıllık izin");
    expect(form.get("leave[is_hourly_leave]")).toBe("0");
    expect(form.get("leave[is_signed]")).toBe("1");
    const file = form.get("files[]");
    expect(file).toBeInstanceOf(File);
    const attached = file instanceof File ? file : new File([], "(not a file)");
    expect(attached.name).toBe("rapor.txt");
    expect(await attached.text()).toBe("hello");
  });
});
