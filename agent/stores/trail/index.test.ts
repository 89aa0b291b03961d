import { afterEach, describe, expect, it } from "vitest";
import type { RosterEntry, Trail } from "../../../protocol/agent.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { applyRosterFrame, resetRoster } from "../roster/index.ts";
import { clearSelection, selectVisitor } from "../selection/index.ts";
import { $trail, failTrail, receiveTrail, timelineOf } from "./index.ts";

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
});
