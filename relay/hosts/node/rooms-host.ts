import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { FRAME_BURST, type Geo, STRIKES_BEFORE_CLOSE } from "../../../protocol/index.ts";
import { log } from "../../log.ts";
import type {
  BlobStore,
  Connection,
  ConnectionContext,
  Json,
  PartyName,
  PartyServer,
  RelayEnv,
  RoomContext,
  RoomStorage,
} from "../../party.ts";
import { parties } from "../../rooms/index.ts";
import { createFileBlobStore } from "./blob-store.ts";
import { openSqliteDatabase } from "./sqlite-storage.ts";

/** The relay's settings the rooms take (part of `RelayOptions`). */
export type RoomsOptions = {
  /** SQLite file; its folder is created when missing. Uploads go to `uploads/` beside it. */
  dbPath: string;
  /** Resolves an IP to a place; none by default. */
  geo?: (ip: string | null, request: Request) => Promise<Geo>;
  /**
   * A visitor room with no tab open, no alarm set and no work in flight leaves memory after
   * this long (default 10 minutes); it loads from SQLite again when it is next needed.
   */
  unloadIdleVisitorRoomsAfterMs?: number;
  /**
   * How long a commit waits for a lock another process holds on the file (a backup, say)
   * before it fails (default 5 s); clients of a failed commit are not acknowledged and re-send.
   */
  busyTimeoutMs?: number;
};

/** What rooms do to the sockets, which the HTTP server holds; connections go by id. */
export type Sockets = {
  send(conn: string, message: string): void;
  close(conn: string, code?: number, reason?: string): void;
};

/**
 * The rooms as the HTTP server sees them: it hands over each socket's life (opened, its text
 * frames, closed) by connection id, and `/api/*` requests. Calls keep their order.
 */
export type Rooms = {
  connect(conn: string, party: PartyName, id: string, ctx: ConnectionContext): void;
  message(conn: string, text: string): void;
  /** The socket closed; on shutdown nobody says so (rooms recover state on restart). */
  disconnect(conn: string, code: number, reason: string): void;
  request(party: PartyName, id: string, request: Request): Promise<Response>;
  /** How many rooms are in memory; the others wait in SQLite until they are needed. */
  roomsInMemory(): Promise<number>;
  /** Lets the work under way finish, commits pending writes and closes the file. */
  close(): Promise<void>;
};

type Room = {
  server: PartyServer;
  context: RoomContext;
  connections: Map<string, Connection>;
  started: Promise<void>;
  /** Connects, frames, closes, requests, calls and alarms the room is handling now. */
  busy: number;
  /** When the room was made or last finished a piece of work. */
  idleSince: number;
};

/** A socket as its room knows it: frames that come before the room accepted it wait. */
type Socket = { room: Room; conn: HostConnection; early: string[] | null; open: boolean };

/** What every room's context reaches of the host, made once per host. */
type HostServices = Pick<RoomContext, "env" | "blobs" | "fetchRoom" | "callRoom" | "geo">;

/** Where the file keeps the relay's secret (`PARLEY_SECRET`), made on its first start. */
export const SECRET_META_KEY = "token-secret";
const UNLOAD_IDLE_VISITOR_ROOMS_AFTER_MS = 10 * 60 * 1000;
const maxTimer = 2 ** 31 - 1;
/** A failed alarm runs again after 2 s, 4 s, ... up to six times, as on Durable Objects. */
export const ALARM_FIRST_RETRY_MS = 2_000;
const ALARM_RETRIES = 6;

/**
 * Runs the rooms of one SQLite file: makes each on first use, routes sockets, requests, calls
 * between rooms and alarms to it, and lets idle visitor rooms leave memory. Whatever thread it
 * runs on, `sockets` reaches the clients. Alarms stored before a restart are scheduled again;
 * one whose room fails to start or whose `onAlarm` throws runs again with backoff.
 *
 * @example
 * const rooms = createRooms({ dbPath: "/tmp/parley.sqlite" }, { send, close });
 * rooms.connect(connId, "visitor", visitorId, { request, ip });
 */
export function createRooms(options: RoomsOptions, sockets: Sockets): Rooms {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const db = openSqliteDatabase(options.dbPath, { busyTimeoutMs: options.busyTimeoutMs });
  const env = { PARLEY_SECRET: db.meta(SECRET_META_KEY, () => randomBytes(32).toString("hex")) };
  const blobs = createFileBlobStore(join(dirname(options.dbPath), "uploads"));
  const host: HostServices = {
    env,
    blobs,
    fetchRoom: roomRequest,
    callRoom: roomCall,
    geo: (ip, request) => options.geo?.(ip, request) ?? Promise.resolve({}),
  };
  const rooms = new Map<string, Room>();
  const open = new Map<string, Socket>();
  // By room key, not on the room: an alarm outlives a room that failed to start, and starts it
  // afresh when it fires.
  const alarmTimers = new Map<string, NodeJS.Timeout>();
  /** Runs in a row that failed, by room key, until one succeeds. */
  const alarmFailures = new Map<string, number>();
  let closing = false;
  // Work the rooms are still handling, counted (not kept in a set, which would regrow for
  // every frame: README, "Garbage under load"): `close` lets it finish first, and a room with
  // work in flight stays in memory.
  let handling = 0;
  let idle: (() => void) | undefined;
  function track<T>(entry: Room, work: Promise<T>): Promise<T> {
    handling += 1;
    entry.busy += 1;
    const settled = () => {
      handling -= 1;
      entry.busy -= 1;
      entry.idleSince = Date.now();
      if (entry.busy === 0 && entry.connections.size === 0) dropIfEmpty(entry);
      if (handling === 0) idle?.();
    };
    // Not `finally`: it makes more promises, and this runs for every frame and room call.
    work.then(settled, settled);
    return work;
  }

  // Visitor rooms are one per visitor ever seen: the idle ones leave memory, so that it holds
  // the visitors present, not every one since the start. Other rooms are few, and some keep
  // what they must not forget only in memory (the directory's failed sign-ins).
  const unloadAfterMs = options.unloadIdleVisitorRoomsAfterMs ?? UNLOAD_IDLE_VISITOR_ROOMS_AFTER_MS;
  function unloadIdleRooms(): void {
    const now = Date.now();
    for (const [key, entry] of rooms) {
      if (entry.context.party !== "visitor" || entry.connections.size > 0) continue;
      if (entry.busy > 0 || alarmTimers.has(key) || now - entry.idleSince < unloadAfterMs) continue;
      rooms.delete(key);
    }
  }
  const unloadTimer = setInterval(unloadIdleRooms, Math.min(unloadAfterMs, 60_000));
  unloadTimer.unref();
  /** Drops an idle room that holds nothing (see PartyServer.isEmpty), of any party. */
  function dropIfEmpty(entry: Room): void {
    const key = `${entry.context.party}/${entry.context.id}`;
    if (alarmTimers.has(key) || !entry.server.isEmpty?.()) return;
    if (rooms.get(key) === entry) rooms.delete(key);
  }

  function room(party: PartyName, id: string): Room {
    const key = `${party}/${id}`;
    const existing = rooms.get(key);
    if (existing) return existing;
    const connections = new Map<string, Connection>();
    const entry = { connections, busy: 0, idleSince: Date.now() } as Room;
    entry.context = new HostRoomContext(
      host,
      party,
      id,
      db.storage(key, (time) => scheduleAlarm(key, time)),
      connections,
    );
    entry.server = new parties[party](entry.context);
    rooms.set(key, entry);
    entry.started = start(entry, key);
    // Whatever uses the room awaits its start and handles a failure; a failed start must not
    // count as unhandled meanwhile, which would end the thread.
    entry.started.catch(() => undefined);
    return entry;
  }

  /**
   * Starts a room. One that fails (a value it cannot read, a locked file) leaves memory, so that
   * its next use starts it afresh.
   */
  async function start(entry: Room, key: string): Promise<void> {
    try {
      await entry.server.onStart?.();
    } catch (error) {
      log.error("room failed to start", { room: key, error });
      if (rooms.get(key) === entry) rooms.delete(key);
      throw error;
    }
  }

  function roomRequest(party: PartyName, id: string, request: Request): Promise<Response> {
    const target = room(party, id);
    return track(
      target,
      (async () => {
        await target.started;
        if (!target.server.onRequest) return new Response("Not found", { status: 404 });
        return target.server.onRequest(request);
      })(),
    );
  }

  function roomCall(
    party: PartyName,
    id: string,
    method: string,
    arg: Json,
  ): Promise<Json | undefined> {
    const target = room(party, id);
    return track(
      target,
      (async () => {
        await target.started;
        if (!target.server.onCall) throw new Error(`${party} rooms take no calls`);
        // Handed over as is, without a copy: neither room changes it (see RoomContext.callRoom).
        return target.server.onCall(method, arg);
      })(),
    );
  }

  function scheduleAlarm(key: string, time: number | null): void {
    clearTimeout(alarmTimers.get(key));
    alarmTimers.delete(key);
    // Once closing, no alarm fires: the stored one fires after the next start.
    if (time === null || closing) return;
    const delay = Math.max(0, time - Date.now());
    const fire = () => {
      alarmTimers.delete(key);
      if (delay > maxTimer) return scheduleAlarm(key, time);
      const [party, id] = key.split("/") as [PartyName, string];
      const entry = room(party, id);
      void track(entry, runAlarm(entry, key));
    };
    alarmTimers.set(key, setTimeout(fire, Math.min(delay, maxTimer)));
  }

  /**
   * Runs a room's alarm, cleared first as on Durable Objects. When the room cannot start or its
   * `onAlarm` throws, the alarm is stored again to run after 2 s, then 4 s, ... (unless the room
   * set a sooner one), six times at most; then it is left, logged, to the room's next alarm.
   */
  async function runAlarm(entry: Room, key: string): Promise<void> {
    try {
      await entry.started;
      await entry.context.storage.deleteAlarm();
      await entry.server.onAlarm?.();
      alarmFailures.delete(key);
    } catch (error) {
      const failures = (alarmFailures.get(key) ?? 0) + 1;
      if (failures > ALARM_RETRIES) {
        alarmFailures.delete(key);
        log.error("alarm failed, retries used up", { room: key, failures, error });
        return;
      }
      alarmFailures.set(key, failures);
      const retryAt = Date.now() + ALARM_FIRST_RETRY_MS * 2 ** (failures - 1);
      log.error("alarm failed", { room: key, retryAt: new Date(retryAt).toISOString(), error });
      await retryAlarm(entry.context.storage, key, retryAt);
    }
  }

  /** Stores the retry, so that it survives a restart; in memory only when storing fails too. */
  async function retryAlarm(storage: RoomStorage, key: string, retryAt: number): Promise<void> {
    try {
      // A sooner alarm the room set stands; not one that fired and stayed stored (its clearing
      // failed), which has no timer any more.
      const set = await storage.getAlarm();
      if (set !== null && set <= retryAt && alarmTimers.has(key)) return;
      await storage.setAlarm(retryAt);
    } catch {
      scheduleAlarm(key, retryAt);
    }
  }

  async function accept(socket: Socket, ctx: ConnectionContext): Promise<void> {
    const { room: target, conn } = socket;
    try {
      await target.started;
      conn.tags = (await target.server.getConnectionTags?.(conn, ctx)) ?? [];
      if (!socket.open) return;
      target.connections.set(conn.id, conn);
      await target.server.onConnect?.(conn, ctx);
    } catch (error) {
      log.error("onConnect failed", { room: target.context.id, error });
      conn.close(1011, "internal error");
      return;
    }
    const early = socket.early ?? [];
    socket.early = null;
    for (const message of early) dispatch(socket, message);
  }

  function dispatch({ room: target, conn }: Socket, message: string): void {
    track(
      target,
      Promise.resolve(target.server.onMessage?.(conn, message)).catch((error) =>
        log.error("onMessage failed", { room: target.context.id, error }),
      ),
    );
  }

  // Rooms with an alarm start now, not when it fires: a visitor room that finds its tabs gone
  // counts the visitor's leaving from the restart (VisitorRoom.onStart).
  for (const alarm of db.alarms()) {
    const [party, id] = alarm.roomKey.split("/") as [PartyName, string];
    if (!(party in parties)) continue;
    room(party, id);
    scheduleAlarm(alarm.roomKey, alarm.time);
  }

  return {
    connect(connId, party, id, ctx) {
      const target = room(party, id);
      const socket: Socket = {
        room: target,
        conn: new HostConnection(connId, sockets),
        early: [],
        open: true,
      };
      open.set(connId, socket);
      void track(target, accept(socket, ctx));
    },
    message(connId, text) {
      const socket = open.get(connId);
      if (!socket) return;
      if (!socket.early) dispatch(socket, text);
      // The room's guard takes a burst, then refuses a frame per strike until it closes the
      // socket: past that, nothing is held.
      else if (socket.early.length < FRAME_BURST + STRIKES_BEFORE_CLOSE) socket.early.push(text);
      else socket.conn.close(1008, "Too many frames before the connection was accepted");
    },
    disconnect(connId, code, reason) {
      const socket = open.get(connId);
      if (!socket) return;
      open.delete(connId);
      socket.open = false;
      const { room: target, conn } = socket;
      // A socket the room had not accepted yet is none of its business.
      if (!target.connections.delete(connId)) return;
      track(
        target,
        Promise.resolve(target.server.onClose?.(conn, code, reason)).catch((error) =>
          log.error("onClose failed", { room: target.context.id, error }),
        ),
      );
    },
    request: roomRequest,
    roomsInMemory: async () => rooms.size,
    async close() {
      closing = true;
      clearInterval(unloadTimer);
      for (const timer of alarmTimers.values()) clearTimeout(timer);
      if (handling > 0) await new Promise<void>((resolve) => (idle = resolve));
      await db.close();
    },
  };
}

/**
 * A room's context on this host: its id, storage and connections, and the host's services.
 *
 * A class, not a factory: one is made per room, one per visitor present, and methods on the
 * prototype cost nothing per room.
 *
 * @example
 * const context = new HostRoomContext(host, "visitor", visitorId, storage, connections);
 * const server = new parties.visitor(context);
 */
class HostRoomContext implements RoomContext {
  constructor(
    private readonly host: HostServices,
    readonly party: PartyName,
    readonly id: string,
    readonly storage: RoomStorage,
    /** The connections the room accepted, by id; the host adds and removes them. */
    private readonly connections: Map<string, Connection>,
  ) {}

  get env(): RelayEnv {
    return this.host.env;
  }

  get blobs(): BlobStore {
    return this.host.blobs;
  }

  /** Sends `message` to every connection, or to those carrying `tag`, except `without` ids. */
  broadcast(message: string, { tag, without }: { tag?: string; without?: string[] } = {}): void {
    for (const conn of this.connections.values()) {
      if (tag && !conn.tags.includes(tag)) continue;
      if (without?.includes(conn.id)) continue;
      conn.send(message);
    }
  }

  /** Open connections, or those carrying `tag`. */
  getConnections(tag?: string): Connection[] {
    // An array rather than a generator: rooms count their tabs on every event.
    const found: Connection[] = [];
    for (const conn of this.connections.values())
      if (!tag || conn.tags.includes(tag)) found.push(conn);
    return found;
  }

  /** The open connection with id `connId`, if any. */
  getConnection(connId: string): Connection | undefined {
    return this.connections.get(connId);
  }

  /** Sends `request` to another room's `onRequest`. */
  fetchRoom(party: PartyName, roomId: string, request: Request): Promise<Response> {
    return this.host.fetchRoom(party, roomId, request);
  }

  /** Calls another room's `onCall`; `arg` is handed over as is (see {@link RoomContext.callRoom}). */
  callRoom(party: PartyName, roomId: string, method: string, arg: Json): Promise<Json | undefined> {
    return this.host.callRoom(party, roomId, method, arg);
  }

  /** Resolves an IP to a place with the host's resolver; `{}` without one. */
  geo(ip: string | null, request: Request): Promise<Geo> {
    return this.host.geo(ip, request);
  }
}

/**
 * A socket as its room sees it: frames go out through the host's `sockets`, by connection id.
 *
 * A class, not a factory: one is made per connection, and methods on the prototype cost nothing
 * per connection.
 *
 * @example
 * const conn = new HostConnection(connId, sockets);
 * conn.send('{"type":"welcome"}');
 */
class HostConnection implements Connection {
  /** Set from the room's `getConnectionTags` before the room accepts the connection. */
  tags: string[] = [];
  private attached: Json | null = null;

  constructor(
    readonly id: string,
    private readonly sockets: Sockets,
  ) {}

  /** What the room attached with {@link HostConnection.setState}. */
  get state(): Json | null {
    return this.attached;
  }

  /** Attaches `state` to the connection, replacing what was attached before. */
  setState(state: Json): void {
    this.attached = state;
  }

  /** Sends a text frame. */
  send(message: string): void {
    this.sockets.send(this.id, message);
  }

  /** Closes the socket with a WebSocket close code. */
  close(code?: number, reason?: string): void {
    this.sockets.close(this.id, code, reason);
  }
}
