import { describe, expect, it } from "vitest";
import {
  CONNECTION_TOMBSTONE_TTL_MS,
  nextAlarmAt,
  RETIRED_ID_TTL_MS,
  retiredMarker,
  retiredUntil,
  tombstone,
  tombstoneExpiry,
} from "../../src/session/session-layout";
import { MAX_SESSION_TIMEOUT_HOURS } from "../../src/config";
import { CONNECTION_MAX_AGE_MS } from "../../src/mcp/transport-connection";

describe("session storage layout", () => {
  it("tombstones, retirement markers, connection headers and the longest session share one horizon", () => {
    expect(RETIRED_ID_TTL_MS).toBe(CONNECTION_TOMBSTONE_TTL_MS);
    expect(CONNECTION_MAX_AGE_MS).toBe(CONNECTION_TOMBSTONE_TTL_MS);
    expect(MAX_SESSION_TIMEOUT_HOURS * 3_600_000).toBe(CONNECTION_TOMBSTONE_TTL_MS);
    expect(CONNECTION_TOMBSTONE_TTL_MS).toBeGreaterThan(25 * 3_600_000);
    expect(retiredUntil(retiredMarker(5))).toBe(5 + RETIRED_ID_TTL_MS);
  });

  it("reads tombstones and markers, and nothing else", () => {
    expect(tombstoneExpiry(tombstone(7))).toBe(7 + CONNECTION_TOMBSTONE_TTL_MS);
    expect(tombstoneExpiry({ until: 7 })).toBeNull();
    expect(retiredUntil("x")).toBeNull();
  });

  it("schedules the alarm at the earliest due time, or none", () => {
    expect(nextAlarmAt(null, undefined, [])).toBeNull();
    expect(nextAlarmAt(100, undefined, [])).toBe(100);
    expect(nextAlarmAt(100, retiredMarker(0), [tombstone(0)])).toBe(100);
    expect(nextAlarmAt(null, retiredMarker(0), [tombstone(0), "junk"])).toBe(CONNECTION_TOMBSTONE_TTL_MS);
    expect(nextAlarmAt(null, { until: 3 }, [tombstone(0)])).toBe(3);
  });
});
