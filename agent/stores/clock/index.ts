import { atom, onMount, type ReadableAtom } from "nanostores";

/** Calls `tick` every `intervalMs` until the returned function is called. */
export type Ticker = (tick: () => void, intervalMs: number) => () => void;

const everyInterval: Ticker = (tick, intervalMs) => {
  const id = setInterval(tick, intervalMs);
  return () => clearInterval(id);
};

/**
 * A store holding the current time, refreshed every `intervalMs` while anything listens.
 * The console has exactly one ({@link $now}): every ticking figure reads it, so a thousand rows
 * cost one timer.
 *
 * @example
 * const $fake = createClock({ now: () => fakeTime, every: fakeTicker });
 */
export function createClock({
  now = Date.now,
  every = everyInterval,
  intervalMs = 1000,
}: {
  now?: () => number;
  every?: Ticker;
  intervalMs?: number;
} = {}): ReadableAtom<number> {
  const $clock = atom(now());
  onMount($clock, () => {
    $clock.set(now());
    return every(() => $clock.set(now()), intervalMs);
  });
  return $clock;
}

/** The console's clock: milliseconds since the epoch, ticking once a second. */
export const $now = createClock();
