import { guard } from "../guard/index.ts";

/**
 * Calls `onNavigate(url, previousUrl)` for every client-side navigation: `history.pushState`,
 * `history.replaceState`, back/forward (`popstate`) and anchors (`hashchange`). It waits
 * `settleMs` so that the app has set the new page's title, and so that a burst (a push and
 * then a redirecting replace) counts once; a call that leaves the URL as it was counts not at all.
 * Stops when `signal` aborts; the history methods then just call through.
 */
export function watchNavigation(
  onNavigate: (url: string, previousUrl: string) => void,
  signal: AbortSignal,
  settleMs = 100,
): void {
  let current = location.href;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = guard(() => {
    const url = location.href;
    if (url === current || signal.aborted) return;
    const previous = current;
    current = url;
    onNavigate(url, previous);
  });
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(settled, settleMs);
  };

  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      if (!signal.aborted) changed();
    };
  }
  for (const type of ["popstate", "hashchange"]) window.addEventListener(type, changed, { signal });
}
