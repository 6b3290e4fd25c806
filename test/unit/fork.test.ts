/** Pure decisions over forks (src/session/fork.ts): what a fork keeps when its source drops modes, and the F1 check. */
import { describe, expect, it } from "vitest";
import { afterSourceDrop, stillCarries, withoutCredential } from "../../src/session/fork";
import { type SessionMeta, SessionMetaSchema } from "../../src/session/state";

const FORK = "f".repeat(64);
const SOURCE = "5".repeat(64);
const OTHER = "0".repeat(64);
const NOW = 1_800_000_000_000;
const TTL = 8 * 3_600_000;
const AYSE = { id: "u-ayse", email: "ayse@acme.example", firstName: null, lastName: null, fullName: "Ayşe" };

/** A fork created at NOW - 1 h, capped at its source's expiry (NOW + 1 h), carrying `carriedMode`. */
function fork(carriedMode: "user" | "company" | undefined): SessionMeta {
  return {
    v: 1,
    hash: FORK,
    company: { id: "c-acme", name: "Acme" },
    user: AYSE,
    mode: carriedMode === "user" ? "user" : "company",
    modes: ["user", "company"],
    createdAt: NOW - 3_600_000,
    expiresAt: NOW + 3_600_000,
    lastSeenAt: NOW - 60_000,
    carriedFrom: SOURCE,
    ...(carriedMode ? { carriedMode } : {}),
    client: { id: "client-1", name: "Claude" },
  };
}

describe("afterSourceDrop", () => {
  it("drops only the carried user login: own company key stays, user gone, expiry uncapped, marker set", () => {
    const d = afterSourceDrop(fork("user"), SOURCE, ["user"], NOW, TTL);
    expect(d.kind).toBe("drop");
    if (d.kind !== "drop") return;
    expect(d.mode).toBe("user");
    expect(d.meta).toEqual({
      v: 1,
      hash: FORK,
      company: { id: "c-acme", name: "Acme" },
      user: null,
      mode: "company",
      modes: ["company"],
      createdAt: NOW - 3_600_000,
      expiresAt: NOW - 3_600_000 + TTL,
      lastSeenAt: NOW - 60_000,
      carryDropped: { mode: "user", at: NOW },
      client: { id: "client-1", name: "Claude" },
    });
    expect(SessionMetaSchema.safeParse(d.meta).success).toBe(true);
  });

  it("drops only the carried company key: the own user login and its user stay", () => {
    const d = afterSourceDrop(fork("company"), SOURCE, ["user", "company"], NOW, TTL);
    expect(d.kind === "drop" && d.meta).toMatchObject({ user: AYSE, mode: "user", modes: ["user"], carryDropped: { mode: "company" } });
    expect(d.kind === "drop" && "carriedFrom" in d.meta).toBe(false);
    expect(d.kind === "drop" && "carriedMode" in d.meta).toBe(false);
  });

  it("keeps everything when another session ends, or the source drops a mode the fork did not carry", () => {
    expect(afterSourceDrop(fork("user"), OTHER, ["user", "company"], NOW, TTL)).toEqual({ kind: "keep" });
    expect(afterSourceDrop(fork("user"), SOURCE, ["company"], NOW, TTL)).toEqual({ kind: "keep" });
    const own = { ...fork("user"), carriedFrom: undefined, carriedMode: undefined };
    expect(afterSourceDrop(own, SOURCE, ["user"], NOW, TTL)).toEqual({ kind: "keep" });
    expect(afterSourceDrop(null, SOURCE, ["user"], NOW, TTL)).toEqual({ kind: "keep" });
  });

  it("ends a fork with nothing left, no time left, or no recorded carried mode (forks made before it existed)", () => {
    const onlyCarried = { ...fork("user"), modes: ["user" as const] };
    expect(afterSourceDrop(onlyCarried, SOURCE, ["user"], NOW, TTL)).toEqual({ kind: "end" });
    expect(afterSourceDrop(fork("user"), SOURCE, ["user"], NOW - 3_600_000 + TTL, TTL)).toEqual({ kind: "end" });
    expect(afterSourceDrop(fork(undefined), SOURCE, ["company"], NOW, TTL)).toEqual({ kind: "end" });
  });
});

describe("stillCarries (the fork's check before its commit, finding F1)", () => {
  const source: SessionMeta = { ...fork("company"), hash: SOURCE, carriedFrom: undefined, carriedMode: undefined, modes: ["company"] };
  it("holds only while the source is live, lists the fork and holds the mode", () => {
    expect(stillCarries(source, [FORK], FORK, "company", NOW)).toBe(true);
    expect(stillCarries(null, [FORK], FORK, "company", NOW)).toBe(false);
    expect(stillCarries(source, [], FORK, "company", NOW)).toBe(false);
    expect(stillCarries(source, [FORK], FORK, "user", NOW)).toBe(false);
    expect(stillCarries(source, [FORK], FORK, "company", source.expiresAt)).toBe(false);
  });
});

describe("withoutCredential", () => {
  it("removes the credential of the mode and nothing else", () => {
    const secrets = { user: { token: "t", expiresAt: NOW }, apiKey: "psg_cmp_x" };
    expect(withoutCredential(secrets, "user")).toEqual({ user: null, apiKey: "psg_cmp_x" });
    expect(withoutCredential(secrets, "company")).toEqual({ user: secrets.user, apiKey: null });
  });
});
