/**
 * Which client a `client_id` names: a DCR id of this server (verified signature) or a
 * metadata-document URL (fetched under the SSRF guard). One entry point for /authorize
 * (and anything else that must know a client's redirect URIs), so both kinds get the same
 * checks.
 */
import { err, ok, type Result } from "../result";
import { type CimdOptions, resolveCimdClient } from "./cimd";
import { isCimdClientId } from "./cimd-url";
import { isDcrClientId, type OAuthClient, verifyDcrClientId } from "./clients";
import type { SigningKeys } from "./clients-signing";

/** The client `clientId` names, or why it is unknown (a sentence for the error page). */
export async function resolveClient(keys: SigningKeys, clientId: string, options: CimdOptions = {}): Promise<Result<OAuthClient, string>> {
  if (isDcrClientId(clientId)) {
    const client = await verifyDcrClientId(keys, clientId);
    return client === null
      ? err("The client_id is not one this server issued (it was altered, or it was registered with another server key).")
      : ok(client);
  }
  if (isCimdClientId(clientId)) return resolveCimdClient(clientId, options);
  return err("The client_id is unknown: register the client first (dynamic client registration) or use a client metadata document URL.");
}
