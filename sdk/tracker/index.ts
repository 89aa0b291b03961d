import ReconnectingWebSocket from "partysocket/ws";
import { TITLE_LENGTH, URL_LENGTH } from "../../protocol/limits.ts";
import type {
  TrackingEvent,
  VisitorClientFrame,
  VisitorServerFrame,
} from "../../protocol/visitor.ts";
import { createEngagement } from "../engagement/index.ts";
import { guard, warnOnce } from "../guard/index.ts";
import { watchNavigation } from "../navigation/index.ts";
import { createOutbox } from "../outbox/index.ts";
import { randomId } from "../random/index.ts";
import { sourceSignature } from "../source/index.ts";
import { openStorage, type TrackerStorage } from "../storage/index.ts";
import { createProfile, enterVisit, type Profile, type Visit } from "../visit/index.ts";

/** What the tracker needs of a socket: partysocket's reconnecting WebSocket, or a test fake. */
export type VisitorSocket = {
  /** 1 when open, as WebSocket. */
  readonly readyState: number;
  send(data: string): void;
  /** Closes for good, until {@link VisitorSocket.reconnect}. */
  close(): void;
  reconnect(): void;
  addEventListener(type: "open" | "message", listener: (event: MessageEvent) => void): void;
};

/** The visitor's room on the relay: `/parties/visitor/:room?site=…&secret=…`. */
export type VisitorSocketOptions = {
  host: string;
  /** Defaults to `ws` for localhost and 127.0.0.1, else `wss`. */
  protocol?: "ws" | "wss";
  room: string;
  query: { site: string; secret: string };
};

/**
 * The default socket: partysocket's reconnecting WebSocket (backoff, connection timeout) on
 * the PartyKit URL of the visitor's room, with the `_pk` connection id PartySocket would add.
 * PartySocket itself only builds this URL, and costs 1.1 KB (brotli) more than the SDK's budget.
 */
export const openVisitorSocket = ({
  host,
  protocol,
  room,
  query,
}: VisitorSocketOptions): VisitorSocket =>
  new ReconnectingWebSocket(
    `${protocol ?? (/^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? "ws" : "wss")}://${host}/parties/visitor/${room}?${new URLSearchParams({ _pk: randomId(), ...query })}`,
  );

export type TrackerOptions = {
  /** The site id, as in the snippet's `data-site`. */
  site: string;
  /** The relay's host and port, e.g. "chat.example.com" or "localhost:8787". */
  host: string;
  /** Defaults to `ws` for localhost and 127.0.0.1, else `wss`. */
  protocol?: "ws" | "wss";
  /** Where identity, visit and pending events are kept; IndexedDB, else localStorage, else memory. */
  storage?: TrackerStorage;
  /** Opens the visitor socket; tests pass a fake. */
  socketFactory?: (options: VisitorSocketOptions) => VisitorSocket;
  /** The clock; tests pass their own. */
  now?: () => number;
};

/**
 * The chat widget's line to the relay over the tracker's socket, so that a tab keeps a single
 * connection. What must not be lost goes through the durable outbox; the rest is best effort.
 */
export type VisitorChannel = {
  /** The visitor's id, once known; undefined while starting and when not tracking. */
  readonly visitorId: string | undefined;
  /** The visitor's secret (for uploads), alongside {@link VisitorChannel.visitorId}. */
  readonly secret: string | undefined;
  /**
   * Keeps `event` (a message, identify, custom data, an offline message) in the durable outbox
   * until the relay acknowledges it; the `ack` frame names its id.
   * @example channel.record({ kind: "message", id: randomId(), at: Date.now(), text: "Hi" })
   */
  record(event: TrackingEvent): void;
  /**
   * Sends `frame` at once if connected, else drops it and answers false.
   * @example channel.send({ type: "chat:read", seq: 12 })
   */
  send(frame: VisitorClientFrame): boolean;
  /**
   * Calls `listener` with every frame the relay sends; the first listener is first given the
   * frames other than acks that came before it (the widget loads after the socket opens).
   * Answers a function that removes the listener.
   * @example const off = channel.on((frame) => frame.type === "chat:message" && show(frame));
   */
  on(listener: (frame: VisitorServerFrame) => void): () => void;
  /** Events of this tab's outbox still waiting for an ack, in no particular order. */
  pending(): TrackingEvent[];
};

export type Tracker = {
  /** The visitor's id, once read from storage (after {@link Tracker.ready}). */
  readonly visitorId: string | undefined;
  /** The chat widget's line to the relay (see {@link VisitorChannel}). */
  readonly channel: VisitorChannel;
  /** Settles when the tracker has started, or has decided not to track. */
  readonly ready: Promise<void>;
  /** Stops tracking in this browser for good (remembered), forgetting pending events and identity. */
  optOut(): void;
  /** Stops tracking on this page: removes every listener, closes the socket. */
  stop(): void;
};

/** The current page view, as invitation rules see it. */
export type Page = { id: string; visitId: string; at: number; engagedMs: number };

const clip = (url: string) => url.slice(0, URL_LENGTH);

/**
 * Starts tracking this page for `site`: the visitor's identity and visits, every page view
 * (client-side navigations included), where the visit came from and the engaged time, all
 * delivered to the relay through a durable outbox. Under Do Not Track or Global Privacy Control
 * it records none of that, but still connects so that the visitor can chat; after
 * {@link Tracker.optOut} it does nothing at all. Never throws into the page.
 *
 * @example
 * import { createTracker } from "./sdk/index.ts";
 * const tracker = createTracker({ site: "demo", host: "localhost:8787" });
 * optOutButton.onclick = () => tracker.optOut();
 */
export function createTracker({
  site,
  host,
  protocol,
  storage = openStorage(),
  socketFactory = openVisitorSocket,
  now = Date.now,
}: TrackerOptions): Tracker {
  const key = (name: string) => `${site}:${name}`;
  const lifetime = new AbortController();
  const { signal } = lifetime;
  let profile: Profile | undefined;
  let page: Page | undefined;
  let invitations: Promise<void> | undefined;
  let socket: VisitorSocket | undefined;
  let renewed = false;
  const privacy = navigator as { doNotTrack?: string | null; globalPrivacyControl?: boolean };
  // Do Not Track and Global Privacy Control turn tracking off, not the chat a visitor asks for:
  // the socket still opens, but no visit, page view, source or engaged time is recorded.
  const tracked = privacy.doNotTrack !== "1" && !privacy.globalPrivacyControl;

  // Tasks run one after another: each reads and writes the profile and must not interleave.
  let chain = Promise.resolve();
  const after = (task: () => unknown) =>
    (chain = chain.then(task).then(
      () => {},
      (error) => warnOnce(String(error)),
    ));
  const run = (task: () => unknown) => after(() => signal.aborted || task());

  /**
   * Runs `task` while no other tab of this site's origin runs one, so that tabs opened together
   * read, change and save the profile in turn rather than each over the others. Without Web
   * Locks each goes ahead, and tabs opened at the same moment may count as two visitors.
   */
  const exclusive = (task: () => Promise<void>) =>
    navigator.locks?.request("parley", task) ?? task();
  const save = () =>
    storage.set(key("profile"), profile).catch((error) => warnOnce(`storage: ${error}`));
  const transmit = (data: string) => {
    if (socket?.readyState !== 1) return false;
    socket.send(data);
    return true;
  };
  const outbox = createOutbox({ storage, prefix: key("o:"), send: transmit });
  const record = (event: TrackingEvent) => outbox.add(event);
  const listeners = new Set<(frame: VisitorServerFrame) => void>();
  // Frames that came before the widget listened; acks are left out (the outbox applied them).
  let backlog: VisitorServerFrame[] | undefined = [];

  const engagement = createEngagement({
    now,
    visible: document.visibilityState === "visible",
    report(engagedMs, active) {
      if (!page) return;
      const at = now();
      const { id: pageviewId, visitId } = page;
      record({ kind: "engagement", id: randomId(), at, visitId, pageviewId, engagedMs, active });
      const visit = profile?.visit;
      if (visit?.id === visitId) {
        visit.engagedMs = (visit.engagedMs || 0) + engagedMs - page.engagedMs;
        page.engagedMs = engagedMs;
        // Engaged time keeps the visit going, as page views do.
        if (active) visit.lastActivityAt = at;
        save();
      }
    },
  });

  const recordPageView = async (referrer: string) => {
    const at = now();
    const url = location.href;
    const title = document.title;
    engagement.end();
    page = undefined;
    engagement.restart();
    let started = false;
    await exclusive(async () => {
      // Another tab of this visitor may have moved the visit on since we last looked.
      const stored = await storage.get<Profile>(key("profile")).catch(() => undefined);
      if (stored?.visitorId === profile?.visitorId) profile = stored;
      started = enterVisit(
        profile as Profile,
        at,
        sourceSignature(url, referrer, location.hostname),
      );
      await save();
    });
    const visit = (profile as Profile).visit as Visit;
    const from = referrer ? clip(referrer) : undefined;
    if (started)
      record({
        kind: "visit",
        id: randomId(),
        at,
        visitId: visit.id,
        number: visit.number,
        landingUrl: clip(url),
        referrer: from,
        language: navigator.language?.slice(0, 35),
        // Not the IANA zone: the page's first Intl.DateTimeFormat loads the time-zone data, some
        // 30 ms of the host page's main thread in Chromium.
        utcOffset: -new Date().getTimezoneOffset(),
        screen: { width: screen.width, height: screen.height },
      });
    page = { id: randomId(), visitId: visit.id, at, engagedMs: 0 };
    record({
      kind: "pageview",
      id: page.id,
      at,
      visitId: visit.id,
      url: clip(url),
      title: title.slice(0, TITLE_LENGTH),
      referrer: from,
    });
  };

  const stop = () => {
    lifetime.abort();
    engagement.stop();
    socket?.close();
  };

  const receive = (frame: VisitorServerFrame) => {
    // The site has invitation rules: their evaluator and watchers load now, once (untracked,
    // there is no visit to decide them on).
    const rules = tracked && frame.type === "welcome" && frame.invitations;
    if (rules && !invitations)
      invitations = (
        import(/* @vite-ignore */ new URL("invitations.js", import.meta.url).href) as Promise<
          typeof import("../invitations/index.ts")
        >
      )
        .then((chunk) =>
          chunk.watchInvitations({
            rules,
            visit: () => profile?.visit,
            page: () => page,
            now,
            deliver: receive,
            signal,
          }),
        )
        .catch((error) => warnOnce(String(error)));
    if (frame.type !== "ack") backlog?.push(frame);
    for (const listener of listeners) listener(frame);
    if (frame.type === "ack") {
      const rejected = frame.rejected ?? [];
      outbox.settle([...frame.ids, ...rejected.map((event) => event.id)]);
      // The relay's own words name the problem ("at most 50 custom data keys"), its code does not.
      if (rejected[0]) warnOnce(`the relay rejected an event: ${rejected[0].message}`);
    } else if (frame.type === "error") {
      const { code } = frame;
      if (code === "bad_secret" && !renewed) {
        // Another browser holds this id (or storage lost the secret): become a new visitor
        // rather than knock on the same door forever.
        renewed = true;
        socket?.close();
        run(async () => {
          outbox.clear();
          profile = createProfile();
          page = undefined;
          await save();
          connect();
          if (tracked) await recordPageView(document.referrer);
        });
      } else if (
        code === "bad_secret" ||
        code === "origin_not_allowed" ||
        code === "unknown_site"
      ) {
        // Retrying cannot help until the site's settings change; the events could never be stored.
        warnOnce(`tracking stopped: ${code} (${frame.message})`);
        stop();
        outbox.clear();
      }
    }
  };

  const connect = () => {
    if (signal.aborted || !profile) return;
    const current = socketFactory({
      host,
      protocol,
      room: profile.visitorId,
      query: { site, secret: profile.secret },
    });
    socket = current;
    current.addEventListener(
      "open",
      guard(() => current === socket && outbox.resend()),
    );
    current.addEventListener(
      "message",
      guard((event: MessageEvent) => current === socket && receive(JSON.parse(event.data))),
    );
  };

  const listen = () => {
    const on = (
      target: EventTarget,
      type: string,
      handler: (event: Event) => void,
      capture = false,
    ) => target.addEventListener(type, guard(handler), { signal, capture, passive: true });
    on(document, "visibilitychange", () => {
      const visible = document.visibilityState === "visible";
      engagement.visible(visible);
      // A hidden tab may be discarded without pagehide (mobile): deliver now.
      if (!visible) outbox.flush();
    });
    on(window, "pagehide", () => {
      engagement.end();
      outbox.flush();
      // A socket left open keeps the page out of the back/forward cache.
      socket?.close();
    });
    on(window, "pageshow", (event) => {
      if (!(event as PageTransitionEvent).persisted) return;
      socket?.reconnect();
      if (tracked) run(() => recordPageView(document.referrer));
    });
    if (!tracked) return;
    // Captured on window so that scrolls inside any element count too.
    for (const type of ["pointerdown", "pointermove", "keydown", "scroll", "touchstart"])
      on(window, type, engagement.activity, true);
    on(window, "focus", () => engagement.focus(true));
    // Focus moving into an iframe of the page (a video, our chat) still counts as focused.
    on(window, "blur", () => engagement.focus(document.activeElement?.tagName === "IFRAME"));
    watchNavigation((_url, previous) => run(() => recordPageView(previous)), signal);
  };

  const ready = run(async () => {
    if (await storage.get(key("optout"))) return stop();
    // On a first visit the first tab creates the visitor; tabs opened with it find it saved.
    // Untracked, the visitor is kept for this page only, as before anything is recorded.
    await exclusive(async () => {
      profile = (await storage.get<Profile>(key("profile"))) ?? createProfile();
      if (tracked) await save();
    });
    // Whatever earlier page loads left undelivered goes out with this page's events.
    await outbox.load();
    connect();
    if (tracked) await recordPageView(document.referrer);
    listen();
  });

  return {
    get visitorId() {
      return profile?.visitorId;
    },
    channel: {
      get visitorId() {
        return profile?.visitorId;
      },
      get secret() {
        return profile?.secret;
      },
      record,
      send: (frame) => transmit(JSON.stringify(frame)),
      on(listener) {
        const guarded = guard(listener);
        for (const frame of backlog ?? []) guarded(frame);
        backlog = undefined;
        listeners.add(guarded);
        return () => listeners.delete(guarded);
      },
      pending: outbox.list,
    },
    ready,
    optOut: guard(() => {
      stop();
      after(async () => {
        await outbox.load();
        outbox.clear();
        await storage.set(key("optout"), true);
        await storage.del(key("profile"));
      });
    }),
    stop: guard(stop),
  };
}
