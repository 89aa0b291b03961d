/**
 * The rooms on a thread of their own, so that the thread holding the sockets spends its time
 * reading frames and writing answers, and the rooms' work runs beside it on the second core.
 * Each side sees the other through a `threadLink`: sockets' lives and frames go to the rooms,
 * the frames rooms send come back, all batched per turn of the event loop.
 */
import { type MessagePort, type Transferable, Worker } from "node:worker_threads";
import type { Geo } from "../../../protocol/index.ts";
import type { PartyName } from "../../party.ts";
import { createRooms, type Rooms, type RoomsOptions, type Sockets } from "./rooms-host.ts";
import { threadLink } from "./thread-link.ts";

/** What the rooms thread starts with: the options, less the geo resolver (a function). */
type ThreadData = Omit<RoomsOptions, "geo"> & { geo: boolean };

type Opened = [
  party: PartyName,
  id: string,
  url: string,
  headers: [string, string][],
  ip: string | null,
];
type Closed = [code?: number, reason?: string];
type Gone = [code: number, reason: string];
type RequestCall = [
  party: PartyName,
  id: string,
  method: string,
  url: string,
  headers: [string, string][],
  body: ReadableStream<Uint8Array> | undefined,
];
type ResponseAnswer = [status: number, headers: [string, string][], body: ArrayBuffer];
type GeoCall = [ip: string | null, url: string, headers: [string, string][]];

// Bundled, this module is part of dist/relay and the thread's entry is beside it. From source
// (tests) the entry is TypeScript: the thread first registers tsx, which reads it.
const fromSource = import.meta.url.endsWith(".ts");
const entry = new URL(fromSource ? "./rooms-worker.ts" : "./rooms-worker.js", import.meta.url);

function threadEntry(): URL {
  if (!fromSource) return entry;
  const tsx = import.meta.resolve("tsx/esm/api");
  const program = `const { register } = await import(${JSON.stringify(tsx)});
register();
await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(program)}`);
}

/**
 * Starts the rooms thread; resolves once its rooms are ready (the file open, stored alarms
 * scheduled). Should the thread fail later, the process ends as it would with the rooms on the
 * main thread.
 */
export async function startRoomsThread(options: RoomsOptions, sockets: Sockets): Promise<Rooms> {
  const { geo, ...rest } = options;
  const workerData: ThreadData = { ...rest, geo: geo !== undefined };
  const worker = new Worker(threadEntry(), { workerData });
  const link = threadLink(worker, {
    note(kind, conn, payload) {
      if (kind === "send") sockets.send(conn, payload as string);
      else if (kind === "close") sockets.close(conn, ...(payload as Closed));
    },
    async call(kind, payload) {
      if (kind !== "geo" || !geo) throw new Error(`the rooms thread asked for ${kind}`);
      const [ip, url, headers] = payload as GeoCall;
      return { value: await geo(ip, new Request(url, { headers })) };
    },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    link.call("start", null).then(() => {
      worker.off("error", reject);
      resolve();
    }, reject);
  });

  return {
    connect(conn, party, id, { request, ip }) {
      const opened: Opened = [party, id, request.url, [...request.headers], ip];
      link.note("open", conn, opened);
    },
    message(conn, text) {
      link.note("frame", conn, text);
    },
    disconnect(conn, code, reason) {
      link.note("gone", conn, [code, reason] satisfies Gone);
    },
    async request(party, id, request) {
      const body = request.body ?? undefined;
      const call: RequestCall = [
        party,
        id,
        request.method,
        request.url,
        [...request.headers],
        body,
      ];
      const [status, headers, bytes] = (await link.call(
        "request",
        call,
        body as Transferable | undefined,
      )) as ResponseAnswer;
      return new Response(bytes.byteLength > 0 ? bytes : null, { status, headers });
    },
    roomsInMemory: () => link.call("count", null) as Promise<number>,
    async close() {
      await link.call("close", null);
      await worker.terminate();
    },
  };
}

/** The thread's side: runs the rooms and answers the socket thread over `port`. */
export function serveRooms(port: MessagePort, data: ThreadData): void {
  const link = threadLink(port, {
    note(kind, conn, payload) {
      if (kind === "frame") rooms.message(conn, payload as string);
      else if (kind === "open") {
        const [party, id, url, headers, ip] = payload as Opened;
        rooms.connect(conn, party, id, { request: new Request(url, { headers }), ip });
      } else if (kind === "gone") {
        rooms.disconnect(conn, ...(payload as Gone));
      }
    },
    async call(kind, payload) {
      if (kind === "request") {
        const [party, id, method, url, headers, body] = payload as RequestCall;
        const request = new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
        const response = await rooms.request(party, id, request);
        const bytes = await response.arrayBuffer();
        const answer: ResponseAnswer = [response.status, [...response.headers], bytes];
        return { value: answer, moved: bytes };
      }
      if (kind === "count") return { value: await rooms.roomsInMemory() };
      if (kind === "close") return { value: await rooms.close() };
      if (kind === "start") return { value: null };
      throw new Error(`the socket thread asked for ${kind}`);
    },
  });
  const { geo, ...options } = data;
  const askGeo = (ip: string | null, request: Request) =>
    link.call("geo", [ip, request.url, [...request.headers]] satisfies GeoCall) as Promise<Geo>;
  const rooms = createRooms(
    { ...options, geo: geo ? askGeo : undefined },
    {
      send: (conn, message) => link.note("send", conn, message),
      close: (conn, code, reason) => link.note("close", conn, [code, reason] satisfies Closed),
    },
  );
}
