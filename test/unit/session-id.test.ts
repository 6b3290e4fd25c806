import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../../src/crypto/encoding";
import {
  constantTimeEqual,
  generateSessionId,
  isSessionIdFormat,
  SESSION_ID_BYTES,
  sessionHash,
  sha256Hex,
  shortHash,
} from "../../src/crypto/session-id";

describe("session IDs", () => {
  it("are sess_ + base64url of at least 128 random bits", () => {
    const id = generateSessionId();
    expect(id).toMatch(/^sess_[A-Za-z0-9_-]+$/);
    const bytes = fromBase64Url(id.slice(5));
    expect(bytes).not.toBeNull();
    expect((bytes?.byteLength ?? 0) * 8).toBeGreaterThanOrEqual(128);
    expect(SESSION_ID_BYTES * 8).toBe(256);
    expect(isSessionIdFormat(id)).toBe(true);
  });

  it("never repeat (10 000 draws)", () => {
    const ids = new Set(Array.from({ length: 10_000 }, generateSessionId));
    expect(ids.size).toBe(10_000);
  });

  it("have an exact shape; anything else is refused without a lookup", () => {
    const id = generateSessionId();
    for (const bad of ["", "sess_", `${id}x`, id.slice(0, -1), `SESS_${id.slice(5)}`, `sess_${"!".repeat(43)}`, ` ${id}`, `${id}\n`]) {
      expect(isSessionIdFormat(bad)).toBe(false);
    }
  });

  it("are named by a domain-separated SHA-256, never by the ID", async () => {
    const id = generateSessionId();
    const hash = await sessionHash(id);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(id);
    expect(hash).not.toBe(await sha256Hex(id));
    expect(await sessionHash(id)).toBe(hash);
    expect(shortHash(hash)).toBe(hash.slice(0, 12));
  });
});

describe("constantTimeEqual", () => {
  it("compares contents", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("é", "e")).toBe(false);
  });
});
