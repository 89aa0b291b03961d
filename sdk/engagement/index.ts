import { HEARTBEAT_MS, IDLE_AFTER_MS } from "../../protocol/limits.ts";

/**
 * Engaged time on the current page view: counted only while the tab is visible, the window
 * has focus and the visitor gave some input (pointer, key, scroll, touch) within the last
 * {@link IDLE_AFTER_MS}. The minute before going idle counts: that is reading time.
 */
export type Engagement = {
  /** The visitor did something. */
  activity(): void;
  /** The tab was shown or hidden. */
  visible(visible: boolean): void;
  /** The window gained or lost focus. */
  focus(focused: boolean): void;
  /** Reports the engaged time so far as final (`active: false`), as when the page goes away. */
  end(): void;
  /** Starts counting from zero for a new page view. */
  restart(): void;
  /** Stops the timers for good. */
  stop(): void;
};

export type EngagementOptions = {
  /** The clock, injectable for tests. */
  now: () => number;
  /**
   * Called every {@link HEARTBEAT_MS} while engaged (`active: true`), when engagement
   * stops and on {@link Engagement.end} (`active: false`); never twice with the same figures,
   * never with zero.
   */
  report: (engagedMs: number, active: boolean) => void;
  /** Whether the tab is visible to begin with. */
  visible: boolean;
};

/** See {@link Engagement}. */
export function createEngagement({ now, report, visible }: EngagementOptions): Engagement {
  let total = 0;
  /** Start of the running engaged stretch, if any. */
  let since: number | undefined;
  let lastInput = now();
  let lastBeat = 0;
  let shown = visible;
  let focused = true;
  let reported = "";
  let timer: ReturnType<typeof setTimeout> | undefined;

  const idleAt = () => lastInput + IDLE_AFTER_MS;

  const send = (t: number, active: boolean) => {
    lastBeat = t;
    const engagedMs = total + (since === undefined ? 0 : t - since);
    const figures = `${engagedMs}${active}`;
    if (engagedMs && figures !== reported) {
      reported = figures;
      report(engagedMs, active);
    }
  };

  // Called on every change and by its own timer: opens or closes the engaged stretch, reports
  // a heartbeat when due, and wakes up again for the next heartbeat or the idle moment.
  const update = () => {
    clearTimeout(timer);
    const t = now();
    const engaged = shown && focused && t < idleAt();
    if (since !== undefined && !engaged) {
      total += Math.min(t, idleAt()) - since;
      since = undefined;
      send(t, false);
    } else if (since === undefined && engaged) {
      since = lastBeat = t;
    } else if (engaged && t - lastBeat >= HEARTBEAT_MS) send(t, true);
    if (engaged) timer = setTimeout(update, Math.min(lastBeat + HEARTBEAT_MS, idleAt()) - t);
  };

  // Showing or focusing the tab is itself something the visitor did.
  const input = () => {
    // A stretch whose idle moment passed unnoticed (timers sleep in background tabs) ends
    // there, before this input opens a new one.
    if (since !== undefined && now() >= idleAt()) update();
    lastInput = now();
    if (since === undefined) update();
  };

  update();
  return {
    activity: input,
    visible(value) {
      shown = value;
      value ? input() : update();
    },
    focus(value) {
      focused = value;
      value ? input() : update();
    },
    end() {
      update();
      send(now(), false);
    },
    restart() {
      total = 0;
      reported = "";
      if (since !== undefined) since = now();
      update();
    },
    stop: () => clearTimeout(timer),
  };
}
