import { describe, expect, it } from "vitest";
import { kidOf } from "../../src/crypto/sealing";
import { generateSessionId, sessionHash } from "../../src/crypto/session-id";
import { deriveKeyRing, openSecrets, sealSecrets } from "../../src/session/key-ring";

const KEY_A = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const KEY_B = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const SECRETS = { user: { token: "jwt.token.sig", expiresAt: 123 }, apiKey: "psg_cmp_sandbox_acme_0000000000000000" };

async function ring(current: string | null, previous: string | null, sessionId: string) {
  return deriveKeyRing({ encryptionKeyHex: current, previousEncryptionKeyHex: previous }, sessionId, await sessionHash(sessionId));
}

describe("key ring", () => {
  it("has no ring without ENCRYPTION_KEY", async () => {
    expect(await ring(null, null, generateSessionId())).toBeNull();
  });

  it("round-trips secrets and never writes them in clear", async () => {
    const r = await ring(KEY_A, null, generateSessionId());
    if (!r) throw new Error("no ring");
    const sealed = await sealSecrets(r, SECRETS);
    expect(sealed.user).not.toContain("jwt.token.sig");
    expect(sealed.company).not.toContain("psg_cmp");
    expect(await openSecrets(r, sealed)).toEqual({ secrets: SECRETS, stale: false });
  });

  it("opens under the previous key and reports the secrets stale", async () => {
    const id = generateSessionId();
    const old = await ring(KEY_B, null, id);
    const rotated = await ring(KEY_A, KEY_B, id);
    if (!old || !rotated) throw new Error("no ring");
    const sealed = await sealSecrets(old, SECRETS);
    expect(kidOf(sealed.user ?? "")).toBe(old.current.kid);
    expect(await openSecrets(rotated, sealed)).toEqual({ secrets: SECRETS, stale: true });
  });

  it("opens nothing under another session's ring", async () => {
    const a = await ring(KEY_A, null, generateSessionId());
    const b = await ring(KEY_A, null, generateSessionId());
    if (!a || !b) throw new Error("no ring");
    expect(await openSecrets(b, await sealSecrets(a, SECRETS))).toEqual({ secrets: null, stale: false });
  });
});
