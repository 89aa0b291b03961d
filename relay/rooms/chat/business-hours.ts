/**
 * Whether a site is open at a given moment under its business hours, and when that may next
 * change: the site room sets its alarm for that moment and tells present visitors.
 */
import { type BusinessHours, WEEKDAYS } from "../../../protocol/index.ts";

/** A new site's hours: off (always open), Monday to Friday 09:00 to 17:00 once turned on. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  enabled: false,
  timeZone: "UTC",
  days: {
    mon: [{ from: "09:00", to: "17:00" }],
    tue: [{ from: "09:00", to: "17:00" }],
    wed: [{ from: "09:00", to: "17:00" }],
    thu: [{ from: "09:00", to: "17:00" }],
    fri: [{ from: "09:00", to: "17:00" }],
    sat: [],
    sun: [],
  },
};

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since Monday 00:00 in `timeZone` at `at` (ms since the epoch). */
function minuteOfWeek(timeZone: string, at: number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "");
  return day * DAY_MINUTES + Number(parts.hour) * 60 + Number(parts.minute);
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

/** Every range of the week as [start, end) minutes since Monday 00:00. */
function weeklyRanges(hours: BusinessHours): [number, number][] {
  return WEEKDAYS.flatMap((day, index) =>
    hours.days[day].map((range): [number, number] => [
      index * DAY_MINUTES + minutesOf(range.from),
      index * DAY_MINUTES + minutesOf(range.to),
    ]),
  );
}

/**
 * Whether the site takes chats at `at`: always when business hours are off.
 *
 * @example isOpenAt(hours, Date.now()) // false on Saturday under Monday-to-Friday hours
 */
export function isOpenAt(hours: BusinessHours, at: number): boolean {
  if (!hours.enabled) return true;
  const now = minuteOfWeek(hours.timeZone, at);
  return weeklyRanges(hours).some(([start, end]) => start <= now && now < end);
}

/**
 * The next moment after `at` when a range starts or ends (the site may open or close then),
 * or null when business hours are off or have no ranges. Around a daylight-saving change it
 * may be off by the shift; whoever wakes then asks {@link isOpenAt} again and reschedules.
 */
export function nextOpeningChange(hours: BusinessHours, at: number): number | null {
  if (!hours.enabled) return null;
  const boundaries = new Set(
    weeklyRanges(hours).flatMap(([start, end]) => [start, end % WEEK_MINUTES]),
  );
  if (boundaries.size === 0) return null;
  const now = minuteOfWeek(hours.timeZone, at);
  const minuteStart = at - (at % MINUTE_MS);
  let next = Number.POSITIVE_INFINITY;
  for (const boundary of boundaries) {
    const ahead = (boundary - now + WEEK_MINUTES) % WEEK_MINUTES || WEEK_MINUTES;
    let candidate = minuteStart + ahead * MINUTE_MS;
    // A daylight-saving change in between moves local time against UTC: correct for it.
    const drift =
      ((boundary - minuteOfWeek(hours.timeZone, candidate) + WEEK_MINUTES * 1.5) % WEEK_MINUTES) -
      WEEK_MINUTES / 2;
    if (Math.abs(drift) <= 120) candidate += drift * MINUTE_MS;
    if (candidate > at) next = Math.min(next, candidate);
  }
  return Number.isFinite(next) ? next : null;
}
