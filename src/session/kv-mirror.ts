/**
 * The KV mirror of a session (binding PASSGAGE_SESSIONS): the session's non-secret
 * metadata and its sealed (AES-256-GCM) secrets, with `expirationTtl` equal to the
 * remaining lifetime (at least 60 s, the KV minimum). It is written after the Durable
 * Object commits and is never the authority for whether a session exists: the
 * SessionDO never reads it back. Nothing in it is a secret in clear.
 *
 * Key: `session:<sha256 of the session ID, hex>`.
 * Value: KvMirrorValue (JSON). Metadata: { companyId, mode, expiresAt }.
 */
import * as z from "zod/mini";
import { SessionMetaSchema, type SessionMeta } from "./state";
import { AuthModeSchema } from "../contract/enums";

/** KV key of a session's mirror entry. */
export function kvMirrorKey(fullHash: string): string {
  return `session:${fullHash}`;
}

/** The mirrored value: metadata in clear, secrets sealed (or null when absent). */
export const KvMirrorValueSchema = z.object({
  v: z.literal(1),
  meta: SessionMetaSchema,
  secrets: z.object({ user: z.nullable(z.string()), company: z.nullable(z.string()) }),
});
/** A parsed mirror value. */
export type KvMirrorValue = z.infer<typeof KvMirrorValueSchema>;

/** The KV metadata of a mirror entry (listable without reading values). */
export const KvMirrorMetadataSchema = z.object({ companyId: z.string(), mode: AuthModeSchema, expiresAt: z.number() });
/** Parsed mirror metadata. */
export type KvMirrorMetadata = z.infer<typeof KvMirrorMetadataSchema>;

/** Builds the mirror value and metadata of a session from its metadata and sealed secrets. */
export function kvMirrorEntry(
  meta: SessionMeta,
  sealed: { readonly user: string | null; readonly company: string | null },
): { value: string; metadata: KvMirrorMetadata } {
  const value: KvMirrorValue = { v: 1, meta, secrets: { user: sealed.user, company: sealed.company } };
  return { value: JSON.stringify(value), metadata: { companyId: meta.company.id, mode: meta.mode, expiresAt: meta.expiresAt } };
}
