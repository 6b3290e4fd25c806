/**
 * The Passgage response envelope (API.md §3) and its error shapes, parsed
 * leniently: the API has several error variants and a client must tolerate them all.
 */
import * as z from "zod/mini";

/** Any JSON object the API may answer with (envelope or not). */
export const ResponseEnvelopeSchema = z.looseObject({
  success: z.optional(z.boolean()),
  status: z.optional(z.number()),
  message: z.optional(z.unknown()),
  data: z.optional(z.unknown()),
  meta: z.optional(z.unknown()),
  errors: z.optional(z.unknown()),
});
/** A parsed envelope. */
export type ResponseEnvelope = z.infer<typeof ResponseEnvelopeSchema>;

/** List pagination meta (API.md §4). */
export const PageMetaSchema = z.object({
  current_page: z.number(),
  total_pages: z.number(),
  total_count: z.number(),
});
/** Pagination meta. */
export type PageMeta = z.infer<typeof PageMetaSchema>;

/** A field error, normalised from any of the API's error shapes. */
export interface FieldError {
  readonly field: string | null;
  readonly messages: readonly string[];
}

/**
 * Normalises `errors` of any documented shape: `[{field_name, messages}]`,
 * `["text"]`, `[{property, constraints: {k: msg} | [{k: msg}]}]`.
 */
export function normaliseErrors(errors: unknown): FieldError[] {
  if (!Array.isArray(errors)) return [];
  const out: FieldError[] = [];
  for (const e of errors.slice(0, 50)) {
    if (typeof e === "string") out.push({ field: null, messages: [e] });
    else if (e && typeof e === "object") {
      const rec = e as Record<string, unknown>;
      const field = typeof rec.field_name === "string" ? rec.field_name : typeof rec.property === "string" ? rec.property : null;
      const messages: string[] = [];
      if (Array.isArray(rec.messages)) for (const m of rec.messages) if (typeof m === "string") messages.push(m);
      const c = rec.constraints;
      const collect = (obj: unknown): void => {
        if (obj && typeof obj === "object" && !Array.isArray(obj)) {
          for (const v of Object.values(obj)) if (typeof v === "string") messages.push(v);
        }
      };
      if (Array.isArray(c)) c.forEach(collect);
      else collect(c);
      out.push({ field, messages });
    }
  }
  return out;
}

/** The message of an envelope, as text ("" when absent). */
export function messageOf(env: ResponseEnvelope): string {
  return typeof env.message === "string" ? env.message : "";
}
