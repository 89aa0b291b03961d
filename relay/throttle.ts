import { log } from "./log.ts";

/** A task that runs at most once per interval; see {@link createThrottle}. */
export type Throttle = {
  /** Asks for a run: now if the last one started an interval ago, else once at its end. */
  request(): void;
  /** Drops a pending trailing run. */
  cancel(): void;
};

/**
 * Coalesces requests for `task` with a leading and a trailing edge: the first request runs it
 * at once (low latency when quiet), requests during the next `intervalMs` fold into one run at
 * its end (bounded load when busy). Runs never overlap, so their effects arrive in order.
 * @example const pushRoster = createThrottle(250, () => sendRosterEntry()); pushRoster.request();
 */
export function createThrottle(
  intervalMs: number,
  task: () => Promise<void> | void,
  now: () => number = Date.now,
): Throttle {
  let lastStart = Number.NEGATIVE_INFINITY;
  let pending = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function pump(): void {
    if (!pending || running || timer !== undefined) return;
    const wait = lastStart + intervalMs - now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      return;
    }
    pending = false;
    running = true;
    lastStart = now();
    // Not at once: the requester finishes what it is changing first.
    queueMicrotask(run);
  }

  async function run(): Promise<void> {
    try {
      await task();
    } catch (error) {
      log.error("throttled task failed", { error });
    }
    running = false;
    pump();
  }

  return {
    request() {
      pending = true;
      pump();
    },
    cancel() {
      pending = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
