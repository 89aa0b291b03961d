/**
 * The rooms as Durable Objects: each party's room class (relay/rooms) wrapped in a partyserver
 * `Server`, one object per room id, with WebSocket hibernation. The object gives its room the
 * same `RoomContext` as the node host: its own storage, the open connections and their tags,
 * calls to other rooms (Durable Object RPC), uploads (R2), and the place from `request.cf`.
 */
import {
  type Connection as PartyConnection,
  type ConnectionContext as PartyConnectionContext,
  Server,
  type WSMessage,
} from "partyserver";
import type { Geo } from "../../../../protocol/index.ts";
import { configureLog, isLogLevel, log } from "../../../log.ts";
import {
  BINARY_FRAME_REFUSED,
  type BlobStore,
  type Connection,
  type ConnectionContext,
  type Json,
  type PartyName,
  type PartyServer,
  type RelayEnv,
  type RoomContext,
  type RoomStorage,
} from "../../../party.ts";
import { parties } from "../../../rooms/index.ts";
import { DurableStorage } from "./durable-storage.ts";
import { r2BlobStore } from "./r2-blob-store.ts";

/** The Worker's bindings (relay/hosts/cloudflare/wrangler.jsonc) and settings. */
export type CloudflareEnv = {
  visitor: DurableObjectNamespace<RoomObject>;
  site: DurableObjectNamespace<RoomObject>;
  directory: DurableObjectNamespace<RoomObject>;
  uploads: R2Bucket;
  ASSETS: Fetcher;
  /** Signs agent session tokens: `wrangler secret put PARLEY_SECRET`. */
  PARLEY_SECRET?: string;
  /** `on`: the demo site and admin are made sure to exist, as `npm start` does. */
  PARLEY_DEMO?: string;
  /** What the rooms log (relay/log.ts): `silent`, `error`, `info` (the default) or `debug`. */
  PARLEY_LOG?: string;
};

declare global {
  namespace Cloudflare {
    interface Env extends CloudflareEnv {}
  }
}

/** The object every party's class extends; `call` is what other rooms reach by RPC. */
export type RoomObject = Server<CloudflareEnv> & {
  call(method: string, arg: Json): Promise<Json | undefined>;
};

/**
 * The Durable Object class of one party.
 *
 * @example
 * export class VisitorObject extends roomObject("visitor") {}
 */
export function roomObject(party: PartyName) {
  return class extends Server<CloudflareEnv> {
    static override options = { hibernate: true };
    #room: Promise<PartyServer> | undefined;

    constructor(ctx: DurableObjectState, env: CloudflareEnv) {
      super(ctx, env);
      if (isLogLevel(env.PARLEY_LOG)) configureLog({ level: env.PARLEY_LOG });
    }

    /**
     * The room, made and started on first use; one that failed to start is made again next time.
     * Sockets already open then mean the object woke from hibernation.
     */
    #started(): Promise<PartyServer> {
      if (!this.#room) {
        const sockets = this.ctx.getWebSockets().length;
        if (sockets > 0) {
          log.debug("room started with sockets open", { room: `${party}/${this.name}`, sockets });
        }
        const room = new parties[party](new DurableRoomContext(this, party));
        this.#room = Promise.resolve(room.onStart?.()).then(() => room);
        this.#room.catch((error) => {
          log.error("room failed to start", { room: `${party}/${this.name}`, error });
          this.#room = undefined;
        });
      }
      return this.#room;
    }

    override async onStart(): Promise<void> {
      await this.#started();
    }

    /** A failure leaves the tags empty: `onConnect` then fails too, and closes the socket. */
    override async getConnectionTags(
      conn: PartyConnection,
      ctx: PartyConnectionContext,
    ): Promise<string[]> {
      try {
        const room = await this.#started();
        return (await room.getConnectionTags?.(new DurableConnection(conn), contextOf(ctx))) ?? [];
      } catch {
        return [];
      }
    }

    /**
     * partyserver answers the upgrade only once this has run, so no frame comes before the
     * room has accepted the connection (the node host holds such frames back instead).
     */
    override async onConnect(conn: PartyConnection, ctx: PartyConnectionContext): Promise<void> {
      try {
        const room = await this.#started();
        await room.onConnect?.(new DurableConnection(conn), contextOf(ctx));
      } catch (error) {
        log.error("onConnect failed", { room: `${party}/${this.name}`, error });
        conn.close(1011, "internal error");
      }
    }

    override async onMessage(conn: PartyConnection, message: WSMessage): Promise<void> {
      if (typeof message !== "string") {
        conn.close(BINARY_FRAME_REFUSED.code, BINARY_FRAME_REFUSED.reason);
        return;
      }
      try {
        const room = await this.#started();
        await room.onMessage?.(new DurableConnection(conn), message);
      } catch (error) {
        log.error("onMessage failed", { room: `${party}/${this.name}`, error });
      }
    }

    override async onClose(conn: PartyConnection, code: number, reason: string): Promise<void> {
      // A hibernatable socket's close handshake waits for the server's own close frame; codes
      // a client cannot have sent (1005: none given) are answered with a plain close.
      const closed = new DurableConnection(conn);
      if (code < 1005 || code > 1015) closed.close(code, reason);
      else closed.close();
      try {
        const room = await this.#started();
        await room.onClose?.(closed, code, reason);
      } catch (error) {
        log.error("onClose failed", { room: `${party}/${this.name}`, error });
      }
    }

    /** Requests from the Worker (`/api/*` to the directory) and from other rooms. */
    override async onRequest(request: Request): Promise<Response> {
      try {
        const room = await this.#started();
        if (!room.onRequest) return new Response("Not found", { status: 404 });
        return await room.onRequest(request);
      } catch (error) {
        // partyserver would answer with the stack: say no more than the node host does.
        log.error("request failed", { room: `${party}/${this.name}`, url: request.url, error });
        return Response.json({ error: "internal", message: "Internal error" }, { status: 500 });
      }
    }

    /** A failure throws: the Durable Object runs the alarm again with backoff. */
    override async onAlarm(): Promise<void> {
      const room = await this.#started();
      await room.onAlarm?.();
    }

    /** Another room's `callRoom`, by RPC; throws for a party that takes no calls. */
    async call(method: string, arg: Json): Promise<Json | undefined> {
      const room = await this.#started();
      if (!room.onCall) throw new Error(`${party} rooms take no calls`);
      return room.onCall(method, arg);
    }
  };
}

/** What a room reaches through `this.room` on this host. */
class DurableRoomContext implements RoomContext {
  readonly storage: RoomStorage;
  readonly blobs: BlobStore;
  readonly env: RelayEnv;
  private readonly bindings: CloudflareEnv;

  constructor(
    private readonly object: Server<CloudflareEnv>,
    readonly party: PartyName,
  ) {
    const { ctx, env } = object as unknown as { ctx: DurableObjectState; env: CloudflareEnv };
    this.bindings = env;
    this.storage = new DurableStorage(ctx.storage);
    this.blobs = r2BlobStore(env.uploads);
    this.env = { PARLEY_SECRET: requiredSecret(env) };
  }

  get id(): string {
    return this.object.name;
  }

  broadcast(message: string, { tag, without }: { tag?: string; without?: string[] } = {}): void {
    for (const conn of this.object.getConnections(tag)) {
      if (without?.includes(conn.id)) continue;
      new DurableConnection(conn).send(message);
    }
  }

  getConnections(tag?: string): Connection[] {
    return Array.from(this.object.getConnections(tag), (conn) => new DurableConnection(conn));
  }

  getConnection(id: string): Connection | undefined {
    const conn = this.object.getConnection(id);
    return conn && new DurableConnection(conn);
  }

  fetchRoom(party: PartyName, roomId: string, request: Request): Promise<Response> {
    return this.bindings[party].getByName(roomId).fetch(request);
  }

  callRoom(party: PartyName, roomId: string, method: string, arg: Json): Promise<Json | undefined> {
    const stub = this.bindings[party].getByName(roomId) as unknown as RoomObject;
    return stub.call(method, arg);
  }

  /** The place Cloudflare puts the client at (`request.cf`); `{}` where it says nothing. */
  async geo(_ip: string | null, request: Request): Promise<Geo> {
    const cf = (request as { cf?: Record<string, unknown> }).cf ?? {};
    const geo: Geo = {};
    if (typeof cf.city === "string" && cf.city) geo.city = cf.city;
    if (typeof cf.region === "string" && cf.region) geo.region = cf.region;
    if (typeof cf.country === "string" && cf.country) geo.country = cf.country;
    return geo;
  }
}

/** A socket as its room sees it; sending on a socket that broke closes it instead of throwing. */
class DurableConnection implements Connection {
  constructor(private readonly socket: PartyConnection) {}

  get id(): string {
    return this.socket.id;
  }

  get tags(): readonly string[] {
    return this.socket.tags;
  }

  get state(): Json | null {
    return this.socket.state as Json | null;
  }

  setState(state: Json): void {
    this.socket.setState(state);
  }

  send(message: string): void {
    try {
      this.socket.send(message);
    } catch {
      this.close(1011, "send failed");
    }
  }

  close(code?: number, reason?: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // Closed already.
    }
  }
}

function contextOf(ctx: PartyConnectionContext): ConnectionContext {
  return { request: ctx.request, ip: ctx.request.headers.get("cf-connecting-ip") };
}

/** The token secret, which a deployment must set; without it no agent could sign in safely. */
export function requiredSecret(env: CloudflareEnv): string {
  const secret = env.PARLEY_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error(
      "PARLEY_SECRET is not set (at least 32 characters): wrangler secret put PARLEY_SECRET",
    );
  }
  return secret;
}
