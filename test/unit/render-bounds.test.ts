/**
 * The list rendering's two shortcuts (issue 14) keep its answers: a page whose JSON fits
 * the structured bound is kept whole after one serialisation (else items are dropped from
 * the end exactly as before), and whitespace in a value is collapsed only where it needs to be.
 */
import { describe, expect, it } from "vitest";
import { boundItems, compactLine } from "../../src/tools/render";

/** The bound as defined item by item: leading items while `[` + items + `]` stays within `max`, plus one. */
function reference(items: readonly unknown[], max: number): { kept: unknown[]; omitted: number } {
  const kept: unknown[] = [];
  let used = 2;
  for (const item of items) {
    const size = (JSON.stringify(item) ?? "null").length + 1;
    if (used + size > max) break;
    kept.push(item);
    used += size;
  }
  return { kept, omitted: items.length - kept.length };
}

describe("boundItems", () => {
  const page = [{ id: "a", n: 1 }, { id: "b", s: "ünïcödé \u2028" }, null, [1, 2], "x", { id: "c", nested: { deep: [true, false] } }];
  const whole = JSON.stringify(page).length;

  it("keeps a page whole exactly when the item-by-item rule would, at and around the bound", () => {
    for (let max = whole - 40; max <= whole + 3; max++) {
      const got = boundItems(page, max);
      expect(got, `max ${max}`).toEqual(reference(page, max));
    }
    // The last item just fits at whole + 1 and no sooner.
    expect(boundItems(page, whole + 1).omitted).toBe(0);
    expect(boundItems(page, whole).omitted).toBe(1);
  });

  it("returns a copy, never the caller's array", () => {
    const got = boundItems(page);
    expect(got.kept).toEqual(page);
    expect(got.kept).not.toBe(page);
  });
});

describe("compactLine whitespace", () => {
  it("collapses runs of any whitespace to one space, and leaves single spaces alone", () => {
    expect(compactLine({ id: 1, note: "a  b\tc\nd\u00a0e \r\n f" })).toBe("id: 1; note: a b c d e f");
    expect(compactLine({ id: 2, note: "one two three" })).toBe("id: 2; note: one two three");
    expect(compactLine({ id: 3, note: " lead and trail " })).toBe("id: 3; note:  lead and trail ");
  });
});
