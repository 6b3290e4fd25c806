/**
 * The authorize page's signed parameters: GET /oauth/authorize validates the request
 * (client, redirect URI, PKCE, resource) and puts the result in a hidden form field as
 * `v1.<base64url JSON>.<HMAC>`, signed under an HKDF key of ENCRYPTION_KEY
 * ("oauth-authorize-ticket/v1"). The POST trusts only this field, so nobody can swap the
 * redirect URI, challenge or client between the page and the sign-in; it expires after
 * AUTHORIZE_TICKET_TTL_SECONDS. It carries nothing secret (the page shows the same facts).
 */
import * as z from "zod/mini";
import { fromBase64Url, toBase64Url, utf8, utf8Decode } from "../crypto/encoding";
import { err, ok, type Result } from "../result";
import { signText, type SigningKeys, verifyText } from "./clients-signing";

/** How long the authorize page's form stays valid (s). */
export const AUTHORIZE_TICKET_TTL_SECONDS = 1800;
/** Clock skew tolerated for a ticket issued "in the future" (another isolate's clock), s. */
const CLOCK_SKEW_SECONDS = 60;
/** Name of the hidden form field. */
export const TICKET_FIELD = "oauth";

/** A validated authorization request, as the form carries it. */
export const AuthorizeTicketSchema = z.object({
  clientId: z.string(),
  clientName: z.nullable(z.string()),
  redirectUri: z.string(),
  codeChallenge: z.string(),
  resource: z.string(),
  scope: z.string(),
  state: z.nullable(z.string()),
  /** Issued at (epoch s). */
  iat: z.number(),
});
/** A validated authorization request. */
export type AuthorizeTicket = z.infer<typeof AuthorizeTicketSchema>;

/** Why a posted ticket was refused (for logs; the page shows one message per class). */
export type TicketFailure = "missing" | "malformed" | "bad_signature" | "expired";

/** Signs a ticket for the form. */
export async function sealTicket(keys: SigningKeys, ticket: AuthorizeTicket): Promise<string> {
  const body = toBase64Url(utf8.encode(JSON.stringify(ticket)));
  return `v1.${body}.${await signText(keys, "oauth-authorize-ticket/v1", body)}`;
}

/** The ticket a form posted, verified and unexpired. */
export async function openTicket(keys: SigningKeys, text: string | null, nowMs: number): Promise<Result<AuthorizeTicket, TicketFailure>> {
  if (text === null || text === "") return err("missing");
  const parts = text.split(".");
  if (parts.length !== 3 || parts[0] !== "v1") return err("malformed");
  const [, body = "", mac = ""] = parts;
  if (!(await verifyText(keys, "oauth-authorize-ticket/v1", body, mac))) return err("bad_signature");
  const bytes = fromBase64Url(body);
  if (bytes === null) return err("malformed");
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode.decode(bytes));
  } catch {
    return err("malformed");
  }
  const parsed = AuthorizeTicketSchema.safeParse(json);
  if (!parsed.success) return err("malformed");
  const age = Math.floor(nowMs / 1000) - parsed.data.iat;
  if (age > AUTHORIZE_TICKET_TTL_SECONDS || age < -CLOCK_SKEW_SECONDS) return err("expired");
  return ok(parsed.data);
}
