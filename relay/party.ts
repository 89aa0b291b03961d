/**
 * The host-neutral interface every room is written against. It follows the PartyKit server
 * shape (partyserver's `Server`), so the same room classes run on the node host (one process,
 * `ws` + SQLite) and on Cloudflare (Durable Objects through partyserver).
 */

/** A JSON-compatible value, as rooms keep in storage. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

/** Options for {@link RoomStorage.list}; keys come back in ascending UTF-8 order. */
export type ListOptions = {
  /** Only keys that start with this. */
  prefix?: string;
  /** Only keys at or after this one. */
  start?: string;
  /** Only keys before this one. */
  end?: string;
  /** At most this many entries. */
  limit?: number;
  /** Descending order instead. */
  reverse?: boolean;
};

/**
 * A room's private key-value storage, as in Durable Objects. Writes are durable once their
 * promise resolves: a room acknowledges a client only after awaiting the write.
 */
export interface RoomStorage {
  /** The value under `key`, or undefined. */
  get<T extends Json>(key: string): Promise<T | undefined>;
  /** The values under `keys` that exist. */
  getMany<T extends Json>(keys: string[]): Promise<Map<string, T>>;
  /** Stores `value` under `key`. */
  put(key: string, value: Json): Promise<void>;
  /**
   * Stores every entry at once. Hot paths pass a Map: V8 gives a plain object a new hidden
   * class for every new property name, which makes a record keyed by ids slow to build.
   */
  putMany(entries: Record<string, Json> | ReadonlyMap<string, Json>): Promise<void>;
  /** Deletes `key`; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Deletes every key in `keys`; the number that existed. */
  deleteMany(keys: string[]): Promise<number>;
  /** Entries in key order; see {@link ListOptions}. */
  list<T extends Json>(options?: ListOptions): Promise<Map<string, T>>;
  /**
   * Runs `fn` so that no other storage call of this room interleaves with it and all its
   * writes land together or not at all.
   */
  transaction<T>(fn: (txn: RoomStorage) => Promise<T>): Promise<T>;
  /** Schedules the room's `onAlarm` at `time` (ms since epoch), replacing any earlier alarm. */
  setAlarm(time: number): Promise<void>;
  /** The time of the scheduled alarm, or null. */
  getAlarm(): Promise<number | null>;
  /** Cancels the scheduled alarm. */
  deleteAlarm(): Promise<void>;
}

/**
 * What storage calls reject with once the host has stopped: the room's work still under way
 * (a timer's, say) is dropped, as if the process had ended, and there is nothing to report.
 */
export class StorageClosedError extends Error {
  constructor() {
    super("storage is closed");
    this.name = "StorageClosedError";
  }
}

/** Frames are JSON text: every host closes a socket that sends a binary frame with this. */
export const BINARY_FRAME_REFUSED = {
  code: 1003,
  reason: "Frames are JSON text; binary frames are refused",
} as const;

/** One WebSocket client of a room. */
export interface Connection<State extends Json = Json> {
  /** Unique within the room. */
  readonly id: string;
  /** Tags given by the room in `getConnectionTags`; used to pick connections. */
  readonly tags: readonly string[];
  /** What the room attached with {@link Connection.setState} (survives hibernation). */
  readonly state: State | null;
  setState(state: State): void;
  /** Sends a text frame; never throws (a broken connection is closed instead). */
  send(message: string): void;
  /** Closes the socket with a WebSocket close code. */
  close(code?: number, reason?: string): void;
}

/** What the host knows about a connection when it opens. */
export type ConnectionContext = {
  /** The upgrade request: URL with query string, headers (`Origin`, `User-Agent`). */
  request: Request;
  /** Client IP: the socket address, or a proxy header where the host trusts one. */
  ip: string | null;
};

/**
 * What a stored file carries besides its bytes. String values only, as R2's custom metadata
 * takes them. `type` is the checked content type, `name` the file name to offer on download.
 */
export type BlobMeta = { type: string; name: string; [field: string]: string };

/**
 * Files too large for room storage (chat uploads), shared by every room of the deployment:
 * files on disk on the node host, an R2 bucket on Cloudflare. Keys are URL-safe ids.
 */
export interface BlobStore {
  /** Stores `bytes` under `key`; durable once the promise resolves. */
  put(key: string, bytes: ArrayBuffer, meta: BlobMeta): Promise<void>;
  /** The file and its metadata, or null when there is none. */
  get(key: string): Promise<{ bytes: ArrayBuffer; meta: BlobMeta } | null>;
  /** The metadata alone (no bytes read), or null when there is no such file. */
  head(key: string): Promise<BlobMeta | null>;
  /** Deletes the file and its metadata; nothing when there is none. */
  delete(key: string): Promise<void>;
}

/** Host services a room reaches through `this.room`. */
export interface RoomContext {
  /** The room's id: the `:room` part of `/parties/:party/:room`. */
  readonly id: string;
  /** The room's party: `visitor`, `site`, `directory`. */
  readonly party: string;
  readonly storage: RoomStorage;
  /** Uploaded files, shared by all rooms. */
  readonly blobs: BlobStore;
  /** Deployment settings, e.g. `PARLEY_SECRET` for signing agent tokens. */
  readonly env: RelayEnv;
  /** Sends `message` to every connection, or to those carrying `tag`, except `without` ids. */
  broadcast(message: string, options?: { tag?: string; without?: string[] }): void;
  /** Open connections, or those carrying `tag`. */
  getConnections(tag?: string): Iterable<Connection>;
  getConnection(id: string): Connection | undefined;
  /**
   * Sends an HTTP request to another room's `onRequest` (PartyKit's `context.parties`):
   * `fetchRoom("site", siteId, new Request("https://room/roster", {...}))`.
   */
  fetchRoom(party: PartyName, roomId: string, request: Request): Promise<Response>;
  /**
   * Calls another room's `onCall` with `arg` and resolves with its answer: a Durable Object RPC
   * call on Cloudflare, a plain call on the node host, with no HTTP request built. For the hot
   * path between rooms, where `fetchRoom` would cost more than the work itself:
   * `callRoom("site", siteId, "roster", { entry })`. `arg` is handed over: RPC copies it, the
   * node host passes it as is, so neither room may change it or anything in it afterwards.
   */
  callRoom(party: PartyName, roomId: string, method: string, arg: Json): Promise<Json | undefined>;
  /** Resolves an IP to a place; hosts without a resolver answer `{}`. */
  geo(ip: string | null, request: Request): Promise<import("../protocol/index.ts").Geo>;
}

/** Deployment settings handed to every room. */
export type RelayEnv = {
  /** Secret for signing agent session tokens (HMAC-SHA256). */
  PARLEY_SECRET: string;
};

/** The parties a host routes: `/parties/:party/:room`. */
export type PartyName = "visitor" | "site" | "directory";

/** A room: one instance per (party, room id), created by the host on first use. */
export interface PartyServer {
  /** Called once before the first connection, request or alarm. */
  onStart?(): Promise<void> | void;
  /** Tags for a new connection, picked before `onConnect`. */
  getConnectionTags?(conn: Connection, ctx: ConnectionContext): string[] | Promise<string[]>;
  onConnect?(conn: Connection, ctx: ConnectionContext): Promise<void> | void;
  onMessage?(conn: Connection, message: string): Promise<void> | void;
  onClose?(conn: Connection, code: number, reason: string): Promise<void> | void;
  /** HTTP requests routed to this room, and requests from other rooms via `fetchRoom`. */
  onRequest?(request: Request): Promise<Response> | Response;
  /** Calls from other rooms via `callRoom`; throws for a method it does not know. */
  onCall?(method: string, arg: Json): Promise<Json | undefined> | Json | undefined;
  onAlarm?(): Promise<void> | void;
  /**
   * True while the room holds nothing, in memory or stored (an id no visitor or site has):
   * the host then drops it as soon as it is idle, so that a connection or call naming an id
   * that does not exist leaves nothing behind.
   */
  isEmpty?(): boolean;
}

/** How a host builds a room of a party. */
export type PartyClass = new (room: RoomContext) => PartyServer;
