import { describe, expect, it } from "vitest";
import { throughputRatio } from "./relay-load.ts";

describe("throughput ratio against a baseline", () => {
  it("gives a verdict when neither target reached the top step", () => {
    expect(throughputRatio(7500, 5000, 2)).toEqual({ value: "1.50×", result: "MISS" });
    expect(throughputRatio(5000, 2500, 2)).toEqual({ value: "2.00×", result: "PASS" });
  });

  it("passes on a lower bound only when the bound meets the goal", () => {
    expect(throughputRatio(10000, 5000, 2)).toEqual({
      value: "≥ 2.00× (Parley sustained the top step)",
      result: "PASS",
    });
    expect(throughputRatio(10000, 7500, 2)).toEqual({
      value: "≥ 1.33× (Parley sustained the top step)",
    });
  });

  it("misses on an upper bound only when the bound falls short", () => {
    expect(throughputRatio(5000, 10000, 0.7)).toEqual({
      value: "≤ 0.50× (the baseline sustained the top step)",
      result: "MISS",
    });
    expect(throughputRatio(7500, 10000, 0.7)).toEqual({
      value: "≤ 0.75× (the baseline sustained the top step)",
    });
  });

  it("decides nothing when both sustained the top step", () => {
    expect(throughputRatio(10000, 10000, 0.7)).toEqual({
      value: "n/a (both sustained the top step)",
    });
  });
});
