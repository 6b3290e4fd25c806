/** How the sign-in page maps a failed session login to an HTTP status (pure; moved from the page's integration tests). */
import { describe, expect, it } from "vitest";
import { loginErrorStatus } from "../../src/web/login-handler";

describe("loginErrorStatus", () => {
  it("maps session errors to statuses: wrong credentials 400, limits 429, upstream down 503", () => {
    expect(loginErrorStatus("invalid_credentials")).toBe(400);
    expect(loginErrorStatus("login_rate_limited")).toBe(429);
    expect(loginErrorStatus("upstream_unavailable")).toBe(503);
    expect(loginErrorStatus("misconfigured")).toBe(503);
  });
});
