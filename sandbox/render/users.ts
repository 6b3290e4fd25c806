/**
 * Renderers of users (API.md §8.29): the 61-key list item (also used for
 * show and delete), the update response (without the list-only keys), the
 * smaller create response, the short embeds, and the full profile embedded
 * in leave details (§8.17).
 */
import type { Ctx } from "../context";
import { pick } from "../records";
import type { Json, JsonObject, Rec, TableName } from "../types";
import { text } from "../json";
import { renderBranchEmbed, renderDeviceEmbed, renderLeaveRule, renderNamed, renderZone } from "./org";

function related(ctx: Ctx, table: TableName, id: Json | undefined): Rec | undefined {
  return typeof id === "string" ? ctx.store.get(table, id) : undefined;
}

function nameOf(rec: Rec | undefined, column = "name"): Json {
  return rec ? (rec[column] ?? null) : null;
}

/** `first last`. */
export function fullName(rec: Rec): string {
  return `${text(rec.first_name)} ${text(rec.last_name)}`.trim();
}

/** The generated initials avatar URL (API.md §8.29: "a generated initials avatar when none is set"). */
export function avatarUrl(rec: Rec): string {
  if (typeof rec.avatar === "string" && rec.avatar !== "") return rec.avatar;
  const name = encodeURIComponent(fullName(rec)).replace(/%20/g, "+");
  return `https://ui-avatars.com/api/?name=${name}`;
}

/** Values every user shape derives from related records. */
function derived(rec: Rec, ctx: Ctx): JsonObject {
  const branch = related(ctx, "branches", rec.branch_id);
  return {
    full_name: fullName(rec),
    avatar: { url: avatarUrl(rec) },
    job_title: nameOf(related(ctx, "job_positions", rec.job_position_id)),
    title_name: nameOf(related(ctx, "titles", rec.title_id)),
    department_name: nameOf(related(ctx, "departments", rec.department_id)),
    branch_name: nameOf(branch, "title"),
    branch_code: nameOf(branch, "client_id"),
    company_name: nameOf(related(ctx, "companies", rec.company_id)),
    sub_company_name: nameOf(related(ctx, "sub_companies", rec.sub_company_id)),
    organization_unit_name: nameOf(related(ctx, "organization_units", rec.organization_unit_id)),
    user_group_name: nameOf(related(ctx, "user_groups", rec.user_group_id)),
    educational_info: pick(rec, ["educational_status", "graduation_level", "graduation_school"]),
    emergency_information: pick(rec, [
      "emergency_contact_person",
      "emergency_person_proximity_degree",
      "emergency_contact_phone",
      "emergency_contact_person_1",
      "emergency_person_proximity_degree_1",
      "emergency_contact_phone_1",
    ]),
    address_info: pick(rec, ["address", "city", "country", "postal_code"]),
    additional_info: pick(rec, ["marital_status", "spouses_employment_status", "disability_level", "number_of_children", "nationality"]),
    bank_information: pick(rec, ["account_type", "account_number", "bank_name", "iban"]),
    user_device_ids: Array.isArray(rec.device_ids) ? rec.device_ids : [],
    user_zone_ids: Array.isArray(rec.zone_ids) ? rec.zone_ids : [],
    is_in_rotation_today: ctx.store
      .ofCompany("rotation_users", rec.company_id)
      .some(
        (r) =>
          r.user_id === rec.id &&
          r.status === "started" &&
          text(r.start_date) <= ctx.now.slice(0, 10) &&
          text(r.end_date) >= ctx.now.slice(0, 10),
      ),
  };
}

/** Keys of the user list item, in the order of the saved example. */
const LIST_KEYS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "full_name",
  "avatar",
  "job_title",
  "title_name",
  "gsm",
  "department_name",
  "organization_unit_id",
  "branch_name",
  "branch_code",
  "company_name",
  "sub_company_name",
  "organization_unit_name",
  "user_group_name",
  "activation_date",
  "custom_seniority_start_date",
  "birth_date",
  "citizenship_number",
  "educational_info",
  "emergency_information",
  "gender",
  "is_active",
  "other_gsm",
  "university_department",
  "username",
  "about",
  "address_info",
  "additional_info",
  "bank_information",
  "type_of_work",
  "calculation_type",
  "branch_id",
  "client_id",
  "employee_id",
  "company_id",
  "can_take_overtime",
  "department_id",
  "holiday_calendar_id",
  "job_position_id",
  "shift_module",
  "leave_rule_id",
  "reason_for_leave_id",
  "user_device_ids",
  "user_zone_ids",
  "shift_id",
  "sub_company_id",
  "title_id",
  "user_group_id",
  "working_day_id",
  "created_at",
  "updated_at",
  "expired_date",
  "parent_id",
  "erp_locked",
  "is_in_rotation_today",
  "supervisor_registration_number",
  "employee_type",
  "workplace_code",
];

/** Keys of the update response (the list item without the list-only keys). */
const UPDATE_KEYS = LIST_KEYS.filter(
  (k) =>
    ![
      "full_name",
      "title_name",
      "branch_code",
      "custom_seniority_start_date",
      "erp_locked",
      "is_in_rotation_today",
      "supervisor_registration_number",
      "employee_type",
      "workplace_code",
    ].includes(k),
);

/** Keys of the create response (API.md §8.29: "a smaller variant"). */
const CREATE_KEYS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "avatar",
  "job_title",
  "gsm",
  "department_name",
  "branch_name",
  "company_name",
  "sub_company_name",
  "organization_unit_name",
  "user_group_name",
  "activation_date",
  "birth_date",
  "citizenship_number",
  "educational_info",
  "gender",
  "is_active",
  "other_gsm",
  "university_department",
  "username",
  "about",
  "address_info",
  "additional_info",
  "bank_information",
  "branch_id",
  "client_id",
  "employee_id",
  "company_id",
  "department_id",
  "holiday_calendar_id",
  "job_position_id",
  "leave_rule_id",
  "organization_unit_id",
  "reason_for_leave_id",
  "shift_id",
  "sub_company_id",
  "title_id",
  "user_group_id",
  "working_day_id",
];

function shaped(rec: Rec, ctx: Ctx, keys: readonly string[]): JsonObject {
  const all: JsonObject = { ...rec, ...derived(rec, ctx) };
  const out: JsonObject = {};
  for (const k of keys) out[k] = all[k] ?? null;
  return out;
}

/** The user list item (also show and delete). */
export function renderUser(rec: Rec, ctx: Ctx): JsonObject {
  return shaped(rec, ctx, LIST_KEYS);
}

/** The user update response. */
export function renderUserUpdated(rec: Rec, ctx: Ctx): JsonObject {
  return shaped(rec, ctx, UPDATE_KEYS);
}

/** The user create response. */
export function renderUserCreated(rec: Rec, ctx: Ctx): JsonObject {
  return shaped(rec, ctx, CREATE_KEYS);
}

/** The short user embed of leave lists: `{id, username, job_title, avatar, client_id}`. */
export function renderUserBrief(rec: Rec | undefined, ctx: Ctx): Json {
  if (!rec) return null;
  return {
    id: rec.id,
    username: rec.username ?? null,
    job_title: nameOf(related(ctx, "job_positions", rec.job_position_id)),
    avatar: avatarUrl(rec),
    client_id: rec.client_id ?? null,
  };
}

/** `{id, first_name, last_name, email}` (payrolls, approval flows). */
export function renderUserMini(rec: Rec | undefined): Json {
  return rec ? pick(rec, ["id", "first_name", "last_name", "email"]) : null;
}

const PROFILE_KEYS = [
  "id",
  "username",
  "email",
  "first_name",
  "last_name",
  "avatar",
  "gsm",
  "is_active",
  "user_type",
  "employee_type",
  "created_at",
  "updated_at",
  "activation_date",
  "citizenship_number",
  "client_id",
  "gender",
  "birth_date",
  "expired_date",
  "leave_balance",
  "leave_balanced_at",
  "reason_for_leave_id",
  "bank_name",
  "account_type",
  "account_number",
  "iban",
  "emergency_contact_person",
  "emergency_person_proximity_degree",
  "emergency_contact_phone",
  "emergency_contact_person_1",
  "emergency_person_proximity_degree_1",
  "emergency_contact_phone_1",
  "marital_status",
  "spouses_employment_status",
  "address",
  "city",
  "country",
  "postal_code",
  "nationality",
  "faculty_name",
  "university_department",
  "number_of_children",
  "educational_status",
  "graduation_level",
  "graduation_school",
];

/**
 * The full user profile embedded in leave details. `renderLeaves` renders the
 * user's other leaves in their flat shape (passed in to avoid a module cycle).
 */
export function renderUserProfile(rec: Rec, ctx: Ctx, renderLeaves: (user: Rec) => Json[]): JsonObject {
  const out = pick(rec, PROFILE_KEYS);
  out.pacs_settings = pick(rec, ["can_take_overtime", "type_of_work", "calculation_type", "shift_module"]);
  out.leaves = renderLeaves(rec);
  const named = (table: TableName, id: Json | undefined): Json => {
    const r = related(ctx, table, id);
    return r ? renderNamed(r) : null;
  };
  out.job_position = named("job_positions", rec.job_position_id);
  const dept = related(ctx, "departments", rec.department_id);
  out.department = dept ? { ...renderNamed(dept), client_id: dept.client_id ?? null } : null;
  out.user_group = named("user_groups", rec.user_group_id);
  const branch = related(ctx, "branches", rec.branch_id);
  out.branch = branch ? renderBranchEmbed(branch) : null;
  const sub = related(ctx, "sub_companies", rec.sub_company_id);
  out.sub_company = sub ? pick(sub, ["id", "name", "is_active", "created_at", "updated_at"]) : null;
  out.title = named("titles", rec.title_id);
  out.organization_unit = named("organization_units", rec.organization_unit_id);
  const cal = related(ctx, "holiday_calendars", rec.holiday_calendar_id);
  out.holiday_calendar = cal ? pick(cal, ["id", "title", "is_active", "description", "company_id"]) : null;
  const rule = related(ctx, "leave_rules", rec.leave_rule_id);
  out.leave_rule = rule ? renderLeaveRule(rule) : null;
  const ids = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  out.devices = ids(rec.device_ids)
    .map((id) => ctx.store.get("devices", id))
    .filter((d): d is Rec => d !== undefined)
    .map((d) => renderDeviceEmbed(d, ctx));
  out.zones = ids(rec.zone_ids)
    .map((id) => ctx.store.get("zones", id))
    .filter((z): z is Rec => z !== undefined)
    .map(renderZone);
  out.areas = [];
  out.cards = ctx.store
    .ofCompany("cards", rec.company_id)
    .filter((c) => c.user_id === rec.id)
    .map((c) => pick(c, ["id", "card_no", "is_active", "title"]));
  out.rooms = [];
  const parent = related(ctx, "users", rec.parent_id);
  out.parent = parent ? pick(parent, ["id", "first_name", "last_name", "email", "client_id"]) : null;
  return out;
}
