import { guard, warnOnce } from "./guard/index.ts";
import { createTracker, type TrackerOptions } from "./tracker/index.ts";

/** A `window.parley(command, ...args)` call as the loader queues it. */
export type Command = [name: string, args: unknown[]];

/** What loader.js hands over. */
export type EmbedConfig = {
  /** The snippet's `data-site`. */
  site: string;
  /** Host (and port) loader.js was served from: the relay. */
  host: string;
  /** Commands called before this module loaded, oldest first. */
  queue: Command[];
};

/**
 * Starts Parley on the page; loader.js calls it once, on idle. Runs the queued commands, then
 * takes over the queue's `push` so that later `window.parley(...)` calls run at once.
 * `overrides` are for tests. Commands: `optOut`. Never throws into the page.
 */
export function start(
  { site, host, queue }: EmbedConfig,
  overrides?: Partial<TrackerOptions>,
): void {
  try {
    const queued = queue.splice(0);
    const tracker = createTracker({
      site,
      host,
      // Same scheme as this module's URL: a relay served over https talks wss.
      protocol: import.meta.url.startsWith("https:") ? "wss" : "ws",
      ...overrides,
    });
    const commands = new Map<string, (...args: unknown[]) => void>([["optOut", tracker.optOut]]);
    const run = guard(([name, args]: Command) => {
      const command = commands.get(name);
      command ? command(...args) : warnOnce(`unknown command "${name}" ignored`);
    });
    for (const call of queued) run(call);
    queue.push = (...calls) => {
      for (const call of calls) run(call);
      return 0;
    };
  } catch (error) {
    warnOnce(String(error));
  }
}
