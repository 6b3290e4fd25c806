import { afterAll, beforeAll } from "vitest";
import { logSink } from "../../src/log";

/**
 * Shared bits of the security suite (issue 7): the one-line figures each area prints
 * (with console.log, so they appear in CI output), fresh client IPs, and a bounded
 * wait that turns a hang into a counted failure.
 */

/**
 * Keeps the server's log lines (src/log.ts) out of this file's output, so the figures
 * stand out; tests that search logs install their own capture on top.
 */
export function quietLogs(): void {
  let original: typeof logSink.write | null = null;
  beforeAll(() => {
    original = logSink.write;
    logSink.write = () => undefined;
  });
  afterAll(() => {
    if (original) logSink.write = original;
  });
}

/** Prints one figure line of the suite: `[security] <area>: <text>`. */
export function figure(area: string, text: string): void {
  console.log(`[security] ${area}: ${text}`);
}

/** Counts of values, rendered as `{a: 1, b: 2}` in key order. */
export function tally(values: Iterable<string | number>): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return `{${[...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ")}}`;
}

/**
 * A source of distinct client IPs (CF-Connecting-IP) under one documentation prefix
 * per file, so the per-IP admission window of one test never throttles another.
 */
export function ipSource(prefix: string): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  };
}

/** Marker of a promise that did not settle in time. */
export const TIMED_OUT = Symbol("timed out");

/** Resolves to the promise's value, or TIMED_OUT after `ms` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
