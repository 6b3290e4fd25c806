/**
 * How a session's client is named in the listings and the audit trail (issue 13). An OAuth
 * client's name is its own claim (DCR or a metadata document: anyone can register any name), so
 * a name that imitates one of the server's own labels ("header session" for X-Session-ID
 * sessions, "Web console" for the console's sign-ins) is marked as an OAuth client's, or an
 * admin deciding which sessions to end would take a third-party client for a header session or
 * the console (and the `client=header` filter would disagree with the table).
 */
import { HEADER_SESSION_LABEL } from "./listed-session";

/** The client the console's own sessions are listed under (the console's sign-in passes it). */
export const CONSOLE_CLIENT = { id: "passgage-console", name: "Web console" } as const;

/** Longest label kept (the registry's and the audit trail's `client` limit). */
const CLIENT_LABEL_MAX = 200;

const SUFFIX = " (OAuth client)";

/** Letters and digits only, lower case, compatibility-normalised: "Header-Session", " header  session " → "headersession". */
function skeleton(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

const RESERVED = new Set([skeleton(HEADER_SESSION_LABEL), skeleton(CONSOLE_CLIENT.name), "header"]);

/** The label of a session's client: its name, marked when an OAuth client's name imitates a server label. */
export function clientLabel(client: { readonly id: string; readonly name: string }): string {
  if (client.id === CONSOLE_CLIENT.id || !RESERVED.has(skeleton(client.name))) return client.name;
  return `${client.name.trim().slice(0, CLIENT_LABEL_MAX - SUFFIX.length)}${SUFFIX}`;
}
