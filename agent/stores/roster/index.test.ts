import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RosterEntry, VisitorStatus } from "../../../protocol/agent.ts";
import type { Channel } from "../../../protocol/source.ts";
import {
  $roster,
  $statusCounts,
  $visibleVisitors,
  applyRosterFrame,
  applyRosterFrameTo,
  compareByActivity,
  ENGAGED_EXTRAPOLATION_CAP_MS,
  emptyRoster,
  ROSTER_APPLY_MS,
  receiveRosterFrame,
  resetRoster,
  setChannelFilter,
  setStatusFilter,
  shownEngagedMs,
} from "./index.ts";

function visitor(
  id: string,
  lastActivityAt: number,
  extra: { status?: VisitorStatus; channel?: Channel; pageviews?: number } = {},
): RosterEntry {
  return {
    id,
    name: `Visitor ${id}`,
    number: 1,
    status: extra.status ?? "online",
    page: { url: `https://shop.example/${id}`, title: `Page ${id}` },
    source: extra.channel ? { channel: extra.channel } : null,
    firstSource: null,
    visit: {
      id: `visit-${id}`,
      number: 1,
      startedAt: 0,
      pageviews: extra.pageviews ?? 1,
      engagedMs: 0,
      engagedAt: lastActivityAt,
      engaged: true,
      utcOffset: null,
    },
    visits: 1,
    device: { browser: "Chrome", os: "Linux", type: "desktop" },
    geo: {},
    lastActivityAt,
  };
}

const ids = () => $visibleVisitors.get().map((entry) => entry.id);

beforeEach(() => {
  resetRoster();
  setStatusFilter("all");
  setChannelFilter("all");
});

describe("receiveRosterFrame", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("applies a delta at once, and those that follow within the interval together, in order", () => {
    receiveRosterFrame({
      type: "roster",
      full: true,
      visitors: [visitor("a", 1), visitor("b", 2)],
    });
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("c", 3)] });
    expect(ids()).toEqual(["c", "b", "a"]);
    const published = $roster.get();
    receiveRosterFrame({
      type: "roster",
      full: false,
      visitors: [visitor("d", 4)],
      removed: ["a"],
    });
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("a", 5)] });
    receiveRosterFrame({ type: "roster", full: false, visitors: [], removed: ["b"] });
    expect($roster.get()).toBe(published);
    vi.advanceTimersByTime(ROSTER_APPLY_MS);
    expect(ids()).toEqual(["a", "d", "c"]);
  });

  it("drops pending deltas for a full roster, and on reset", () => {
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("a", 1)] });
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("b", 2)] });
    receiveRosterFrame({ type: "roster", full: true, visitors: [visitor("c", 3)] });
    vi.advanceTimersByTime(ROSTER_APPLY_MS);
    expect(ids()).toEqual(["c"]);
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("d", 4)] });
    receiveRosterFrame({ type: "roster", full: false, visitors: [visitor("e", 5)] });
    expect(ids()).toEqual(["d", "c"]);
    resetRoster();
    vi.advanceTimersByTime(ROSTER_APPLY_MS);
    expect(ids()).toEqual([]);
  });
});

describe("applyRosterFrame", () => {
  it("sorts a full roster by latest activity, ties by id", () => {
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [visitor("aaaaaaa2", 10), visitor("aaaaaaa1", 30), visitor("aaaaaaa3", 30)],
    });
    expect(ids()).toEqual(["aaaaaaa1", "aaaaaaa3", "aaaaaaa2"]);
    expect($roster.get().byId.size).toBe(3);
  });

  it("moves a visitor with new activity to the top and adds new visitors in place", () => {
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [visitor("a", 30), visitor("b", 20), visitor("c", 10)],
    });
    applyRosterFrame({
      type: "roster",
      full: false,
      visitors: [visitor("c", 40), visitor("d", 25)],
    });
    expect(ids()).toEqual(["c", "a", "d", "b"]);
  });

  it("replaces an entry in place when its activity time is unchanged", () => {
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [visitor("a", 30), visitor("b", 20)],
    });
    applyRosterFrame({
      type: "roster",
      full: false,
      visitors: [visitor("b", 20, { status: "idle" })],
    });
    expect(ids()).toEqual(["a", "b"]);
    expect($roster.get().byId.get("b")?.status).toBe("idle");
    expect($visibleVisitors.get()[1]?.status).toBe("idle");
  });

  it("drops the visitors a delta lists as removed", () => {
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [visitor("a", 30), visitor("b", 20), visitor("c", 10)],
    });
    applyRosterFrame({
      type: "roster",
      full: false,
      visitors: [visitor("d", 40)],
      removed: ["b", "unknown"],
    });
    expect(ids()).toEqual(["d", "a", "c"]);
    expect($roster.get().byId.has("b")).toBe(false);
  });

  it("lets a later full roster drop visitors it no longer lists", () => {
    applyRosterFrame({ type: "roster", full: true, visitors: [visitor("a", 1), visitor("b", 2)] });
    applyRosterFrame({ type: "roster", full: true, visitors: [visitor("b", 3)] });
    expect(ids()).toEqual(["b"]);
    expect($roster.get().byId.has("a")).toBe(false);
  });

  it("publishes a new list after every frame, so the view re-renders", () => {
    applyRosterFrame({ type: "roster", full: true, visitors: [visitor("a", 1)] });
    const before = $visibleVisitors.get();
    applyRosterFrame({ type: "roster", full: false, visitors: [visitor("a", 2)] });
    expect($visibleVisitors.get()).not.toBe(before);
  });

  it("keeps 5,000 visitors in the same order as a full sort through many deltas and removals", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const roster = emptyRoster();
    const visitors = Array.from({ length: 5000 }, (_, i) => visitor(`v${i}`, random(1000)));
    applyRosterFrameTo(roster, { type: "roster", full: true, visitors });
    const latest = new Map(visitors.map((entry) => [entry.id, entry]));
    for (let frame = 0; frame < 200; frame += 1) {
      const changed = Array.from({ length: 20 }, () =>
        visitor(`v${random(5200)}`, 1000 + random(1000 + frame)),
      );
      const removed = Array.from({ length: 3 }, () => `v${random(5200)}`).filter(
        (id) => !changed.some((entry) => entry.id === id),
      );
      for (const id of removed) latest.delete(id);
      for (const entry of changed) latest.set(entry.id, entry);
      applyRosterFrameTo(roster, { type: "roster", full: false, visitors: changed, removed });
    }
    const expected = [...latest.values()].sort(compareByActivity).map((entry) => entry.id);
    expect(roster.sorted.map((entry) => entry.id)).toEqual(expected);
    expect(roster.byId.size).toBe(latest.size);
  });

  it("applies a delta that lists every visitor, some twice, as a relay under load sends it", () => {
    const roster = emptyRoster();
    const visitors = Array.from({ length: 5000 }, (_, i) => visitor(`v${i}`, i % 97));
    applyRosterFrameTo(roster, { type: "roster", full: true, visitors });
    const changed = visitors.map((entry, i) => visitor(entry.id, 100 + ((i * 31) % 89)));
    const again = visitor("v7", 5);
    applyRosterFrameTo(roster, {
      type: "roster",
      full: false,
      visitors: [...changed, again],
      removed: ["v1"],
    });
    const latest = new Map(changed.map((entry) => [entry.id, entry]));
    latest.set("v7", again);
    const expected = [...latest.values()].sort(compareByActivity).map((entry) => entry.id);
    expect(roster.sorted.map((entry) => entry.id)).toEqual(expected);
    expect(roster.sorted.find((entry) => entry.id === "v7")).toBe(again);
  });
});

describe("filters", () => {
  beforeEach(() => {
    applyRosterFrame({
      type: "roster",
      full: true,
      visitors: [
        visitor("a", 50, { status: "online", channel: "search" }),
        visitor("b", 40, { status: "idle", channel: "email" }),
        visitor("c", 30, { status: "online", channel: "email" }),
        visitor("d", 20, { status: "gone" }),
      ],
    });
  });

  it("filters by status", () => {
    setStatusFilter("online");
    expect(ids()).toEqual(["a", "c"]);
    setStatusFilter("gone");
    expect(ids()).toEqual(["d"]);
  });

  it("filters by the current visit's channel, leaving out visitors without a source", () => {
    setChannelFilter("email");
    expect(ids()).toEqual(["b", "c"]);
  });

  it("combines both filters and follows deltas", () => {
    setStatusFilter("online");
    setChannelFilter("email");
    expect(ids()).toEqual(["c"]);
    applyRosterFrame({
      type: "roster",
      full: false,
      visitors: [visitor("b", 60, { status: "online", channel: "email" })],
    });
    expect(ids()).toEqual(["b", "c"]);
  });

  it("counts visitors per status", () => {
    expect($statusCounts.get()).toEqual({ all: 4, online: 2, idle: 1, gone: 1 });
  });
});

describe("shownEngagedMs", () => {
  /** A visitor whose visit the relay measured at `engagedMs` engaged, at relay time 100 s. */
  const measured = (
    engagedMs: number,
    extra: { status?: VisitorStatus; engaged?: boolean; visitId?: string; at?: number } = {},
  ): RosterEntry => {
    const entry = visitor("a", 100_000, { status: extra.status });
    return {
      ...entry,
      visit: {
        ...(entry.visit as NonNullable<RosterEntry["visit"]>),
        id: extra.visitId ?? "visit-a",
        engagedMs,
        engagedAt: extra.at ?? 100_000,
        engaged: extra.engaged ?? true,
      },
    };
  };

  it("holds still when the visitor leaves having been engaged for less than was counted", () => {
    applyRosterFrame({ type: "roster", full: true, visitors: [measured(20_000)] });
    // The console counted on for 9 s after the heartbeat: 29 s shown.
    expect(shownEngagedMs(measured(20_000), 109_000)).toBe(29_000);
    // The tab closed 6 s after that heartbeat: the relay says 26 s, and gone.
    const gone = measured(26_000, { status: "gone", engaged: false });
    expect(shownEngagedMs(gone, 110_000)).toBe(29_000);
    expect(shownEngagedMs(gone, 200_000)).toBe(29_000);
  });

  it("counts on again once the relay's figure passes what was shown", () => {
    expect(shownEngagedMs(measured(20_000), 109_000)).toBe(29_000);
    // The visitor was idle for a while between heartbeats: the next one says 26 s at 110 s.
    const later = measured(26_000, { at: 110_000 });
    expect(shownEngagedMs(later, 111_000)).toBe(29_000);
    expect(shownEngagedMs(later, 115_000)).toBe(31_000);
  });

  it("starts afresh for a new visit, and after the visitor left the roster", () => {
    expect(shownEngagedMs(measured(20_000), 109_000)).toBe(29_000);
    expect(shownEngagedMs(measured(3_000, { visitId: "visit-b" }), 100_000)).toBe(3_000);
    expect(shownEngagedMs(measured(20_000), 109_000)).toBe(29_000);
    applyRosterFrame({ type: "roster", full: false, visitors: [], removed: ["a"] });
    expect(shownEngagedMs(measured(5_000, { engaged: false }), 109_000)).toBe(5_000);
  });

  it("never counts past the cap while waiting for a late report", () => {
    expect(shownEngagedMs(measured(20_000), 10 * 60_000)).toBe(
      20_000 + ENGAGED_EXTRAPOLATION_CAP_MS,
    );
  });
});
