/**
 * Simple named resources that differ only in table, name column, rendered
 * keys and messages: departments, job positions, titles, organisation units,
 * builds, holiday calendars, leave rules, sub companies (API.md §8.8, 8.10,
 * 8.14, 8.15, 8.19, 8.22, 8.25, 8.28).
 */
import type { Ctx } from "../context";
import { fail, notFound } from "../envelope";
import { defined, errorsOf, invalid, newRecord, pick, requireFilled, requireUnique, touch, written } from "../records";
import type { ResourceDef } from "../resource";
import type { JsonObject, Rec, TableName } from "../types";

interface NamedSpec {
  readonly table: TableName;
  /** Column holding the name (`name` or `title`). */
  readonly nameColumn: "name" | "title";
  /** Turkish label of the name field in 422 messages ("Pozisyon Adı"). */
  readonly label: string;
  /** Whether the name must be unique within the company. */
  readonly unique: boolean;
  /** Response keys (list, show, writes). */
  readonly keys: readonly string[];
  readonly messages?: ResourceDef["messages"];
  readonly notFoundMessage?: string;
  /** Users (or other records) referencing it block deletion. */
  readonly referencedBy?: { readonly table: TableName; readonly column: string; readonly message: string };
  /** Extra computed keys. */
  readonly extra?: (rec: Rec, ctx: Ctx) => JsonObject;
}

/** A resource definition for a simple named entity. */
function namedEntity(spec: NamedSpec): ResourceDef {
  const render = (rec: Rec, ctx: Ctx): JsonObject => ({ ...pick(rec, spec.keys), ...(spec.extra ? spec.extra(rec, ctx) : {}) });
  const check = (fields: JsonObject, ctx: Ctx, creating: boolean, exceptId?: string) =>
    errorsOf(
      creating || spec.nameColumn in fields ? requireFilled(fields[spec.nameColumn], spec.nameColumn, spec.label) : null,
      spec.unique ? requireUnique(ctx, spec.table, spec.nameColumn, fields[spec.nameColumn], spec.label, exceptId) : null,
    );
  const def: ResourceDef = {
    table: spec.table,
    renderList: render,
    create: (fields, ctx) => {
      const errors = check(fields, ctx, true);
      if (errors.length > 0) return invalid(errors);
      return written(newRecord(spec.table, ctx, defined(fields)));
    },
    update: (rec, fields, ctx) => {
      const errors = check(fields, ctx, false, rec.id);
      if (errors.length > 0) return invalid(errors);
      return written(touch(rec, defined(fields), ctx));
    },
    ...(spec.messages ? { messages: spec.messages } : {}),
    ...(spec.notFoundMessage !== undefined ? { notFound: () => notFound(spec.notFoundMessage) } : {}),
  };
  const ref = spec.referencedBy;
  if (!ref) return def;
  return {
    ...def,
    beforeDelete: (rec, ctx) =>
      ctx.store.ofCompany(ref.table, ctx.companyId).some((r) => r[ref.column] === rec.id)
        ? fail(422, "Unprocessable entity", [{ field_name: "base", messages: [ref.message] }])
        : null,
  };
}

const NAMED_KEYS = ["id", "name", "description", "is_active", "created_at", "updated_at"];

/** Departments (§8.10): by analogy with job positions, plus client_id and users_count. */
export const DEPARTMENTS: ResourceDef = namedEntity({
  table: "departments",
  nameColumn: "name",
  label: "Departman Adı",
  unique: true,
  keys: ["id", "name", "description", "is_active", "client_id", "created_at", "updated_at"],
  extra: (rec, ctx) => ({ users_count: ctx.store.ofCompany("users", rec.company_id).filter((u) => u.department_id === rec.id).length }),
  messages: {
    created: "Successfully created department",
    updated: "Successfully updated department",
    deleted: "Successfully deleted department",
  },
  referencedBy: { table: "users", column: "department_id", message: "Bu departmana bağlı kullanıcılar olduğu için silinemez" },
});

/** Job positions (§8.15). */
export const JOB_POSITIONS: ResourceDef = namedEntity({
  table: "job_positions",
  nameColumn: "name",
  label: "Pozisyon Adı",
  unique: true,
  keys: NAMED_KEYS,
  messages: {
    created: "Successfully created job position",
    updated: "Successfully updated job position",
    deleted: "Successfully deleted job position",
  },
  referencedBy: { table: "users", column: "job_position_id", message: "Bu pozisyona bağlı kullanıcılar olduğu için silinemez" },
});

/** Titles (§8.28, read-only here). */
export const TITLES: ResourceDef = namedEntity({ table: "titles", nameColumn: "name", label: "Ünvan Adı", unique: true, keys: NAMED_KEYS });

/** Organisation units (§8.22, read-only here). */
export const ORGANIZATION_UNITS: ResourceDef = namedEntity({
  table: "organization_units",
  nameColumn: "name",
  label: "Organizasyon Birimi Adı",
  unique: true,
  keys: NAMED_KEYS,
  notFoundMessage: "%{resource} Bulunamadı",
});

/** Builds (§8.8, list only). */
export const BUILDS: ResourceDef = namedEntity({
  table: "builds",
  nameColumn: "name",
  label: "Bina Adı",
  unique: true,
  keys: ["id", "name", "description", "is_active", "company_id", "created_at", "updated_at"],
});

/** Holiday calendars (§8.14). */
export const HOLIDAY_CALENDARS: ResourceDef = namedEntity({
  table: "holiday_calendars",
  nameColumn: "title",
  label: "Tatil Takvimi Adı",
  unique: false,
  keys: ["id", "title", "is_active", "description", "company_id"],
  messages: {
    created: "Successfully created holiday calendar",
    updated: "Successfully updated holiday calendar",
    deleted: "Successfully deleted holiday calendar",
  },
});

/** Leave rules (§8.19). */
export const LEAVE_RULES: ResourceDef = namedEntity({
  table: "leave_rules",
  nameColumn: "title",
  label: "İzin Kuralı Adı",
  unique: false,
  keys: ["id", "title", "description", "company_id", "created_at", "updated_at"],
  messages: {
    created: "Successfully created leave rule",
    updated: "Successfully updated leave rule",
    deleted: "Successfully deleted leave rule",
  },
  referencedBy: { table: "leave_types", column: "leave_rule_id", message: "Bu kurala bağlı izin türleri olduğu için silinemez" },
});

/** Sub companies (§8.25): only id, name, is_active and timestamps are echoed. */
export const SUB_COMPANIES: ResourceDef = namedEntity({
  table: "sub_companies",
  nameColumn: "name",
  label: "Şirket Adı",
  unique: false,
  keys: ["id", "name", "is_active", "created_at", "updated_at"],
  messages: {
    created: "Sub Company başarıyla oluşturuldu",
    updated: "Sub Company başarıyla güncellendi",
    deleted: "Sub Company başarıyla silindi",
  },
});
