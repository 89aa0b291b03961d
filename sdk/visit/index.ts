import { VISIT_TIMEOUT_MS } from "../../protocol/limits.ts";
import { randomId } from "../random/index.ts";

/** What the tracker remembers about the visitor across page loads (saved in storage). */
export type Profile = {
  visitorId: string;
  /** Bound to the visitor id by the relay on first contact: proves this browser owns the id. */
  secret: string;
  /** Visits started so far. */
  visits: number;
  /** The current (or last) visit. */
  visit?: Visit;
};

export type Visit = {
  id: string;
  number: number;
  startedAt: number;
  /** Time of the last page view or engaged heartbeat: the visit ends 30 minutes after it. */
  lastActivityAt: number;
  /** What brought this visit (see `sourceSignature`); null for a direct visit. */
  signature: string | null;
  /** Page views so far (invitation rules read it). */
  pages: number;
  /** Engaged time on the site so far, as of the last report of each page. */
  engagedMs: number;
};

/** A new visitor: fresh random id and secret, no visits yet. */
export const createProfile = (): Profile => ({
  visitorId: randomId(),
  secret: randomId(32),
  visits: 0,
});

/**
 * Continues the profile's visit for a page view at `at`, or starts a new one when there is
 * none, when the last one has been inactive for {@link VISIT_TIMEOUT_MS}, or when the
 * page brings a different source (`signature`, see `sourceSignature`; null means "nothing
 * new"), as a campaign link or a return from another site does. Returns true when a visit
 * started.
 */
export function enterVisit(profile: Profile, at: number, signature: string | null): boolean {
  const visit = profile.visit;
  const fresh =
    !visit ||
    at - visit.lastActivityAt >= VISIT_TIMEOUT_MS ||
    (!!signature && signature !== visit.signature);
  if (fresh)
    profile.visit = {
      id: randomId(),
      number: ++profile.visits,
      startedAt: at,
      lastActivityAt: at,
      signature,
      pages: 1,
      engagedMs: 0,
    };
  else {
    visit.lastActivityAt = Math.max(visit.lastActivityAt, at);
    // A visit stored before pages were counted has none: -~undefined is 1.
    visit.pages = -~visit.pages;
  }
  return fresh;
}
