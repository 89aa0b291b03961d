import { afterEach, describe, expect, it } from "vitest";
import type { RosterEntry, Trail } from "../../../protocol/agent.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { applyRosterFrame, resetRoster } from "../roster/index.ts";
import { clearSelection, selectVisitor } from "../selection/index.ts";
import { $trail, currentPageEngagedMs, failTrail, receiveTrail, timelineOf } from "./index.ts";

function entry(id: string, pageviews: number): RosterEntry {
  return {
    id,
    name: `Visitor ${id}`,
    number: 1,
    status: "online",
    page: null,
    source: null,
    firstSource: null,
    visit: {
      id: "visit-0001",
      number: 1,
      startedAt: 0,
      pageviews,
      engagedMs: 0,
      engagedAt: 0,
      engaged: false,
      utcOffset: null,
    },
    visits: 1,
    device: { browser: "", os: "", type: "" },
    geo: {},
    lastActivityAt: pageviews,
  };
}

const trailOf = (visitorId: string): Trail => ({ visitorId, visits: [] });

/** Signs in with a fake socket and returns the frames the console sends. */
const connectedConsole = (): string[] => connectFakeSocket().sent;

afterEach(() => {
  clearSelection();
  resetRoster();
  disconnect();
});

describe("trail", () => {
  it("asks for the selected visitor's trail, and again on each new page view only", () => {
    const sent = connectedConsole();
    applyRosterFrame({ type: "roster", full: true, visitors: [entry("visitor-a", 1)] });
    const stop = $trail.listen(() => {});
    selectVisitor("visitor-a");
    expect(sent).toEqual(['{"type":"trail:get","visitorId":"visitor-a"}']);
    receiveTrail(trailOf("visitor-a"));
    expect($trail.get()).toMatchObject({ visitorId: "visitor-a", loading: false });

    applyRosterFrame({
      type: "roster",
      full: false,
      visitors: [{ ...entry("visitor-a", 1), status: "idle" }],
    });
    expect(sent).toHaveLength(1);

    applyRosterFrame({ type: "roster", full: false, visitors: [entry("visitor-a", 2)] });
    expect(sent).toHaveLength(2);
    expect($trail.get()).toMatchObject({ visitorId: "visitor-a", loading: true });
    expect($trail.get().trail).not.toBeNull();
    stop();
  });

  it("drops a trail that arrives after the selection moved on", () => {
    connectedConsole();
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [entry("visitor-a", 1), entry("visitor-b", 1)],
    });
    const stop = $trail.listen(() => {});
    selectVisitor("visitor-a");
    selectVisitor("visitor-b");
    receiveTrail(trailOf("visitor-a"));
    expect($trail.get()).toEqual({
      visitorId: "visitor-b",
      trail: null,
      loading: true,
      error: null,
    });
    stop();
  });

  it("shows the relay's refusal instead of loading forever", () => {
    connectedConsole();
    applyRosterFrame({ type: "roster", full: true, visitors: [entry("visitor-a", 1)] });
    const stop = $trail.listen(() => {});
    selectVisitor("visitor-a");
    failTrail("No visitor visitor-a on this site");
    expect($trail.get()).toMatchObject({
      loading: false,
      error: "No visitor visitor-a on this site",
    });
    stop();
  });
});

describe("timelineOf", () => {
  it("gives each page view the wall time until the next one in its visit", () => {
    const source = { channel: "direct" } as const;
    const pageview = (id: string, at: number) => ({ id, at, url: "", title: "", engagedMs: 0 });
    const timeline = timelineOf({
      visitorId: "visitor-a",
      visits: [
        {
          id: "visit-1",
          number: 1,
          startedAt: 0,
          source,
          landingUrl: "",
          pageviews: [pageview("p1", 1_000), pageview("p2", 61_000)],
        },
        {
          id: "visit-2",
          number: 2,
          startedAt: 9_000_000,
          source,
          landingUrl: "",
          pageviews: [pageview("p3", 9_000_000)],
        },
      ],
    });
    expect(timeline.map((visit) => visit.pageviews.map((view) => view.wallMs))).toEqual([
      [60_000, null],
      [null],
    ]);
  });

  it("counts the visit's engaged time since the trail was read on the current page", () => {
    const views = [
      { id: "p1", at: 1_000, url: "", title: "Home", engagedMs: 4_000 },
      { id: "p2", at: 6_000, url: "", title: "Products", engagedMs: 1_000 },
    ];
    const visit = { id: "visit-0001", pageviews: views };
    const live = entry("visitor-a", 2);
    // The profile shows 12 s for the visit; the trail was read at 5 s (4 + 1).
    expect(currentPageEngagedMs(visit, live, 12_000)).toBe(8_000);
    // The list is behind the trail for a moment: the page keeps what the trail says.
    expect(currentPageEngagedMs(visit, live, 3_000)).toBe(1_000);
    // Another visit, or a trail that has not caught up with a new page view: settled figures.
    expect(currentPageEngagedMs({ ...visit, id: "visit-0000" }, live, 12_000)).toBeNull();
    expect(currentPageEngagedMs(visit, entry("visitor-a", 3), 12_000)).toBeNull();
    expect(currentPageEngagedMs(visit, null, 12_000)).toBeNull();
  });
});
