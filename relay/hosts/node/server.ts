import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { BODY_BYTES, FRAME_BYTES, type Geo } from "../../../protocol/index.ts";
import { log } from "../../log.ts";
import type {
  Connection,
  ConnectionContext,
  Json,
  PartyName,
  PartyServer,
  RoomContext,
} from "../../party.ts";
import { parties } from "../../rooms/index.ts";
import { createFileBlobStore } from "./blob-store.ts";
import { DEMO } from "./demo-site.ts";
import { openSqliteDatabase } from "./sqlite-storage.ts";
import { type Mount, serveStatic } from "./static-files.ts";

export type RelayOptions = {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Address to bind. */
  host: string;
  /** SQLite file; its folder is created when missing. Uploads go to `uploads/` beside it. */
  dbPath: string;
  /** Built browser bundles (loader.js, sdk.js, agent/) to serve; none when left out. */
  publicDir?: string;
  /** The demo shop's pages, served at /demo/; none when left out. */
  demoDir?: string;
  /** Take the client IP from `X-Forwarded-For` (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Resolves an IP to a place; none by default. */
  geo?: (ip: string | null, request: Request) => Promise<Geo>;
  /** Make sure the demo site and admin exist (default true). */
  demo?: boolean;
  /**
   * A visitor room with no tab open, no alarm set and no work in flight leaves memory after
   * this long (default 10 minutes); it loads from SQLite again when it is next needed.
   */
  unloadIdleVisitorRoomsAfterMs?: number;
};

export type Relay = {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** Closes every socket, commits pending writes and stops listening. */
  close(): Promise<void>;
  /** How many rooms are in memory; the others wait in SQLite until they are needed. */
  roomsInMemory(): number;
};

type Room = {
  server: PartyServer;
  context: RoomContext;
  connections: Map<string, Connection>;
  started: Promise<void>;
  alarmTimer?: NodeJS.Timeout;
  /** Connects, frames, closes, requests, calls and alarms the room is handling now. */
  busy: number;
  /** When the room was made or last finished a piece of work. */
  idleSince: number;
};

const UNLOAD_IDLE_VISITOR_ROOMS_AFTER_MS = 10 * 60 * 1000;

const partyPath = /^\/parties\/([a-z]+)\/([A-Za-z0-9_-]{1,64})\/?$/;
const maxTimer = 2 ** 31 - 1;

/**
 * Starts the node host: the `/parties/:party/:room` WebSocket routes, the `/api/*` HTTP API,
 * static files for `/demo/`, `/agent/` and the bundles, and rooms kept in one SQLite file.
 *
 * @example
 * const relay = await startRelay({ port: 0, host: "127.0.0.1", dbPath: "/tmp/parley.sqlite" });
 * console.log(relay.url); // http://127.0.0.1:41234
 * await relay.close();
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const db = openSqliteDatabase(options.dbPath);
  const env = { PARLEY_SECRET: db.meta("token-secret", () => randomBytes(32).toString("hex")) };
  const blobs = createFileBlobStore(join(dirname(options.dbPath), "uploads"));
  const rooms = new Map<string, Room>();
  const mounts = staticMounts(options);
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
      if (entry.busy > 0 || entry.alarmTimer || now - entry.idleSince < unloadAfterMs) continue;
      rooms.delete(key);
    }
  }
  const unloadTimer = setInterval(unloadIdleRooms, Math.min(unloadAfterMs, 60_000));
  unloadTimer.unref();

  function room(party: PartyName, id: string): Room {
    const key = `${party}/${id}`;
    const existing = rooms.get(key);
    if (existing) return existing;
    const connections = new Map<string, Connection>();
    const entry = { connections, busy: 0, idleSince: Date.now() } as Room;
    const context: RoomContext = {
      id,
      party,
      env,
      storage: db.storage(key, (time) => scheduleAlarm(key, entry, time)),
      blobs,
      broadcast(message, { tag, without } = {}) {
        for (const conn of connections.values()) {
          if (tag && !conn.tags.includes(tag)) continue;
          if (without?.includes(conn.id)) continue;
          conn.send(message);
        }
      },
      getConnections(tag) {
        // An array rather than a generator: rooms count their tabs on every event.
        const found: Connection[] = [];
        for (const conn of connections.values())
          if (!tag || conn.tags.includes(tag)) found.push(conn);
        return found;
      },
      getConnection: (connId) => connections.get(connId),
      fetchRoom: (toParty, roomId, request) => roomRequest(toParty, roomId, request),
      callRoom: (toParty, roomId, method, arg) => roomCall(toParty, roomId, method, arg),
      geo: (ip, request) => options.geo?.(ip, request) ?? Promise.resolve({}),
    };
    entry.context = context;
    entry.server = new parties[party](context);
    entry.started = Promise.resolve(entry.server.onStart?.());
    rooms.set(key, entry);
    return entry;
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

  function scheduleAlarm(key: string, entry: Room, time: number | null): void {
    clearTimeout(entry.alarmTimer);
    entry.alarmTimer = undefined;
    // Once closing, no alarm fires: the stored one fires after the next start.
    if (time === null || closing) return;
    const delay = Math.max(0, time - Date.now());
    entry.alarmTimer = setTimeout(
      () => (delay > maxTimer ? scheduleAlarm(key, entry, time) : track(entry, fireAlarm(entry))),
      Math.min(delay, maxTimer),
    );
  }

  async function fireAlarm(entry: Room): Promise<void> {
    entry.alarmTimer = undefined;
    try {
      await entry.started;
      await entry.context.storage.deleteAlarm();
      await entry.server.onAlarm?.();
    } catch (error) {
      log.error("alarm failed", { room: `${entry.context.party}/${entry.context.id}`, error });
    }
  }

  const http = createServer((req, res) => {
    handleHttp(req, res).catch((error) => {
      log.error("request failed", { url: req.url, error });
      if (!res.headersSent) sendJson(res, 500, { error: "internal", message: "Internal error" });
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://relay");
    if (url.pathname === "/" || url.pathname === "/demo") return redirect(res, "/demo/");
    if (url.pathname === "/agent") return redirect(res, "/agent/");
    if (url.pathname.startsWith("/api/")) {
      const body = await apiBody(req, url.pathname);
      if (body === null) {
        // The rest of the body is never read: answer, then close the connection.
        res.setHeader("connection", "close");
        return sendJson(res, 413, {
          error: "too_large",
          message: `Request bodies are limited to ${BODY_BYTES} bytes`,
        });
      }
      const response = await roomRequest(
        "directory",
        "global",
        new Request(requestUrl(req), {
          method: req.method,
          headers: toHeaders(req),
          body,
          duplex: "half",
        } as RequestInit),
      );
      // A refused upload is answered before its body is read: close rather than read it all.
      if (!req.complete) res.setHeader("connection", "close");
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    if (await serveStatic(mounts, req, res, url.pathname)) return;
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
  }

  /** The URL the client asked for: rooms make absolute links (uploads) from it. */
  function requestUrl(req: IncomingMessage): string {
    const forwarded = req.headers["x-forwarded-proto"];
    const scheme =
      options.trustProxy && (forwarded === "https" || forwarded === "http") ? forwarded : "http";
    return `${scheme}://${req.headers.host ?? "relay"}${req.url ?? "/"}`;
  }

  function clientIp(req: IncomingMessage): string | null {
    const forwarded = req.headers["x-forwarded-for"];
    if (options.trustProxy && typeof forwarded === "string") {
      return forwarded.split(",")[0]?.trim() || null;
    }
    return req.socket.remoteAddress ?? null;
  }

  // The payload cap is above FRAME_BYTES on purpose: rooms answer a frame that is too
  // large with an error frame; only frames far past the limit are cut by `ws` itself (1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * FRAME_BYTES });

  http.on("upgrade", (req, socket, head) => {
    const match = partyPath.exec(new URL(req.url ?? "/", "http://relay").pathname);
    const party = match?.[1];
    const id = match?.[2];
    if (!party || !id || !(party in parties) || party === "directory") {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const target = room(party as PartyName, id);
      void track(
        target,
        acceptConnection(target, ws, {
          request: new Request(requestUrl(req), { headers: toHeaders(req) }),
          ip: clientIp(req),
        }),
      );
    });
  });

  async function acceptConnection(target: Room, ws: WebSocket, ctx: ConnectionContext) {
    const conn = nodeConnection(ws);
    // Frames that arrive while the room is still accepting the connection wait their turn.
    const early: string[] = [];
    let ready = false;
    ws.on("message", (data, isBinary) => {
      const message = isBinary ? "" : data.toString();
      if (!ready) early.push(message);
      else dispatch(message);
    });
    const dispatch = (message: string) =>
      track(
        target,
        Promise.resolve(target.server.onMessage?.(conn, message)).catch((error) =>
          log.error("onMessage failed", { room: target.context.id, error }),
        ),
      );
    ws.on("close", (code, reason) => {
      // On shutdown the rooms are not told: as after a crash, they recover state on restart.
      if (!target.connections.delete(conn.id) || closing) return;
      track(
        target,
        Promise.resolve(target.server.onClose?.(conn, code, reason.toString())).catch((error) =>
          log.error("onClose failed", { room: target.context.id, error }),
        ),
      );
    });
    try {
      await target.started;
      conn.tags = (await target.server.getConnectionTags?.(conn, ctx)) ?? [];
      if (ws.readyState !== ws.OPEN) return;
      target.connections.set(conn.id, conn);
      await target.server.onConnect?.(conn, ctx);
    } catch (error) {
      log.error("onConnect failed", { room: target.context.id, error });
      conn.close(1011, "internal error");
      return;
    }
    ready = true;
    for (const message of early) dispatch(message);
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;

  for (const alarm of db.alarms()) {
    const [party, id] = alarm.roomKey.split("/") as [PartyName, string];
    if (party in parties) {
      const entry = room(party, id);
      scheduleAlarm(alarm.roomKey, entry, alarm.time);
    }
  }

  if (options.demo ?? true) {
    const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, url];
    const response = await roomRequest(
      "directory",
      "global",
      new Request("https://room/bootstrap", {
        method: "POST",
        body: JSON.stringify({
          site: { id: DEMO.siteId, name: DEMO.siteName, allowedOrigins: [...new Set(origins)] },
          admin: { email: DEMO.email, name: DEMO.name, password: DEMO.password },
        }),
      }),
    );
    if (!response.ok) throw new Error(`demo bootstrap failed: ${await response.text()}`);
  }

  return {
    url,
    port,
    roomsInMemory: () => rooms.size,
    async close() {
      closing = true;
      clearInterval(unloadTimer);
      for (const client of wss.clients) client.close(1001, "relay shutting down");
      for (const entry of rooms.values()) clearTimeout(entry.alarmTimer);
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      for (const client of wss.clients) client.terminate();
      if (handling > 0) await new Promise<void>((resolve) => (idle = resolve));
      await db.close();
    },
  };
}

/**
 * The bundles are imported by host pages on other origins (module scripts need CORS); the
 * console gets a strict CSP (frames of any web page: the pointer shows the visitor's page);
 * content-hashed files are cached for good.
 */
function staticMounts(options: RelayOptions): Mount[] {
  const mounts: Mount[] = [];
  if (options.demoDir) mounts.push({ prefix: "/demo/", dir: options.demoDir });
  if (options.publicDir) {
    const cors = { "access-control-allow-origin": "*" };
    mounts.push(
      {
        prefix: "/agent/",
        dir: join(options.publicDir, "agent"),
        immutable: /^assets\//,
        headers: {
          "content-security-policy":
            "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-src http: https:; frame-ancestors 'none'",
          "referrer-policy": "same-origin",
        },
      },
      { prefix: "/chunks/", dir: join(options.publicDir, "chunks"), immutable: /./, headers: cors },
      // loader.js and sdk.js keep their names across releases: host pages may use them for
      // five minutes without asking, so a release reaches every page within five minutes.
      { prefix: "/", dir: options.publicDir, headers: cors, maxAge: 300 },
    );
  }
  return mounts;
}

function nodeConnection(ws: WebSocket): Connection & { tags: string[] } {
  let state: Json | null = null;
  return {
    id: randomUUID(),
    tags: [],
    get state() {
      return state;
    },
    setState(next) {
      state = next;
    },
    send(message) {
      if (ws.readyState !== ws.OPEN) return;
      try {
        ws.send(message);
      } catch {
        ws.terminate();
      }
    },
    close(code, reason) {
      try {
        ws.close(code, reason);
      } catch {
        ws.terminate();
      }
    },
  };
}

/**
 * The body of an `/api/*` request for the directory room. Uploads stream through as they come:
 * the room checks who sends them before it reads a byte, and stops at UPLOAD_BYTES.
 * Anything else is read here, up to BODY_BYTES (null past that; undefined when empty).
 */
async function apiBody(
  req: IncomingMessage,
  pathname: string,
): Promise<BodyInit | null | undefined> {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return undefined;
  if (pathname === "/api/uploads") return Readable.toWeb(req) as ReadableStream<Uint8Array>;
  const body = await readBody(req);
  if (body === null) return null;
  return body.length > 0 ? body : undefined;
}

/** The body, or null when it is larger than BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_BYTES) {
        req.pause();
        req.removeAllListeners("data");
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location }).end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
