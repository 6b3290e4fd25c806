/**
 * The prompt catalog: templates for common Passgage workflows, each naming the tools
 * to call, in order, with the filters to use (tool names come from the contract table,
 * src/contract/groups/*.ts). One readonly array in stable order; prompts/list maps it,
 * prompts/get looks prompts up in a Map built once.
 */
import * as z from "zod/mini";
import { APPROVABLE_TYPES } from "../contract/enums";
import { addDays, isIsoDate, mondayOf } from "./dates";
import { definePrompt, type PromptArgumentSpec, type PromptDefinition } from "./define-prompt";

const q = (value: string): string => JSON.stringify(value);

function dateArg(name: string, description: string, required: boolean): PromptArgumentSpec {
  return {
    name,
    description,
    required,
    schema: z.string().check(z.refine(isIsoDate)),
    invalidMessage: `${name} must be a calendar day written YYYY-MM-DD, e.g. 2026-12-01`,
  };
}

function textArg(name: string, description: string, required: boolean, min: number, max: number): PromptArgumentSpec {
  return {
    name,
    description,
    required,
    schema: z.string().check(z.minLength(min), z.maxLength(max)),
    invalidMessage: `${name} must be ${min} to ${max} characters long`,
  };
}

function oneOfArg(name: string, description: string, values: readonly string[]): PromptArgumentSpec {
  const allowed = new Set(values);
  return {
    name,
    description,
    required: false,
    schema: z.string().check(z.refine((v) => allowed.has(v))),
    invalidMessage: `${name} must be one of ${values.join(", ")}`,
  };
}

const SIGNED_IN_STEP =
  "Call passgage_session_status first. If I am not signed in, tell me how to sign in (this server's /login page, or passgage_session_login) and stop.";

/** Request a leave for given days, confirming before anything is created. */
export const requestLeave = definePrompt({
  name: "request_leave",
  title: "Request a leave",
  description: "Requests a leave: checks the leave types and clashes, shows a summary, and creates the request only after you confirm.",
  arguments: [
    dateArg("start_date", "First day of the leave, YYYY-MM-DD", true),
    dateArg("end_date", "Last day of the leave (inclusive), YYYY-MM-DD; default: the first day", false),
    textArg("leave_type", 'Kind of leave, e.g. "Annual leave" (matched against the company\'s leave types)', false, 1, 100),
    textArg("reason", "Reason or note for the approver", false, 1, 500),
  ],
  render: (args) => {
    const start = args.start_date ?? "";
    const end = args.end_date ?? start;
    const type = args.leave_type;
    const lines = [
      `I want to request a leave in Passgage from ${start} to ${end} (both days included)${type ? `, type ${q(type)}` : ""}.${args.reason ? ` Reason: ${q(args.reason)}.` : ""}`,
      "",
      "Please go step by step with the Passgage tools:",
      `1. ${SIGNED_IN_STEP} In user mode, use my own user id from the status as user_id. In company mode, ask me whose leave it is and find their id with passgage_list_users (filter {"first_name_or_last_name_cont": "<name>"}).`,
      `2. Call passgage_list_leave_types and pick the type ${type ? `matching ${q(type)}` : "I need (ask me if unsure)"}. If none or several match, show me the candidates and ask. Note whether the type needs a document or allows hourly leave.`,
      `3. Check for clashes: call passgage_list_leaves with filter {"start_date_gteq": "${addDays(start, -31)}", "end_date_lteq": "${addDays(end, 31)}"} and tell me about any leave that overlaps ${start} to ${end}.`,
      "4. Show me a summary (leave type, first and last day, number of days, reason) and wait for my explicit confirmation. Do not create anything before I confirm.",
      `5. After I confirm, call passgage_create_leave with leave_type_id, user_id, is_hourly_leave: 0, start_date_daily: "${start} 00:00", end_date_daily: "${end} 00:00", status: "awaiting_approval"${args.reason ? ", description: the reason" : ""}. Then report the leave id and status, and who has to approve it (passgage_list_approvals with filter {"approvable_type_eq": "Leave", "approvable_id_eq": "<leave id>"}).`,
      "If Passgage refuses the request (balance, a required document, an overlapping approved leave), explain the reason in plain words and suggest what I can change.",
    ];
    return lines.join("\n");
  },
});

/** Review approvals that wait for a decision. */
export const reviewPendingApprovals = definePrompt({
  name: "review_pending_approvals",
  title: "Review my pending approvals",
  description: "Lists the approval processes waiting for a decision, with what each is about and whose turn it is.",
  arguments: [
    oneOfArg("approvable_type", `Only approvals of this kind of record: ${APPROVABLE_TYPES.join(", ")}`, APPROVABLE_TYPES),
    dateArg("since", "Only approvals created on or after this day, YYYY-MM-DD", false),
  ],
  render: (args) => {
    const extra: string[] = [];
    if (args.approvable_type) extra.push(`"approvable_type_eq": ${q(args.approvable_type)}`);
    if (args.since) extra.push(`"created_at_gteq": "${args.since}"`);
    const more = extra.length > 0 ? `, ${extra.join(", ")}` : "";
    return [
      `Review the approvals waiting for a decision in Passgage${args.approvable_type ? ` (${args.approvable_type} only)` : ""}${args.since ? `, created on or after ${args.since}` : ""}.`,
      "",
      `1. ${SIGNED_IN_STEP} Note my mode.`,
      `2. In company mode, call passgage_list_approvals_waiting_for_approval (pending and in-progress processes)${extra.length > 0 ? ", then keep only those matching the kind and date above" : ""}. In user mode, call passgage_list_approvals with filter {"status_eq": "pending"${more}} and again with {"status_eq": "in_progress"${more}}; the ones where I appear in approval_users with status "pending" wait for me, the rest are my own requests.`,
      "3. Use per_page 50 and follow meta.total_pages until you have them all (stop after 10 pages and tell me how many remain).",
      '4. For each approval, find out what it is about: for approvable_type "Leave", passgage_get_leave with the approvable_id (employee, leave type, dates, days); for others, passgage_get_approval shows the flow, the approvers in seq order and their comments.',
      "5. Show a table: employee, what is requested, dates, step current_step of total_steps, waiting since (created_at), and whose turn it is (the lowest seq approver still pending). Put the ones waiting for me first.",
      "6. Point out anything unusual, such as a leave overlapping an approved leave of the same person or a request waiting more than a week.",
      "The Public API cannot approve or reject: tell me to decide in the Passgage app, and never claim that something was approved.",
    ].join("\n");
  },
});

/** The team's shifts, check-ins and leaves for one week. */
export const teamAttendanceWeek = definePrompt({
  name: "team_attendance_week",
  title: "My team's attendance this week",
  description:
    "Compares planned shifts with check-ins, check-outs and approved leaves for one week (this week by default), per person and day.",
  arguments: [
    dateArg("week_start", "Any day of the week to report (its Monday is used), YYYY-MM-DD; default: this week", false),
    textArg("branch", "Only this branch (by name)", false, 1, 100),
  ],
  render: (args, now) => {
    const monday = args.week_start ? mondayOf(new Date(`${args.week_start}T00:00:00Z`)) : mondayOf(now);
    const sunday = addDays(monday, 6);
    const nextMonday = addDays(monday, 7);
    const branch = args.branch;
    return [
      `Give me my team's attendance for the week of ${monday} (Monday) to ${sunday} (Sunday)${branch ? ` at the branch ${q(branch)}` : ""}.`,
      "",
      `1. ${SIGNED_IN_STEP} Team-wide data needs company mode (a company API key). In user mode you can only show my own records: say so, and if company mode is available, offer passgage_session_switch_mode.`,
      branch
        ? `2. Find the branch with passgage_list_branches (match ${q(branch)} by name; ask me if several match) and keep its id.`
        : "2. No branch given: report everyone you can see.",
      `3. Planned shifts: passgage_list_user_shifts with filter {"date_of_shift_gteq": "${monday}", "date_of_shift_lteq": "${sunday}"} and sort "date_of_shift asc".`,
      `4. Check-ins and check-outs: passgage_list_entrances with filter {"created_at_gteq": "${monday}", "created_at_lteq": "${nextMonday}"${branch ? ', "user_branch_id_eq": "<branch id>"' : ""}}; drop records from ${nextMonday} itself.`,
      `5. Leaves: passgage_list_leaves with filter {"status_eq": "approved", "start_date_gteq": "${addDays(monday, -31)}", "end_date_lteq": "${addDays(sunday, 31)}"}; keep those overlapping the week.`,
      "6. Lists are paginated: use per_page 50 and follow meta.total_pages. Entrances can be very many: if there are more than 20 pages, stop and ask me to narrow the report (a branch, or fewer days).",
      "7. Show one row per person and day: planned shift (name and hours), first check-in and last check-out, approved leave. Flag absences (a shift with no check-in and no leave), late arrivals (first check-in after the shift start) and missing check-outs. End with a short summary per person.",
    ].join("\n");
  },
});

/** Create a new employee with the right organisation links. */
export const onboardEmployee = definePrompt({
  name: "onboard_employee",
  title: "Onboard a new employee",
  description:
    "Creates a new employee (company mode): checks for duplicates, resolves department, branch and job position, confirms, creates, and optionally plans the first shifts.",
  arguments: [
    textArg("first_name", "First name (2-32 characters)", true, 2, 32),
    textArg("last_name", "Last name (2-32 characters)", true, 2, 32),
    {
      name: "email",
      description: "Work e-mail address",
      required: true,
      schema: z.email().check(z.maxLength(254)),
      invalidMessage: "email must be a valid e-mail address",
    },
    dateArg("start_date", "First working day (hire date), YYYY-MM-DD", false),
    textArg("department", "Department, by name", false, 1, 100),
    textArg("branch", "Branch, by name", false, 1, 100),
    textArg("job_position", "Job position, by name", false, 1, 100),
    textArg("shift", "Shift for the first week, by name", false, 1, 100),
  ],
  render: (args) => {
    const who = `${args.first_name ?? ""} ${args.last_name ?? ""}`;
    const facts = [
      args.start_date ? `starting on ${args.start_date}` : null,
      args.department ? `department ${q(args.department)}` : null,
      args.branch ? `branch ${q(args.branch)}` : null,
      args.job_position ? `job position ${q(args.job_position)}` : null,
    ].filter((x): x is string => x !== null);
    const lookups = [
      args.department ? `department → passgage_list_departments (match ${q(args.department)})` : null,
      args.branch ? `branch → passgage_list_branches (match ${q(args.branch)})` : null,
      args.job_position ? `job position → passgage_list_job_positions (match ${q(args.job_position)})` : null,
    ].filter((x): x is string => x !== null);
    return [
      `Onboard a new employee in Passgage: ${who} <${args.email ?? ""}>${facts.length > 0 ? `, ${facts.join(", ")}` : ""}.`,
      "",
      `1. ${SIGNED_IN_STEP} Creating employees needs company mode (a company API key). In user mode, stop and explain how to sign in with the key (the /login page, or passgage_session_login_api_key).`,
      `2. Make sure they do not exist yet: passgage_list_users with filter {"first_name_or_last_name_cont": ${q(args.last_name ?? "")}}; if someone has the same e-mail or name, show me and ask before going on.`,
      lookups.length > 0
        ? `3. Resolve the ids: ${lookups.join("; ")}. If a name matches none or several, show me the candidates and ask.`
        : "3. Ask me for the department, branch and job position, and resolve them with passgage_list_departments, passgage_list_branches and passgage_list_job_positions.",
      "4. If the company has more than one working-day calendar, holiday calendar or leave rule (passgage_list_working_days, passgage_list_holiday_calendars, passgage_list_leave_rules), ask me which applies.",
      "5. Show me the complete record you are about to create and wait for my explicit confirmation.",
      `6. After I confirm, call passgage_create_user with first_name, last_name, email${args.start_date ? `, activation_date "${args.start_date}"` : ""} and the ids you resolved (department_id, branch_id, job_position_id, and working_day_id, holiday_calendar_id, leave_rule_id when chosen).`,
      args.shift
        ? `7. Plan the first week: find the shift with passgage_list_shifts (match ${q(args.shift)}), confirm the days with me, then call passgage_create_user_shift once per day (user_id, shift_id, date_of_shift, status "approved").`
        : "7. Ask me whether to plan shifts for the first week (passgage_list_shifts, then passgage_create_user_shift once per day).",
      "8. Finish with a summary: the new user's id, what was set, and what is left to do (an access card with passgage_create_card; devices and zones with passgage_update_user device_ids / zone_ids).",
    ].join("\n");
  },
});

/** Every prompt, in prompts/list order. */
export const PROMPTS: readonly PromptDefinition[] = [requestLeave, reviewPendingApprovals, teamAttendanceWeek, onboardEmployee];

/** Prompts by name. */
export const PROMPTS_BY_NAME: ReadonlyMap<string, PromptDefinition> = new Map(PROMPTS.map((p) => [p.name, p]));
