import { describe, expect, it, vi } from "vitest";
import { GONE_AFTER_MS } from "../../../protocol/index.ts";
import {
  connectVisitor,
  events,
  newId,
  newVisitor,
  nextRosterEntry,
  relayOnFakeClock,
  type TestRelay,
  type TestSocket,
} from "../../rooms/testing.ts";

// Presence takes half a minute: the clock is faked (it still runs, and the test jumps it ahead).
// Rooms unload sooner than a visitor goes here, so that a pending alarm is seen to keep one.
const UNLOAD_AFTER_MS = GONE_AFTER_MS / 3;
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock(
  "roster",
  (started, signedIn) => {
    relay = started;
    agent = signedIn;
  },
  { unloadIdleVisitorRoomsAfterMs: UNLOAD_AFTER_MS },
);

/**
 * Jumps the clock ahead a step at a time until `done`, at most `steps` times. Between steps the
 * real event loop runs a while: a room's work (SQLite commits) settles in real time, and a room
 * counts as idle only from then.
 */
async function advanceUntil(
  done: () => Promise<boolean>,
  stepMs: number,
  steps = 20,
): Promise<void> {
  for (let step = 0; step < steps && !(await done()); step++) {
    await vi.advanceTimersByTimeAsync(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("visitor rooms in memory", () => {
  it("leave memory once their visitor is gone and they are idle, and load again from SQLite", async () => {
    const present = await connectVisitor(relay, newVisitor());
    await present.next("welcome");
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    tab.send({ type: "track", events: [events.pageview(visitId)] });
    await tab.next("ack");
    await nextRosterEntry(agent, visitor.id, (entry) => entry.visit?.pageviews === 1);
    const loaded = await relay.roomsInMemory();
    await tab.close();

    // Idle for longer than it takes to unload, the room still waits for the alarm that says the
    // visitor is gone.
    await vi.advanceTimersByTimeAsync(2 * UNLOAD_AFTER_MS + 1000);
    expect(await relay.roomsInMemory()).toBe(loaded);
    await vi.advanceTimersByTimeAsync(GONE_AFTER_MS - 2 * UNLOAD_AFTER_MS);
    await nextRosterEntry(agent, visitor.id, (entry) => entry.status === "gone");
    await advanceUntil(async () => (await relay.roomsInMemory()) < loaded, UNLOAD_AFTER_MS / 2);
    // The gone visitor's room left; the one with a tab open stayed.
    expect(await relay.roomsInMemory()).toBe(loaded - 1);

    const back = await connectVisitor(relay, visitor);
    await back.next("welcome");
    back.send({ type: "track", events: [events.pageview(visitId)] });
    await back.next("ack");
    const entry = await nextRosterEntry(
      agent,
      visitor.id,
      (e) => e.status === "online" && e.visit?.pageviews === 2,
    );
    expect(entry.visits).toBe(1);
    expect(await relay.roomsInMemory()).toBe(loaded);
    await back.close();
    await present.close();
  });
});
