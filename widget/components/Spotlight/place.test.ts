import { describe, expect, it } from "vitest";
import { NOTE_WIDTH, placeNote } from "./place.ts";

describe("the pointer's comment", () => {
  const element = { top: 100, left: 20, width: 200, height: 40 };

  it("goes to the right of the element where it fits", () => {
    expect(placeNote(element, 1200, 800)).toEqual({ top: 100, left: 232 });
  });

  it("goes to the left when the element is at the right edge", () => {
    const right = { ...element, left: 900 };
    expect(placeNote(right, 1200, 800)).toEqual({ top: 100, left: 900 - 12 - NOTE_WIDTH });
  });

  it("goes below a wide element, inside the viewport", () => {
    const wide = { top: 100, left: 0, width: 360, height: 40 };
    expect(placeNote(wide, 375, 700)).toEqual({ top: 152, left: 8 });
  });

  it("goes above a wide element near the bottom", () => {
    const low = { top: 600, left: 0, width: 360, height: 40 };
    expect(placeNote(low, 375, 700)).toEqual({ top: 600 - 12 - 120, left: 8 });
  });

  it("stays on screen when the element is scrolled partly out of view", () => {
    expect(placeNote({ ...element, top: -300 }, 1200, 800).top).toBe(8);
  });
});
