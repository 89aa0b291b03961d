/**
 * A visitor's trail as the visitor room keeps it: visits and page views, each stored under its
 * own key so one event rewrites one record. Events are applied idempotently: a visit or page
 * view is stored once per id, and engagement reports only ever raise `engagedMs` and move
 * `active` forward in time, so a re-sent event changes nothing.
 *
 * Times in the trail are the visitor's clock (`at` of the events): every event of a visitor
 * comes from the same clock, so they order correctly against each other. An event dated more
 * than CLOCK_AHEAD_MS ahead of the relay's clock is refused, so a clock set wrong (or a forged
 * time) holds a page view as the current one for that long at most.
 */
import {
  CLOCK_AHEAD_MS,
  classifySource,
  type EngagementEvent,
  type PageViewEvent,
  type Source,
  TRAIL_PAGE_VIEWS,
  TRAIL_VISITS,
  type Trail,
  type VisitEvent,
} from "../../protocol/index.ts";
import type { Refusal } from "../guard.ts";
import type { Json, RoomStorage } from "../party.ts";

/**
 * A visit as stored: the visit event's fields and the source the relay derives from them, or a
 * stand-in until the event arrives.
 */
export type StoredVisit = {
  id: string;
  number: number;
  startedAt: number;
  source: Source;
  landingUrl: string;
  language?: string;
  /** Minutes east of UTC on the visitor's device (SDKs before it sent `timezone`). */
  utcOffset?: number;
  timezone?: string;
  screen?: { width: number; height: number };
  /** Made up from a page view whose visit event has not arrived (yet). */
  inferred?: boolean;
  /** Arrival order, to break ties between equal times. */
  seq: number;
};

/** A page view as stored, with what its engagement reports said last. */
export type StoredPageView = {
  id: string;
  visitId: string;
  at: number;
  url: string;
  title: string;
  referrer?: string;
  engagedMs: number;
  /** Whether the visitor was engaged on this page as of `activeAt`. */
  active: boolean;
  activeAt: number;
  seq: number;
};

/** Counters of the whole trail. */
export type TrailTotals = {
  /** Visits so far, as the visitor's SDK numbers them. */
  visits: number;
  /** Source of the first visit stored (first touch). */
  firstSource: Source | null;
  /**
   * The last arrival number handed out. Stored only with the other totals (when a visit
   * starts): loading takes the highest of this and the stored records' own, so a page view,
   * the most common event, rewrites one record rather than two.
   */
  seq: number;
};

/** What the roster shows of the trail. */
export type TrailSummary = {
  visit: StoredVisit | null;
  /** Page views and engaged time of `visit`. */
  pageviews: number;
  engagedMs: number;
  /** The latest engagement report of `visit` said active. */
  engaged: boolean;
  page: { url: string; title: string } | null;
  visits: number;
  firstSource: Source | null;
};

export type ApplyOutcome = "stored" | "duplicate" | Refusal;

/** How many page views and visits a trail keeps (the oldest go first). */
export type TrailLimits = { pageviews: number; visits: number };

const defaultLimits: TrailLimits = { pageviews: TRAIL_PAGE_VIEWS, visits: TRAIL_VISITS };

/** The events a trail is made of; chat events go to the conversation and the profile. */
export type TrailEvent = VisitEvent | PageViewEvent | EngagementEvent;

/** Whether `event` belongs in the trail. */
export function isTrailEvent(event: { kind: string }): event is TrailEvent {
  return event.kind === "visit" || event.kind === "pageview" || event.kind === "engagement";
}

const keys = {
  totals: "totals",
  visit: (id: string) => `visit:${id}`,
  pageview: (id: string) => `pv:${id}`,
};

/** Why an event dated more than CLOCK_AHEAD_MS ahead of the relay's clock is refused. */
const aheadOfClock: Refusal = {
  code: "invalid_event",
  message:
    `at: more than ${CLOCK_AHEAD_MS / 3_600_000} hours ahead of the relay's clock ` +
    "(check the device's date and time)",
};

/** Engagement may exceed the time since the page view by this much (timer rounding). */
const engagementSlackMs = 1000;

/** Reads a stored trail. */
export async function loadTrail(
  storage: RoomStorage,
  limits: TrailLimits = defaultLimits,
): Promise<VisitorTrail> {
  const [totals, visits, pageviews] = await Promise.all([
    storage.get<TrailTotals>(keys.totals),
    storage.list<StoredVisit>({ prefix: "visit:" }),
    storage.list<StoredPageView>({ prefix: "pv:" }),
  ]);
  const stored = totals ?? { visits: 0, firstSource: null, seq: 0 };
  let seq = stored.seq;
  for (const record of [...visits.values(), ...pageviews.values()]) seq = Math.max(seq, record.seq);
  return new VisitorTrail(
    {
      totals: { ...stored, seq },
      visits: [...visits.values()],
      pageviews: [...pageviews.values()],
    },
    limits,
  );
}

/**
 * A trail in memory, with the keys changed since the last {@link VisitorTrail.takeChanges}. Made
 * from its records; `limits` (1 or more each) cap the page views and the visits kept (the oldest
 * go first; a visit takes its page views with it).
 *
 * A class, not a factory: one is made per visitor room, and methods on the prototype cost nothing
 * per visitor.
 * @example
 * const trail = new VisitorTrail();
 * trail.apply(event, Date.now());
 * await storage.putMany(trail.takeChanges().put);
 */
export class VisitorTrail {
  private readonly totals: TrailTotals;
  private readonly visits: Map<string, StoredVisit>;
  private readonly pageviews = new Map<string, StoredPageView>();
  // Kept as events come, so that the summary the roster takes on every event walks the current
  // visit's page views only, not a trail of up to TRAIL_PAGE_VIEWS.
  private readonly viewsByVisit = new Map<string, Set<StoredPageView>>();
  private latestView: StoredPageView | undefined;
  private current: StoredVisit | null;
  // Made per frame and dropped by `takeChanges`, never cleared: clearing a set the room keeps
  // allocates its new table in the old generation (README, "Garbage under load").
  private changed: Set<string> | undefined;
  private removed: Set<string> | undefined;

  constructor(
    records: { totals: TrailTotals; visits: StoredVisit[]; pageviews: StoredPageView[] } = {
      totals: { visits: 0, firstSource: null, seq: 0 },
      visits: [],
      pageviews: [],
    },
    private readonly limits: TrailLimits = defaultLimits,
  ) {
    this.totals = { ...records.totals };
    this.visits = new Map(records.visits.map((visit) => [visit.id, visit]));
    for (const view of records.pageviews) this.addView(view);
    this.current = pick(this.visits.values(), startOf, LATEST) ?? null;
    this.dropExcessVisits();
  }

  /** Applies one valid event that reached the relay at `now` (relay time). */
  apply(event: TrailEvent, now: number): ApplyOutcome {
    if (event.at > now + CLOCK_AHEAD_MS) return aheadOfClock;
    switch (event.kind) {
      case "visit":
        return this.applyVisit(event);
      case "pageview":
        return this.applyPageView(event);
      case "engagement":
        return this.applyEngagement(event);
    }
  }

  /** The writes that store every change applied since the last call. */
  takeChanges(): { put: Map<string, Json>; delete: string[] } {
    const put = new Map<string, Json>();
    for (const key of this.changed ?? []) {
      const value = this.recordOf(key);
      if (value !== undefined) put.set(key, value);
    }
    const deleted = [...(this.removed ?? [])];
    this.changed = undefined;
    this.removed = undefined;
    return { put, delete: deleted };
  }

  /** Whether the latest engagement report of the current visit says the visitor is engaged. */
  engaged(): boolean {
    let latestReport: StoredPageView | undefined;
    for (const view of this.currentViews()) {
      if (
        !latestReport ||
        later(view.activeAt, view.seq, latestReport.activeAt, latestReport.seq)
      ) {
        latestReport = view;
      }
    }
    return latestReport?.active ?? false;
  }

  /** The current visit's page views. */
  private currentViews(): Iterable<StoredPageView> {
    return (this.current && this.viewsByVisit.get(this.current.id)) ?? [];
  }

  /** What the roster shows of the trail, taken on every event. */
  summary(): TrailSummary {
    const visit = this.current;
    const page = this.latestView;
    let count = 0;
    let engagedMs = 0;
    for (const view of this.currentViews()) {
      count += 1;
      engagedMs += view.engagedMs;
    }
    return {
      visit,
      pageviews: count,
      engagedMs,
      engaged: this.engaged(),
      page: page ? { url: page.url, title: page.title } : null,
      visits: this.totals.visits,
      firstSource: this.totals.firstSource,
    };
  }

  /** The trail as agents get it: visits in the order they started, each with its page views. */
  toTrail(visitorId: string): Trail {
    const ordered = [...this.visits.values()].sort((a, b) =>
      order(a.startedAt, a.seq, b.startedAt, b.seq),
    );
    return {
      visitorId,
      visits: ordered.map((visit) => ({
        id: visit.id,
        number: visit.number,
        startedAt: visit.startedAt,
        source: visit.source,
        landingUrl: visit.landingUrl,
        // Each visit's own page views, not a pass over all of them per visit.
        pageviews: [...(this.viewsByVisit.get(visit.id) ?? [])]
          .sort((a, b) => order(a.at, a.seq, b.at, b.seq))
          .map((view) => ({
            id: view.id,
            at: view.at,
            url: view.url,
            title: view.title,
            engagedMs: view.engagedMs,
          })),
      })),
    };
  }

  private markChanged(key: string): void {
    this.changed ??= new Set();
    this.changed.add(key);
    this.removed?.delete(key);
  }

  private markRemoved(key: string): void {
    this.removed ??= new Set();
    this.removed.add(key);
    this.changed?.delete(key);
  }

  /** The next arrival number; the record that takes it is stored, which keeps it (see TrailTotals). */
  private nextSeq(): number {
    this.totals.seq += 1;
    return this.totals.seq;
  }

  private addView(view: StoredPageView): void {
    this.pageviews.set(view.id, view);
    let views = this.viewsByVisit.get(view.visitId);
    if (!views) {
      views = new Set();
      this.viewsByVisit.set(view.visitId, views);
    }
    views.add(view);
    const latest = this.latestView;
    if (!latest || later(view.at, view.seq, latest.at, latest.seq)) this.latestView = view;
  }

  /**
   * Keeps `visit` (new, or completing its stand-in) and the current visit up to date, then drops
   * the oldest visit past the cap. It passes over the visits only to drop one, or once per visit
   * at most to find the current one: per event, the work stays small however long the trail.
   */
  private putVisit(visit: StoredVisit): void {
    this.visits.set(visit.id, visit);
    this.markChanged(keys.visit(visit.id));
    const current = this.current;
    if (current?.id === visit.id) {
      // Its late visit event moved its start back: another visit may be the latest now.
      this.current = pick(this.visits.values(), startOf, LATEST) ?? null;
    } else if (!current || later(visit.startedAt, visit.seq, current.startedAt, current.seq)) {
      this.current = visit;
    }
    if (this.visits.size > this.limits.visits) {
      const oldest = pick(this.visits.values(), startOf, EARLIEST);
      if (oldest) this.dropVisit(oldest.id);
    }
  }

  /** Trails stored before visits were capped may hold more: the oldest go, once, on load. */
  private dropExcessVisits(): void {
    const excess = this.visits.size - this.limits.visits;
    if (excess <= 0) return;
    const oldest = [...this.visits.values()]
      .sort((a, b) => order(a.startedAt, a.seq, b.startedAt, b.seq))
      .slice(0, excess);
    for (const visit of oldest) this.dropVisit(visit.id);
  }

  /**
   * Forgets a visit and its page views. Never called for the current visit: the oldest of two
   * or more is not the latest.
   */
  private dropVisit(id: string): void {
    this.visits.delete(id);
    this.markRemoved(keys.visit(id));
    const views = this.viewsByVisit.get(id);
    if (!views) return;
    this.viewsByVisit.delete(id);
    for (const view of views) {
      this.pageviews.delete(view.id);
      this.markRemoved(keys.pageview(view.id));
    }
    // Only a clock that went back puts the latest page view in an older visit.
    if (this.latestView && views.has(this.latestView)) {
      this.latestView = pick(this.pageviews.values(), timeOf, LATEST);
    }
  }

  private applyVisit(event: VisitEvent): ApplyOutcome {
    const existing = this.visits.get(event.visitId);
    if (existing && !existing.inferred) return "duplicate";
    const source = classifySource(event.landingUrl, event.referrer);
    const visit: StoredVisit = {
      id: event.visitId,
      number: event.number,
      startedAt: Math.min(event.at, existing?.startedAt ?? event.at),
      source,
      landingUrl: event.landingUrl,
      seq: existing?.seq ?? this.nextSeq(),
    };
    if (event.language !== undefined) visit.language = event.language;
    if (event.utcOffset !== undefined) visit.utcOffset = event.utcOffset;
    if (event.timezone !== undefined) visit.timezone = event.timezone;
    if (event.screen !== undefined) visit.screen = event.screen;
    this.putVisit(visit);
    this.totals.visits = Math.max(this.totals.visits, event.number);
    this.totals.firstSource ??= source;
    this.markChanged(keys.totals);
    return "stored";
  }

  /** A page view whose visit is unknown starts a visit: the SDK makes a new visit id per visit. */
  private inferVisit(event: PageViewEvent): void {
    this.totals.visits += 1;
    this.markChanged(keys.totals);
    const visit: StoredVisit = {
      id: event.visitId,
      number: this.totals.visits,
      startedAt: event.at,
      source: { channel: "direct" },
      landingUrl: event.url,
      inferred: true,
      seq: this.nextSeq(),
    };
    this.putVisit(visit);
  }

  private applyPageView(event: PageViewEvent): ApplyOutcome {
    if (this.pageviews.has(event.id)) return "duplicate";
    if (!this.visits.has(event.visitId)) this.inferVisit(event);
    const view: StoredPageView = {
      id: event.id,
      visitId: event.visitId,
      at: event.at,
      url: event.url,
      title: event.title,
      engagedMs: 0,
      active: true,
      activeAt: event.at,
      seq: this.nextSeq(),
    };
    if (event.referrer !== undefined) view.referrer = event.referrer;
    this.addView(view);
    this.markChanged(keys.pageview(view.id));
    while (this.pageviews.size > this.limits.pageviews) this.dropOldestPageView();
    return "stored";
  }

  private dropOldestPageView(): void {
    // Dropped only while more than one is kept, so it is never `latestView`.
    const oldest = pick(this.pageviews.values(), timeOf, EARLIEST);
    if (!oldest) return;
    this.pageviews.delete(oldest.id);
    this.markRemoved(keys.pageview(oldest.id));
    const visitId = oldest.visitId;
    const views = this.viewsByVisit.get(visitId);
    views?.delete(oldest);
    if (views?.size === 0 && this.current?.id !== visitId) this.dropVisit(visitId);
  }

  private applyEngagement(event: EngagementEvent): ApplyOutcome {
    const view = this.pageviews.get(event.pageviewId);
    if (!view) {
      return {
        code: "invalid_event",
        message: "Engagement for a page view the relay does not have",
      };
    }
    // Engaged time cannot exceed the time since the page view on the visitor's own clock.
    const engagedMs = Math.max(
      view.engagedMs,
      Math.min(event.engagedMs, Math.max(0, event.at - view.at) + engagementSlackMs),
    );
    // The later report says whether the visitor is engaged; on a tie, stopping wins.
    const newer = event.at > view.activeAt || (event.at === view.activeAt && !event.active);
    const active = newer ? event.active : view.active;
    const activeAt = newer ? event.at : view.activeAt;
    if (engagedMs === view.engagedMs && active === view.active && activeAt === view.activeAt) {
      return "duplicate";
    }
    // Changed in place: the record is stored as JSON when the frame's writes are taken, and a
    // new copy per report would only add garbage that lives a second.
    view.engagedMs = engagedMs;
    view.active = active;
    view.activeAt = activeAt;
    this.markChanged(keys.pageview(view.id));
    return "stored";
  }

  private recordOf(key: string): Json | undefined {
    if (key === keys.totals) return this.totals;
    if (key.startsWith("visit:")) return this.visits.get(key.slice("visit:".length));
    return this.pageviews.get(key.slice("pv:".length));
  }
}

function order(at: number, seq: number, otherAt: number, otherSeq: number): number {
  return at - otherAt || seq - otherSeq;
}

function later(at: number, seq: number, otherAt: number, otherSeq: number): boolean {
  return order(at, seq, otherAt, otherSeq) > 0;
}

const startOf = (visit: StoredVisit) => visit.startedAt;
const timeOf = (view: StoredPageView) => view.at;

/** For {@link pick}: the record with the latest time, or the earliest. */
const LATEST = 1;
const EARLIEST = -1;

/** The record `time` puts last (LATEST) or first (EARLIEST), arrival order breaking ties. */
function pick<T extends { seq: number }>(
  records: Iterable<T>,
  time: (record: T) => number,
  which: typeof LATEST | typeof EARLIEST,
): T | undefined {
  let found: T | undefined;
  for (const record of records) {
    if (!found || which * order(time(record), record.seq, time(found), found.seq) > 0) {
      found = record;
    }
  }
  return found;
}
