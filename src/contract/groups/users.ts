/**
 * Users (API.md §8.29): employees. Wrapper `user`. PUT and PATCH both update
 * (`passgage_replace_user` / `passgage_update_user`). Listing users is
 * company-only; showing one user is open to both credentials.
 *
 * Required on create: first_name and last_name (folder prose and the
 * operations table; the field table says optional) and at least one of email
 * or gsm (stated in descriptions; not expressible per field). password is
 * left optional: the field table asks for it, the working sample omits it.
 */
import * as z from "zod/mini";
import {
  BOTH_MODES,
  CALCULATION_TYPES,
  CAN_TAKE_OVERTIME,
  COMPANY_ONLY,
  EDUCATIONAL_STATUSES,
  GENDERS,
  SHIFT_MODULES,
  TYPES_OF_WORK,
} from "../enums";
import { bool, boundedText, date, filter, nonNegativeInt, num, oneOf, text, textList, uuid, uuidList } from "../fields";
import type { Operation } from "../types";

const opt = z.optional;

const USER_FIELDS = {
  // Identity / contact
  email: opt(text("E-mail address, unique; email or gsm is required on create")),
  gsm: opt(text("Mobile number, unique, at least 10 digits; email or gsm is required on create")),
  other_gsm: opt(text("Second mobile number")),
  first_name: boundedText("First name", 2, 32),
  last_name: boundedText("Last name", 2, 32),
  username: opt(text("User name")),
  about: opt(text("Short note about the employee")),
  citizenship_number: opt(text("National id number")),
  gender: opt(oneOf(GENDERS, "Gender")),
  birth_date: opt(date("Date of birth")),
  nationality: opt(text("Nationality")),
  marital_status: opt(text("Marital status")),
  number_of_children: opt(nonNegativeInt("Number of children")),
  spouses_employment_status: opt(text("Spouse's employment status")),
  disability_level: opt(text("Disability level")),
  // Credentials
  password: opt(text("Password for a new user")),
  password_confirmation: opt(text("Repeat of password")),
  // Employment
  is_active: opt(bool("Whether the account is active")),
  activation_date: opt(date("Hire date")),
  expired_date: opt(date("Leaving date")),
  reason_for_leave_id: opt(uuid("Reason for leaving")),
  client_id: opt(text("Registration / payroll number (your integration key)")),
  employee_id: opt(text("Employee number within the company")),
  employee_type: opt(text("Employee type, e.g. student")),
  user_type: opt(text("User type, e.g. user")),
  supervisor_registration_number: opt(text("Manager's registration number (client_id)")),
  supervisor_parent_id: opt(uuid("Manager's user id (returned as parent_id)")),
  // Org links by id
  job_position_id: opt(uuid("Job position")),
  department_id: opt(uuid("Department")),
  branch_id: opt(uuid("Branch")),
  sub_company_id: opt(uuid("Sub-company")),
  organization_unit_id: opt(uuid("Organization unit")),
  title_id: opt(uuid("Title")),
  user_group_id: opt(uuid("User group")),
  shift_id: opt(uuid("Default shift")),
  working_day_id: opt(uuid("Working-day calendar")),
  holiday_calendar_id: opt(uuid("Holiday calendar")),
  leave_rule_id: opt(uuid("Leave rule")),
  // Org links by name / code (looked up server-side)
  branch_name: opt(text("Branch, by name")),
  branch_code: opt(text("Branch, by code")),
  group_name: opt(text("User group, by name")),
  group_code: opt(text("User group, by code")),
  department_name: opt(text("Department, by name")),
  department_code: opt(text("Department, by code")),
  job_position_name: opt(text("Job position, by name")),
  job_position_code: opt(text("Job position, by code")),
  title_name: opt(text("Title, by name")),
  title_code: opt(text("Title, by code")),
  sub_company_name: opt(text("Sub-company, by name")),
  sub_company_code: opt(text("Sub-company, by code")),
  organization_unit_name: opt(text("Organization unit, by name")),
  organization_unit_code: opt(text("Organization unit, by code")),
  device_name: opt(text("Device, by name")),
  device_code: opt(text("Device, by code")),
  access_zone_name: opt(text("Access zone, by name")),
  access_zone_code: opt(text("Access zone, by code")),
  // Access
  device_ids: opt(uuidList("Devices the user may use")),
  zone_ids: opt(uuidList("Access zones the user may enter")),
  // Leave
  leave_balance: opt(num("Leave balance")),
  leave_balanced_at: opt(date("Date the leave balance is valid on")),
  // Attendance settings
  type_of_work: opt(oneOf(TYPES_OF_WORK, "Type of work")),
  calculation_type: opt(oneOf(CALCULATION_TYPES, "Pay calculation basis")),
  can_take_overtime: opt(oneOf(CAN_TAKE_OVERTIME, "Whether overtime is allowed")),
  shift_module: opt(oneOf(SHIFT_MODULES, "Shift module")),
  // Education / bank / emergency
  educational_status: opt(oneOf(EDUCATIONAL_STATUSES, "Educational status")),
  graduation_level: opt(text("Graduation level")),
  graduation_school: opt(text("Last school graduated from")),
  faculty_name: opt(text("Faculty")),
  university_department: opt(text("University department")),
  bank_name: opt(text("Bank name")),
  account_type: opt(text("Bank account type")),
  account_number: opt(text("Bank account number")),
  iban: opt(text("IBAN")),
  emergency_contact_person: opt(text("Emergency contact name")),
  emergency_person_proximity_degree: opt(text("Emergency contact's relationship")),
  emergency_contact_phone: opt(text("Emergency contact phone")),
  emergency_contact_person_1: opt(text("Second emergency contact name")),
  emergency_person_proximity_degree_1: opt(text("Second emergency contact's relationship")),
};

const USER_UPDATE_FIELDS = z.partial(z.object(USER_FIELDS));

/** User operations. */
export const USER_OPERATIONS: readonly Operation[] = [
  {
    id: "users.list",
    group: "Users",
    resource: "users",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/users",
    paginated: true,
    filters: [
      filter("id_eq", uuid("User id equals")),
      filter("client_id_eq", text("Registration number (client_id) equals")),
      filter("gsm_eq", text("Mobile number equals")),
      filter("first_name_eq", text("First name equals")),
      filter("last_name_eq", text("Last name equals")),
      filter("full_name_eq", text("Full name equals")),
      filter("first_name_or_last_name_cont", text("First or last name contains")),
      filter("first_name_or_last_name_cont_any", textList("First or last name contains any of these")),
    ],
    modes: COMPANY_ONLY,
    toolName: "passgage_list_users",
    title: "List users",
    description:
      "Lists employees with contact, organisation (branch, department, position, title), employment and attendance settings. Filter by id, client_id, gsm or names. Company key only.",
    successStatus: 200,
  },
  {
    id: "users.get",
    group: "Users",
    resource: "users",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/users/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_user",
    title: "Get user",
    description: "Gets one employee's profile: contact, organisation links, employment, attendance settings, device and zone ids.",
    successStatus: 200,
  },
  {
    id: "users.create",
    group: "Users",
    resource: "users",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/users",
    body: { wrapper: "user", fields: z.object(USER_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_user",
    title: "Create user",
    description:
      "Creates an employee. first_name and last_name (2-32 chars) and at least one of email or gsm (each unique) are required. Org links go by id or by name/code (looked up server-side).",
    successStatus: 201,
  },
  {
    id: "users.replace",
    group: "Users",
    resource: "users",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/users/{id}",
    body: { wrapper: "user", fields: USER_UPDATE_FIELDS },
    modes: COMPANY_ONLY,
    toolName: "passgage_replace_user",
    title: "Replace user",
    description:
      "Updates an employee with PUT, usually with the full profile. Same fields as create; device_ids and zone_ids set device and zone access.",
    successStatus: 200,
  },
  {
    id: "users.update",
    group: "Users",
    resource: "users",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/users/{id}",
    body: { wrapper: "user", fields: USER_UPDATE_FIELDS },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_user",
    title: "Update user",
    description: "Partially updates an employee (PATCH); send only the fields to change, e.g. first_name and last_name.",
    successStatus: 200,
  },
  {
    id: "users.delete",
    group: "Users",
    resource: "users",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/users/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_user",
    title: "Delete user",
    description: "Deletes an employee together with the employee's related data. Irreversible. Returns the deleted record.",
    successStatus: 200,
  },
];
