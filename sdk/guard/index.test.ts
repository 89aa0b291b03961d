import { afterEach, describe, expect, it, vi } from "vitest";
import { guard, warnOnce } from "./index.ts";

afterEach(() => vi.restoreAllMocks());

describe("warnOnce", () => {
  it("warns once per distinct message", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    warnOnce("guard test: a");
    warnOnce("guard test: a");
    warnOnce("guard test: b");
    expect(warn.mock.calls).toEqual([["parley: guard test: a"], ["parley: guard test: b"]]);
  });
});

describe("guard", () => {
  it("passes arguments through", () => {
    const seen: number[] = [];
    guard((a: number, b: number) => seen.push(a + b))(2, 3);
    expect(seen).toEqual([5]);
  });

  it("turns a thrown error into a console warning instead of throwing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const broken = guard(() => {
      throw new Error("guard test: boom");
    });
    expect(() => broken()).not.toThrow();
    expect(warn).toHaveBeenCalledWith("parley: Error: guard test: boom");
  });
});
