import { describe, expect, it } from "vitest";
import type { RosterEntry } from "../../../protocol/agent.ts";
import { ENGAGED_EXTRAPOLATION_CAP_MS, engagedMsAt } from "../roster/index.ts";
import { createClock, type Ticker } from "./index.ts";

/** A clock whose time and ticks the test drives. */
function fakeClock(start: number) {
  let time = start;
  const ticks = new Set<() => void>();
  const every: Ticker = (tick) => {
    ticks.add(tick);
    return () => ticks.delete(tick);
  };
  return {
    $clock: createClock({ now: () => time, every }),
    advance(ms: number) {
      time += ms;
      for (const tick of ticks) tick();
    },
    timers: () => ticks.size,
  };
}

function entry(
  status: RosterEntry["status"],
  engaged: boolean,
): Pick<RosterEntry, "status" | "visit"> {
  return {
    status,
    visit: {
      id: "visit-1",
      number: 1,
      startedAt: 0,
      pageviews: 2,
      engagedMs: 30_000,
      engagedAt: 100_000,
      engaged,
      utcOffset: null,
    },
  };
}

describe("createClock", () => {
  it("ticks only while something listens, with one timer for every listener", () => {
    const clock = fakeClock(100_000);
    expect(clock.timers()).toBe(0);
    const stopA = clock.$clock.listen(() => {});
    const stopB = clock.$clock.listen(() => {});
    expect(clock.timers()).toBe(1);
    clock.advance(1000);
    expect(clock.$clock.get()).toBe(101_000);
    stopA();
    stopB();
  });
});

describe("engaged time ticking", () => {
  it("counts up once a second while the visitor is engaged and online", () => {
    const clock = fakeClock(100_000);
    const seen: number[] = [];
    const stop = clock.$clock.subscribe((now) =>
      seen.push(engagedMsAt(entry("online", true), now)),
    );
    clock.advance(1000);
    clock.advance(1000);
    clock.advance(1000);
    expect(seen).toEqual([30_000, 31_000, 32_000, 33_000]);
    stop();
  });

  it("holds still when the visitor is not engaged, idle or gone", () => {
    const clock = fakeClock(100_000);
    const stop = clock.$clock.listen(() => {});
    clock.advance(5000);
    const now = clock.$clock.get();
    expect(engagedMsAt(entry("online", false), now)).toBe(30_000);
    expect(engagedMsAt(entry("idle", true), now)).toBe(30_000);
    expect(engagedMsAt(entry("gone", true), now)).toBe(30_000);
    stop();
  });

  it("stops counting a little after a missed heartbeat", () => {
    const clock = fakeClock(100_000);
    const stop = clock.$clock.listen(() => {});
    clock.advance(10 * 60_000);
    expect(engagedMsAt(entry("online", true), clock.$clock.get())).toBe(
      30_000 + ENGAGED_EXTRAPOLATION_CAP_MS,
    );
    stop();
  });

  it("never counts backwards when the relay's clock is ahead of the browser's", () => {
    expect(engagedMsAt(entry("online", true), 90_000)).toBe(30_000);
  });

  it("is zero before the first visit", () => {
    expect(engagedMsAt({ status: "online", visit: null }, 100_000)).toBe(0);
  });
});
