/**
 * Password hashing for sandbox users: salted SHA-256 (WebCrypto). The sandbox
 * is a local simulator, so this only keeps seed passwords out of plain sight
 * in its storage; it is not a production password scheme.
 */

const SALT = "passgage-sandbox:";

/** Hex SHA-256 of the salted password. */
export async function hashPassword(password: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(SALT + password));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether a password matches a stored hash. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) return false;
  return (await hashPassword(password)) === hash;
}
