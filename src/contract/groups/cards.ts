/**
 * Cards (API.md §8.9): access cards bound to users. Wrapper `card`; no show.
 */
import * as z from "zod/mini";
import { BOTH_MODES, COMPANY_ONLY } from "../enums";
import { bool, text, uuid } from "../fields";
import type { Operation } from "../types";

const CARD_FIELDS = {
  card_no: text("Card number, unique"),
  user_id: uuid("Card holder"),
  zone_id: z.optional(uuid("Access zone the card opens")),
  title: z.optional(text("Label of the card")),
  is_active: z.optional(bool("Whether the card is active")),
  client_id: z.optional(text("Your integration code for the card")),
};

/** Card operations. */
export const CARD_OPERATIONS: readonly Operation[] = [
  {
    id: "cards.list",
    group: "Cards",
    resource: "cards",
    kind: "list",
    method: "GET",
    path: "/api/public/v1/cards",
    paginated: true,
    filters: [],
    modes: BOTH_MODES,
    toolName: "passgage_list_cards",
    title: "List cards",
    description: "Lists access cards: card_no, status, is_active, title, client_id, activation and cancellation dates.",
    successStatus: 200,
  },
  {
    id: "cards.create",
    group: "Cards",
    resource: "cards",
    kind: "create",
    method: "POST",
    path: "/api/public/v1/cards",
    body: { wrapper: "card", fields: z.object(CARD_FIELDS) },
    modes: COMPANY_ONLY,
    toolName: "passgage_create_card",
    title: "Create card",
    description: "Creates an access card for a user. card_no (unique) and user_id are required; zone_id optionally grants a zone.",
    successStatus: 201,
  },
  {
    id: "cards.update",
    group: "Cards",
    resource: "cards",
    kind: "update",
    method: "PATCH",
    path: "/api/public/v1/cards/{id}",
    body: { wrapper: "card", fields: z.partial(z.object(CARD_FIELDS)) },
    modes: COMPANY_ONLY,
    toolName: "passgage_update_card",
    title: "Update card",
    description: "Updates an access card; send only the fields to change.",
    successStatus: 200,
  },
  {
    id: "cards.delete",
    group: "Cards",
    resource: "cards",
    kind: "delete",
    method: "DELETE",
    path: "/api/public/v1/cards/{id}",
    modes: COMPANY_ONLY,
    toolName: "passgage_delete_card",
    title: "Delete card",
    description: "Deletes an access card. Returns the deleted record; 404 for an unknown id.",
    successStatus: 200,
  },
];
