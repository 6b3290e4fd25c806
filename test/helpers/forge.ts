/**
 * Forging signed tokens in tests. Changing the last base64url character of a
 * signature is not enough: the last character of a 32-byte MAC carries padding
 * bits, so some edits decode to the same bytes and the "forged" token stays
 * valid. Here the signature is decoded, one byte is flipped and it is
 * re-encoded, so the signed bytes always change.
 */

function decodeBase64Url(text: string): Uint8Array {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * The token with the first byte of its last dot-separated segment (the
 * signature of a JWT or of a `v1.<time>.<mac>` CSRF token) XOR-ed with 1.
 * Throws when that segment is empty, so a test cannot forge nothing.
 */
export function forgeSignature(token: string): string {
  const cut = token.lastIndexOf(".") + 1;
  const signature = decodeBase64Url(token.slice(cut));
  const first = signature[0];
  if (first === undefined) throw new Error("forgeSignature: the token has no signature segment");
  signature[0] = first ^ 1;
  return token.slice(0, cut) + encodeBase64Url(signature);
}
