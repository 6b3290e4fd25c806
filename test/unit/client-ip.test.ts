import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientIp, clientNetwork, ipHash } from "../../src/http/client-ip";

function requestFrom(headers: Record<string, string>): Request {
  return new Request("https://mcp.test/mcp", { headers });
}

describe("clientNetwork: IPv4", () => {
  it("keys an IPv4 client by its address, leading zeros and blanks removed", () => {
    expect(clientNetwork("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork(" 203.000.113.07 ")).toBe("203.0.113.7");
    expect(clientNetwork("0.0.0.0")).toBe("0.0.0.0");
    expect(clientNetwork("255.255.255.255")).toBe("255.255.255.255");
  });

  it("refuses what is not a dotted quad", () => {
    for (const bad of ["", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.-4", "1.2.3.4a", "1234.1.1.1", "a.b.c.d", "1..2.3"]) {
      expect(clientNetwork(bad), bad).toBeNull();
    }
  });
});

describe("clientNetwork: IPv6 keyed by its /64", () => {
  const SAME_64 = [
    "2001:db8:abcd:12::1",
    "2001:0db8:abcd:0012:0000:0000:0000:0001",
    "2001:DB8:ABCD:12:FFFF:FFFF:FFFF:FFFF",
    "2001:db8:abcd:12:1:2:3:4",
    "[2001:db8:abcd:12::beef]",
    "2001:db8:abcd:12::1%eth0",
    "2001:db8:abcd:12::1%25en0",
    "2001:db8:abcd:12:0::",
    "2001:db8:abcd:12::192.0.2.1",
  ];

  it("gives every spelling of addresses of one /64 the same key", () => {
    expect(SAME_64.length).toBeGreaterThan(0);
    for (const address of SAME_64) expect(clientNetwork(address), address).toBe("2001:db8:abcd:12::/64");
  });

  it("gives neighbouring /64s different keys", () => {
    expect(clientNetwork("2001:db8:abcd:13::1")).toBe("2001:db8:abcd:13::/64");
    expect(clientNetwork("2001:db8:abcd:12::1")).not.toBe(clientNetwork("2001:db8:abcd:13::1"));
  });

  it("handles compression at either end and the all-zero addresses", () => {
    expect(clientNetwork("::")).toBe("0:0:0:0::/64");
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
    expect(clientNetwork("1::")).toBe("1:0:0:0::/64");
    expect(clientNetwork("1:2:3:4:5:6:7::")).toBe("1:2:3:4::/64");
    expect(clientNetwork("::2:3:4:5:6:7:8")).toBe("0:2:3:4::/64");
  });

  it("keys an IPv4-mapped address (::ffff:a.b.c.d, in any spelling) as the IPv4 client", () => {
    expect(clientNetwork("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("::FFFF:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(clientNetwork("0:0:0:0:0:ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("[::ffff:203.0.113.7]")).toBe("203.0.113.7");
  });

  it("refuses malformed IPv6", () => {
    const bad = [
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "1::2::3",
      "12345::1",
      "g::1",
      "1:2:3:4:5:6:7:8::",
      "1.2.3.4::1",
      "::ffff:1.2.3",
      ":1:2:3:4:5:6:7",
      "%eth0",
    ];
    expect(bad.length).toBeGreaterThan(0);
    for (const address of bad) expect(clientNetwork(address), address).toBeNull();
  });

  it("any address of a random /64 maps to that /64 (property)", () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.boolean(), (groups, upper) => {
        // Not the ::ffff:0:0/96 range, which is IPv4.
        fc.pre(!(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff));
        const full = groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
        const text = upper ? full.toUpperCase() : full;
        expect(clientNetwork(text)).toBe(
          `${groups
            .slice(0, 4)
            .map((g) => g.toString(16))
            .join(":")}::/64`,
        );
      }),
    );
  });
});

describe("clientIp", () => {
  it("reads only CF-Connecting-IP, never X-Forwarded-For or X-Real-IP", () => {
    expect(clientIp(requestFrom({ "cf-connecting-ip": "198.51.100.1", "x-forwarded-for": "203.0.113.9" }))).toBe("198.51.100.1");
    expect(clientIp(requestFrom({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.10", "true-client-ip": "203.0.113.11" }))).toBe(
      "unknown",
    );
  });

  it("keys a request from IPv6 by its /64 and an unparseable header as unknown", () => {
    expect(clientIp(requestFrom({ "cf-connecting-ip": "2001:db8:1:2:aaaa::1" }))).toBe("2001:db8:1:2::/64");
    expect(clientIp(requestFrom({ "cf-connecting-ip": "not an address" }))).toBe("unknown");
  });

  it("hashes two addresses of one /64 to one limiter key and two /64s to two", async () => {
    const a = await ipHash(clientIp(requestFrom({ "cf-connecting-ip": "2001:db8:1:2::1" })));
    const b = await ipHash(clientIp(requestFrom({ "cf-connecting-ip": "2001:db8:1:2:ffff::9" })));
    const c = await ipHash(clientIp(requestFrom({ "cf-connecting-ip": "2001:db8:1:3::1" })));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});
