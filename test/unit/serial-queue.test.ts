import { describe, expect, it } from "vitest";
import { SerialQueue } from "../../src/session/serial-queue";

describe("SerialQueue", () => {
  it("runs sections one at a time in the order they were enqueued, past a failing one", async () => {
    const q = new SerialQueue();
    const events: string[] = [];
    const section = (name: string, fail = false) =>
      q.run(async () => {
        events.push(`${name}:start`);
        await Promise.resolve();
        await Promise.resolve();
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section("a"), section("b", true), section("c")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(events).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  });
});
