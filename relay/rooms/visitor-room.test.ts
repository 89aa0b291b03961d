import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLOCK_AHEAD_MS,
  DURATION_MAX_MS,
  EVENTS_PER_FRAME,
  FRAME_BURST,
  FRAME_BYTES,
  type RosterEntry,
  SCREEN_SIZE_MAX,
  STRIKES_BEFORE_CLOSE,
  TIMESTAMP_MAX,
  TRAIL_VISITS,
  type Trail,
  URL_LENGTH,
  VISIT_NUMBER_MAX,
} from "../../protocol/index.ts";
import {
  connectAgent,
  connectVisitor,
  events,
  type Frame,
  login,
  newId,
  newVisitor,
  nextRosterEntry,
  restartCountingKeys,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

let relay: TestRelay;
let agent: TestSocket;

beforeAll(async () => {
  relay = await startTestRelay({ geo: { city: "Lisbon", country: "PT" } });
  agent = await connectAgent(relay, (await login(relay)).token);
  await agent.next("roster");
});

afterAll(async () => {
  await agent?.close();
  await relay?.close();
});

function rosterUpdate(
  visitorId: string,
  match?: (entry: RosterEntry) => boolean,
): Promise<RosterEntry> {
  return nextRosterEntry(agent, visitorId, match);
}

async function trailOf(visitorId: string): Promise<Trail> {
  agent.send({ type: "trail:get", visitorId });
  return (await agent.next("trail")).trail as Trail;
}

async function expectRefused(socket: TestSocket, code: string) {
  expect(await socket.next("error")).toEqual({ type: "error", code, message: expect.any(String) });
  expect((await socket.closed).code).toBe(1008);
}

describe("visitor room", () => {
  it("welcomes a visitor by city and number, stores its events, and shows them to agents", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    const welcome = await tab.next("welcome");
    expect(welcome).toMatchObject({
      visitorId: visitor.id,
      name: expect.stringMatching(/^Lisbon \d+$/),
    });

    const visitId = newId("visit");
    const visit = events.visit(visitId);
    const home = events.pageview(visitId, { url: "https://shop.example/", title: "Home" });
    const shoes = events.pageview(visitId, {
      at: home.at + 5000,
      url: "https://shop.example/shoes",
      title: "Shoes",
    });
    tab.send({ type: "track", events: [visit, home, shoes] });
    expect(await tab.next("ack")).toEqual({ type: "ack", ids: [visit.id, home.id, shoes.id] });

    const entry = await rosterUpdate(visitor.id, (e) => e.visit?.pageviews === 2);
    expect(entry).toMatchObject({
      name: welcome.name,
      status: "online",
      page: { url: "https://shop.example/shoes", title: "Shoes" },
      source: { channel: "search", engine: "Google", referrer: "google.com" },
      firstSource: { channel: "search", engine: "Google" },
      visits: 1,
      visit: { id: visitId, number: 1, pageviews: 2, engagedMs: 0 },
      geo: { city: "Lisbon", country: "PT" },
      device: { browser: "Unknown", type: "desktop" },
    });

    tab.send({ type: "track", events: [events.engagement(shoes, 4000, true)] });
    await tab.next("ack");
    const engaged = await rosterUpdate(visitor.id, (e) => e.visit?.engagedMs === 4000);
    expect(engaged.visit).toMatchObject({ engaged: true });

    expect(await trailOf(visitor.id)).toEqual({
      visitorId: visitor.id,
      visits: [
        {
          id: visitId,
          number: 1,
          startedAt: visit.at,
          source: { channel: "search", engine: "Google", referrer: "google.com" },
          landingUrl: visit.landingUrl,
          pageviews: [
            { id: home.id, at: home.at, url: home.url, title: "Home", engagedMs: 0 },
            { id: shoes.id, at: shoes.at, url: shoes.url, title: "Shoes", engagedMs: 4000 },
          ],
        },
      ],
    });
    await tab.close();
  });

  it("stores re-sent events once, also after a restart, and keeps the best engagement", async () => {
    const visitor = newVisitor();
    let tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const visit = events.visit(visitId);
    const view = events.pageview(visitId);
    const later = events.engagement(view, 9000, false);
    const earlier = events.engagement(view, 3000, true);
    tab.send({ type: "track", events: [visit, view, later] });
    await tab.next("ack");
    // An outbox re-sends everything it was not sure of, in any order.
    tab.send({ type: "track", events: [visit, view, earlier, later] });
    expect(await tab.next("ack")).toMatchObject({ ids: [visit.id, view.id, earlier.id, later.id] });
    // Let the roster update land before the restart stops the rooms.
    await rosterUpdate(visitor.id, (e) => e.visit?.engagedMs === 9000);
    const before = await trailOf(visitor.id);
    expect(before.visits).toHaveLength(1);
    expect(before.visits[0]?.pageviews).toEqual([
      expect.objectContaining({ id: view.id, engagedMs: 9000 }),
    ]);

    await tab.close();
    await agent.close();
    await relay.restart();
    agent = await connectAgent(relay, (await login(relay)).token);
    await agent.next("roster");

    tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    tab.send({ type: "track", events: [visit, view, earlier] });
    expect(await tab.next("ack")).toMatchObject({ ids: [visit.id, view.id, earlier.id] });
    expect(await trailOf(visitor.id)).toEqual(before);
    await tab.close();
  });

  it("numbers visitors once each, when many connect at once and after a restart", async () => {
    const numberOf = (name: unknown) => Number(String(name).split(" ").at(-1));
    const first = newVisitor();
    const visitors = [first, ...Array.from({ length: 19 }, () => newVisitor())];
    // All at once, the first with a second tab too: one number each, the second tab's the same.
    const tabs = await Promise.all(
      [...visitors, first].map((visitor) => connectVisitor(relay, visitor)),
    );
    const welcomes = await Promise.all(tabs.map((tab) => tab.next("welcome")));
    const numbers = welcomes.map((welcome) => numberOf(welcome.name));
    expect(numbers.at(-1)).toBe(numbers[0]);
    expect(new Set(numbers).size).toBe(visitors.length);
    await Promise.all(tabs.map((tab) => tab.close()));

    await agent.close();
    await relay.restart();
    agent = await connectAgent(relay, (await login(relay)).token);
    await agent.next("roster");

    const again = await connectVisitor(relay, first);
    expect(numberOf((await again.next("welcome")).name)).toBe(numbers[0]);
    const newcomer = await connectVisitor(relay, newVisitor());
    expect(numberOf((await newcomer.next("welcome")).name)).toBe(Math.max(...numbers) + 1);
    await Promise.all([again.close(), newcomer.close()]);
  });

  it("acknowledges valid events and lists the invalid ones as rejected", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const good = events.pageview(visitId);
    const badUrl = events.pageview(visitId, { url: "x".repeat(URL_LENGTH + 1) });
    const orphan = events.engagement(events.pageview(visitId), 1000, true);
    tab.send({
      type: "track",
      events: [good, badUrl, { kind: "click", id: "click-0001" }, orphan],
    });
    const ack = await tab.next("ack");
    expect(ack.ids).toEqual([good.id]);
    expect(ack.rejected).toEqual([
      { id: badUrl.id, code: "invalid_event", message: expect.stringContaining("url") },
      { id: "click-0001", code: "invalid_event", message: expect.any(String) },
      { id: orphan.id, code: "invalid_event", message: expect.stringContaining("page view") },
    ]);
    const trail = await trailOf(visitor.id);
    expect(trail.visits.flatMap((v) => v.pageviews.map((p) => p.id))).toEqual([good.id]);
    await tab.close();
  });

  it("counts a new visit id as a new visit", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const first = newId("visit");
    const second = newId("visit");
    tab.send({ type: "track", events: [events.visit(first), events.pageview(first)] });
    await tab.next("ack");
    // The second visit comes from a newsletter link: the relay reads its channel off the URL.
    const sale = "https://shop.example/sale?utm_source=newsletter&utm_medium=email";
    tab.send({
      type: "track",
      events: [
        events.visit(second, {
          number: 2,
          at: Date.now() + 1000,
          landingUrl: sale,
          referrer: undefined,
        }),
        events.pageview(second, { at: Date.now() + 1000, url: sale }),
      ],
    });
    await tab.next("ack");
    const entry = await rosterUpdate(visitor.id, (e) => e.visits === 2);
    expect(entry).toMatchObject({
      visit: { id: second, number: 2, pageviews: 1 },
      source: { channel: "email", utm: { source: "newsletter", medium: "email" } },
      firstSource: { channel: "search", engine: "Google" },
    });
    expect((await trailOf(visitor.id)).visits.map((v) => v.id)).toEqual([first, second]);
    await tab.close();
  });
});

describe("visitor room bounds", () => {
  it("keeps the latest visits past the cap, in memory and in storage", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    // Visits without page views: the page-view cap would never drop them.
    const start = Date.now();
    const visits = Array.from({ length: TRAIL_VISITS + 5 }, (_, i) =>
      events.visit(newId("visit"), { at: start + i, number: i + 1 }),
    );
    for (let i = 0; i < visits.length; i += EVENTS_PER_FRAME) {
      tab.send({ type: "track", events: visits.slice(i, i + EVENTS_PER_FRAME) });
      expect((await tab.next("ack")).rejected).toBeUndefined();
    }
    const kept = visits.slice(5).map((visit) => visit.visitId);
    expect((await trailOf(visitor.id)).visits.map((v) => v.id)).toEqual(kept);
    await tab.close();

    await agent.close();
    expect(await restartCountingKeys(relay, `visitor/${visitor.id}`, "visit:")).toBe(TRAIL_VISITS);
    agent = await connectAgent(relay, (await login(relay)).token);
    await agent.next("roster");
  });

  it("refuses times and sizes no real clock or screen gives, and a later page stays current", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const home = events.pageview(visitId, { title: "Home" });
    const ahead = events.pageview(visitId, {
      at: Date.now() + CLOCK_AHEAD_MS + 60_000,
      title: "Ahead",
    });
    const endOfTime = events.pageview(visitId, { at: 1e300, title: "End of time" });
    const engaged = events.engagement(home, 9e15, true, { at: home.at + 5000 });
    const numbered = events.visit(newId("visit"), { number: 1e300 });
    const wide = events.visit(newId("visit"), { screen: { width: 1e308, height: 800 } });
    tab.send({
      type: "track",
      events: [events.visit(visitId), home, ahead, endOfTime, engaged, numbered, wide],
    });
    const refusal = (id: string, message: string) => ({
      id,
      code: "invalid_event",
      message: expect.stringContaining(message),
    });
    expect((await tab.next("ack")).rejected).toEqual([
      refusal(ahead.id, "more than 24 hours ahead of the relay's clock"),
      refusal(endOfTime.id, `a timestamp is at most ${TIMESTAMP_MAX}`),
      refusal(engaged.id, `a duration is at most ${DURATION_MAX_MS} ms`),
      refusal(numbered.id, `a visit number is at most ${VISIT_NUMBER_MAX}`),
      refusal(wide.id, `a screen size is at most ${SCREEN_SIZE_MAX} pixels`),
    ]);
    const next = events.pageview(visitId, { at: home.at + 1000, title: "Next" });
    tab.send({ type: "track", events: [next] });
    await tab.next("ack");
    expect(await rosterUpdate(visitor.id, (e) => e.page?.title === "Next")).toMatchObject({
      visit: { pageviews: 2, engagedMs: 0 },
    });
    await tab.close();
  });
});

describe("visitor room refusals", () => {
  it("refuses another secret for a known visitor", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const impostor = await connectVisitor(relay, {
      id: visitor.id,
      secret: "another-secret-0123456789",
    });
    await expectRefused(impostor, "bad_secret");
    // The rightful tab keeps working.
    const view = events.pageview(newId("visit"));
    tab.send({ type: "track", events: [view] });
    expect(await tab.next("ack")).toMatchObject({ ids: [view.id] });
    await tab.close();
  });

  it("refuses a known visitor on another site", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    await expectRefused(await connectVisitor(relay, visitor, { site: "other-site" }), "forbidden");
    await tab.close();
  });

  it("refuses an origin the site does not allow, and binds nothing", async () => {
    const visitor = newVisitor();
    await expectRefused(
      await connectVisitor(relay, visitor, { origin: "https://evil.example" }),
      "origin_not_allowed",
    );
    agent.send({ type: "trail:get", visitorId: visitor.id });
    expect(await agent.next("error")).toMatchObject({ code: "not_found" });
  });

  it("refuses an unknown site and a missing secret", async () => {
    await expectRefused(
      await connectVisitor(relay, newVisitor(), { site: "no-such-site" }),
      "unknown_site",
    );
    await expectRefused(
      await connectVisitor(relay, { id: newId("visitor"), secret: "short" }),
      "bad_secret",
    );
  });

  it("answers bad frames with errors and keeps the connection", async () => {
    const tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    const cases: [unknown, string][] = [
      ["{not json", "bad_json"],
      [{ type: "chat", text: "hi" }, "unknown_type"],
      [{ type: "track", events: [] }, "bad_frame"],
      [{ type: "track", events: Array(EVENTS_PER_FRAME + 1).fill({}) }, "bad_frame"],
      [JSON.stringify({ type: "track", events: ["x".repeat(FRAME_BYTES)] }), "too_large"],
    ];
    for (const [frame, code] of cases) {
      tab.send(frame);
      const error = (await tab.next("error")) as Frame & { message: string };
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    const view = events.pageview(newId("visit"));
    tab.send({ type: "track", events: [view] });
    expect(await tab.next("ack")).toMatchObject({ ids: [view.id] });
    await tab.close();
  });

  it("closes a flooding connection with 1008 and keeps serving others", async () => {
    const flooder = await connectVisitor(relay, newVisitor());
    const bystander = await connectVisitor(relay, newVisitor());
    await flooder.next("welcome");
    await bystander.next("welcome");
    const view = events.pageview(newId("visit"));
    // Once a frame is acknowledged, the room has accepted the connection and checks each frame.
    flooder.send({ type: "track", events: [view] });
    await flooder.next("ack");
    for (let i = 0; i < FRAME_BURST + STRIKES_BEFORE_CLOSE + 5; i++) {
      flooder.send({ type: "track", events: [view] });
    }
    expect((await flooder.closed).code).toBe(1008);
    expect(flooder.frames.filter((f) => f.type === "error")).toHaveLength(STRIKES_BEFORE_CLOSE);
    expect(flooder.frames.find((f) => f.type === "error")).toMatchObject({ code: "rate_limited" });

    const other = events.pageview(newId("visit"));
    bystander.send({ type: "track", events: [other] });
    expect(await bystander.next("ack")).toMatchObject({ ids: [other.id] });
    await bystander.close();
  });

  it("holds a burst sent before the connection is accepted, and answers it as any burst", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    const visitId = newId("visit");
    const views = Array.from({ length: FRAME_BURST + 2 }, () => events.pageview(visitId));
    for (const view of views) tab.send({ type: "track", events: [view] });
    await tab.next("welcome");
    const refused = [await tab.next("error"), await tab.next("error")];
    expect(refused.map((frame) => frame.code)).toEqual(["rate_limited", "rate_limited"]);
    const acked = new Set<unknown>();
    while (acked.size < FRAME_BURST)
      for (const id of (await tab.next("ack")).ids as unknown[]) acked.add(id);
    expect(tab.ws.readyState).toBe(tab.ws.OPEN);
    await tab.close();
  });

  it("closes a connection that keeps sending garbage", async () => {
    const tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    for (let i = 0; i < STRIKES_BEFORE_CLOSE; i++) tab.send("garbage");
    expect((await tab.closed).code).toBe(1008);
  });
});

describe("visitor room when a commit fails", () => {
  it("shows agents the change while it commits, then what is stored, and acknowledges only the re-sent events", async () => {
    const locked = await startTestRelay({ busyTimeoutMs: 300 });
    const watcher = await connectAgent(locked, (await login(locked)).token);
    await watcher.next("roster");
    const visitor = newVisitor();
    const tab = await connectVisitor(locked, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const home = events.pageview(visitId, { title: "Home" });
    tab.send({ type: "track", events: [events.visit(visitId), home] });
    await tab.next("ack");
    await nextRosterEntry(watcher, visitor.id, (e) => e.page?.title === "Home");

    // Another process holds the file's write lock longer than the relay waits for it.
    const other = new Database(locked.dbPath);
    other.exec("BEGIN IMMEDIATE");
    const cart = events.pageview(visitId, { title: "Cart", at: home.at + 1000 });
    tab.send({ type: "track", events: [cart] });
    await nextRosterEntry(watcher, visitor.id, (e) => e.page?.title === "Cart");
    await nextRosterEntry(watcher, visitor.id, (e) => e.page?.title === "Home");
    expect(tab.frames.filter((f) => f.type === "ack")).toHaveLength(1);
    other.exec("ROLLBACK");
    other.close();

    // The tracker re-sends what was not acknowledged; the relay stores it once.
    tab.send({ type: "track", events: [cart] });
    expect(await tab.next("ack")).toMatchObject({ ids: [cart.id] });
    expect(
      await nextRosterEntry(watcher, visitor.id, (e) => e.page?.title === "Cart"),
    ).toMatchObject({ visit: { pageviews: 2 } });
    await Promise.all([tab.close(), watcher.close()]);
    await locked.close();
  });
});
