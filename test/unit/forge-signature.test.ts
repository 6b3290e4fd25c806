/**
 * The test helper that forges signed tokens must change the signed bytes for
 * every signature, including those whose last base64url character only differs
 * from its neighbours in padding bits (the flake of issue 10).
 */
import { describe, expect, it } from "vitest";
import { forgeSignature } from "../helpers/forge";

function bytesOf(segment: string): number[] {
  const b64 = segment.replaceAll("-", "+").replaceAll("_", "/");
  return Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

describe("forgeSignature", () => {
  it("changes the decoded signature of a 32-byte MAC whatever its last character", () => {
    const tails = ["A", "B", "C", "D", "Q", "w"];
    const prefix = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IngifQ.";
    for (const tail of tails) {
      const token = `${prefix}${"a".repeat(42)}${tail}`;
      const forged = forgeSignature(token);
      expect(forged.startsWith(prefix)).toBe(true);
      const before = bytesOf(token.slice(prefix.length));
      const after = bytesOf(forged.slice(prefix.length));
      expect(after).toHaveLength(32);
      expect(after).not.toEqual(before);
      expect(after.slice(1)).toEqual(before.slice(1));
    }
  });

  it("keeps the other parts of a CSRF token", () => {
    const token = `v1.1700000000.${"_".repeat(43)}`;
    expect(forgeSignature(token).slice(0, 14)).toBe("v1.1700000000.");
    expect(forgeSignature(token)).not.toBe(token);
  });

  it("refuses a token without a signature", () => {
    expect(() => forgeSignature("a.b.")).toThrow("no signature segment");
  });
});
