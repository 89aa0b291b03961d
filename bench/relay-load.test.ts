import { describe, expect, it } from "vitest";
import { loadAtGoalP99, throughputRatio } from "./relay-load.ts";

describe("throughput ratio against a baseline", () => {
  it("gives a verdict when neither target reached the top step", () => {
    expect(throughputRatio(7500, 5000, 2)).toEqual({ value: "1.50×", result: "MISS" });
    expect(throughputRatio(5000, 2500, 2)).toEqual({ value: "2.00×", result: "PASS" });
  });

  it("passes on a lower bound only when the bound meets the goal", () => {
    expect(throughputRatio(15000, 7500, 2)).toEqual({
      value: "≥ 2.00× (Parley sustained the top step)",
      result: "PASS",
    });
    expect(throughputRatio(15000, 10000, 2)).toEqual({
      value: "≥ 1.50× (Parley sustained the top step)",
    });
  });

  it("misses on an upper bound only when the bound falls short", () => {
    expect(throughputRatio(7045, 15000, 0.7)).toEqual({
      value: "≤ 0.47× (the baseline sustained the top step)",
      result: "MISS",
    });
    expect(throughputRatio(12000, 15000, 0.7)).toEqual({
      value: "≤ 0.80× (the baseline sustained the top step)",
    });
  });

  it("decides nothing when both sustained the top step", () => {
    expect(throughputRatio(15000, 15000, 0.7)).toEqual({
      value: "n/a (both sustained the top step)",
    });
  });
});

describe("throughput at p99 = 50 ms", () => {
  const steps = (...figures: [visitors: number, p99: number, lost?: number][]) =>
    figures.map(([visitors, p99, lost = 0]) => ({
      visitors,
      latency: { p99 },
      lost,
      duplicated: 0,
    }));

  it("interpolates between the last step carried and the first that crossed the line", () => {
    // Socket.IO and Parley in one run: 2,500 at 9.3 ms, 5,000 at 52.5; 5,000 at 40.2, 7,500 at 69.9.
    expect(loadAtGoalP99(steps([1000, 6], [2500, 9.3], [5000, 52.5], [7500, 463]))).toBeCloseTo(
      4855.3,
      1,
    );
    expect(
      loadAtGoalP99(
        steps([1000, 22.2], [2500, 25.9], [5000, 40.2], [7500, 69.9], [10000, 6214, 30214]),
      ),
    ).toBeCloseTo(5824.9, 1);
  });

  it("stops at the last step carried when the next lost events under the line", () => {
    expect(loadAtGoalP99(steps([1000, 5], [2500, 12, 3], [5000, 80]))).toBe(1000);
  });

  it("is the top step when every step was carried, and 0 when the first was not", () => {
    expect(loadAtGoalP99(steps([1000, 2], [5000, 11], [10000, 19]))).toBe(10000);
    expect(loadAtGoalP99(steps([1000, 70], [2500, 300]))).toBe(0);
  });

  it("ignores a larger step carried after one that was not", () => {
    expect(loadAtGoalP99(steps([2500, 10], [5000, 90], [7500, 45]))).toBe(2500 + 2500 * (40 / 80));
  });
});
