import * as v from "valibot";

/*
 * A site's business hours: a weekly schedule in one IANA time zone. Outside them visitors get
 * the offline form (or no widget) even while agents are online. Off by default: always open.
 */

/** Days of the week, Monday first, as `BusinessHours.days` keys them. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening ranges on one day, at most this many. */
export const RANGES_PER_DAY = 6;

/** `HH:MM` on the 24-hour clock; `24:00` ends a range at midnight. */
const clockTime = v.pipe(
  v.string(),
  v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time is HH:MM, 00:00 to 24:00"),
);

/** An opening range on one day, `from` inclusive, `to` exclusive, e.g. 09:00 to 17:00. */
export const OpeningRangeSchema = v.pipe(
  v.object({ from: clockTime, to: clockTime }),
  v.check((range) => range.from < range.to, "a range ends after it starts"),
);

/** Whether the relay's time-zone database knows `timeZone`, e.g. `Europe/Lisbon`. */
function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const dayRanges = v.pipe(
  v.array(OpeningRangeSchema),
  v.maxLength(RANGES_PER_DAY, `at most ${RANGES_PER_DAY} ranges a day`),
);

/** `PUT /api/site {businessHours}`: the whole schedule at once. */
export const BusinessHoursSchema = v.object({
  /** Off: always open. */
  enabled: v.boolean(),
  timeZone: v.pipe(
    v.string(),
    v.maxLength(64),
    v.check(knownTimeZone, "an IANA time zone, e.g. Europe/Lisbon"),
  ),
  /** Each day's ranges; a day without ranges is closed. */
  days: v.object({
    mon: dayRanges,
    tue: dayRanges,
    wed: dayRanges,
    thu: dayRanges,
    fri: dayRanges,
    sat: dayRanges,
    sun: dayRanges,
  }),
});

export type OpeningRange = v.InferOutput<typeof OpeningRangeSchema>;
export type BusinessHours = v.InferOutput<typeof BusinessHoursSchema>;
