/**
 * Who is using the web console (issue 13), from its cookie alone (src/console/console-credential.ts):
 * the live session the console's sign-in minted (its SessionDO is asked, so a console session
 * that was signed out, revoked or expired is signed out here on the next request too), or an
 * operator whose signed console token is genuine, unexpired, bound to the current ADMIN_TOKEN and
 * not signed out (its nonce's tombstone, `operatorTokenHome`, is asked on every request).
 */
import { sessionHash, sha256Hex } from "../crypto/session-id";
import type { ConfiguredContext } from "../http/request-context";
import { type Revoker, revokerOf } from "../session/revocation";
import { type ConsoleCredential, operatorNonce, readConsoleCookie, verifyOperatorToken } from "./console-credential";

/** A console caller: their credential, what they may do, and how the page names them. */
export interface ConsoleCaller {
  readonly credential: ConsoleCredential;
  readonly revoker: Revoker;
  readonly who: string;
  readonly company: string | null;
}

/** Whether the console is served over https (its cookie is then Secure and `__Secure-` prefixed). */
export function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/**
 * Where the sign-out of an operator console token is remembered: a tombstone (as for an ended MCP
 * connection) in the SessionDO named by SHA-256(`console-operator:` + nonce). It outlives the token
 * (tombstones live SESSION_ID_REUSE_HORIZON_MS, the token CONSOLE_OPERATOR_TTL_SECONDS).
 */
export async function operatorTokenHome(env: Pick<Env, "SESSION">, value: string) {
  const nonce = operatorNonce(value);
  return nonce === null ? null : { stub: env.SESSION.getByName(await sha256Hex(`console-operator:${nonce}`)), nonce };
}

/** The caller of a console request, or null (no cookie, or one that no longer names a live sign-in). */
export async function consoleCaller(request: Request, rc: Pick<ConfiguredContext, "env" | "config">): Promise<ConsoleCaller | null> {
  const credential = readConsoleCookie(request.headers.get("cookie"), isSecure(request));
  const keyHex = rc.config.encryptionKeyHex;
  if (!credential || !keyHex) return null;
  if (credential.kind === "operator") {
    if (!(await verifyOperatorToken(keyHex, rc.config.adminToken, credential.value, Date.now()))) return null;
    const home = await operatorTokenHome(rc.env, credential.value);
    if (!home || (await home.stub.isConnectionTerminated(home.nonce))) return null;
    return { credential, revoker: { kind: "operator" }, who: "Operator", company: null };
  }
  const view = await rc.env.SESSION.getByName(await sessionHash(credential.sessionId)).view(credential.sessionId);
  const revoker = view ? revokerOf(view) : null;
  if (!view || !revoker) return null;
  const who = view.mode === "company" ? "the company API key" : (view.user?.email ?? "a user");
  return { credential, revoker, who, company: view.company.name };
}
