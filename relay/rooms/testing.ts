/**
 * Test harness for the rooms: a real node relay on a random port with a temporary SQLite file,
 * and `ws` clients that collect frames. Only tests import this.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import WebSocket from "ws";
import type {
  ChatMessage,
  ChatMessageEvent,
  ChatSummary,
  CustomDataEvent,
  EngagementEvent,
  Geo,
  IdentifyEvent,
  LoginResponse,
  OfflineMessageEvent,
  PageViewEvent,
  RosterEntry,
  VisitEvent,
} from "../../protocol/index.ts";
import { DEMO } from "../demo-site.ts";
import { startRelay } from "../hosts/node/server.ts";

export { DEMO };

const projectRoot = resolve(import.meta.dirname, "../..");

export type TestRelay = {
  url: string;
  wsUrl: string;
  /** The SQLite file the relay runs on. */
  dbPath: string;
  /**
   * Stops the relay and starts it again on the same database (on a new port); `whileStopped`
   * gets the database file in between (rooms' keys are in table `kv`, by room `party/id`).
   */
  restart(whileStopped?: (db: Database.Database) => void): Promise<void>;
  close(): Promise<void>;
  /** How many rooms the relay has in memory. */
  roomsInMemory(): Promise<number>;
};

/**
 * What a test may set of the relay: a geo resolver, how soon idle visitor rooms unload,
 * whether the rooms run on a thread of their own (as they do by default), its public URL, how
 * long a commit waits for a lock.
 */
export type TestRelayOptions = {
  geo?: Geo;
  unloadIdleVisitorRoomsAfterMs?: number;
  roomsThread?: boolean;
  publicUrl?: string;
  busyTimeoutMs?: number;
  /** Serve the built bundles (dist/public) and the demo shop, as `npm start` does. */
  staticFiles?: boolean;
};

/**
 * Starts a relay with the demo site on a fresh database; `geo` resolves every IP.
 * @example const relay = await startTestRelay(); ... await relay.close();
 */
export async function startTestRelay(options: TestRelayOptions = {}): Promise<TestRelay> {
  const dir = mkdtempSync(join(tmpdir(), "parley-rooms-"));
  const dbPath = join(dir, "relay.sqlite");
  const start = () =>
    startRelay({
      port: 0,
      host: "127.0.0.1",
      dbPath,
      geo: options.geo ? async () => options.geo ?? {} : undefined,
      unloadIdleVisitorRoomsAfterMs: options.unloadIdleVisitorRoomsAfterMs,
      roomsThread: options.roomsThread,
      publicUrl: options.publicUrl,
      busyTimeoutMs: options.busyTimeoutMs,
      ...(options.staticFiles && {
        publicDir: join(projectRoot, "dist/public"),
        demoDir: join(projectRoot, "demo"),
      }),
    });
  let relay = await start();
  const handle: TestRelay = {
    url: relay.url,
    wsUrl: relay.url.replace(/^http/, "ws"),
    dbPath,
    async restart(whileStopped) {
      await relay.close();
      if (whileStopped) {
        const db = new Database(dbPath);
        try {
          whileStopped(db);
        } finally {
          db.close();
        }
      }
      relay = await start();
      handle.url = relay.url;
      handle.wsUrl = relay.url.replace(/^http/, "ws");
    },
    async close() {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
    roomsInMemory: () => relay.roomsInMemory(),
  };
  return handle;
}

/**
 * Restarts the relay and answers how many keys starting with `prefix` room `room` (`party/id`)
 * had stored while it was stopped.
 * @example expect(await restartCountingKeys(relay, `visitor/${id}`, "visit:")).toBe(1000);
 */
export async function restartCountingKeys(
  relay: TestRelay,
  room: string,
  prefix: string,
): Promise<number> {
  let stored = 0;
  await relay.restart((db) => {
    const row = db
      .prepare("SELECT count(*) AS n FROM kv WHERE room = ? AND substr(key, 1, ?) = ?")
      .get(room, prefix.length, prefix) as { n: number };
    stored = row.n;
  });
  return stored;
}

/**
 * The keys a relay's database holds for rooms whose name (`party/id`) is LIKE `room`, each as
 * `party/id key`; read beside a running relay too.
 * @example expect(storedKeys(relay.dbPath, "visitor/%")).toEqual([]);
 */
export function storedKeys(dbPath: string, room: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[string], string>("SELECT room || ' ' || key FROM kv WHERE room LIKE ?")
      .pluck()
      .all(room);
  } finally {
    db.close();
  }
}

/** Any frame the relay sends, loosely typed for assertions. */
export type Frame = { type: string; [field: string]: unknown };

export type TestSocket = {
  ws: WebSocket;
  /** Every frame received so far. */
  frames: Frame[];
  send(frame: unknown): void;
  /** The next frame not yet taken that matches `type` (any type when left out). */
  next(type?: string, timeoutMs?: number): Promise<Frame>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
};

/** Opens a WebSocket and collects its frames; resolves once it is open. */
export async function openSocket(url: string, origin?: string): Promise<TestSocket> {
  const ws = new WebSocket(url, origin ? { origin } : {});
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  const waiters = new Set<() => void>();
  ws.on("message", (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const waiter of waiters) waiter();
    });
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return {
    ws,
    frames,
    send(frame) {
      ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    },
    next(type, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const frame = frames.find((f) => !taken.has(f) && (!type || f.type === type));
          if (frame) {
            taken.add(frame);
            done();
            resolve(frame);
          } else if (ws.readyState === ws.CLOSED) {
            done();
            reject(new Error(`socket closed while waiting for ${type ?? "a frame"}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `no ${type ?? "frame"} within ${timeoutMs} ms; got ${JSON.stringify(frames)}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    async close() {
      if (ws.readyState !== ws.CLOSED) ws.close();
      await closed;
    },
  };
}

/** The next frame of `type` that `match` accepts; frames of that type before it are taken too. */
export async function nextWhere(
  socket: TestSocket,
  type: string,
  match: (frame: Frame) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await socket.next(type, Math.max(1, deadline - Date.now()));
    if (match(frame)) return frame;
  }
}

/** The next `chats` entry an agent gets for `chatId` that `match` accepts. */
export async function nextChat(
  agent: TestSocket,
  chatId: string,
  match: (chat: ChatSummary) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ChatSummary> {
  let found: ChatSummary | undefined;
  await nextWhere(
    agent,
    "chats",
    (frame) => {
      found = (frame.chats as ChatSummary[]).find((chat) => chat.id === chatId && match(chat));
      return found !== undefined;
    },
    timeoutMs,
  );
  return found as ChatSummary;
}

/**
 * An agent writes in a visitor's chat: resolves with the message the visitor's tab gets, once
 * the relay has acknowledged it to the agent.
 * @example expect(await agentReply(agent, tab, visitor.id, "Yes")).toMatchObject({ text: "Yes" });
 */
export async function agentReply(
  agent: TestSocket,
  tab: TestSocket,
  chatId: string,
  text: string,
): Promise<ChatMessage> {
  const id = newId("reply");
  agent.send({ type: "chat:send", chatId, id, text });
  await nextWhere(agent, "ack", (frame) => (frame.ids as string[]).includes(id));
  const got = await nextWhere(tab, "chat:message", (f) => (f.message as ChatMessage).id === id);
  return got.message as ChatMessage;
}

/** Signs in over HTTP; throws unless it succeeds. */
export async function login(
  relay: Pick<TestRelay, "url">,
  email: string = DEMO.email,
  password: string = DEMO.password,
): Promise<LoginResponse> {
  const response = await api(relay, "POST", "/api/login", { body: { email, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return response.body as LoginResponse;
}

/** An HTTP call to the relay's API with a JSON body (or a raw string) and an optional token. */
export async function api(
  relay: Pick<TestRelay, "url">,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${relay.url}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * Makes a new agent of the demo site (as the demo admin) and signs it in.
 * @example const ana = await addAgent(relay, admin.token, "Ana");
 */
export async function addAgent(
  relay: TestRelay,
  adminToken: string,
  name: string,
  role: "admin" | "agent" = "agent",
): Promise<LoginResponse> {
  const email = `${newId(name.toLowerCase())}@parley.test`.toLowerCase();
  const password = "agent-password";
  const created = await api(relay, "POST", "/api/agents", {
    token: adminToken,
    body: { email, name, password, role },
  });
  if (created.status !== 201) throw new Error(`adding ${name} failed: ${created.status}`);
  return login(relay, email, password);
}

/** An agent socket of the demo site, past its `hello`. */
export async function connectAgent(
  relay: Pick<TestRelay, "wsUrl">,
  token: string,
): Promise<TestSocket> {
  return openSocket(
    `${relay.wsUrl}/parties/site/${DEMO.siteId}?token=${encodeURIComponent(token)}`,
  );
}

/** The next roster entry an agent gets for `visitorId` that `match` accepts. */
export async function nextRosterEntry(
  agent: TestSocket,
  visitorId: string,
  match: (entry: RosterEntry) => boolean = () => true,
  timeoutMs = 5000,
): Promise<RosterEntry> {
  for (;;) {
    const frame = await agent.next("roster", timeoutMs);
    const entry = (frame.visitors as RosterEntry[]).find((e) => e.id === visitorId);
    if (entry && match(entry)) return entry;
  }
}

/** Every roster entry an agent has been sent for `visitorId`, in order. */
export function rosterEntriesSent(agent: TestSocket, visitorId: string): RosterEntry[] {
  return agent.frames
    .filter((frame) => frame.type === "roster")
    .flatMap((frame) => frame.visitors as RosterEntry[])
    .filter((entry) => entry.id === visitorId);
}

let counter = 0;

/** A fresh client-made id, as the SDK makes them. */
export function newId(prefix = "id"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`.padEnd(8, "0");
}

/** A visitor of the demo site with its own id and secret. */
export function newVisitor() {
  return { id: newId("visitor"), secret: `secret-${newId("s")}-0123456789` };
}

/** Opens a visitor tab of the demo site from the relay's own origin (or `origin`). */
export function connectVisitor(
  relay: Pick<TestRelay, "url" | "wsUrl">,
  visitor: { id: string; secret: string },
  options: { origin?: string; site?: string } = {},
): Promise<TestSocket> {
  const query = new URLSearchParams({ site: options.site ?? DEMO.siteId, secret: visitor.secret });
  return openSocket(
    `${relay.wsUrl}/parties/visitor/${visitor.id}?${query}`,
    options.origin ?? relay.url,
  );
}

/** A 1x1 transparent PNG, for uploads. */
export const PNG_PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * `POST /api/uploads` of `body` (a picture by default) as the visitor of the demo site, from
 * the relay's own origin, as the widget sends a file before the message that carries it.
 */
export function uploadAs(
  relay: Pick<TestRelay, "url">,
  visitor: { id: string; secret: string },
  { body = PNG_PIXEL, name = "lamp.png" }: { body?: BodyInit; name?: string } = {},
): Promise<Response> {
  return fetch(`${relay.url}/api/uploads`, {
    method: "POST",
    headers: {
      "content-type": "application/octet-stream",
      "x-file-name": name,
      "x-parley-visitor": visitor.id,
      "x-parley-secret": visitor.secret,
      "x-parley-site": DEMO.siteId,
      origin: relay.url,
    },
    body,
  });
}

export const chatEvents = {
  message(text: string, fields: Partial<ChatMessageEvent> = {}): ChatMessageEvent {
    return { kind: "message", id: newId("msg"), at: Date.now(), text, ...fields };
  },
  identify(fields: Partial<IdentifyEvent> = {}): IdentifyEvent {
    return { kind: "identify", id: newId("who"), at: Date.now(), ...fields };
  },
  customData(data: CustomDataEvent["data"]): CustomDataEvent {
    return { kind: "custom-data", id: newId("data"), at: Date.now(), data };
  },
  offline(fields: Partial<OfflineMessageEvent> = {}): OfflineMessageEvent {
    return {
      kind: "offline-message",
      id: newId("off"),
      at: Date.now(),
      name: "Ada",
      email: "ada@example.com",
      text: "Please call me back",
      ...fields,
    };
  },
};

export const events = {
  visit(visitId: string, fields: Partial<VisitEvent> = {}): VisitEvent {
    return {
      kind: "visit",
      id: newId("ev"),
      at: Date.now(),
      visitId,
      number: 1,
      landingUrl: "https://shop.example/",
      referrer: "https://www.google.com/",
      ...fields,
    };
  },
  pageview(visitId: string, fields: Partial<PageViewEvent> = {}): PageViewEvent {
    return {
      kind: "pageview",
      id: newId("pv"),
      at: Date.now(),
      visitId,
      url: "https://shop.example/",
      title: "Home",
      ...fields,
    };
  },
  engagement(
    view: PageViewEvent,
    engagedMs: number,
    active: boolean,
    fields: Partial<EngagementEvent> = {},
  ): EngagementEvent {
    return {
      kind: "engagement",
      id: newId("en"),
      at: view.at + engagedMs,
      visitId: view.visitId,
      pageviewId: view.id,
      engagedMs,
      active,
      ...fields,
    };
  },
};

/**
 * For suites about long timers (presence, escalation rounds): one relay that lives inside a
 * faked clock from start to end, so none of its timers is lost on a switch. The clock still
 * runs, and tests jump it ahead with `vi.advanceTimersByTimeAsync`; setImmediate stays real
 * because SQLite commits on it. Before each test a signed-in agent connects and waits for its
 * first `firstFrame`; `use` receives the relay and that agent. `options` go to the relay.
 */
export function relayOnFakeClock(
  firstFrame: string,
  use: (relay: TestRelay, agent: TestSocket) => void,
  options: TestRelayOptions = {},
): void {
  let relay: TestRelay | undefined;
  let agent: TestSocket | undefined;
  beforeAll(async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
      shouldAdvanceTime: true,
    });
    // The faked clock reaches this thread only: the rooms run on it.
    relay = await startTestRelay({ ...options, roomsThread: false });
  });
  afterAll(async () => {
    await relay?.close();
    vi.useRealTimers();
  });
  beforeEach(async () => {
    if (!relay) throw new Error("the relay did not start");
    agent = await connectAgent(relay, (await login(relay)).token);
    await agent.next(firstFrame);
    use(relay, agent);
  });
  afterEach(async () => {
    await agent?.close();
  });
}
