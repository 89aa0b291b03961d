import { warnOnce } from "./guard/index.ts";
import { createTracker, type Tracker, type TrackerOptions } from "./tracker/index.ts";

/** What loader.js hands over. */
export type EmbedConfig = {
  /** The snippet's `data-site`. */
  site: string;
  /** Host (and port) loader.js was served from: the relay. */
  host: string;
};

/**
 * Starts tracking the page; loader.js calls it once, on idle, and hands the tracker to the
 * chat widget, which runs the `window.parley` commands. `overrides` are for tests.
 * Never throws into the page: answers undefined when the tracker could not start.
 *
 * @example
 * const tracker = (await import("https://HOST/sdk.js")).start({ site: "demo", host: "HOST" });
 */
export function start(
  { site, host }: EmbedConfig,
  overrides?: Partial<TrackerOptions>,
): Tracker | undefined {
  try {
    return createTracker({
      site,
      host,
      // Same scheme as this module's URL: a relay served over https talks wss.
      protocol: import.meta.url.startsWith("https:") ? "wss" : "ws",
      ...overrides,
    });
  } catch (error) {
    warnOnce(String(error));
  }
}
