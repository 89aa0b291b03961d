import { describe, expect, it, vi } from "vitest";
import { type ChatFile, GONE_AFTER_MS, type SiteSettingsResponse } from "../../protocol/index.ts";
import { DAY_MS } from "./site-retention.ts";
import { ROSTER_KEEP_GONE_MS } from "./site-roster.ts";
import {
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  DEMO,
  events,
  login,
  newId,
  newVisitor,
  relayOnFakeClock,
  rosterEntriesSent,
  type TestRelay,
  type TestSocket,
  uploadAs,
} from "./testing.ts";

// Retention counts days; the clock is faked (it still runs, and the test jumps it ahead),
// everything else is real: the relay, SQLite, the sockets.
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock("roster", (started, signedIn) => {
  relay = started;
  agent = signedIn;
});

/** A visitor who looked at a page and sent a picture, then closed the tab. */
async function visitorWhoLeft() {
  const visitor = newVisitor();
  const tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
  const response = await uploadAs(relay, visitor);
  const file = (await response.json()) as ChatFile;
  const message = chatEvents.message("", { fileId: file.id });
  tab.send({ type: "track", events: [events.pageview(newId("visit")), message] });
  await tab.next("ack");
  await tab.close();
  return { visitor, file };
}

/** Jumps the clock ahead a step at a time, until the visitors have left the roster. */
async function untilOffTheRoster(ids: string[]): Promise<void> {
  const gone = (id: string) => rosterEntriesSent(agent, id).at(-1)?.status === "gone";
  for (let step = 0; step < 20 && !ids.every(gone); step++) {
    await vi.advanceTimersByTimeAsync(GONE_AFTER_MS / 6);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await vi.advanceTimersByTimeAsync(ROSTER_KEEP_GONE_MS + 1_000);
  const removed = () =>
    new Set(agent.frames.flatMap((frame) => (frame.removed as string[] | undefined) ?? []));
  while (!ids.every((id) => removed().has(id))) await agent.next("roster");
}

/**
 * The file's status once its deletion has had its turn: the relay deletes a visitor's files
 * last, after their trail and chat, so a file may outlive the trail by a moment.
 */
async function fileStatus(url: string): Promise<number> {
  let status = (await fetch(url)).status;
  for (let step = 0; step < 50 && status !== 404; step++) {
    await vi.advanceTimersByTimeAsync(100);
    status = (await fetch(url)).status;
  }
  return status;
}

/** Whether the agent can still read the visitor's trail (else: no such visitor). */
async function trailFound(visitorId: string): Promise<boolean> {
  agent.send({ type: "trail:get", visitorId });
  for (;;) {
    const frame = await agent.next();
    if (frame.type === "trail" && (frame.trail as { visitorId: string }).visitorId === visitorId)
      return true;
    if (frame.type === "error" && String(frame.message).includes(visitorId)) return false;
  }
}

describe("retention", () => {
  it("keeps visitors' data for good until an admin sets days, then deletes it that many days after their last visit", async () => {
    const { token } = await login(relay);
    const site = await api(relay, "GET", "/api/site", { token });
    expect((site.body as SiteSettingsResponse).retentionDays).toBe(0);

    const early = await visitorWhoLeft();
    const late = await visitorWhoLeft();
    const back = await visitorWhoLeft();
    await untilOffTheRoster([early.visitor.id, late.visitor.id, back.visitor.id]);
    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    expect(await trailFound(early.visitor.id)).toBe(true);

    // One visitor comes back, and is still on the site when the others' time is up.
    const returning = await connectVisitor(relay, back.visitor);
    await returning.next("welcome");
    const later = await visitorWhoLeft();
    await untilOffTheRoster([later.visitor.id]);

    const set = await api(relay, "PUT", "/api/site", { token, body: { retentionDays: 2 } });
    expect((set.body as SiteSettingsResponse).retentionDays).toBe(2);
    // Overdue at once: the three who left over three days ago, but the one who came back.
    await vi.advanceTimersByTimeAsync(1_000);
    for (;;) {
      if (!(await trailFound(early.visitor.id)) && !(await trailFound(late.visitor.id))) break;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(await fileStatus(early.file.url)).toBe(404);
    expect(await trailFound(back.visitor.id)).toBe(true);
    expect((await fetch(back.file.url)).status).toBe(200);
    expect(await trailFound(later.visitor.id)).toBe(true);

    // The one who left since goes two days after leaving, not before.
    await vi.advanceTimersByTimeAsync(2 * DAY_MS - 2 * ROSTER_KEEP_GONE_MS);
    expect(await trailFound(later.visitor.id)).toBe(true);
    await vi.advanceTimersByTimeAsync(2 * ROSTER_KEEP_GONE_MS);
    for (let step = 0; step < 60 && (await trailFound(later.visitor.id)); step++) {
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(await trailFound(later.visitor.id)).toBe(false);
    expect(await fileStatus(later.file.url)).toBe(404);
    expect(await trailFound(back.visitor.id)).toBe(true);
    await returning.close();
  });

  it("counts visitors who left before the site kept its index from the first start after", async () => {
    const old = await visitorWhoLeft();
    await untilOffTheRoster([old.visitor.id]);
    // A database from before retention: no index, no backfill mark.
    await relay.restart((db) => {
      db.prepare("DELETE FROM kv WHERE room = ? AND key LIKE 'seen%'").run(`site/${DEMO.siteId}`);
    });
    const { token } = await login(relay);
    agent = await connectAgent(relay, token);
    await agent.next("roster");
    await api(relay, "PUT", "/api/site", { token, body: { retentionDays: 1 } });
    expect(await trailFound(old.visitor.id)).toBe(true);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    // Each step lets the relay's grouped commits, timed on the faked clock, go on.
    for (let step = 0; step < 60 && (await trailFound(old.visitor.id)); step++) {
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(await trailFound(old.visitor.id)).toBe(false);
    await api(relay, "PUT", "/api/site", { token, body: { retentionDays: 0 } });
    await agent.close();
  });

  it("takes whole days from 0 (keep for good) to 3,650, from admins only", async () => {
    const { token } = await login(relay);
    for (const retentionDays of [-1, 1.5, 3651, "30"]) {
      const refused = await api(relay, "PUT", "/api/site", { token, body: { retentionDays } });
      expect(refused).toMatchObject({ status: 400, body: { error: "bad_body" } });
    }
    const kept = await api(relay, "PUT", "/api/site", { token, body: { retentionDays: 0 } });
    expect((kept.body as SiteSettingsResponse).retentionDays).toBe(0);
  });
});
