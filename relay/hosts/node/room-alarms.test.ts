import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GONE_AFTER_MS, type RosterEntry } from "../../../protocol/index.ts";
import { configureLog } from "../../log.ts";
import {
  connectVisitor,
  newVisitor,
  nextRosterEntry,
  relayOnFakeClock,
  rosterEntriesSent,
  type TestRelay,
  type TestSocket,
} from "../../rooms/testing.ts";
import { ALARM_FIRST_RETRY_MS } from "./rooms-host.ts";

// The visitor goes gone on its room's alarm, 30 s after its last tab closed: the clock is faked
// (it still runs, and the test jumps it ahead); the lock another process holds is real.
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock(
  "roster",
  (started, signedIn) => {
    relay = started;
    agent = signedIn;
  },
  { busyTimeoutMs: 200 },
);

type LogLine = { message: string; room?: string; retryAt?: string };
let logged: LogLine[] = [];
beforeEach(() => {
  logged = [];
  configureLog({ write: (line) => logged.push(JSON.parse(line) as LogLine) });
});
afterEach(() => configureLog({ write: undefined }));

/** What the relay has committed of a room: its alarm, and a value under `key`. */
function stored(room: string, key: string): { alarm?: number; value?: Record<string, unknown> } {
  const db = new Database(relay.dbPath, { readonly: true });
  try {
    const alarm = db.prepare("SELECT time FROM alarms WHERE room = ?").get(room) as
      | { time: number }
      | undefined;
    const row = db.prepare("SELECT value FROM kv WHERE room = ? AND key = ?").get(room, key) as
      | { value: string }
      | undefined;
    return { alarm: alarm?.time, value: row && JSON.parse(row.value) };
  } finally {
    db.close();
  }
}

function statuses(visitorId: string): RosterEntry["status"][] {
  return rosterEntriesSent(agent, visitorId).map((entry) => entry.status);
}

describe("a room's alarm that fails", () => {
  it("runs again after 2 s, then 4 s, until it succeeds: the closed tab's visitor goes gone", async () => {
    const visitor = newVisitor();
    const room = `visitor/${visitor.id}`;
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    await nextRosterEntry(agent, visitor.id, (entry) => entry.status === "online");
    await tab.close();
    // The close is stored, and the alarm for when the visitor goes gone.
    await vi.waitFor(() => {
      const { alarm, value } = stored(room, "visitor");
      expect(alarm).toBe(Number(value?.closedAt) + GONE_AFTER_MS);
    });

    // Another process holds the file's write lock longer than the relay waits for it, so the
    // alarm cannot be cleared, nor the visitor stored as gone, nor the retry stored.
    const other = new Database(relay.dbPath);
    other.exec("BEGIN IMMEDIATE");
    const failures = () => logged.filter((line) => line.message === "alarm failed");
    await vi.advanceTimersByTimeAsync(GONE_AFTER_MS);
    await vi.waitFor(() => expect(failures()).toHaveLength(1), { timeout: 5_000 });
    await vi.advanceTimersByTimeAsync(ALARM_FIRST_RETRY_MS);
    await vi.waitFor(() => expect(failures()).toHaveLength(2), { timeout: 5_000 });
    const [first, second] = failures().map((line) => Date.parse(line.retryAt ?? ""));
    expect(failures()[0]?.room).toBe(room);
    // The second retry waits twice as long as the first.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(2 * ALARM_FIRST_RETRY_MS);
    expect(statuses(visitor.id)).not.toContain("gone");

    other.exec("ROLLBACK");
    other.close();
    await vi.advanceTimersByTimeAsync(2 * ALARM_FIRST_RETRY_MS);
    expect(
      await nextRosterEntry(agent, visitor.id, (entry) => entry.status === "gone"),
    ).toMatchObject({ status: "gone" });
    expect(failures()).toHaveLength(2);
    expect(stored(room, "visitor").alarm).toBeUndefined();
  });
});
