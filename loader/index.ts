/**
 * loader.js, the script of the snippet
 * `<script async src="https://HOST/loader.js" data-site="SITE"></script>`.
 *
 * Tiny and framework-free, a classic script: it defines the command queue
 * `window.parley(command, ...args)` at once, so the page can call it before anything loads,
 * then loads `sdk.js` from beside itself when the page is idle and hands it the queue.
 * It never throws into the host page. (The chat launcher will hook in here too.)
 */

// A module to TypeScript (its names stay its own); the build makes it a classic script that
// defines no global but window.parley.
export {};

type Command = [name: string, args: unknown[]];

/** `window.parley`: queues commands until sdk.js takes over the queue's `push`. */
type Parley = ((command: string, ...args: unknown[]) => void) & {
  q?: Command[];
  /** Set by the first loader on the page: a second snippet must not start a second tracker. */
  loaded?: boolean;
};

/** What sdk.js exports for us (see sdk/embed.ts). */
type Embed = { start(config: { site: string; host: string; queue: Command[] }): void };

const warn = (message: unknown) => console.warn("parley:", message);

try {
  const page = window as unknown as { parley?: Parley };
  const queue: Parley = (command, ...args) => {
    queue.q ??= [];
    queue.q.push([command, args]);
  };
  // A page (or an earlier snippet) may have defined the queue already: keep it and its commands.
  page.parley ??= queue;
  const parley = page.parley;
  const script = document.currentScript as HTMLScriptElement | null;
  const site = script?.dataset.site;
  if (!parley.loaded && script && site) {
    parley.loaded = true;
    const src = new URL(script.src);
    parley.q ??= [];
    const config = { site, host: src.host, queue: parley.q };
    const load = () =>
      import(/* @vite-ignore */ new URL("sdk.js", src).href)
        .then((embed: Embed) => embed.start(config))
        .catch(warn);
    // The page's own work comes first; an idle callback waits at most 3 s for a quiet moment.
    if ("requestIdleCallback" in window) requestIdleCallback(load, { timeout: 3000 });
    else setTimeout(load, 1);
  } else if (!site) warn('the snippet needs data-site="your site id"');
} catch (error) {
  warn(error);
}
