import { describe, expect, it } from "vitest";
import { sameJson } from "./same-json.ts";

describe("sameJson", () => {
  it("compares primitives, arrays in order and objects in any key order", () => {
    expect(sameJson(1, 1)).toBe(true);
    expect(sameJson("1", 1)).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson([1, [2]], [1, [2]])).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: 1, b: { c: [true] } }, { b: { c: [true] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: { c: [true] } }, { a: 1, b: { c: [false] } })).toBe(false);
  });

  it("tells a missing key from one with another value, and ignores undefined as JSON does", () => {
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: null }, {})).toBe(false);
  });
});
