import { log } from "./log.ts";

/**
 * A task that runs at most once per interval. Requests are coalesced with a leading and a
 * trailing edge: the first request runs it at once (low latency when quiet), requests during the
 * next `intervalMs` fold into one run at its end (bounded load when busy). Runs never overlap, so
 * their effects arrive in order.
 *
 * A class, not a factory: several are made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example const pushRoster = new Throttle(250, () => sendRosterEntry()); pushRoster.request();
 */
export class Throttle {
  private lastStart = Number.NEGATIVE_INFINITY;
  private pending = false;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void> | void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for a run: now if the last one started an interval ago, else once at its end. */
  request(): void {
    this.pending = true;
    this.pump();
  }

  /** Drops a pending trailing run. */
  cancel(): void {
    this.pending = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    if (!this.pending || this.running || this.timer !== undefined) return;
    const wait = this.lastStart + this.intervalMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    this.pending = false;
    this.running = true;
    this.lastStart = this.now();
    // Not at once: the requester finishes what it is changing first.
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      await this.task();
    } catch (error) {
      log.error("throttled task failed", { error });
    }
    this.running = false;
    this.pump();
  }
}
