/**
 * Contract replay: every saved example response with a body in the vendor's
 * Postman collection (../shared/passgage-api/PublicApi.postman_collection.json,
 * parsed here, never hand-copied) is replayed against the sandbox:
 * - the request is the example's own (method and path of its item; body of the
 *   example's original request, else the item's), with the host replaced by
 *   the sandbox, path ids and body ids replaced by seed ids of the same
 *   resource, Postman variables filled, and unique fields made unique;
 * - updates and deletes act on a record created for the purpose, never on
 *   the seed; 404 examples use an unknown id; 422 examples blank the field the
 *   example names (or reuse a taken value when the message says "in use");
 * - the answer must have the example's status, envelope and field names
 *   (every key of `data`, first item for lists, recursively), with the same
 *   value types where both are non-null.
 * Examples that cannot be reproduced are skipped with the reason (API.md §9).
 */
import { afterAll, describe, expect, it } from "vitest";
import raw from "../../contract-data/PublicApi.postman_collection.json?raw";
import { OPERATIONS } from "../../src/contract/operations";
import type { Operation } from "../../src/contract/types";
import { ACME_KEY, type ApiResponse, call, isObj, list, type Obj, s, seedInfo } from "../sandbox/client";

// ---------------------------------------------------------------------------
// Reading the collection
// ---------------------------------------------------------------------------

interface PostmanBody {
  readonly mode: string;
  readonly raw: string;
  readonly formdata: readonly { key: string; value: string; type: string; src: string; disabled: boolean }[];
}

interface Example {
  readonly label: string;
  readonly folder: string;
  readonly item: string;
  readonly name: string;
  readonly code: number;
  readonly responseText: string;
  readonly method: string;
  readonly url: string;
  readonly originalUrl: string;
  /** Candidate bodies: the example's original request body, then the item's current one. */
  readonly bodies: readonly PostmanBody[];
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function urlOf(v: unknown): string {
  if (typeof v === "string") return v;
  return isObj(v) ? str(v.raw) : "";
}

function bodyOf(v: unknown): PostmanBody | null {
  if (!isObj(v)) return null;
  const mode = str(v.mode);
  const formdata = Array.isArray(v.formdata)
    ? v.formdata
        .filter(isObj)
        .map((f) => ({ key: str(f.key), value: str(f.value), type: str(f.type), src: str(f.src), disabled: f.disabled === true }))
    : [];
  return { mode, raw: str(v.raw), formdata };
}

function usable(b: PostmanBody | null): boolean {
  return b !== null && ((b.mode === "raw" && b.raw.trim() !== "") || (b.mode === "formdata" && b.formdata.length > 0));
}

/** The first resource segment of a collection URL (`branches`, `job_positions`). */
function resourceOf(url: string): string {
  return (
    splitUrl(url)
      .path.replace(/^\/api\/public\/(v1|auth)\//, "")
      .split("/")[0] ?? ""
  );
}

function readExamples(): Example[] {
  const collection: unknown = JSON.parse(raw);
  const out: Example[] = [];
  const walk = (items: unknown, folder: string): void => {
    if (!Array.isArray(items)) return;
    for (const it of items.filter(isObj)) {
      if (Array.isArray(it.item)) {
        walk(it.item, str(it.name));
        continue;
      }
      const request = isObj(it.request) ? it.request : {};
      const responses = Array.isArray(it.response) ? it.response.filter(isObj) : [];
      for (const res of responses) {
        const text = str(res.body);
        if (text.trim() === "") continue;
        const original = isObj(res.originalRequest) ? res.originalRequest : {};
        const originalBody = bodyOf(original.body);
        const itemBody = bodyOf(request.body);
        out.push({
          label: `${folder} / ${str(it.name)} / ${str(res.name)} (${String(res.code)})`,
          folder,
          item: str(it.name),
          name: str(res.name),
          code: typeof res.code === "number" ? res.code : 0,
          responseText: text,
          method: str(request.method).toUpperCase(),
          url: urlOf(request.url),
          originalUrl: urlOf(original.url),
          // A copied example (recorded against another resource, API.md §9.7) keeps only the item's body.
          bodies: (resourceOf(urlOf(original.url)) === resourceOf(urlOf(request.url)) ? [originalBody, itemBody] : [itemBody]).filter(
            (b): b is PostmanBody => usable(b),
          ),
        });
      }
    }
  };
  walk(isObj(collection) ? collection.item : [], "");
  return out;
}

// ---------------------------------------------------------------------------
// Mapping requests to contract operations
// ---------------------------------------------------------------------------

/** Path and query of a collection URL, with the intended `/api/public/v1` prefix (API.md §9.1). */
function splitUrl(url: string): { path: string; query: string } {
  let rest = url.replace(/^\{\{\w+\}\}/, "").replace(/^https?:\/\/[^/]+/, "");
  const q = rest.indexOf("?");
  const query = q >= 0 ? rest.slice(q + 1) : "";
  rest = q >= 0 ? rest.slice(0, q) : rest;
  if (!rest.startsWith("/api/")) rest = `/api/public/v1${rest.startsWith("/") ? "" : "/"}${rest}`;
  return { path: rest.replace(/\/{2,}/g, "/"), query };
}

/** A path template with anonymous parameters (`/shifts/{}/slacks/{}`). */
function shape(path: string): string {
  return path
    .split("/")
    .map((seg) => (/^:\w+$/.test(seg) || /^\{\{?\w+\}?\}$/.test(seg) ? "{}" : seg))
    .join("/");
}

function operationFor(method: string, path: string): Operation | undefined {
  const wanted = shape(path);
  return OPERATIONS.find((op) => op.method === method && shape(op.path) === wanted);
}

// ---------------------------------------------------------------------------
// Building requests
// ---------------------------------------------------------------------------

/** Seed ids the replay substitutes. */
interface SeedIds {
  readonly sample: (table: string) => string;
  readonly ayse: string;
  readonly mehmet: string;
}

let ids: SeedIds | null = null;

async function seedIds(): Promise<SeedIds> {
  if (ids) return ids;
  const info = await seedInfo();
  const samples = isObj(info.samples) && isObj(info.samples.acme) ? info.samples.acme : {};
  const users = isObj(info.users) ? info.users : {};
  const userId = (k: string): string => s(isObj(users[k]) ? users[k].id : null);
  ids = { sample: (table) => s(samples[table]), ayse: userId("ayse"), mehmet: userId("mehmet") };
  return ids;
}

/** Table of an `*_id` body field. */
const ID_TABLES: Readonly<Record<string, string>> = {
  user_id: "users",
  leave_type_id: "leave_types",
  zone_id: "zones",
  zone_ids: "zones",
  branch_id: "branches",
  branch_ids: "branches",
  job_position_id: "job_positions",
  shift_id: "shifts",
  leave_rule_id: "leave_rules",
  holiday_calendar_id: "holiday_calendars",
  working_day_id: "working_days",
  department_id: "departments",
  title_id: "titles",
  sub_company_id: "sub_companies",
  organization_unit_id: "organization_units",
  extra_work_type_id: "extra_work_types",
  holiday_extra_work_type_id: "extra_work_types",
  device_ids: "devices",
};

function rand(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += String(Math.floor(Math.random() * 10));
  return out;
}

/** Strips `//` comments outside strings and repairs a missing comma between lines (API.md §9.8). */
function lenientJson(text: string): unknown {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      out += c;
      if (c === "\\") out += text.charAt(++i);
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text.charAt(i + 1) === "/") {
      while (i < text.length && text.charAt(i) !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  const filled = out
    .replace(/"\{\{\$randomFullName\}\}"/g, `"Deneme Kişi ${rand(6)}"`)
    .replace(/"\{\{\$randomInt\}\}"/g, `"${rand(5)}"`)
    .replace(/\{\{\w+\}\}/g, "x");
  try {
    return JSON.parse(filled) as unknown;
  } catch {
    return JSON.parse(filled.replace(/("|\d|true|false|null)(\s*\n\s*")/g, "$1,$2")) as unknown;
  }
}

/** Replaces ids in a body with seed ids of the same resource; makes unique fields unique. */
function substitute(value: unknown, seed: SeedIds, opts: { unique: boolean; keepIds: boolean }, key = ""): unknown {
  if (Array.isArray(value)) {
    const table = ID_TABLES[key] ?? (/^week_day_\d$/.test(key) ? "shifts" : null);
    if (table && !opts.keepIds) return value.map((v) => (typeof v === "string" && v !== "" ? seed.sample(table) : v));
    return value.map((v) => substitute(v, seed, opts));
  }
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, seed, opts, k);
    return out;
  }
  if (typeof value !== "string") return value;
  if (!opts.keepIds) {
    if (key === "user_id") return seed.ayse;
    if (key === "supervisor_parent_id") return seed.mehmet;
    const table = ID_TABLES[key];
    if (table && value !== "") return seed.sample(table);
  }
  if (opts.unique) {
    if (key === "name" || key === "title") return `${value === "" ? "Örnek" : value} ${rand(6)}`;
    if (key === "card_no") return `${value}${rand(6)}`;
    if (key === "email" && value.includes("@")) return `${rand(8)}.${value}`;
  }
  return value;
}

/** A create body for a resource, to have a fresh record to update or delete. */
function fixtureBody(resource: string, seed: SeedIds): unknown {
  const u = (p: string): string => `${p} ${rand(8)}`;
  const day = `2028-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
  switch (resource) {
    case "branches":
      return { branch: { title: u("Şube"), latitude: 41.01, longitude: 28.97 } };
    case "cards":
      return { card: { card_no: rand(10), user_id: seed.ayse, title: "Test kartı" } };
    case "departments":
      return { department: { name: u("Departman") } };
    case "job_positions":
      return { job_position: { name: u("Pozisyon") } };
    case "holiday_calendars":
      return { holiday_calendar: { title: u("Takvim"), description: "", is_active: true } };
    case "leave_rules":
      return { leave_rule: { title: u("Kural"), description: "" } };
    case "devices":
      return { device: { name: u("Cihaz"), port: 65000, external_ip: "10.1.1.1" } };
    case "leaves":
      return {
        leave: {
          leave_type_id: seed.sample("leave_types"),
          user_id: seed.ayse,
          is_hourly_leave: "0",
          start_date_daily: `${day} 00:00`,
          end_date_daily: `${day} 00:00`,
          status: "awaiting_approval",
        },
      };
    case "night_works":
      return { night_work: { start_time: "22:00", end_time: "23:00", work_type: "night_work", shift_id: seed.sample("shifts") } };
    case "shifts":
      return { shift: { name: u("Vardiya") } };
    case "slacks":
      return { slack: { title: u("Mola"), is_active: true, slack_type: "time_duration", duration: 15 } };
    case "sub_companies":
      return { sub_company: { name: u("Şirket"), is_active: true } };
    case "users":
      return { user: { first_name: "Deneme", last_name: "Kişi", email: `${rand(10)}@acme.example` } };
    case "user_shifts":
      return { user_shift: { user_id: seed.ayse, shift_id: seed.sample("shifts"), date_of_shift: day } };
    case "working_days":
      return { working_day: { name: u("Takvim") } };
    default:
      return null;
  }
}

/** Fills a path template's parameters. */
function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "missing");
}

/** Creates a fresh record of the operation's resource; returns the path params addressing it. */
async function fixture(op: Operation, seed: SeedIds): Promise<Record<string, string>> {
  const create = OPERATIONS.find((o) => o.resource === op.resource && o.kind === "create");
  const body = fixtureBody(op.resource, seed);
  if (!create || body === null) throw new Error(`no fixture for ${op.resource}`);
  const parent: Record<string, string> = create.path.includes("{shift_id}") ? { shift_id: seed.sample("shifts") } : {};
  const r = await call(fill(create.path, parent), { method: create.method, auth: ACME_KEY, body });
  const data = r.json && isObj(r.json.data) ? r.json.data : null;
  if (!data) throw new Error(`fixture ${op.resource} failed: ${r.status} ${r.text.slice(0, 300)}`);
  return { ...parent, id: s(data.id) };
}

/** Path params addressing a seed record (reads). */
async function seedParams(op: Operation, seed: SeedIds): Promise<Record<string, string>> {
  if (op.resource === "slacks") {
    const shift = seed.sample("shifts");
    const slack = (await list(`/api/public/v1/shifts/${shift}/slacks`, ACME_KEY)).data[0];
    return { shift_id: shift, id: s(slack?.id) };
  }
  return op.path.includes("{id}") ? { id: seed.sample(op.resource) } : {};
}

// ---------------------------------------------------------------------------
// Comparing answers
// ---------------------------------------------------------------------------

function kind(v: unknown): string {
  return Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
}

/** Every key of the example must be in the answer; types must agree where both are non-null. */
function compareShape(example: unknown, actual: unknown, path: string, problems: string[], depth = 0): void {
  if (example === null || actual === null || depth > 5) return;
  if (kind(example) !== kind(actual)) {
    problems.push(`${path}: ${kind(example)} in the example, ${kind(actual)} in the sandbox`);
    return;
  }
  if (Array.isArray(example) && Array.isArray(actual)) {
    if (example.length > 0 && actual.length > 0) compareShape(example[0], actual[0], `${path}[0]`, problems, depth + 1);
    return;
  }
  if (isObj(example) && isObj(actual)) {
    for (const [k, v] of Object.entries(example)) {
      if (!(k in actual)) problems.push(`${path}.${k} missing`);
      else compareShape(v, actual[k], `${path}.${k}`, problems, depth + 1);
    }
  }
}

function fieldNames(body: Obj): string[] {
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return errors
    .filter(isObj)
    .map((e) => str(e.field_name))
    .filter((n) => n !== "");
}

// ---------------------------------------------------------------------------
// The replay
// ---------------------------------------------------------------------------

/** Examples the sandbox cannot reproduce, with the reason. */
function skipReason(ex: Example): string | null {
  if (ex.folder === "Working Days" && ex.item === "create") {
    return "copied: the saved body is the list response of GET /working_days (API.md §9.7), with `//` comments (§9.8)";
  }
  try {
    lenientJson(ex.responseText);
  } catch {
    return "invalid JSON (API.md §9.8)";
  }
  if (ex.folder === "Shifts" && ex.item === "Extra Work Types") {
    return "copied: the saved body is a shift list recorded against GET /shifts (API.md §9.7)";
  }
  if (ex.originalUrl.includes("/partial_update")) {
    return "legacy error shape without envelope, recorded against /users/{id}/partial_update (API.md §3)";
  }
  if (ex.folder === "Shift Settings" && ex.code === 404) {
    return "needs a company without shift settings; both seed companies have them (success:true 404 of API.md §3)";
  }
  if (ex.folder === "Shift Settings" && ex.code === 401) {
    return 'legacy 401 body `{errors:["Access denied"]}` without envelope; the sandbox answers the common 401 envelope (API.md §3)';
  }
  return null;
}

interface Outcome {
  readonly label: string;
  readonly reproduced: boolean;
  readonly note: string;
}

const outcomes: Outcome[] = [];
const skipped: { label: string; reason: string }[] = [];

async function replay(ex: Example): Promise<{ problems: string[]; notes: string[] }> {
  const seed = await seedIds();
  const problems: string[] = [];
  const notes: string[] = [];
  const { path: rawPath, query: rawQuery } = splitUrl(ex.url);
  const op = operationFor(ex.method, rawPath);
  if (!op) return { problems: [`no contract operation for ${ex.method} ${rawPath}`], notes };
  if (ex.originalUrl.includes("/job_positions") && op.resource === "departments")
    notes.push("recorded against /job_positions; replayed against the department endpoint (API.md §9.7)");
  let example: unknown;
  try {
    example = JSON.parse(ex.responseText);
  } catch {
    example = lenientJson(ex.responseText);
    notes.push("the saved body has `//` comments (API.md §9.8); read leniently");
  }
  const exampleBody = isObj(example) ? example : {};
  const errorFields = fieldNames(exampleBody);
  const isError = ex.code >= 400;

  // Path parameters.
  let params: Record<string, string>;
  if (ex.code === 404) {
    params = { ...(await seedParams(op, seed)), id: crypto.randomUUID() };
    if (ex.name === "Zone Not Found") params = await fixture(op, seed);
  } else if (op.kind === "update" || op.kind === "delete") {
    params = await fixture(op, seed);
  } else {
    params = await seedParams(op, seed);
  }

  // Body candidates: the example's original request first. A success example whose
  // original request the sandbox refuses (legacy field names or wrapper, API.md §9)
  // is replayed with the item's current request body instead.
  const keepIds = ex.name === "Zone Not Found";
  const hasBody = op.kind !== "delete" && op.kind !== "get" && op.kind !== "list";
  const candidates: (PostmanBody | null)[] = hasBody && ex.bodies.length > 0 ? [...ex.bodies] : [null];
  const query = rawQuery
    .split("&")
    .filter((p) => p !== "" && !p.includes("{{") && !p.startsWith("user_id="))
    .join("&");
  let path = fill(op.path, params);
  let r: ApiResponse | null = null;
  for (const [i, candidate] of candidates.entries()) {
    const body = candidate === null ? undefined : await buildBody(candidate, ex, op, seed, params, exampleBody, keepIds, notes);
    r = await call(`${path}${query ? `?${query}` : ""}`, { method: op.method, auth: ACME_KEY, ...(body !== undefined ? { body } : {}) });
    if (isError || r.status !== 422 || i === candidates.length - 1) break;
    const refusal = r.text.slice(0, 160);
    notes.push(`the example's original request is refused (${refusal}); replayed with the item's current request body`);
    if (op.kind === "update" || op.kind === "delete") {
      params = await fixture(op, seed);
      path = fill(op.path, params);
    }
  }

  if (r === null) return { problems: ["nothing was sent"], notes };
  // Lists: filters whose values are absent from the seed are dropped.
  if (
    op.kind === "list" &&
    r.status === 200 &&
    r.json &&
    Array.isArray(r.json.data) &&
    r.json.data.length === 0 &&
    /q\[|q%5B/.test(query)
  ) {
    const unfiltered = query
      .split("&")
      .filter((p) => !/^q(\[|%5B)/.test(p))
      .join("&");
    notes.push("example filters match no seed record; replayed without them");
    r = await call(`${path}${unfiltered ? `?${unfiltered}` : ""}`, { method: op.method, auth: ACME_KEY });
  }

  // Comparison.
  if (r.status !== ex.code) problems.push(`status ${r.status}, example ${ex.code}: ${r.text.slice(0, 200)}`);
  const actual = r.json;
  if (!actual) {
    problems.push("the answer is not a JSON object");
    return { problems, notes };
  }
  for (const k of Object.keys(exampleBody)) if (!(k in actual)) problems.push(`envelope key ${k} missing`);
  for (const k of ["success", "status"])
    if (k in exampleBody && exampleBody[k] !== actual[k]) problems.push(`${k}: ${String(actual[k])}, example ${String(exampleBody[k])}`);
  if (isError) {
    if (exampleBody.message !== actual.message)
      problems.push(`message "${String(actual.message)}", example "${String(exampleBody.message)}"`);
    const got = fieldNames(actual);
    for (const f of errorFields) if (!got.includes(f)) problems.push(`error field ${f} not reported (got ${got.join(", ") || "none"})`);
  }
  if ("data" in exampleBody) {
    if (Array.isArray(exampleBody.data) && exampleBody.data.length > 0 && Array.isArray(actual.data) && actual.data.length === 0)
      problems.push("the sandbox list is empty");
    compareShape(exampleBody.data, actual.data, "data", problems);
  }
  if ("meta" in exampleBody) compareShape(exampleBody.meta, actual.meta, "meta", problems);
  return { problems, notes };
}

/** The request body of one candidate, with seed ids and, for 422 examples, the offending field set up. */
async function buildBody(
  candidate: PostmanBody,
  ex: Example,
  op: Operation,
  seed: SeedIds,
  params: Record<string, string>,
  exampleBody: Obj,
  keepIds: boolean,
  notes: string[],
): Promise<unknown> {
  const isError = ex.code >= 400;
  if (candidate.mode === "formdata") {
    const form = new FormData();
    for (const f of candidate.formdata) {
      if (f.disabled) continue;
      if (f.type === "file") form.append(f.key, new File(["%PNG"], f.src.split("/").pop() ?? "file.png", { type: "image/png" }));
      else form.append(f.key, s(substitute(f.value, seed, { unique: false, keepIds }, /\[(\w+)\]$/.exec(f.key)?.[1] ?? "")));
    }
    return form;
  }
  const body = substitute(lenientJson(candidate.raw), seed, { unique: !isError, keepIds });
  if (ex.code === 422 && isObj(body)) {
    const wrapper = op.body?.wrapper ?? null;
    const target = wrapper !== null && isObj(body[wrapper]) ? body[wrapper] : body;
    const messages = JSON.stringify(exampleBody.errors ?? []);
    for (const field of fieldNames(exampleBody)) {
      if (!(field in target)) continue;
      if (/kullanım/.test(messages)) {
        const taken = (await list(fill(op.path.replace(/\/\{id\}$/, ""), params), ACME_KEY)).data[0];
        target[field] = taken ? (taken[field] ?? "") : "";
        notes.push(`reused a taken ${field} for the "in use" message`);
      } else {
        target[field] = "";
        notes.push(`blanked ${field} for the "must be filled" message`);
      }
    }
  }
  return body;
}

const EXAMPLES = readExamples();
/** Each example with the reason it cannot be reproduced (API.md §9), or null, and its test title. */
const PLAN = EXAMPLES.map((ex) => {
  const reason = skipReason(ex);
  return { ex, reason, title: reason === null ? `reproduces ${ex.label}` : `${ex.label}: ${reason}` };
});
for (const { ex, reason } of PLAN) if (reason !== null) skipped.push({ label: ex.label, reason });

describe("contract replay of the Postman collection's saved examples", () => {
  it("finds the collection's examples", () => {
    expect(EXAMPLES.length).toBeGreaterThan(100);
  });

  for (const { ex, reason, title } of PLAN) {
    // An example the sandbox cannot reproduce is skipped, its reason in the title and in the summary.
    it.skipIf(reason !== null)(`${title}`, async () => {
      const { problems, notes } = await replay(ex);
      outcomes.push({ label: ex.label, reproduced: problems.length === 0, note: [...notes, ...problems].join("; ") });
      expect(problems, ex.label).toEqual([]);
    });
  }

  afterAll(() => {
    const reproduced = outcomes.filter((o) => o.reproduced).length;
    const lines = [
      `contract examples: ${reproduced} of ${EXAMPLES.length} reproduced`,
      ...skipped.map((sk) => `  skipped: ${sk.label}: ${sk.reason}`),
      ...outcomes.filter((o) => !o.reproduced).map((o) => `  FAILED: ${o.label}: ${o.note}`),
      ...outcomes.filter((o) => o.reproduced && o.note !== "").map((o) => `  note: ${o.label}: ${o.note}`),
    ];
    console.log(lines.join("\n"));
  });
});
