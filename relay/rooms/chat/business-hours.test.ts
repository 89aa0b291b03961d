import { describe, expect, it } from "vitest";
import type { BusinessHours } from "../../../protocol/index.ts";
import { DEFAULT_BUSINESS_HOURS, isOpenAt, nextOpeningChange } from "./business-hours.ts";

const lisbonWeekdays: BusinessHours = {
  ...DEFAULT_BUSINESS_HOURS,
  enabled: true,
  timeZone: "Europe/Lisbon",
};
const at = (iso: string) => Date.parse(iso);

describe("business hours", () => {
  it("are always open while turned off", () => {
    expect(isOpenAt(DEFAULT_BUSINESS_HOURS, at("2026-11-22T03:00:00Z"))).toBe(true);
    expect(nextOpeningChange(DEFAULT_BUSINESS_HOURS, at("2026-11-22T03:00:00Z"))).toBeNull();
  });

  it("follow the site's time zone, opening at the start of a range and closing at its end", () => {
    // Lisbon is UTC+1 in summer: 09:00 there is 08:00 UTC.
    expect(isOpenAt(lisbonWeekdays, at("2026-07-01T07:59:00Z"))).toBe(false);
    expect(isOpenAt(lisbonWeekdays, at("2026-07-01T08:00:00Z"))).toBe(true);
    expect(isOpenAt(lisbonWeekdays, at("2026-07-01T15:59:59Z"))).toBe(true);
    expect(isOpenAt(lisbonWeekdays, at("2026-07-01T16:00:00Z"))).toBe(false);
    // Saturday has no ranges.
    expect(isOpenAt(lisbonWeekdays, at("2026-07-04T10:00:00Z"))).toBe(false);
  });

  it("may have several ranges a day, and a range may run to midnight", () => {
    const split: BusinessHours = {
      enabled: true,
      timeZone: "Asia/Tokyo",
      days: {
        ...DEFAULT_BUSINESS_HOURS.days,
        mon: [
          { from: "09:00", to: "12:00" },
          { from: "13:00", to: "24:00" },
        ],
      },
    };
    // Monday 12:30 in Tokyo (UTC+9) is 03:30 UTC: the lunch break.
    expect(isOpenAt(split, at("2026-11-23T03:30:00Z"))).toBe(false);
    expect(isOpenAt(split, at("2026-11-23T14:59:00Z"))).toBe(true);
    expect(isOpenAt(split, at("2026-11-23T15:00:00Z"))).toBe(false);
    expect(nextOpeningChange(split, at("2026-11-23T03:30:00Z"))).toBe(at("2026-11-23T04:00:00Z"));
  });

  it("know the next opening across a weekend and a daylight-saving change", () => {
    // Friday 27 March 2026, 18:00 in Lisbon (UTC+0); clocks go forward on Sunday the 29th,
    // so Monday 09:00 is 08:00 UTC.
    expect(nextOpeningChange(lisbonWeekdays, at("2026-03-27T18:00:00Z"))).toBe(
      at("2026-03-30T08:00:00Z"),
    );
    // During the day the next change is the closing.
    expect(nextOpeningChange(lisbonWeekdays, at("2026-03-27T10:30:15Z"))).toBe(
      at("2026-03-27T17:00:00Z"),
    );
  });

  it("know the next opening when the clocks go back", () => {
    // Friday 23 October 2026, 18:00 in Lisbon (UTC+1); clocks go back on Sunday the 25th,
    // so Monday 09:00 is 09:00 UTC.
    expect(nextOpeningChange(lisbonWeekdays, at("2026-10-23T17:00:00Z"))).toBe(
      at("2026-10-26T09:00:00Z"),
    );
  });

  it("never change when every day is closed", () => {
    const closed: BusinessHours = {
      enabled: true,
      timeZone: "UTC",
      days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    };
    expect(isOpenAt(closed, at("2026-11-23T10:00:00Z"))).toBe(false);
    expect(nextOpeningChange(closed, at("2026-11-23T10:00:00Z"))).toBeNull();
  });
});
