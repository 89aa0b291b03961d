import { PartySocket } from "partysocket";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { URL_LENGTH, VISIT_TIMEOUT_MS } from "../../protocol/limits.ts";
import { type TrackingEvent, TrackingEventSchema } from "../../protocol/visitor.ts";
import { createMemoryStorage, type TrackerStorage } from "../storage/index.ts";
import { type FakeSocket, fakePage, fakeSocketFactory } from "../testing/index.ts";
import { createTracker, openVisitorSocket } from "./index.ts";

const minute = 60_000;

/**
 * One page load with a tracker on it, over `storage` (shared between loads of one browser).
 * `navigator` settings apply before the tracker starts.
 */
const load = async (
  url = "https://shop.test/",
  referrer = "",
  storage = createMemoryStorage(),
  navigator: Partial<ReturnType<typeof fakePage>["navigator"]> = {},
) => {
  const page = fakePage(url, referrer);
  Object.assign(page.navigator, navigator);
  const { factory, sockets } = fakeSocketFactory();
  const tracker = createTracker({
    site: "demo",
    host: "relay.test",
    storage,
    socketFactory: factory,
    now: () => Date.now(),
  });
  await tracker.ready;
  return {
    page,
    tracker,
    storage,
    sockets,
    socket: () => sockets.at(-1) as FakeSocket,
    /** The tab goes away, as when the visitor follows a link to another page of the site. */
    unload() {
      page.hide();
      page.pagehide();
      tracker.stop();
    },
  };
};

/** Lets navigation settle and batched events go out. */
const settle = () => vi.advanceTimersByTimeAsync(400);
/** The visit a tracking event belongs to (chat events belong to none). */
const visitIdOf = (event?: TrackingEvent) =>
  event && "visitId" in event ? event.visitId : undefined;
const kinds = (socket: FakeSocket) => socket.events().map((event) => event.kind);
const pending = async (storage: TrackerStorage) =>
  (await storage.entries<{ id: string }>("demo:o:")).map(([, event]) => event.id);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("createTracker: visits and page views", () => {
  it("opens the visitor's room and sends the visit and the landing page view", async () => {
    const { tracker, socket } = await load(
      "https://shop.test/products.html?utm_source=newsletter&utm_medium=email&utm_campaign=fall",
      "https://mail.google.com/",
    );
    const { options } = socket();
    expect(options).toMatchObject({ host: "relay.test", room: tracker.visitorId });
    expect(options.query.site).toBe("demo");
    expect(options.query.secret).toMatch(/^[\w-]{32}$/);

    socket().open();
    const [visit, pageview, ...rest] = socket().events();
    expect(rest).toEqual([]);
    // Raw facts only: the relay tells the source from the landing URL and the referrer.
    expect(visit).toMatchObject({
      kind: "visit",
      at: Date.now(),
      number: 1,
      landingUrl:
        "https://shop.test/products.html?utm_source=newsletter&utm_medium=email&utm_campaign=fall",
      referrer: "https://mail.google.com/",
      language: "en-GB",
      // Minutes east of UTC (0 - …: JSON has no -0).
      utcOffset: 0 - new Date().getTimezoneOffset(),
      screen: { width: 1440, height: 900 },
    });
    expect(pageview).toMatchObject({
      kind: "pageview",
      visitId: visitIdOf(visit),
      title: "Home",
      referrer: "https://mail.google.com/",
    });
    for (const event of socket().events()) expect(v.is(TrackingEventSchema, event)).toBe(true);
  });

  it("keeps the visitor and the visit across page loads, and starts a new visit after 30 idle minutes", async () => {
    const first = await load("https://shop.test/", "https://www.google.com/");
    first.socket().open();
    first.socket().ackAll();
    const [visit] = first.socket().events();
    first.unload();

    vi.advanceTimersByTime(10 * minute);
    const second = await load("https://shop.test/about.html", "https://shop.test/", first.storage);
    second.socket().open();
    expect(second.tracker.visitorId).toBe(first.tracker.visitorId);
    expect(second.socket().options.query.secret).toBe(first.socket().options.query.secret);
    expect(kinds(second.socket())).toEqual(["pageview"]);
    expect(visitIdOf(second.socket().events()[0])).toBe(visitIdOf(visit));
    second.socket().ackAll();
    second.unload();

    vi.advanceTimersByTime(VISIT_TIMEOUT_MS);
    const third = await load("https://shop.test/cart.html", "https://shop.test/", first.storage);
    third.socket().open();
    const [next, pageview] = third.socket().events();
    expect(next).toMatchObject({
      kind: "visit",
      number: 2,
      landingUrl: "https://shop.test/cart.html",
      referrer: "https://shop.test/",
    });
    expect(visitIdOf(next)).not.toBe(visitIdOf(visit));
    expect(visitIdOf(pageview)).toBe(visitIdOf(next));
  });

  it("starts a new visit when a page brings another source, and only then", async () => {
    const first = await load("https://shop.test/", "https://www.google.com/");
    first.socket().open();
    first.socket().ackAll();
    first.unload();

    vi.advanceTimersByTime(5 * minute);
    const again = await load("https://shop.test/shoes.html", "https://google.com/", first.storage);
    again.socket().open();
    expect(kinds(again.socket())).toEqual(["pageview"]);
    again.socket().ackAll();
    again.unload();

    vi.advanceTimersByTime(5 * minute);
    const campaign = "https://shop.test/sale.html?utm_source=newsletter&utm_medium=email";
    const third = await load(campaign, "https://mail.google.com/", first.storage);
    third.socket().open();
    const [next] = third.socket().events();
    expect(next).toMatchObject({
      kind: "visit",
      number: 2,
      landingUrl: campaign,
      referrer: "https://mail.google.com/",
    });
  });

  it("records client-side navigations with their own title, the previous URL as referrer", async () => {
    const { page, socket } = await load("https://shop.test/app.html");
    socket().open();
    const [, landing] = socket().events();
    vi.advanceTimersByTime(5000);
    history.pushState({}, "", "/app.html?tab=shipping");
    page.document.title = "Shipping · Parley Demo Shop";
    await settle();
    history.replaceState({ scrolled: true }, "");
    await settle();

    expect(socket().events().slice(2)).toMatchObject([
      { kind: "engagement", pageviewId: landing?.id, engagedMs: 5100, active: false },
      {
        kind: "pageview",
        url: "https://shop.test/app.html?tab=shipping",
        title: "Shipping · Parley Demo Shop",
        referrer: "https://shop.test/app.html",
        visitId: visitIdOf(landing),
      },
    ]);
    expect(kinds(socket())).toEqual(["visit", "pageview", "engagement", "pageview"]);
  });

  it("truncates URLs and titles to what the relay accepts", async () => {
    const long = `https://shop.test/?q=${"x".repeat(3000)}`;
    const { page, socket } = await load("https://shop.test/", `https://blog.test/${long}`);
    page.document.title = "t".repeat(1000);
    history.pushState({}, "", long);
    await settle();
    socket().open();
    const [visit] = socket().events();
    expect(visit?.kind === "visit" && visit.referrer).toHaveLength(URL_LENGTH);
    const last = socket().events().at(-1);
    expect(last).toMatchObject({ kind: "pageview" });
    for (const event of socket().events()) expect(v.is(TrackingEventSchema, event)).toBe(true);
  });
});

describe("createTracker: engaged time", () => {
  it("reports engaged time per page view every 15 s while the visitor is active", async () => {
    const { page, socket } = await load();
    socket().open();
    for (let i = 0; i < 7; i++) {
      await vi.advanceTimersByTimeAsync(5000);
      page.input();
    }
    await settle();
    const engagement = socket()
      .events()
      .filter((event) => event.kind === "engagement");
    expect(engagement).toMatchObject([
      { engagedMs: 15_000, active: true },
      { engagedMs: 30_000, active: true },
    ]);
  });

  it("stops counting when the window loses focus, unless focus went into an iframe", async () => {
    const { page, socket } = await load();
    socket().open();
    await vi.advanceTimersByTimeAsync(5000);
    page.window.dispatchEvent(new Event("blur"));
    await settle();
    expect(socket().events().at(-1)).toMatchObject({ engagedMs: 5000, active: false });
    await vi.advanceTimersByTimeAsync(5000);
    page.window.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(5000);
    page.document.activeElement = { tagName: "IFRAME" };
    page.window.dispatchEvent(new Event("blur"));
    await vi.advanceTimersByTimeAsync(5000);
    page.hide();
    expect(socket().events().at(-1)).toMatchObject({ engagedMs: 15_000, active: false });
    expect(
      socket()
        .events()
        .filter((event) => event.kind === "engagement"),
    ).toHaveLength(2);
  });

  it("says when engagement stops: the tab is hidden", async () => {
    const { page, socket } = await load();
    socket().open();
    await vi.advanceTimersByTimeAsync(7000);
    page.hide();
    expect(socket().events().at(-1)).toMatchObject({
      kind: "engagement",
      engagedMs: 7000,
      active: false,
    });
  });
});

describe("createTracker: visit timeout", () => {
  it("keeps the visit going while the visitor is engaged on one page for long", async () => {
    const { page, socket } = await load();
    socket().open();
    for (let i = 0; i < 80; i++) {
      await vi.advanceTimersByTimeAsync(30_000);
      page.input();
    }
    history.pushState({}, "", "/after-40-minutes");
    await settle();
    expect(kinds(socket()).filter((kind) => kind === "visit")).toHaveLength(1);
    expect(socket().events().at(-1)).toMatchObject({ kind: "pageview" });
  });

  it("shares the visit between tabs: one tab's activity keeps another's visit going", async () => {
    const busy = await load();
    const quiet = await load("https://shop.test/other-tab", "", busy.storage);
    for (let i = 0; i < 70; i++) {
      await vi.advanceTimersByTimeAsync(30_000);
      busy.page.input();
    }
    history.pushState({}, "", "/other-tab/next");
    await settle();
    quiet.socket().open();
    // The quiet tab also delivers what the busy one left pending: one shared outbox.
    const [visit, ...rest] = quiet.socket().events();
    expect(visit?.kind).toBe("visit");
    expect(rest.map((event) => event.kind)).not.toContain("visit");
    expect(rest.at(-1)).toMatchObject({ kind: "pageview", visitId: visitIdOf(visit) });
  });
});

describe("createTracker: durable outbox", () => {
  it("keeps only the latest engagement report of a page view while offline", async () => {
    const { page, socket, storage } = await load();
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(5000);
      page.input();
    }
    expect(await pending(storage)).toHaveLength(3);
    socket().open();
    expect(kinds(socket())).toEqual(["visit", "pageview", "engagement"]);
    expect(socket().events()[2]).toMatchObject({ engagedMs: 45_000, active: true });
  });

  it("sends again after a reconnect what the relay did not ack, and only that", async () => {
    const { socket, storage } = await load();
    socket().open();
    const [visit, pageview] = socket().events();
    socket().receive({ type: "ack", ids: [visit?.id as string] });
    expect(await pending(storage)).toEqual([pageview?.id]);
    socket().drop();
    socket().open();
    expect(socket().events()).toEqual([visit, pageview, pageview]);
  });

  it("sends on the next page load what an earlier one left undelivered", async () => {
    const first = await load();
    const undelivered = await pending(first.storage);
    expect(undelivered).toHaveLength(2);
    first.unload();

    const second = await load("https://shop.test/about.html", "https://shop.test/", first.storage);
    second.socket().open();
    const sent = second.socket().events();
    expect(sent.map((event) => event.kind)).toEqual(["visit", "pageview", "pageview"]);
    expect(
      sent
        .slice(0, 2)
        .map((event) => event.id)
        .sort(),
    ).toEqual(undelivered.sort());
    second.socket().ackAll();
    expect(await pending(first.storage)).toEqual([]);
  });

  it("drops events the relay rejects, warning once in the relay's words", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { socket, storage } = await load();
    socket().open();
    const [visit, pageview] = socket().events();
    const message = "A visitor keeps at most 50 custom data keys: remove some with null";
    const rejected = [{ id: pageview?.id as string, code: "invalid_event" as const, message }];
    socket().receive({ type: "ack", ids: [], rejected });
    socket().receive({ type: "ack", ids: [], rejected });
    expect(await pending(storage)).toEqual([visit?.id]);
    expect(warn.mock.calls).toEqual([[`parley: the relay rejected an event: ${message}`]]);
    socket().drop();
    socket().open();
    expect(socket().events().slice(2)).toEqual([visit]);
  });

  it("delivers on pagehide, and reconnects when restored from the back/forward cache", async () => {
    const { page, socket } = await load();
    socket().open();
    socket().ackAll();
    await vi.advanceTimersByTimeAsync(3000);
    page.pagehide(true);
    expect(socket().events().at(-1)).toMatchObject({
      kind: "engagement",
      engagedMs: 3000,
      active: false,
    });
    expect(socket().readyState).toBe(3);

    page.pageshow(true);
    await settle();
    expect(socket().readyState).toBe(0);
    socket().open();
    expect(socket().events().at(-1)).toMatchObject({ kind: "pageview", url: "https://shop.test/" });
  });
});

describe("createTracker: relay errors", () => {
  it("starts over as a new visitor when the relay refuses the secret", async () => {
    const { tracker, sockets, socket, storage } = await load();
    socket().open();
    const old = socket();
    const oldId = tracker.visitorId;
    old.receive({ type: "error", code: "bad_secret", message: "secret does not match" });
    await settle();

    expect(old.readyState).toBe(3);
    expect(sockets).toHaveLength(2);
    expect(tracker.visitorId).not.toBe(oldId);
    expect(socket().options.room).toBe(tracker.visitorId);
    expect(socket().options.query.secret).not.toBe(old.options.query.secret);
    socket().open();
    expect(kinds(socket())).toEqual(["visit", "pageview"]);
    expect(socket().events()[0]).toMatchObject({ number: 1 });
    expect(await storage.get("demo:profile")).toMatchObject({ visitorId: tracker.visitorId });
  });

  it.each(["origin_not_allowed", "unknown_site"] as const)(
    "stops reconnecting on %s, warning once",
    async (code) => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const { sockets, socket } = await load(`https://${code}.test/`);
      socket().open();
      socket().receive({ type: "error", code, message: "no" });
      socket().receive({ type: "error", code, message: "no" });
      expect(socket().readyState).toBe(3);
      expect(warn).toHaveBeenCalledTimes(1);

      history.pushState({}, "", "/next");
      await settle();
      expect(sockets).toHaveLength(1);
      expect(kinds(socket())).toEqual(["visit", "pageview"]);
    },
  );

  it("keeps going after other errors", async () => {
    const { socket } = await load();
    socket().open();
    socket().receive({ type: "error", code: "rate_limited", message: "slow down" });
    history.pushState({}, "", "/next");
    await settle();
    expect(socket().readyState).toBe(1);
    expect(kinds(socket())).toEqual(["visit", "pageview", "engagement", "pageview"]);
  });
});

describe("createTracker: privacy", () => {
  it.each([
    ["Do Not Track", { doNotTrack: "1" }],
    ["Global Privacy Control", { globalPrivacyControl: true }],
  ])(
    "records no visit, page view or engaged time under %s, but the visitor can chat",
    async (_name, setting) => {
      const { tracker, socket, page, storage } = await load(
        undefined,
        undefined,
        undefined,
        setting,
      );
      socket().open();
      history.pushState({}, "", "/next");
      page.pagehide();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(kinds(socket())).toEqual([]);
      // No identifier outlives the page.
      expect(await storage.get("demo:profile")).toBeUndefined();

      const message = { kind: "message", id: "message-01", at: Date.now(), text: "Hi" } as const;
      tracker.channel.record(message);
      socket().open();
      await settle();
      expect(kinds(socket())).toEqual(["message"]);
    },
  );

  it("opts out for good: stops, forgets pending events and the visitor", async () => {
    const { tracker, socket, storage } = await load();
    await vi.advanceTimersByTimeAsync(20_000);
    tracker.optOut();
    await settle();
    expect(socket().readyState).toBe(3);
    expect(await storage.entries("")).toEqual([["demo:optout", true]]);

    const again = await load("https://shop.test/", "", storage);
    expect(again.sockets).toHaveLength(0);
  });

  it("never throws into the page, even when storage fails", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const fail = () => Promise.reject(new Error("storage test: broken"));
    const storage = { get: fail, set: fail, del: fail, entries: fail };
    fakePage();
    const tracker = createTracker({ site: "demo", host: "relay.test", storage });
    await expect(tracker.ready).resolves.toBeUndefined();
    expect(() => tracker.optOut()).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("storage test: broken"));
  });
});

describe("createTracker: the chat widget's channel", () => {
  const welcome = {
    type: "welcome",
    visitorId: "v",
    name: "Visitor 1",
    settings: {
      color: "#1d4ed8",
      position: "right",
      launcherText: "",
      greeting: "",
      prechat: { name: "off", email: "off", phone: "off" },
      whenOffline: "form",
    },
  } as const;

  it("is the visitor's identity, as the socket carries it", async () => {
    const { tracker, socket } = await load();
    expect(tracker.channel.visitorId).toBe(socket().options.room);
    expect(tracker.channel.secret).toBe(socket().options.query.secret);
  });

  it("records chat events through the durable outbox, kept until acked", async () => {
    const { tracker, socket, storage } = await load();
    const message = { kind: "message", id: "message-01", at: Date.now(), text: "Hi" } as const;
    tracker.channel.record(message);
    await settle();
    expect(tracker.channel.pending()).toContainEqual(message);
    expect(await pending(storage)).toContain("message-01");

    socket().open();
    expect(socket().events()).toContainEqual(message);
    socket().ackAll();
    await settle();
    expect(tracker.channel.pending()).toEqual([]);
    expect(await pending(storage)).toEqual([]);
  });

  it("sends best-effort frames only while connected", async () => {
    const { tracker, socket } = await load();
    expect(tracker.channel.send({ type: "chat:typing", text: "Hel" })).toBe(false);
    socket().open();
    expect(tracker.channel.send({ type: "chat:typing", text: "Hello" })).toBe(true);
    expect(socket().sent.at(-1)).toEqual({ type: "chat:typing", text: "Hello" });
  });

  it("hands the first listener what came before it (but acks), then every frame", async () => {
    const { tracker, socket } = await load();
    socket().open();
    socket().receive(welcome);
    socket().ackAll();
    socket().receive({ type: "availability", online: true });

    const first: string[] = [];
    const second: string[] = [];
    const stop = tracker.channel.on((frame) => first.push(frame.type));
    tracker.channel.on((frame) => second.push(frame.type));
    expect(first).toEqual(["welcome", "availability"]);
    expect(second).toEqual([]);

    socket().receive({ type: "chat:read", seq: 3 });
    stop();
    socket().receive({ type: "chat:read", seq: 4 });
    expect(first).toEqual(["welcome", "availability", "chat:read"]);
    expect(second).toEqual(["chat:read", "chat:read"]);
  });

  it("keeps tracking when a listener throws", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { tracker, socket } = await load();
    tracker.channel.on(() => {
      throw new Error("widget test: broken listener");
    });
    socket().open();
    socket().ackAll();
    await settle();
    expect(tracker.channel.pending()).toEqual([]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("broken listener"));
  });
});

describe("openVisitorSocket", () => {
  /** The URLs partysocket opened WebSockets on. */
  const opened = () => {
    const urls: string[] = [];
    vi.stubGlobal(
      "WebSocket",
      class extends EventTarget {
        readyState = 0;
        constructor(url: string) {
          super();
          urls.push(url);
        }
        close() {}
      },
    );
    return urls;
  };
  const query = { site: "demo", secret: "s3cret-s3cret-s3cret" };

  it("connects to the visitor's PartyKit room with site and secret, as PartySocket would", async () => {
    vi.useRealTimers();
    const urls = opened();
    const socket = openVisitorSocket({ host: "localhost:8787", room: "visitor-0001", query });
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    socket.close();

    const url = new URL(urls[0] as string);
    const party = new PartySocket({
      host: "localhost:8787",
      party: "visitor",
      room: "visitor-0001",
      startClosed: true,
    });
    expect(`${url.origin}${url.pathname}`).toBe(party.roomUrl);
    expect(url.protocol).toBe("ws:");
    expect(url.searchParams.get("site")).toBe("demo");
    expect(url.searchParams.get("secret")).toBe(query.secret);
    expect(url.searchParams.get("_pk")).toMatch(/^[\w-]{21}$/);
  });

  it("uses wss for a public host unless told otherwise", async () => {
    vi.useRealTimers();
    const urls = opened();
    const sockets = [
      openVisitorSocket({ host: "chat.example.com", room: "visitor-0001", query }),
      openVisitorSocket({ host: "chat.example.com", protocol: "ws", room: "visitor-0001", query }),
    ];
    await vi.waitFor(() => expect(urls).toHaveLength(2));
    for (const socket of sockets) socket.close();
    expect(urls.map((url) => new URL(url).protocol).sort()).toEqual(["ws:", "wss:"]);
  });
});
