import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FRAME_BYTES, URL_LENGTH } from "../../protocol/limits.ts";
import type { PageViewEvent, TrackFrame, TrackingEvent } from "../../protocol/visitor.ts";
import { createMemoryStorage, type TrackerStorage } from "../storage/index.ts";
import { createOutbox } from "./index.ts";

const prefix = "demo:o:";
const visitId = "visit-0001";

const pageview = (id: string, at = 1): PageViewEvent => ({
  kind: "pageview",
  id,
  at,
  visitId,
  url: "https://shop.test/",
  title: "Home",
});
const engagement = (id: string, pageviewId: string, engagedMs: number): TrackingEvent => ({
  kind: "engagement",
  id,
  at: 2,
  visitId,
  pageviewId,
  engagedMs,
  active: true,
});

/** An outbox over `storage` whose frames land in `frames` while `online`. */
const setup = (storage: TrackerStorage = createMemoryStorage()) => {
  const frames: TrackFrame[] = [];
  const link = { online: true };
  const outbox = createOutbox({
    storage,
    prefix,
    send: (frame) => {
      if (link.online) frames.push(JSON.parse(frame));
      return link.online;
    },
  });
  const sentIds = () => frames.flatMap((frame) => frame.events.map((e) => (e as TrackingEvent).id));
  return { storage, frames, link, outbox, sentIds };
};

const storedIds = async (storage: TrackerStorage) =>
  (await storage.entries<TrackingEvent>(prefix)).map(([, event]) => event.id).sort();

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("createOutbox", () => {
  it("collects events for a moment and sends them in one frame", () => {
    const { outbox, frames } = setup();
    outbox.add(pageview("pv-000001"));
    outbox.add(pageview("pv-000002"));
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(200);
    expect(frames).toEqual([
      { type: "track", events: [pageview("pv-000001"), pageview("pv-000002")] },
    ]);
  });

  it("keeps events in storage until the relay acks them", async () => {
    const { outbox, storage } = setup();
    outbox.add(pageview("pv-000001"));
    outbox.add(pageview("pv-000002"));
    vi.advanceTimersByTime(200);
    expect(await storedIds(storage)).toEqual(["pv-000001", "pv-000002"]);
    outbox.settle(["pv-000001"]);
    expect(await storedIds(storage)).toEqual(["pv-000002"]);
  });

  it("sends an event once per connection, and again after a reconnect if not acked", () => {
    const { outbox, sentIds } = setup();
    outbox.add(pageview("pv-000001"));
    outbox.add(pageview("pv-000002"));
    outbox.flush();
    outbox.flush();
    expect(sentIds()).toEqual(["pv-000001", "pv-000002"]);
    outbox.settle(["pv-000001"]);
    outbox.resend();
    expect(sentIds()).toEqual(["pv-000001", "pv-000002", "pv-000002"]);
  });

  it("sends what could not go out while offline once the connection is back", () => {
    const { outbox, link, sentIds } = setup();
    link.online = false;
    outbox.add(pageview("pv-000001"));
    vi.advanceTimersByTime(200);
    link.online = true;
    outbox.resend();
    expect(sentIds()).toEqual(["pv-000001"]);
  });

  it("hands what an earlier page load left pending to the next one, oldest first", async () => {
    const storage = createMemoryStorage();
    const before = setup(storage);
    before.link.online = false;
    before.outbox.add(pageview("zz-pv-late", 5));
    before.outbox.add({ ...pageview("pv-000001", 3) });
    before.outbox.add({
      kind: "visit",
      id: "zz-visit-1",
      at: 3,
      visitId,
      number: 1,
      landingUrl: "https://shop.test/",
    });
    before.outbox.add(pageview("pv-000002", 4));
    before.outbox.settle(["pv-000002"]);

    const after = setup(storage);
    await after.outbox.load();
    after.outbox.flush();
    expect(after.sentIds()).toEqual(["zz-visit-1", "pv-000001", "zz-pv-late"]);
  });

  it("keeps only the latest engagement report of a page view", async () => {
    const { outbox, storage, frames } = setup();
    outbox.add(engagement("en-000001", "pv-000001", 15_000));
    outbox.add(engagement("en-000002", "pv-000001", 30_000));
    outbox.add(engagement("en-000003", "pv-000002", 5_000));
    vi.advanceTimersByTime(200);
    expect(frames[0]?.events).toEqual([
      engagement("en-000002", "pv-000001", 30_000),
      engagement("en-000003", "pv-000002", 5_000),
    ]);
    expect(await storedIds(storage)).toEqual(["en-000002", "en-000003"]);
  });

  it("does not let the ack of a replaced report drop the report that replaced it", async () => {
    const { outbox, storage, sentIds } = setup();
    outbox.add(engagement("en-000001", "pv-000001", 15_000));
    outbox.flush();
    outbox.add(engagement("en-000002", "pv-000001", 30_000));
    outbox.settle(["en-000001"]);
    expect(await storedIds(storage)).toEqual(["en-000002"]);
    outbox.flush();
    expect(sentIds()).toEqual(["en-000001", "en-000002"]);
  });

  it("forgets rejected events like acked ones", async () => {
    const { outbox, storage, sentIds } = setup();
    outbox.add(pageview("pv-000001"));
    outbox.flush();
    outbox.settle(["pv-000001"]);
    outbox.resend();
    expect(sentIds()).toEqual(["pv-000001"]);
    expect(await storedIds(storage)).toEqual([]);
  });

  it("splits frames at the relay's events-per-frame and frame-size limits", () => {
    const { outbox, frames } = setup();
    for (let i = 0; i < 120; i++) outbox.add(pageview(`pv-${String(i).padStart(6, "0")}`));
    outbox.flush();
    expect(frames.map((frame) => frame.events.length)).toEqual([50, 50, 20]);

    frames.length = 0;
    const long = "é".repeat(URL_LENGTH);
    for (let i = 0; i < 20; i++)
      outbox.add({ ...pageview(`big-${String(i).padStart(6, "0")}`), url: long, referrer: long });
    outbox.flush();
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames)
      expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(FRAME_BYTES);
    expect(frames.flatMap((frame) => frame.events)).toHaveLength(20);
  });

  it("clears every pending event", async () => {
    const { outbox, storage, sentIds } = setup();
    outbox.add(pageview("pv-000001"));
    outbox.clear();
    vi.advanceTimersByTime(200);
    outbox.resend();
    expect(sentIds()).toEqual([]);
    expect(await storedIds(storage)).toEqual([]);
  });
});
