import { describe, expect, it } from "vitest";
import { formatDayRanges, parseDayRanges } from "./index.ts";

describe("opening ranges as typed", () => {
  it("read several ranges, an empty day, and write them back", () => {
    const parsed = parseDayRanges(" 9:00-12:30, 13:00 – 24:00 ");
    expect(parsed).toEqual({
      ok: true,
      ranges: [
        { from: "09:00", to: "12:30" },
        { from: "13:00", to: "24:00" },
      ],
    });
    expect(parseDayRanges("")).toEqual({ ok: true, ranges: [] });
    if (parsed.ok) expect(formatDayRanges(parsed.ranges)).toBe("09:00-12:30, 13:00-24:00");
  });

  it("name the piece that is not a range", () => {
    expect(parseDayRanges("09:00-17:00, noon")).toEqual({ ok: false, bad: "noon" });
  });
});
