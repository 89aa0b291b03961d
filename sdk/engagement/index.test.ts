import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEngagement } from "./index.ts";

const s = 1000;

/** An engagement counter on the faked clock, with its reports as [seconds, active]. */
const setup = (visible = true) => {
  const reports: [number, boolean][] = [];
  const engagement = createEngagement({
    now: () => Date.now(),
    report: (ms, active) => reports.push([ms / s, active]),
    visible,
  });
  /** Moves the clock on by `seconds`, the visitor giving input every `every` seconds. */
  const wait = (seconds: number, every = 0) => {
    for (let left = seconds; left > 0; left -= every || seconds) {
      vi.advanceTimersByTime(Math.min(left, every || seconds) * s);
      if (every) engagement.activity();
    }
  };
  return { engagement, reports, wait };
};

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => vi.useRealTimers());

describe("createEngagement", () => {
  it("reports a heartbeat every 15 s while the visitor is active", () => {
    const { reports, wait } = setup();
    wait(44, 4);
    expect(reports).toEqual([
      [15, true],
      [30, true],
    ]);
  });

  it("stops counting 60 s after the last input, and says so once", () => {
    const { engagement, reports, wait } = setup();
    wait(10, 5);
    wait(300);
    expect(reports).toEqual([
      [15, true],
      [30, true],
      [45, true],
      [60, true],
      [70, false],
    ]);
    engagement.end();
    expect(reports).toHaveLength(5);
  });

  it("counts again from where it stopped when the visitor comes back", () => {
    const { engagement, reports, wait } = setup();
    wait(120);
    expect(reports.at(-1)).toEqual([60, false]);
    engagement.activity();
    wait(10);
    engagement.end();
    expect(reports.at(-1)).toEqual([70, false]);
  });

  it("closes an idle stretch at its idle moment even when its timer slept", () => {
    const { engagement, reports } = setup();
    // A background tab's timers may not fire: move the clock without running them.
    vi.setSystemTime(Date.now() + 600 * s);
    engagement.activity();
    expect(reports).toEqual([[60, false]]);
  });

  it("does not count while the tab is hidden", () => {
    const { engagement, reports, wait } = setup();
    wait(10, 5);
    engagement.visible(false);
    expect(reports).toEqual([[10, false]]);
    wait(100);
    engagement.visible(true);
    wait(5);
    engagement.end();
    expect(reports).toEqual([
      [10, false],
      [15, false],
    ]);
  });

  it("does not count while the window has lost focus", () => {
    const { engagement, reports, wait } = setup();
    wait(4);
    engagement.focus(false);
    wait(100);
    engagement.focus(true);
    wait(3);
    engagement.end();
    expect(reports).toEqual([
      [4, false],
      [7, false],
    ]);
  });

  it("reports nothing for a page view never engaged with", () => {
    const { engagement, reports, wait } = setup(false);
    wait(100);
    engagement.end();
    expect(reports).toEqual([]);
  });

  it("counts a new page view from zero, still engaged", () => {
    const { engagement, reports, wait } = setup();
    wait(20, 5);
    engagement.end();
    engagement.restart();
    wait(16, 4);
    engagement.end();
    expect(reports).toEqual([
      [15, true],
      [20, false],
      [15, true],
      [16, false],
    ]);
  });

  it("goes quiet once stopped", () => {
    const { engagement, reports, wait } = setup();
    engagement.stop();
    wait(100);
    expect(reports).toEqual([]);
  });
});

describe("createEngagement with an injected clock", () => {
  it("takes every time from the clock it is given", () => {
    let t = 5_000;
    const reports: number[] = [];
    const engagement = createEngagement({
      now: () => t,
      report: (ms) => reports.push(ms),
      visible: true,
    });
    t += 12_345;
    engagement.end();
    expect(reports).toEqual([12_345]);
  });
});
