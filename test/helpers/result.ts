/**
 * Unconditional checks of `Result`-shaped values ({ ok, value } | { ok, error }): a test
 * asserts the discriminant, then reads the narrowed side, so no assertion sits inside
 * an `if (r.ok)` that could skip it.
 */
import { expect } from "vitest";

type Outcome<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Asserts the outcome failed and returns its error. */
export function expectErr<T, E>(outcome: Outcome<T, E>, message?: string): E {
  expect(outcome.ok, message).toBe(false);
  if (outcome.ok) throw new Error("expected a failed outcome");
  return outcome.error;
}
