import { setMaxListeners } from "node:events";
import { vi } from "vitest";
import type { TrackingEvent, VisitorServerFrame } from "../../protocol/visitor.ts";
import type { VisitorSocket, VisitorSocketOptions } from "../tracker/index.ts";

// A tracker listens to a dozen page events through one AbortSignal; Node warns past ten.
setMaxListeners(50);

/**
 * A browser page for unit tests in Node: `window`, `document`, `location`, `history`,
 * `navigator` and `screen` as globals, with just what the SDK touches. Events are real
 * EventTarget events; `history.pushState` moves `location` as a browser does.
 * Undo with `vi.unstubAllGlobals()`.
 */
export function fakePage(url = "https://shop.test/", referrer = "") {
  const location = new URL(url);
  const move = (next?: string | URL | null) => {
    if (next != null) location.href = new URL(next, location.href).href;
  };
  /** Every history call the page's own history object received: [method, state]. */
  const historyCalls: [string, unknown][] = [];
  const history = {
    pushState(state: unknown, _unused: string, next?: string | URL | null) {
      historyCalls.push(["pushState", state]);
      move(next);
    },
    replaceState(state: unknown, _unused: string, next?: string | URL | null) {
      historyCalls.push(["replaceState", state]);
      move(next);
    },
  };
  const document = Object.assign(new EventTarget(), {
    title: "Home",
    referrer,
    visibilityState: "visible" as DocumentVisibilityState,
    activeElement: null as { tagName: string } | null,
  });
  const navigator = { language: "en-GB", doNotTrack: null as string | null } as {
    language: string;
    doNotTrack: string | null;
    globalPrivacyControl?: boolean;
  };
  const screen = { width: 1440, height: 900 };
  const window = Object.assign(new EventTarget(), { location, history, document, navigator });
  for (const [name, value] of Object.entries({
    window,
    location,
    history,
    document,
    navigator,
    screen,
  }))
    vi.stubGlobal(name, value);

  const setVisibility = (state: DocumentVisibilityState) => {
    document.visibilityState = state;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  return {
    window,
    document,
    location,
    historyCalls,
    navigator,
    /** Goes back in history to `url`, as the back button does. */
    back(to: string) {
      move(to);
      window.dispatchEvent(new Event("popstate"));
    },
    hide: () => setVisibility("hidden"),
    show: () => setVisibility("visible"),
    /** The visitor does something: a key press. */
    input: () => window.dispatchEvent(new Event("keydown")),
    pagehide: (persisted = false) =>
      window.dispatchEvent(Object.assign(new Event("pagehide"), { persisted })),
    pageshow: (persisted = false) =>
      window.dispatchEvent(Object.assign(new Event("pageshow"), { persisted })),
  };
}

/** A socket the test drives: it opens, receives frames and drops when the test says so. */
export function createFakeSocket(options: VisitorSocketOptions) {
  const target = new EventTarget();
  const socket = {
    options,
    readyState: 0,
    sent: [] as { type: string; events: TrackingEvent[] }[],
    closes: 0,
    send(data: string) {
      if (socket.readyState !== 1) throw new Error("send on a socket that is not open");
      socket.sent.push(JSON.parse(data));
    },
    close() {
      socket.closes++;
      socket.readyState = 3;
    },
    reconnect() {
      socket.readyState = 0;
    },
    addEventListener: target.addEventListener.bind(target) as VisitorSocket["addEventListener"],
    /** The connection opens. */
    open() {
      socket.readyState = 1;
      target.dispatchEvent(new Event("open"));
    },
    /** The connection drops; partysocket would try again by itself. */
    drop() {
      socket.readyState = 0;
    },
    /** The relay sends `frame`. */
    receive(frame: VisitorServerFrame) {
      target.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(frame) }));
    },
    /** Every event sent so far, in order. */
    events: () => socket.sent.flatMap((frame) => frame.events),
    /** Acks every event sent so far. */
    ackAll() {
      socket.receive({ type: "ack", ids: socket.events().map((event) => event.id) });
    },
  };
  return socket;
}

export type FakeSocket = ReturnType<typeof createFakeSocket>;

/** A `socketFactory` for `createTracker`, and the sockets it made, newest last. */
export function fakeSocketFactory() {
  const sockets: FakeSocket[] = [];
  const factory = (options: VisitorSocketOptions) => {
    const socket = createFakeSocket(options);
    sockets.push(socket);
    return socket;
  };
  return { factory, sockets };
}
