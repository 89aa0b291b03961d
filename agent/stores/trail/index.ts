import { atom, computed, onMount } from "nanostores";
import type { RosterEntry, Trail, TrailPageView, TrailVisit } from "../../../protocol/agent.ts";
import { $connection, sendFrame } from "../connection/index.ts";
import { $selectedVisitor } from "../selection/index.ts";

/**
 * The side panel's trail: whose it is, the trail once it arrived, whether one is due, and
 * why the relay refused the last request.
 */
export type TrailState = {
  visitorId: string | null;
  trail: Trail | null;
  loading: boolean;
  error: string | null;
};

const idle: TrailState = { visitorId: null, trail: null, loading: false, error: null };

/** The selected visitor's trail. While mounted it follows the selection and its page views. */
export const $trail = atom<TrailState>(idle);

/** Asks the relay for a visitor's trail; the one on screen stays until the new one lands. */
export function requestTrail(visitorId: string): void {
  const shown = $trail.get();
  const trail = shown.visitorId === visitorId ? shown.trail : null;
  $trail.set({ visitorId, trail, loading: true, error: null });
  sendFrame({ type: "trail:get", visitorId });
}

/** Takes a `trail` frame from the relay, if it is for the visitor still selected. */
export function receiveTrail(trail: Trail): void {
  if (trail.visitorId !== $trail.get().visitorId) return;
  $trail.set({ visitorId: trail.visitorId, trail, loading: false, error: null });
}

/**
 * Takes an error frame that may answer a trail request: an error while one is due is taken
 * as its answer. Returns whether it was.
 */
export function failTrail(message: string): boolean {
  const shown = $trail.get();
  if (!shown.loading) return false;
  $trail.set({ ...shown, loading: false, error: message });
  return true;
}

/**
 * Changes whenever the panel needs a fresh trail: another visitor, a new page view or visit
 * in the selected visitor's roster entry, or a (re)connected socket. Null while there is
 * nothing to ask or no one to ask.
 */
const $trailWanted = computed([$selectedVisitor, $connection], (visitor, connection) =>
  visitor && connection === "connected"
    ? [visitor.id, visitor.visit?.id, visitor.visit?.pageviews].join(" ")
    : null,
);

onMount($trail, () =>
  $trailWanted.subscribe((wanted) => {
    const visitor = $selectedVisitor.get();
    if (wanted && visitor) requestTrail(visitor.id);
    else if (!visitor) $trail.set(idle);
  }),
);

/** A page view with the wall time until the next page view of its visit, if there is one. */
export type TimelinePageView = TrailPageView & { wallMs: number | null };

/** A visit of the timeline with its page views, oldest first. */
export type TimelineVisit = Omit<TrailVisit, "pageviews"> & { pageviews: TimelinePageView[] };

/**
 * The trail as the panel shows it: visits and their page views oldest first, each page view
 * with the wall time until the next one in the same visit (the last one has none: the visit
 * may still be going on, or it ended with the visitor gone).
 */
export function timelineOf(trail: Trail): TimelineVisit[] {
  return trail.visits.map((visit) => ({
    ...visit,
    pageviews: visit.pageviews.map((pageview, index) => {
      const next = visit.pageviews[index + 1];
      return { ...pageview, wallMs: next ? Math.max(0, next.at - pageview.at) : null };
    }),
  }));
}

/**
 * Engaged time on the visitor's current page, given what the live list shows for the visit
 * (`visitEngagedMs`, see `shownEngagedMs`): a visit's engaged time is the sum of its page views',
 * and the trail is read again on a new page view, not on each heartbeat, so what the visit
 * gained since the trail was read was spent on its latest page. Null when `visit` is not the
 * visitor's current visit as the trail holds it (its latest page view is then settled).
 *
 * @example currentPageEngagedMs(visit, $selectedVisitor.get(), shownEngagedMs(entry, now))
 */
export function currentPageEngagedMs(
  visit: Pick<TrailVisit, "id" | "pageviews">,
  entry: Pick<RosterEntry, "visit"> | null,
  visitEngagedMs: number,
): number | null {
  const latest = visit.pageviews.at(-1);
  const live = entry?.visit;
  if (!latest || live?.id !== visit.id || live.pageviews !== visit.pageviews.length) return null;
  const read = visit.pageviews.reduce((sum, pageview) => sum + pageview.engagedMs, 0);
  return latest.engagedMs + Math.max(0, visitEngagedMs - read);
}
