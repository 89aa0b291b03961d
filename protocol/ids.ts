import * as v from "valibot";

/** Client-made ids (event ids, visitor ids, visit ids): URL-safe, 8 to 64 characters. */
export const IdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "an id is 8 to 64 characters of A-Z, a-z, 0-9, _ and -"),
);

/** A timestamp in milliseconds since the epoch. */
export const TimestampSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A non-negative whole number of milliseconds. */
export const DurationSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Text capped at `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
