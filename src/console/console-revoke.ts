/**
 * What the console's "End session" and "End all their sessions" forms send, and the revocation
 * they run (src/registry/session-admin.ts) for the console's caller. Answers the query string of
 * the page to show next (`ended=<n>` or `result=invalid`), never anything from the input.
 */
import * as z from "zod/mini";
import { CompanyIdSchema } from "../http/list-query";
import type { ConfiguredContext } from "../http/request-context";
import { RevokeUserSchema } from "../registry/registry-revoke";
import { SessionHashSchema } from "../registry/schemas";
import { revokeFor } from "../registry/session-admin";
import type { ConsoleCaller } from "./console-caller";

/** The revocation a console form or JSON body names: one session, or every session of a user; `company` for operators. */
export const ConsoleRevokeSchema = z.union([
  z.object({ handle: SessionHashSchema, company: z.optional(CompanyIdSchema) }),
  z.object({ user: RevokeUserSchema, all: z.literal(true), company: z.optional(CompanyIdSchema) }),
]);

/** Runs a revocation for the caller; resolves to how many sessions ended, or null when the request named nothing valid. */
export async function revokeAs(
  crc: Pick<ConfiguredContext, "env" | "logger">,
  caller: ConsoleCaller,
  input: unknown,
): Promise<{ readonly ended: number; readonly skipped: number } | null> {
  const parsed = ConsoleRevokeSchema.safeParse(input);
  if (!parsed.success) return null;
  const target = "handle" in parsed.data ? { handle: parsed.data.handle } : { user: parsed.data.user };
  const r = await revokeFor(crc.env, caller.revoker, target, parsed.data.company ?? null);
  if (!r.ok) return null;
  crc.logger.info("console.revoked", { by: caller.revoker.kind, revoked: r.value.revoked.length, skipped: r.value.skipped });
  return { ended: r.value.revoked.length, skipped: r.value.skipped };
}

/** The form's revocation; the query string of the page to show next. */
export async function revokeFromForm(
  crc: Pick<ConfiguredContext, "env" | "logger">,
  caller: ConsoleCaller,
  fields: URLSearchParams,
): Promise<string> {
  const input: Record<string, unknown> = {};
  for (const key of ["handle", "user", "company"] as const) {
    const v = fields.get(key)?.trim();
    if (v) input[key] = v;
  }
  if (fields.get("all") === "true") input.all = true;
  const r = await revokeAs(crc, caller, input);
  return r === null ? "result=invalid" : `ended=${r.ended}`;
}
