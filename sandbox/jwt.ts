/**
 * HS256 JSON Web Tokens with WebCrypto HMAC (the sandbox's user tokens,
 * API.md §2.2: payload `id` = user uuid, `exp` in epoch seconds, plus `jti`).
 */

/** Claims of a sandbox user token. */
export interface TokenClaims {
  /** User id. */
  readonly id: string;
  readonly email: string;
  readonly company_id: string;
  /** Unique token id (revocation key). */
  readonly jti: string;
  /** Issued at, epoch seconds. */
  readonly iat: number;
  /** Expiry, epoch seconds. */
  readonly exp: number;
}

/** Why a token was refused. */
export type TokenProblem = "malformed" | "signature" | "expired";

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Signs and verifies tokens with one secret. */
export class JwtSigner {
  readonly #key: Promise<CryptoKey>;

  /** Imports the HMAC key once. */
  constructor(secret: string) {
    this.#key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  /** A signed token for the claims. */
  async sign(claims: TokenClaims): Promise<string> {
    const header = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
    const payload = base64url(encoder.encode(JSON.stringify(claims)));
    const sig = await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(`${header}.${payload}`));
    return `${header}.${payload}.${base64url(new Uint8Array(sig))}`;
  }

  /** Verifies signature and expiry; `nowSeconds` is the current time. */
  async verify(
    token: string,
    nowSeconds: number,
  ): Promise<{ ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem; claims?: TokenClaims }> {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, problem: "malformed" };
    const [header = "", payload = "", sig = ""] = parts;
    let claims: TokenClaims;
    try {
      const head: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(header)));
      if (head === null || typeof head !== "object" || !("alg" in head) || head.alg !== "HS256") return { ok: false, problem: "malformed" };
      const body: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(payload)));
      if (!isClaims(body)) return { ok: false, problem: "malformed" };
      claims = body;
    } catch {
      return { ok: false, problem: "malformed" };
    }
    let valid = false;
    try {
      valid = await crypto.subtle.verify("HMAC", await this.#key, fromBase64url(sig), encoder.encode(`${header}.${payload}`));
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, problem: "signature" };
    if (claims.exp <= nowSeconds) return { ok: false, problem: "expired", claims };
    return { ok: true, claims };
  }
}

function isClaims(v: unknown): v is TokenClaims {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.id === "string" &&
    typeof o.jti === "string" &&
    typeof o.exp === "number" &&
    typeof o.iat === "number" &&
    typeof o.email === "string" &&
    typeof o.company_id === "string"
  );
}
