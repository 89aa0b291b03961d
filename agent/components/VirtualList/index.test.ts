import { describe, expect, it } from "vitest";
import { listWindow, scrollTopToReveal } from "./index.tsx";

const base = { count: 5000, rowHeight: 40, viewportHeight: 400, overscan: 0 };

describe("listWindow", () => {
  it("renders just the rows in view at the top", () => {
    expect(listWindow({ ...base, scrollTop: 0 })).toEqual({
      start: 0,
      end: 10,
      offset: 0,
      total: 200_000,
    });
  });

  it("includes partly visible rows and offsets the first one", () => {
    expect(listWindow({ ...base, scrollTop: 1020 })).toMatchObject({
      start: 25,
      end: 36,
      offset: 1000,
    });
  });

  it("adds overscan on both sides within bounds", () => {
    expect(listWindow({ ...base, scrollTop: 400, overscan: 3 })).toMatchObject({
      start: 7,
      end: 23,
    });
    expect(listWindow({ ...base, scrollTop: 0, overscan: 3 })).toMatchObject({ start: 0, end: 13 });
    expect(listWindow({ ...base, scrollTop: 199_600, overscan: 3 })).toMatchObject({
      start: 4987,
      end: 5000,
    });
  });

  it("clamps a scroll position left over from a longer list", () => {
    expect(listWindow({ ...base, count: 20, scrollTop: 50_000 })).toEqual({
      start: 10,
      end: 20,
      offset: 400,
      total: 800,
    });
  });

  it("renders everything when the list is shorter than the viewport", () => {
    expect(listWindow({ ...base, count: 3, scrollTop: 0 })).toMatchObject({ start: 0, end: 3 });
  });

  it("renders nothing for an empty list or before the viewport is measured", () => {
    expect(listWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      total: 0,
    });
    expect(listWindow({ ...base, viewportHeight: 0, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 0,
    });
  });
});

describe("scrollTopToReveal", () => {
  const view = { rowHeight: 40, viewportHeight: 400, scrollTop: 1000 };

  it("stays put when the row is already in view", () => {
    expect(scrollTopToReveal({ ...view, index: 30 })).toBe(1000);
  });

  it("scrolls up to a row above the viewport", () => {
    expect(scrollTopToReveal({ ...view, index: 10 })).toBe(400);
  });

  it("scrolls down just enough to show a row below the viewport", () => {
    expect(scrollTopToReveal({ ...view, index: 40 })).toBe(1240);
  });
});
