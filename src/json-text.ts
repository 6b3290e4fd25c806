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

/**
 * An object registered with JSON `text` whose members (named by `keys`, in order) are
 * built by `load` only when one of them is first read (issue 14: the edge writes a tool
 * result's text into the response without ever parsing it). Until then, `Object.keys`,
 * `Object.hasOwn` and `in` answer from `keys` alone; reading any member loads them all,
 * once. `load` must return an object with exactly these members, as `text` holds them.
 */
export function lazyJsonObject<T extends object>(text: string, keys: readonly string[], load: () => Record<string, unknown>): Readonly<T> {
  let loaded: Record<string, unknown> | undefined;
  const value: Record<string, unknown> = {};
  for (const key of keys) {
    Object.defineProperty(value, key, {
      enumerable: true,
      get: () => {
        loaded ??= load();
        return loaded[key];
      },
    });
  }
  // The members are this object's own, as `keys` lists them; `load` supplies their values.
  return withJsonText(value as T, text);
}
