/**
 * File Upload System (API.md §8.13): direct-to-storage uploads.
 *
 * Two operations: the API call that hands out presigned slots (bare JSON
 * array body), and the PUT of the raw bytes to the returned URL. The second is
 * not an API endpoint: in production the URL points at object storage (S3);
 * the collection recorded it against a Rails disk-service URL, whose path is
 * used here so the sandbox can play the storage side. It takes no credential
 * (the signed URL is the authorisation), no JSON body (raw file bytes sent
 * with the returned headers) and has no tool.
 */
import * as z from "zod/mini";
import { BOTH_MODES, NO_CREDENTIAL } from "../enums";
import { nonNegativeInt, text } from "../fields";
import type { Operation } from "../types";

/** File upload operations. */
export const FILE_OPERATIONS: readonly Operation[] = [
  {
    id: "files.presigned_upload",
    group: "File Upload System",
    resource: "files",
    kind: "action",
    method: "POST",
    path: "/api/public/v1/files/presigned_upload",
    body: {
      wrapper: null,
      array: true,
      fields: z.object({
        filename: text("File name, e.g. report.pdf"),
        byte_size: nonNegativeInt("File size in bytes"),
        checksum: text("Base64 of the file's MD5 digest (Content-MD5)"),
        content_type: text("MIME type, e.g. application/pdf"),
      }),
    },
    modes: BOTH_MODES,
    toolName: "passgage_create_presigned_upload",
    title: "Create presigned upload",
    description:
      "Requests one presigned upload slot per file (body: array of filename, byte_size, checksum, content_type). Returns url, headers and signed_id per file; PUT the bytes to url with exactly those headers within 30 minutes, then use signed_id.",
    successStatus: 200,
  },
  {
    id: "files.upload",
    group: "File Upload System",
    resource: "files",
    kind: "action",
    method: "PUT",
    path: "/rails/active_storage/disk/{encoded_token}",
    modes: NO_CREDENTIAL,
    toolName: null,
    title: "Upload file bytes",
    description:
      "PUT of the raw file bytes to a URL returned by the presigned upload, with the returned Content-Type, Content-MD5 and Content-Disposition headers. Not an API endpoint; no credential. 200 with an empty body.",
    successStatus: 200,
  },
];
