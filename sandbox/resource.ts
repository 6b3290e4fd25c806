/**
 * The resource definition: how the generic engine (sandbox/engine.ts) lists,
 * shows, creates, updates and deletes the records of one API resource, and
 * how they are rendered (API.md §8: list items and details differ per resource).
 */
import type { Ctx } from "./context";
import type { Reply } from "./envelope";
import type { Json, JsonObject, Rec, TableName } from "./types";

/** A renderer: stored record → response JSON. */
export type Render = (rec: Rec, ctx: Ctx) => Json;

/** Result of a create or update: the record to store, or a reply (422, 404) refusing it. */
export type WriteOutcome = { readonly ok: true; readonly rec: Rec } | { readonly ok: false; readonly reply: Reply };

/** A nested resource's parent (slacks live under `/shifts/{shift_id}`). */
export interface ParentSpec {
  /** Path parameter holding the parent id. */
  readonly param: string;
  readonly table: TableName;
  /** Column of the child pointing at the parent. */
  readonly column: string;
}

/** How the engine serves one resource. */
export interface ResourceDef {
  readonly table: TableName;
  readonly parent?: ParentSpec;
  /** 404 reply for an unknown id (default: "Couldn't find the record"). */
  readonly notFound?: () => Reply;
  /**
   * 422 message when the body fails the contract schema (default
   * "Unprocessable entity"; night works say "Night work could not be created").
   */
  readonly invalidMessage?: { readonly create?: string; readonly update?: string };
  /** Field names 422 errors use instead of the body's (`shift_id` → `shift`, as Rails names associations). */
  readonly fieldAliases?: Readonly<Record<string, string>>;
  /** Turkish labels of fields for "doldurulmalı" messages. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Success messages of writes. */
  readonly messages?: { readonly created?: string; readonly updated?: string; readonly deleted?: string };
  /**
   * Own-data rule for user JWTs (API.md §2.3): a record is visible to a user
   * when this column holds the user's id. Absent: every record of the company.
   */
  readonly ownerColumn?: string;
  /** Custom own-data rule (approvals: own requests and those waiting on the user). */
  readonly visibleToUser?: (rec: Rec, ctx: Ctx) => boolean;
  /** List item shape. */
  readonly renderList: Render;
  /** Show shape (default: the list shape). */
  readonly renderShow?: Render;
  /** Create/update response shape (default: the show shape). */
  readonly renderWrite?: Render;
  /** Create response shape when it differs from update's (users). */
  readonly renderCreated?: Render;
  /** Delete response shape (default: the show shape). */
  readonly renderDeleted?: Render;
  /** Async preparation of validated fields before create/update (hashing a password). */
  readonly prepare?: (fields: JsonObject) => Promise<JsonObject>;
  /** Builds a new record from the validated body fields. */
  readonly create?: (fields: JsonObject, ctx: Ctx) => WriteOutcome;
  /** Applies validated body fields to a record. */
  readonly update?: (rec: Rec, fields: JsonObject, ctx: Ctx) => WriteOutcome;
  /** Refuses a delete (a reply) or cascades it (returns null after deleting dependants). */
  readonly beforeDelete?: (rec: Rec, ctx: Ctx) => Reply | null;
  /** Cascades a delete (runs after the record is gone). */
  readonly afterDelete?: (rec: Rec, ctx: Ctx) => void;
  /** Replaces the whole delete reply (working days answer only `{message}`). */
  readonly deleteReply?: (rec: Rec, ctx: Ctx) => Reply;
}
