import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { connectVisitor, events, newId, newVisitor, startTestRelay } from "../../rooms/testing.ts";

describe("a room that fails to start", () => {
  it("starts afresh on its next use, once what stopped it is mended", async () => {
    const relay = await startTestRelay();
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    tab.send({ type: "track", events: [events.visit(visitId), events.pageview(visitId)] });
    await tab.next("ack");
    await tab.close();

    // A page view the visitor's room reads when it starts, unreadable after a restart.
    const room = `visitor/${visitor.id}`;
    const pageView = "SELECT key, value FROM kv WHERE room = ? AND key LIKE 'pv:%'";
    const setValue = "UPDATE kv SET value = ? WHERE room = ? AND key = ?";
    let stored = { key: "", value: "" };
    await relay.restart((db) => {
      stored = db.prepare(pageView).get(room) as typeof stored;
      db.prepare(setValue).run("{", room, stored.key);
    });
    const refused = await connectVisitor(relay, visitor);
    expect((await refused.closed).code).toBe(1011);

    const db = new Database(relay.dbPath);
    db.prepare(setValue).run(stored.value, room, stored.key);
    db.close();
    const again = await connectVisitor(relay, visitor);
    expect(await again.next("welcome")).toMatchObject({ type: "welcome" });
    await again.close();
    await relay.close();
  });
});
