import { describe, expect, it, vi } from "vitest";
import {
  GONE_AFTER_MS,
  IDLE_AFTER_MS,
  type PageViewEvent,
  type RosterEntry,
} from "../../protocol/index.ts";
import { ROSTER_KEEP_GONE_MS, ROSTER_SAVE_MS } from "./site-roster.ts";
import {
  connectAgent,
  connectVisitor,
  events,
  login,
  newId,
  newVisitor,
  nextRosterEntry,
  relayOnFakeClock,
  rosterEntriesSent,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

// Presence changes take a minute or more; the clock is faked (it still runs, and tests jump it
// ahead), everything else is real. setImmediate stays real: SQLite commits on it. The relay
// lives inside the fake clock from start to end, so none of its timers is lost on a switch.
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock("roster", (started, signedIn) => {
  relay = started;
  agent = signedIn;
});

function statusOf(
  visitorId: string,
  status: RosterEntry["status"],
  match: (entry: RosterEntry) => boolean = () => true,
): Promise<RosterEntry> {
  return nextRosterEntry(agent, visitorId, (entry) => entry.status === status && match(entry));
}

function statusesSent(visitorId: string): RosterEntry["status"][] {
  return rosterEntriesSent(agent, visitorId).map((entry) => entry.status);
}

/** Jumps the clock ahead, firing due timers (storage alarms, throttles) on the way. */
async function waitFor(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/**
 * Jumps the clock a step at a time until the agent sees the visitor `status`. A closed tab's
 * alarm counts from when the relay handles the close, which may come after a jump made at once.
 */
async function advanceUntilStatus(
  visitorId: string,
  status: RosterEntry["status"],
  stepMs: number,
): Promise<RosterEntry> {
  for (let step = 0; step < 20 && statusesSent(visitorId).at(-1) !== status; step++) {
    await waitFor(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return statusOf(visitorId, status);
}

/** A new visitor with a tab open, and the page view it has sent. */
async function visitorOnPage() {
  const visitor = newVisitor();
  const tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
  const view = events.pageview(newId("visit"));
  tab.send({ type: "track", events: [view] });
  await tab.next("ack");
  return { visitor, tab, view };
}

/** The tab reports the engaged time on `view` so far, and whether the visitor is engaged. */
async function reportEngagement(
  tab: TestSocket,
  view: PageViewEvent,
  engagedMs: number,
  active: boolean,
): Promise<void> {
  tab.send({
    type: "track",
    events: [events.engagement(view, engagedMs, active, { at: Date.now() })],
  });
  await tab.next("ack");
}

describe("presence", () => {
  it("goes idle without activity, and online again on activity", async () => {
    const { visitor, tab, view } = await visitorOnPage();
    const online = await statusOf(visitor.id, "online", (e) => e.visit !== null);
    expect(online.visit?.engaged).toBe(true);

    await waitFor(IDLE_AFTER_MS + 1000);
    const idle = await statusOf(visitor.id, "idle");
    expect(idle.visit?.engaged).toBe(false);

    await reportEngagement(tab, view, 5000, true);
    expect(
      (await statusOf(visitor.id, "online", (e) => e.visit?.engagedMs === 5000)).visit,
    ).toMatchObject({
      engaged: true,
      engagedMs: 5000,
    });
    await tab.close();
  });

  it("goes idle when the tracker says engagement stopped, a minute after the last input, though heartbeats came after the input", async () => {
    const { visitor, tab, view } = await visitorOnPage();
    await statusOf(visitor.id, "online", (e) => e.visit !== null);
    // The visitor reads and scrolls for 45 s, then stops: the tracker goes on reporting it
    // engaged until its idle minute is up, and then says engagement stopped.
    for (const engagedMs of [15_000, 30_000, 45_000, 60_000, 75_000, 90_000]) {
      await waitFor(15_000);
      await reportEngagement(tab, view, engagedMs, true);
    }
    expect(statusesSent(visitor.id)).not.toContain("idle");
    await waitFor(15_000);
    await reportEngagement(tab, view, 105_000, false);
    const idle = await statusOf(visitor.id, "idle");
    expect(idle.visit).toMatchObject({ engaged: false, engagedMs: 105_000 });
    await tab.close();
  });

  it("goes idle when the tracker falls silent while engaged (a frozen tab)", async () => {
    const { visitor, tab, view } = await visitorOnPage();
    await waitFor(50_000);
    await reportEngagement(tab, view, 50_000, true);
    // Past a minute since the page view, within a heartbeat and its slack of the report.
    await waitFor(15_000);
    expect(statusesSent(visitor.id)).not.toContain("idle");
    await advanceUntilStatus(visitor.id, "idle", 5_000);
    await tab.close();
  });

  it("keeps a visitor who navigates (closes one tab, opens the next) online", async () => {
    const visitor = newVisitor();
    const first = await connectVisitor(relay, visitor);
    await first.next("welcome");
    await statusOf(visitor.id, "online");
    await first.close();
    await waitFor(GONE_AFTER_MS / 2);
    const second = await connectVisitor(relay, visitor);
    await second.next("welcome");
    await waitFor(GONE_AFTER_MS);
    second.send({ type: "track", events: [events.pageview(newId("visit"))] });
    await second.next("ack");
    expect(statusesSent(visitor.id)).not.toContain("gone");
    await second.close();
  });

  it("goes gone once the last tab has been closed for goneAfterMs", async () => {
    const visitor = newVisitor();
    const tabs = [await connectVisitor(relay, visitor), await connectVisitor(relay, visitor)];
    await Promise.all(tabs.map((tab) => tab.next("welcome")));
    await statusOf(visitor.id, "online");
    await tabs[0]?.close();
    await waitFor(GONE_AFTER_MS + 1000);
    await tabs[1]?.close();
    const closedAt = Date.now();
    await waitFor(GONE_AFTER_MS - 1000);
    expect(statusesSent(visitor.id)).not.toContain("gone");
    await waitFor(2000);
    await statusOf(visitor.id, "gone");
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GONE_AFTER_MS);
  });

  it("drops a visitor from the roster an hour after it has gone", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    await tab.close();
    await advanceUntilStatus(visitor.id, "gone", GONE_AFTER_MS / 6);
    await waitFor(ROSTER_KEEP_GONE_MS - 60_000);
    expect(
      agent.frames.some((f) => (f.removed as string[] | undefined)?.includes(visitor.id)),
    ).toBe(false);
    await waitFor(61_000);
    for (;;) {
      const frame = await agent.next("roster");
      if ((frame.removed as string[] | undefined)?.includes(visitor.id)) break;
    }
    const fresh = await connectAgent(relay, (await login(relay)).token);
    const full = await fresh.next("roster");
    expect((full.visitors as RosterEntry[]).map((e) => e.id)).not.toContain(visitor.id);
    await fresh.close();
  });

  it("goes gone after a restart when its tab never comes back", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    await statusOf(visitor.id, "online");
    await agent.close();
    // The relay stops without telling the rooms, as in a crash.
    await relay.restart();
    agent = await connectAgent(relay, (await login(relay)).token);
    const full = await agent.next("roster");
    expect((full.visitors as RosterEntry[]).find((e) => e.id === visitor.id)?.status).toBe(
      "online",
    );
    await waitFor(GONE_AFTER_MS + 1000);
    await statusOf(visitor.id, "gone");
  });
});

describe("the saved roster", () => {
  it("holds a visitor's latest entry after a restart, once a save interval has passed", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    await statusOf(visitor.id, "online");
    const visitId = newId("visit");
    for (let i = 1; i <= 3; i++) {
      tab.send({
        type: "track",
        events: [events.pageview(visitId, { at: Date.now(), title: `Page ${i}` })],
      });
      await tab.next("ack");
      await waitFor(300);
    }
    await nextRosterEntry(agent, visitor.id, (entry) => entry.page?.title === "Page 3");
    await waitFor(ROSTER_SAVE_MS);
    await agent.close();
    await relay.restart();
    agent = await connectAgent(relay, (await login(relay)).token);
    const full = await agent.next("roster");
    const entry = (full.visitors as RosterEntry[]).find((e) => e.id === visitor.id);
    expect(entry).toMatchObject({ status: "online", page: { title: "Page 3" } });
  });
});
