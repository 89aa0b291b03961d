import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configureLog } from "./log.ts";
import { Throttle } from "./throttle.ts";

describe("throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs at once, then folds requests into one run per interval", async () => {
    const runs: number[] = [];
    const throttle = new Throttle(250, () => {
      runs.push(Date.now());
    });
    const start = Date.now();
    throttle.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([start]);
    for (let i = 0; i < 10; i++) {
      throttle.request();
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([start, start + 250]);
  });

  it("never overlaps runs of a slow task", async () => {
    let running = 0;
    let overlapped = false;
    const throttle = new Throttle(10, async () => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      running -= 1;
    });
    for (let i = 0; i < 20; i++) {
      throttle.request();
      await vi.advanceTimersByTimeAsync(15);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(overlapped).toBe(false);
  });

  it("logs a failed run, and runs again when asked", async () => {
    const lines: string[] = [];
    configureLog({ level: "error", write: (line) => lines.push(line) });
    try {
      const task = vi.fn(async () => {
        throw new Error("disk full");
      });
      const throttle = new Throttle(10, task);
      throttle.request();
      await vi.advanceTimersByTimeAsync(0);
      throttle.request();
      await vi.advanceTimersByTimeAsync(20);
      expect(task).toHaveBeenCalledTimes(2);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain("disk full");
    } finally {
      configureLog({ level: undefined, write: undefined });
    }
  });

  it("drops a pending run on cancel", async () => {
    const task = vi.fn();
    const throttle = new Throttle(250, task);
    throttle.request();
    throttle.request();
    await vi.advanceTimersByTimeAsync(0);
    throttle.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
