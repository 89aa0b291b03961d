/**
 * The pointer's limits. Kept apart from LIMITS (the README's table lists them with the rest)
 * because every client bundle carries the whole LIMITS object, and the tracker's budget is
 * tight; and apart from the schemas, so the widget's chunk that finds elements carries no more.
 */
export const POINTER_LIMITS = {
  /** Characters in a pointer's CSS selector. */
  selectorLength: 1024,
  /** Characters of an element's text kept in a pointer's fingerprint. */
  textLength: 200,
  /** How long a pointer token works, in ms: long enough to pick an element and comment. */
  tokenMs: 5 * 60 * 1000,
} as const;
