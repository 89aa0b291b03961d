import * as v from "valibot";
import { DURATION_MAX_MS, TIMESTAMP_MAX } from "./limits.ts";

/** Client-made ids (event ids, visitor ids, visit ids): URL-safe, 8 to 64 characters. */
export const IdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "an id is 8 to 64 characters of A-Z, a-z, 0-9, _ and -"),
);

/**
 * A timestamp in milliseconds since the epoch, one JavaScript can hold as a date. How far ahead
 * of its own clock the relay takes one depends on what it orders (see CLOCK_AHEAD_MS).
 */
export const TimestampSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(TIMESTAMP_MAX, `a timestamp is at most ${TIMESTAMP_MAX} (ms since the epoch)`),
);

/** A non-negative whole number of milliseconds, up to a day. */
export const DurationSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(DURATION_MAX_MS, `a duration is at most ${DURATION_MAX_MS} ms (a day)`),
);

/** Text capped at `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
