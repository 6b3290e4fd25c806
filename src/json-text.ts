/**
 * JSON text known for a value (issue 14): a value serialised once (a tool result by its
 * SessionDO, the tool list once per isolate) is registered with that text, and the
 * transport writes the text instead of serialising the value again. Registered values are
 * frozen (top level), since their text would no longer match a changed value.
 */

const TEXT = new WeakMap<object, string>();

/** Registers `text` as the JSON of `value` (which must never change afterwards) and returns the value, frozen. */
export function withJsonText<T extends object>(value: T, text: string): Readonly<T> {
  TEXT.set(value, text);
  return Object.freeze(value);
}

/** The registered JSON text of `value`, or undefined. */
export function jsonTextOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? TEXT.get(value) : undefined;
}
