import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CLOCK_AHEAD_MS,
  type EngagementEvent,
  type PageViewEvent,
  type VisitEvent,
} from "../../protocol/index.ts";
import { openSqliteDatabase } from "../hosts/node/sqlite-storage.ts";
import {
  loadTrail,
  type StoredPageView,
  type StoredVisit,
  type TrailEvent,
  VisitorTrail,
} from "./trail.ts";

const at = 1_700_000_000_000;
/** When the events reach the relay: an hour after the first, on the relay's clock. */
const now = at + 3_600_000;

function visit(visitId: string, fields: Partial<VisitEvent> = {}): VisitEvent {
  return {
    kind: "visit",
    id: `ev-${visitId}`,
    at,
    visitId,
    number: 1,
    landingUrl: "https://shop.example/",
    referrer: "https://www.google.com/",
    ...fields,
  };
}

function pageview(id: string, visitId: string, offset: number): PageViewEvent {
  return {
    kind: "pageview",
    id,
    at: at + offset,
    visitId,
    url: `https://shop.example/${id}`,
    title: id,
  };
}

function engagement(
  view: PageViewEvent,
  engagedMs: number,
  active: boolean,
  offset = engagedMs,
): EngagementEvent {
  return {
    kind: "engagement",
    id: `en-${view.id}-${offset}`,
    at: view.at + offset,
    visitId: view.visitId,
    pageviewId: view.id,
    engagedMs,
    active,
  };
}

describe("trail", () => {
  it("stores each visit and page view once", () => {
    const trail = new VisitorTrail();
    const view = pageview("pv-000001", "visit-0001", 10);
    expect(trail.apply(visit("visit-0001"), now)).toBe("stored");
    expect(trail.apply(view, now)).toBe("stored");
    expect([...trail.takeChanges().put.keys()].sort()).toEqual([
      "pv:pv-000001",
      "totals",
      "visit:visit-0001",
    ]);
    expect(trail.apply(visit("visit-0001"), now)).toBe("duplicate");
    expect(trail.apply(view, now)).toBe("duplicate");
    expect(trail.takeChanges()).toEqual({ put: new Map(), delete: [] });
    // A page view of a known visit rewrites its own record only.
    trail.apply(pageview("pv-000002", "visit-0001", 20), now);
    expect([...trail.takeChanges().put.keys()]).toEqual(["pv:pv-000002"]);
  });

  it("keeps arrival order across a reload, though page views leave the totals as stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-trail-"));
    const db = openSqliteDatabase(join(dir, "trail.sqlite"));
    try {
      const storage = db.storage("visitor/visitor-1", () => {});
      const first = new VisitorTrail();
      first.apply(visit("visit-0001"), now);
      // Same time on the visitor's clock: only the arrival order tells them apart.
      for (const id of ["pv-000001", "pv-000002"]) first.apply(pageview(id, "visit-0001", 5), now);
      await storage.putMany(first.takeChanges().put);
      first.apply(pageview("pv-000003", "visit-0001", 5), now);
      await storage.putMany(first.takeChanges().put);

      const loaded = await loadTrail(storage);
      loaded.apply(pageview("pv-000004", "visit-0001", 5), now);
      expect(loaded.toTrail("visitor-1").visits[0]?.pageviews.map((p) => p.id)).toEqual([
        "pv-000001",
        "pv-000002",
        "pv-000003",
        "pv-000004",
      ]);
      expect(loaded.summary().page?.title).toBe("pv-000004");
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("derives each visit's source from its landing URL and referrer, the first as first touch", () => {
    const trail = new VisitorTrail();
    trail.apply(visit("visit-0001"), now);
    expect(trail.summary()).toMatchObject({
      visit: { source: { channel: "search", engine: "Google", referrer: "google.com" } },
      firstSource: { channel: "search", engine: "Google", referrer: "google.com" },
    });
    trail.apply(
      visit("visit-0002", {
        at: at + 60_000,
        number: 2,
        landingUrl: "https://shop.example/?utm_source=newsletter&utm_medium=email",
        referrer: "https://shop.example/",
      }),
      now,
    );
    expect(trail.summary()).toMatchObject({
      visit: { source: { channel: "email", utm: { source: "newsletter", medium: "email" } } },
      firstSource: { channel: "search", engine: "Google" },
    });
    expect(trail.toTrail("visitor-1").visits.map((v) => v.source.channel)).toEqual([
      "search",
      "email",
    ]);
  });

  it("keeps the most engaged time and the latest activity of a page view", () => {
    const trail = new VisitorTrail();
    const view = pageview("pv-000001", "visit-0001", 0);
    trail.apply(view, now);
    expect(trail.apply(engagement(view, 8000, false), now)).toBe("stored");
    expect(trail.apply(engagement(view, 3000, true), now)).toBe("duplicate");
    expect(trail.summary()).toMatchObject({ engagedMs: 8000, engaged: false });
    expect(trail.apply(engagement(view, 9000, true), now)).toBe("stored");
    expect(trail.summary()).toMatchObject({ engagedMs: 9000, engaged: true });
  });

  it("never counts more engaged time than has passed since the page view", () => {
    const trail = new VisitorTrail();
    const view = pageview("pv-000001", "visit-0001", 0);
    trail.apply(view, now);
    trail.apply(engagement(view, 10 ** 12, true, 5000), now);
    expect(trail.summary().engagedMs).toBe(6000);
  });

  it("refuses engagement for an unknown page view", () => {
    const trail = new VisitorTrail();
    const view = pageview("pv-000001", "visit-0001", 0);
    expect(trail.apply(engagement(view, 1000, true), now)).toMatchObject({ code: "invalid_event" });
  });

  it("starts a visit for a page view of an unknown visit, completed by its late visit event", () => {
    const trail = new VisitorTrail();
    trail.apply(visit("visit-0001"), now);
    trail.apply(pageview("pv-000001", "visit-0001", 0), now);
    trail.apply(pageview("pv-000002", "visit-0002", 60_000), now);
    expect(trail.summary()).toMatchObject({
      visit: { id: "visit-0002", number: 2, source: { channel: "direct" } },
      visits: 2,
    });
    const late = visit("visit-0002", {
      at: at + 59_000,
      number: 2,
      landingUrl: "https://shop.example/?gclid=abc123",
    });
    expect(trail.apply(late, now)).toBe("stored");
    expect(trail.summary()).toMatchObject({
      visit: { id: "visit-0002", source: { channel: "paid" } },
      visits: 2,
    });
    expect(trail.summary().visit?.inferred).toBeUndefined();
  });

  it("drops the oldest page views past the cap, and visits left empty", () => {
    const trail = new VisitorTrail(undefined, { pageviews: 3, visits: 3 });
    trail.apply(visit("visit-0001"), now);
    trail.apply(pageview("pv-000001", "visit-0001", 1), now);
    trail.apply(visit("visit-0002", { at: at + 100, number: 2 }), now);
    for (let i = 2; i <= 4; i++) trail.apply(pageview(`pv-00000${i}`, "visit-0002", 100 + i), now);
    const changes = trail.takeChanges();
    expect(changes.delete.sort()).toEqual(["pv:pv-000001", "visit:visit-0001"]);
    const stored = trail.toTrail("visitor-1");
    expect(stored.visits.map((v) => v.id)).toEqual(["visit-0002"]);
    expect(stored.visits[0]?.pageviews.map((p) => p.id)).toEqual([
      "pv-000002",
      "pv-000003",
      "pv-000004",
    ]);
  });

  it("keeps the latest visits past the cap, each dropped with its page views", () => {
    const trail = new VisitorTrail(undefined, { pageviews: 10, visits: 2 });
    trail.apply(visit("visit-0001"), now);
    trail.apply(pageview("pv-000001", "visit-0001", 1), now);
    // Visits without page views count too: nothing else would ever drop them.
    for (const number of [2, 3]) {
      trail.apply(visit(`visit-000${number}`, { at: at + 100 * number, number }), now);
    }
    expect(trail.takeChanges().delete.sort()).toEqual(["pv:pv-000001", "visit:visit-0001"]);
    expect(trail.toTrail("visitor-1").visits.map((v) => v.id)).toEqual([
      "visit-0002",
      "visit-0003",
    ]);
    // The dropped page view was the latest one: no page is left to show.
    expect(trail.summary()).toMatchObject({ visit: { id: "visit-0003" }, visits: 3, page: null });
  });

  it("drops the oldest visits of a trail stored before visits were capped, once loaded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-trail-"));
    const db = openSqliteDatabase(join(dir, "trail.sqlite"));
    try {
      const storage = db.storage("visitor/visitor-1", () => {});
      const uncapped = new VisitorTrail();
      for (let number = 1; number <= 5; number++) {
        uncapped.apply(visit(`visit-000${number}`, { at: at + number, number }), now);
      }
      await storage.putMany(uncapped.takeChanges().put);

      const loaded = await loadTrail(storage, { pageviews: 10, visits: 2 });
      expect(loaded.toTrail("visitor-1").visits.map((v) => v.id)).toEqual([
        "visit-0004",
        "visit-0005",
      ]);
      await storage.deleteMany(loaded.takeChanges().delete);
      expect([...(await storage.list({ prefix: "visit:" })).keys()]).toEqual([
        "visit:visit-0004",
        "visit:visit-0005",
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an event dated more than a day ahead of the relay's clock", () => {
    const trail = new VisitorTrail();
    const onTime = pageview("pv-000001", "visit-0001", 0);
    const ahead = { ...pageview("pv-000002", "visit-0001", 0), at: now + CLOCK_AHEAD_MS + 1 };
    expect(trail.apply(onTime, now)).toBe("stored");
    expect(trail.apply(ahead, now)).toEqual({
      code: "invalid_event",
      message: expect.stringContaining("24 hours ahead of the relay's clock"),
    });
    expect(trail.apply({ ...ahead, at: now + CLOCK_AHEAD_MS }, now)).toBe("stored");
    expect(
      trail.apply(engagement(onTime, 1000, true, now + CLOCK_AHEAD_MS + 1 - onTime.at), now),
    ).toMatchObject({
      code: "invalid_event",
    });
  });

  it("summarises as a pass over the stored records would, through drops and late visits", () => {
    // A seeded generator: the same sequence every run.
    let state = 42;
    const random = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    const trail = new VisitorTrail(undefined, { pageviews: 6, visits: 3 });
    const stored = new Map<string, unknown>();
    const views: PageViewEvent[] = [];
    for (let step = 0; step < 400; step++) {
      const visitId = `visit-${String(random(4)).padStart(4, "0")}`;
      const offset = random(1000);
      const choice = random(10);
      let event: TrailEvent;
      if (choice === 0) event = visit(visitId, { at: at + offset, number: 1 + random(4) });
      else if (choice < 5 || views.length === 0) {
        event = pageview(`pv-${String(step).padStart(6, "0")}`, visitId, offset);
        views.push(event);
      } else {
        const view = views[random(views.length)] as PageViewEvent;
        event = engagement(view, random(2000), random(2) === 0, random(2000));
      }
      trail.apply(event, now);
      const changes = trail.takeChanges();
      for (const [key, value] of changes.put) stored.set(key, structuredClone(value));
      for (const key of changes.delete) stored.delete(key);
      expect(trail.summary(), `after step ${step}`).toEqual(summaryOf(stored));
    }
  });

  it("orders the trail by time, whatever the arrival order", () => {
    const trail = new VisitorTrail();
    trail.apply(pageview("pv-000002", "visit-0001", 20), now);
    trail.apply(pageview("pv-000001", "visit-0001", 10), now);
    expect(trail.toTrail("visitor-1").visits[0]?.pageviews.map((p) => p.id)).toEqual([
      "pv-000001",
      "pv-000002",
    ]);
    expect(trail.summary().page?.title).toBe("pv-000002");
  });
});

/** The summary by a pass over every stored record: what `summary()` must agree with. */
function summaryOf(stored: Map<string, unknown>) {
  const later = (a: number, aSeq: number, b: number, bSeq: number) =>
    a - b > 0 || (a === b && aSeq > bSeq);
  const records = [...stored.entries()];
  const visits = records
    .filter(([key]) => key.startsWith("visit:"))
    .map(([, v]) => v as StoredVisit);
  const views = records
    .filter(([key]) => key.startsWith("pv:"))
    .map(([, v]) => v as StoredPageView);
  const totals = stored.get("totals") as { visits: number; firstSource: unknown } | undefined;
  let visit: StoredVisit | null = null;
  for (const candidate of visits) {
    if (!visit || later(candidate.startedAt, candidate.seq, visit.startedAt, visit.seq))
      visit = candidate;
  }
  let page: StoredPageView | undefined;
  let latestReport: StoredPageView | undefined;
  let pageviews = 0;
  let engagedMs = 0;
  for (const view of views) {
    if (!page || later(view.at, view.seq, page.at, page.seq)) page = view;
    if (view.visitId !== visit?.id) continue;
    pageviews += 1;
    engagedMs += view.engagedMs;
    if (!latestReport || later(view.activeAt, view.seq, latestReport.activeAt, latestReport.seq)) {
      latestReport = view;
    }
  }
  return {
    visit,
    pageviews,
    engagedMs,
    engaged: latestReport?.active ?? false,
    page: page ? { url: page.url, title: page.title } : null,
    visits: totals?.visits ?? 0,
    firstSource: totals?.firstSource ?? null,
  };
}
