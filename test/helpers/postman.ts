/**
 * The vendor's Postman collection (contract-data/), parsed at test time: every request
 * with its folder, name, method, raw URL and body. Shared by the contract, request-builder
 * tests so nothing of the collection is copied into code.
 */
import * as z from "zod/mini";
import collection from "../../contract-data/PublicApi.postman_collection.json";

const FormPartSchema = z.object({ key: z.string(), value: z.optional(z.string()), type: z.optional(z.string()) });
const RequestSchema = z.object({
  method: z.string(),
  url: z.union([z.string(), z.object({ raw: z.string() })]),
  body: z.optional(z.object({ mode: z.string(), raw: z.optional(z.string()), formdata: z.optional(z.array(FormPartSchema)) })),
});
const RequestItemSchema = z.object({ name: z.string(), request: RequestSchema });
const FolderSchema = z.object({ name: z.string(), item: z.array(z.unknown()) });

/** One request of the collection. */
export interface CollectionRequest {
  readonly folder: string;
  readonly name: string;
  readonly method: string;
  readonly rawUrl: string;
  readonly body: z.infer<typeof RequestSchema>["body"];
}

function collect(items: readonly unknown[], folder: string, out: CollectionRequest[]): CollectionRequest[] {
  for (const item of items) {
    const asFolder = FolderSchema.safeParse(item);
    if (asFolder.success) {
      collect(asFolder.data.item, asFolder.data.name, out);
      continue;
    }
    const { name, request } = RequestItemSchema.parse(item);
    const rawUrl = typeof request.url === "string" ? request.url : request.url.raw;
    out.push({ folder, name, method: request.method.toUpperCase(), rawUrl, body: request.body });
  }
  return out;
}

/** Every request of the collection, in collection order. */
export const COLLECTION_REQUESTS: readonly CollectionRequest[] = collect(
  z.object({ item: z.array(z.unknown()) }).parse(collection).item,
  "",
  [],
);
