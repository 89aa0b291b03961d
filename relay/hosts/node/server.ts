import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { BODY_BYTES, FRAME_BYTES } from "../../../protocol/index.ts";
import { checkDemoBootstrap, demoBootstrapRequest } from "../../demo-site.ts";
import { log } from "../../log.ts";
import { BINARY_FRAME_REFUSED, type PartyName } from "../../party.ts";
import { parties } from "../../rooms/index.ts";
import { STATIC_ROUTES } from "../../static-routes.ts";
import { lockDatabase } from "./database-lock.ts";
import { createRooms, type Rooms, type RoomsOptions, type Sockets } from "./rooms-host.ts";
import { startRoomsThread } from "./rooms-thread.ts";
import { type Mount, serveStatic } from "./static-files.ts";

export type RelayOptions = RoomsOptions & {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Address to bind. */
  host: string;
  /** Built browser bundles (loader.js, sdk.js, agent/) to serve; none when left out. */
  publicDir?: string;
  /** The demo shop's pages, served at /demo/; none when left out. */
  demoDir?: string;
  /** Take the client IP from `X-Forwarded-For` (only behind a proxy you run). */
  trustProxy?: boolean;
  /**
   * The origin clients reach the relay at (`https://relay.example`): the links it makes
   * (uploads) start with it. Left out, they start with the request's `Host`.
   */
  publicUrl?: string;
  /** Make sure the demo site and admin exist (default true). */
  demo?: boolean;
  /**
   * Run the rooms on a thread of their own, beside the one that holds the sockets (default
   * true). Off, both share one thread: for tests that fake the clock, which reaches one thread.
   */
  roomsThread?: boolean;
};

export type Relay = {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** Closes every socket, commits pending writes and stops listening. */
  close(): Promise<void>;
  /** How many rooms are in memory; the others wait in SQLite until they are needed. */
  roomsInMemory(): Promise<number>;
};

const partyPath = /^\/parties\/([a-z]+)\/([A-Za-z0-9_-]{1,64})\/?$/;
/** A `Host` header: a name or an address, and a port; nothing that could add a path. */
const hostHeader = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const badHost = "The Host header must be a host name or address, with an optional port";

/**
 * Starts the node host: the `/parties/:party/:room` WebSocket routes, the `/api/*` HTTP API,
 * static files for `/demo/`, `/agent/` and the bundles, and rooms kept in one SQLite file.
 * Rejects with a `DatabaseInUseError` while another relay runs on that file.
 *
 * @example
 * const relay = await startRelay({ port: 0, host: "127.0.0.1", dbPath: "/tmp/parley.sqlite" });
 * console.log(relay.url); // http://127.0.0.1:41234
 * await relay.close();
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  if (options.publicUrl && !/^https?:\/\/[^/?#]+\/?$/.test(options.publicUrl)) {
    throw new Error(
      `The public URL must be an origin such as https://relay.example, not ${options.publicUrl}`,
    );
  }
  const mounts = staticMounts(options);
  const lock = lockDatabase(options.dbPath);
  // The open sockets by connection id, which is how the rooms name them.
  const sockets = new Map<string, WebSocket>();
  const toSockets: Sockets = {
    send(conn, message) {
      const ws = sockets.get(conn);
      if (!ws || ws.readyState !== ws.OPEN) return;
      try {
        ws.send(message);
      } catch {
        ws.terminate();
      }
    },
    close(conn, code, reason) {
      const ws = sockets.get(conn);
      try {
        ws?.close(code, reason);
      } catch {
        ws?.terminate();
      }
    },
  };
  // Only the rooms' own settings: the thread gets them as a copy.
  const roomsOptions: RoomsOptions = {
    dbPath: options.dbPath,
    geo: options.geo,
    unloadIdleVisitorRoomsAfterMs: options.unloadIdleVisitorRoomsAfterMs,
    busyTimeoutMs: options.busyTimeoutMs,
  };
  let rooms: Rooms;
  try {
    rooms =
      (options.roomsThread ?? true)
        ? await startRoomsThread(roomsOptions, toSockets)
        : createRooms(roomsOptions, toSockets);
  } catch (error) {
    lock.release();
    throw error;
  }
  let closing = false;

  const http = createServer((req, res) => {
    handleHttp(req, res).catch((error) => {
      // A client that hangs up mid-body is no failure of the relay's.
      if (req.destroyed && !req.complete) log.info("request aborted", { url: req.url });
      else log.error("request failed", { url: req.url, error });
      if (!res.headersSent) sendJson(res, 500, { error: "internal", message: "Internal error" });
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://relay");
    if (url.pathname === "/" || url.pathname === "/demo") return redirect(res, "/demo/");
    if (url.pathname === "/agent") return redirect(res, "/agent/");
    if (url.pathname.startsWith("/api/")) {
      const target = roomUrl(req, url);
      if (!target) return sendJson(res, 400, { error: "bad_host", message: badHost });
      const body = await apiBody(req, url.pathname);
      if (body === null) {
        // The rest of the body is never read: answer, then close the connection.
        res.setHeader("connection", "close");
        return sendJson(res, 413, {
          error: "too_large",
          message: `Request bodies are limited to ${BODY_BYTES} bytes`,
        });
      }
      const response = await rooms.request(
        "directory",
        "global",
        new Request(target, {
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

  /**
   * The URL handed to the rooms: the path the routing above read from `url` (never one a
   * header could change), on the relay's public origin, from which rooms make absolute links
   * (uploads). Null when that origin would come from a malformed `Host`.
   */
  function roomUrl(req: IncomingMessage, url: URL): string | null {
    const path = `${url.pathname}${url.search}`;
    if (options.publicUrl) return new URL(path, options.publicUrl).href;
    const host = req.headers.host ?? "relay";
    if (!hostHeader.test(host)) return null;
    const forwarded = req.headers["x-forwarded-proto"];
    const scheme =
      options.trustProxy && (forwarded === "https" || forwarded === "http") ? forwarded : "http";
    return `${scheme}://${host}${path}`;
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
    const url = new URL(req.url ?? "/", "http://relay");
    const match = partyPath.exec(url.pathname);
    const party = match?.[1];
    const id = match?.[2];
    if (!party || !id || !(party in parties) || party === "directory") {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
      return;
    }
    const target = roomUrl(req, url);
    if (!target) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n${badHost}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = randomUUID();
      sockets.set(conn, ws);
      ws.on("message", (data, isBinary) => {
        if (isBinary) ws.close(BINARY_FRAME_REFUSED.code, BINARY_FRAME_REFUSED.reason);
        else rooms.message(conn, data.toString());
      });
      // A frame past `maxPayload` or with broken UTF-8: `ws` closes the socket (1009, 1007)
      // after this event, which would otherwise throw and end the process.
      ws.on("error", (error) => log.info("socket closed on a bad frame", { conn, error }));
      ws.on("close", (code, reason) => {
        sockets.delete(conn);
        // On shutdown the rooms are not told: as after a crash, they recover state on restart.
        if (!closing) rooms.disconnect(conn, code, reason.toString());
      });
      rooms.connect(conn, party as PartyName, id, {
        request: new Request(target, { headers: toHeaders(req) }),
        ip: clientIp(req),
      });
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await rooms.close();
    lock.release();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;

  if (options.demo ?? true) {
    const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, url];
    await checkDemoBootstrap(
      await rooms.request("directory", "global", demoBootstrapRequest(origins)),
    );
  }

  return {
    url,
    port,
    roomsInMemory: () => rooms.roomsInMemory(),
    async close() {
      closing = true;
      for (const client of wss.clients) client.close(1001, "relay shutting down");
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      for (const client of wss.clients) client.terminate();
      await rooms.close();
      lock.release();
    },
  };
}

/** The static routes (relay/static-routes.ts) whose files this relay was given. */
function staticMounts(options: RelayOptions): Mount[] {
  const mounts: Mount[] = [];
  for (const { source, ...route } of STATIC_ROUTES) {
    if ("demo" in source) {
      if (options.demoDir) mounts.push({ ...route, dir: options.demoDir });
    } else if (options.publicDir) {
      mounts.push({ ...route, dir: join(options.publicDir, source.built) });
    }
  }
  return mounts;
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
