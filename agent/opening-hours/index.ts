import type { OpeningRange } from "../../protocol/business-hours.ts";

/**
 * A day's opening ranges as an admin types them, `09:00-12:00, 13:00-17:00` (empty: closed),
 * and back. The relay checks the ranges themselves; this only reads the notation.
 */

const RANGE = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;

const clock = (hours: string, minutes: string) => `${hours.padStart(2, "0")}:${minutes}`;

/**
 * The ranges in `text`, or the first piece that is not a range.
 *
 * @example parseDayRanges("9:00-17:00") // { ok: true, ranges: [{ from: "09:00", to: "17:00" }] }
 */
export function parseDayRanges(
  text: string,
): { ok: true; ranges: OpeningRange[] } | { ok: false; bad: string } {
  const ranges: OpeningRange[] = [];
  for (const piece of text.split(",").map((part) => part.trim())) {
    if (piece === "") continue;
    const match = RANGE.exec(piece);
    if (!match) return { ok: false, bad: piece };
    const [, fromH = "", fromM = "", toH = "", toM = ""] = match;
    ranges.push({ from: clock(fromH, fromM), to: clock(toH, toM) });
  }
  return { ok: true, ranges };
}

/** @example formatDayRanges([{ from: "09:00", to: "17:00" }]) // "09:00-17:00" */
export function formatDayRanges(ranges: readonly OpeningRange[]): string {
  return ranges.map((range) => `${range.from}-${range.to}`).join(", ");
}
