import { describe, expect, it } from "vitest";
import {
  createSignInAttempts,
  SIGN_IN_FAILURES_ALLOWED,
  SIGN_IN_WINDOW_MS,
} from "./sign-in-attempts.ts";

function attemptsAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, attempts: createSignInAttempts(() => clock.now) };
}

describe("sign-in attempts", () => {
  it("lets an email fail the allowed number of times, then makes it wait for the window", () => {
    const { clock, attempts } = attemptsAt();
    for (let i = 0; i < SIGN_IN_FAILURES_ALLOWED; i++) {
      expect(attempts.waitFor("ann@example.com")).toBe(0);
      attempts.failed("ann@example.com");
      clock.now += 1000;
    }
    const first = 1_000_000;
    expect(attempts.waitFor("ann@example.com")).toBe(first + SIGN_IN_WINDOW_MS - clock.now);
    expect(attempts.waitFor("bob@example.com")).toBe(0);
    // Once the oldest failure leaves the window, one more attempt is allowed.
    clock.now = first + SIGN_IN_WINDOW_MS + 1;
    expect(attempts.waitFor("ann@example.com")).toBe(0);
    attempts.failed("ann@example.com");
    expect(attempts.waitFor("ann@example.com")).toBeGreaterThan(0);
  });

  it("forgets an email's failures once it signs in", () => {
    const { attempts } = attemptsAt();
    for (let i = 0; i < SIGN_IN_FAILURES_ALLOWED - 1; i++) attempts.failed("ann@example.com");
    attempts.succeeded("ann@example.com");
    for (let i = 0; i < SIGN_IN_FAILURES_ALLOWED - 1; i++) attempts.failed("ann@example.com");
    expect(attempts.waitFor("ann@example.com")).toBe(0);
  });
});
