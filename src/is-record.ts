/** The one plain-object guard: parsed JSON and untrusted values are narrowed with it everywhere. */

/** Whether `v` is a non-null, non-array object (a JSON object once parsed). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
