/**
 * Entrances (API.md §8.12): the read-only access / attendance log.
 */
import { BOTH_MODES } from "../enums";
import { date, filter, text, uuid } from "../fields";
import type { Operation } from "../types";

/** Entrance operations. */
export const ENTRANCE_OPERATIONS: readonly Operation[] = [
  {
    id: "entrances.list",
    group: "Entrances",
    resource: "entrances",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/entrances",
    paginated: true,
    filters: [
      filter("description_cont", text("Description contains")),
      filter("created_at_gteq", date("Recorded on or after")),
      filter("created_at_lteq", date("Recorded on or before")),
      filter("updated_at_gteq", date("Updated on or after")),
      filter("updated_at_lteq", date("Updated on or before")),
      filter("device_id_eq", uuid("Recorded by this device")),
      filter("card_no_eq", text("Card number equals")),
      filter("user_email_cont", text("User e-mail contains")),
      filter("user_gsm_cont", text("User mobile number contains")),
      filter("user_id_eq", uuid("Only this user")),
      filter("user_client_id_cont", text("User registration number (client_id) contains")),
      filter("user_branch_id_eq", uuid("User's branch")),
      filter("user_zone_id_eq", uuid("User's zone")),
    ],
    modes: BOTH_MODES,
    toolName: "passgage_list_entrances",
    title: "List entrances",
    description:
      "Lists check-in/check-out records (entrance_type, status, manual flag) with user, card, device, zone and branch. Volumes are large: always filter by date, user or device. Read-only.",
    successStatus: 200,
  },
];
