/**
 * Leave Balance Imports (API.md §8.18): opening leave balances per user and
 * leave type. Wrapper `leave_balance_import`. The balance is sent either in
 * days (`balance_days`) or in minutes (`balance`); the collection's two create
 * requests (one per variant) are one operation.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { date, filter, int, num, text, uuid } from "../fields";
import type { Operation } from "../types";

const BALANCE_FIELDS = {
  balance_days: z.optional(num("Balance in days, decimals and negatives allowed; converted with the leave type's minutes per day")),
  balance: z.optional(int("Balance in minutes; alternative to balance_days")),
  balanced_at: date("Date the balance is valid on"),
};

/** Leave balance import operations. */
export const LEAVE_BALANCE_IMPORT_OPERATIONS: readonly Operation[] = [
  {
    id: "leave_balance_imports.list",
    group: "Leave Balance Import",
    resource: "leave_balance_imports",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/leave_balance_imports",
    paginated: true,
    filters: [
      filter("user_first_name_cont", text("Employee first name contains")),
      filter("user_last_name_cont", text("Employee last name contains")),
      filter("user_client_id_eq", text("Employee registration number (client_id) equals")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_leave_balance_imports",
    title: "List leave balance imports",
    description:
      "Lists imported leave balances: balance (minutes), balance_days, balanced_at, with user and leave type. Filter by employee name or client_id.",
    successStatus: 200,
  },
  {
    id: "leave_balance_imports.get",
    group: "Leave Balance Import",
    resource: "leave_balance_imports",
    kind: "get",
    method: "GET",
    path: "/api/public/v1/leave_balance_imports/{id}",
    modes: BOTH_MODES,
    toolName: "passgage_get_leave_balance_import",
    title: "Get leave balance import",
    description: "Gets one imported leave balance with its user, leave type and company.",
    successStatus: 200,
  },
  {
    id: "leave_balance_imports.create",
    group: "Leave Balance Import",
    resource: "leave_balance_imports",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/leave_balance_imports",
    body: {
      wrapper: "leave_balance_import",
      fields: z.object({
        user_id: uuid("Employee"),
        leave_type_id: uuid("Leave type the balance is for"),
        ...BALANCE_FIELDS,
      }),
    },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_leave_balance_import",
    title: "Create leave balance import",
    description:
      "Imports a leave balance for a user and leave type. user_id, leave_type_id, balanced_at and one of balance_days (days) or balance (minutes) are required; balance = balance_days × minutes per day. One record per user and leave type.",
    successStatus: 201,
  },
  {
    id: "leave_balance_imports.update",
    group: "Leave Balance Import",
    resource: "leave_balance_imports",
    kind: "update",
    method: "PUT",
    path: "/api/public/v1/leave_balance_imports/{id}",
    body: { wrapper: "leave_balance_import", fields: z.partial(z.object(BALANCE_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_leave_balance_import",
    title: "Update leave balance import",
    description: "Updates an imported leave balance (PUT): balance_days (negative allowed) or balance in minutes, and balanced_at.",
    successStatus: 200,
  },
  {
    id: "leave_balance_imports.delete",
    group: "Leave Balance Import",
    resource: "leave_balance_imports",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/leave_balance_imports/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_leave_balance_import",
    title: "Delete leave balance import",
    description: "Deletes an imported leave balance. Returns the deleted record.",
    successStatus: 200,
  },
];
