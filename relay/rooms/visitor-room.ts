/**
 * One room per visitor: the visitor's tabs connect here. It binds the visitor to a site and a
 * secret on first contact, stores tracking events exactly once, keeps the trail and the
 * conversation (chat/visitor-chat.ts), tracks presence with storage alarms, and keeps the site
 * room's roster entry current.
 *
 * Internal routes: `GET /trail` -> protocol `Trail` (404 before the first contact);
 * `POST /uploads/authorize` {siteId, secret} -> 204 | 401 (may this visitor upload?); and the
 * chat routes of chat/visitor-chat.ts.
 */
import * as v from "valibot";
import {
  type AckFrame,
  type Device,
  type ErrorCode,
  type Geo,
  GONE_AFTER_MS,
  HEARTBEAT_MS,
  IDLE_AFTER_MS,
  IdSchema,
  type RosterEntry,
  type TrackFrame,
  TrackingEventSchema,
  VisitorClientFrameSchema,
  type VisitorContact,
  type VisitorStatus,
  type WelcomeFrame,
} from "../../protocol/index.ts";
import { sha256 } from "../auth/index.ts";
import { parseDevice } from "../device.ts";
import { ConnectionGuards, type Refusal, refuseConnection, sendFrame, validate } from "../guard.ts";
import { delegateRoutes, httpError, json, type Routes, readJsonBody, route } from "../http.ts";
import { log } from "../log.ts";
import type { Connection, ConnectionContext, PartyServer, RoomContext } from "../party.ts";
import { sameJson } from "../same-json.ts";
import { Throttle } from "../throttle.ts";
import type { CustomData } from "./chat/profile.ts";
import { VisitorChat } from "./chat/visitor-chat.ts";
import { type Admission, type AdmitCall, SiteIdSchema } from "./site-room.ts";
import type { RosterCall } from "./site-roster.ts";
import { isTrailEvent, loadTrail, VisitorTrail } from "./trail.ts";

/** Roster updates for one visitor reach the site room at most this often (plus a leading one). */
export const ROSTER_PUSH_MS = 250;

/**
 * While a tab stays open without activity no presence change is due, but the room still wakes
 * this often: after a host restart no tab is open any more, and the visitor must go `gone`.
 */
const WATCHDOG_MS = 5 * 60 * 1000;

const SecretSchema = v.pipe(
  v.string(),
  v.minLength(16, "a secret has at least 16 characters"),
  v.maxLength(256, "a secret has at most 256 characters"),
);

/** Who the visitor is, where it belongs and whether it is here; stored under "visitor". */
type VisitorRecord = {
  siteId: string;
  /** SHA-256 of the secret bound on first contact. */
  secretHash: string;
  number: number;
  name: string;
  createdAt: number;
  device: Device;
  geo: Geo;
  /**
   * Relay time of the last activity: a tab opening, a visit, a page view, a chat event. Not an
   * engagement heartbeat: it comes up to a minute after the visitor's last input (see
   * {@link presenceAt}).
   */
  lastActivityAt: number;
  /** Relay time when the last tab closed; null while one is open. */
  closedAt: number | null;
  status: VisitorStatus;
  /** Relay time when the current visit's engaged time was last reported. */
  engagedAt: number;
  /** What the visitor told about itself (`identify`, the offline form). */
  contact?: VisitorContact;
  customData?: CustomData;
};

const UploadAuthorizeBodySchema = v.object({ siteId: v.string(), secret: v.string() });

type TabState = { accepted: true };

const VISITOR_KEY = "visitor";

/** What `POST /forget` answers with. */
export type ForgetResult = { files: string[] };

export class VisitorRoom implements PartyServer {
  private static readonly routes: Routes<VisitorRoom> = {
    "/trail": {
      GET: async (visitorRoom) =>
        visitorRoom.visitor
          ? json(visitorRoom.trail.toTrail(visitorRoom.room.id))
          : httpError(404, "not_found", "No such visitor"),
    },
    "/uploads/authorize": { POST: (visitorRoom, request) => visitorRoom.authorizeUpload(request) },
    "/forget": { POST: (visitorRoom) => visitorRoom.forget() },
    ...delegateRoutes(VisitorChat.routes, (visitorRoom: VisitorRoom) => visitorRoom.chat),
  };
  private visitor: VisitorRecord | undefined;
  private trail = new VisitorTrail();
  private alarmAt: number | null = null;
  /** Connects, frames, closes and alarms run one at a time, in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly guards: ConnectionGuards;
  private readonly rosterPush = new Throttle(ROSTER_PUSH_MS, () => this.pushRosterEntry());
  private readonly name: string;
  private readonly chat: VisitorChat;
  /** The last entry the site room took (it keeps it), to skip sending the same one again. */
  private lastPushed: RosterEntry | undefined;

  constructor(private readonly room: RoomContext) {
    this.name = `${room.party}/${room.id}`;
    this.guards = new ConnectionGuards(this.name);
    this.chat = new VisitorChat({
      room,
      visitor: () => this.visitor,
      tabs: () => this.tabs(),
      serially: (task) => this.serially(task),
    });
  }

  /** No visitor has this id (yet): the host need not keep the room. */
  isEmpty(): boolean {
    return !this.visitor;
  }

  async onStart(): Promise<void> {
    await this.load();
    this.alarmAt = await this.room.storage.getAlarm();
    const visitor = this.visitor;
    // Started without open tabs while the record says present: the host restarted (or the tabs
    // closed unseen). Count from now, as if the last tab had just closed.
    if (
      visitor &&
      visitor.status !== "gone" &&
      visitor.closedAt === null &&
      this.openTabs() === 0
    ) {
      visitor.closedAt = Date.now();
      await this.room.storage.put(VISITOR_KEY, visitor);
      await this.scheduleAlarm(Date.now());
    }
  }

  getConnectionTags(): string[] {
    return ["visitor"];
  }

  onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    return this.serially(() => this.accept(conn, ctx));
  }

  async onMessage(conn: Connection, message: string): Promise<void> {
    const frame = this.guards.receive(conn, message, VisitorClientFrameSchema);
    if (!frame) return;
    switch (frame.type) {
      case "track":
        return this.serially(() => (isAccepted(conn) ? this.track(conn, frame) : undefined));
      case "chat:typing":
        if (isAccepted(conn)) this.chat.typing(frame.text);
        return;
      case "chat:read":
        return this.serially(() => (isAccepted(conn) ? this.chat.read(frame.seq) : undefined));
    }
  }

  async onClose(conn: Connection): Promise<void> {
    this.guards.forget(conn);
    // Queued behind the connect, which may still be accepting this tab.
    await this.serially(async () => {
      const visitor = this.visitor;
      if (!visitor || !isAccepted(conn) || this.openTabs(conn) > 0) return;
      visitor.closedAt = Date.now();
      await this.room.storage.put(VISITOR_KEY, visitor);
      await this.scheduleAlarm(visitor.closedAt);
    });
  }

  async onAlarm(): Promise<void> {
    await this.serially(async () => {
      // The host clears a firing alarm before calling onAlarm.
      this.alarmAt = null;
      const visitor = this.visitor;
      if (!visitor) return;
      const now = Date.now();
      if (this.openTabs() === 0 && visitor.closedAt === null) visitor.closedAt = now;
      if (this.updateStatus(now)) await this.room.storage.put(VISITOR_KEY, visitor);
      await this.scheduleAlarm(now);
    });
  }

  onRequest(request: Request): Promise<Response> | Response {
    return route(VisitorRoom.routes, this, request);
  }

  private serially<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<void> {
    this.visitor = await this.room.storage.get<VisitorRecord>(VISITOR_KEY);
    this.trail = await loadTrail(this.room.storage);
    await this.chat.load();
  }

  /**
   * `POST /forget` (the site room, for an admin): deletes everything stored of the visitor, and
   * closes its tabs, which connect again as a new visitor. Answers with the ids of the files its
   * conversation attached, which the site room deletes.
   */
  private forget(): Promise<Response> {
    return this.serially(async () => {
      const files = await this.chat.fileIds();
      const stored = await this.room.storage.list();
      await this.room.storage.deleteMany([...stored.keys()]);
      await this.room.storage.deleteAlarm();
      this.alarmAt = null;
      this.lastPushed = undefined;
      await this.load();
      for (const conn of this.room.getConnections("visitor")) {
        conn.close(1000, "The visitor's data was deleted");
      }
      return json({ files } satisfies ForgetResult);
    });
  }

  /** Open tabs that passed the connect checks. */
  private *tabs(): Generator<Connection> {
    for (const conn of this.room.getConnections("visitor")) if (isAccepted(conn)) yield conn;
  }

  /** Open tabs that passed the connect checks, leaving out `closing`. */
  private openTabs(closing?: Connection): number {
    // Counted without `tabs()`: this runs for every event, and a generator less is cheaper.
    let count = 0;
    for (const conn of this.room.getConnections("visitor")) {
      if (isAccepted(conn) && conn.id !== closing?.id) count += 1;
    }
    return count;
  }

  private async accept(conn: Connection, ctx: ConnectionContext): Promise<void> {
    const refuse = (code: ErrorCode, message: string) =>
      refuseConnection(conn, this.name, { code, message });
    const params = new URL(ctx.request.url).searchParams;
    if (!v.is(IdSchema, this.room.id)) {
      return refuse("forbidden", "A visitor id is 8 to 64 characters of A-Z, a-z, 0-9, _ and -");
    }
    const siteId = params.get("site");
    if (!v.is(SiteIdSchema, siteId)) {
      return refuse("unknown_site", "Connect with ?site=<site id>&secret=<visitor secret>");
    }
    const secret = params.get("secret");
    if (!v.is(SecretSchema, secret)) {
      return refuse("bad_secret", "Connect with a visitor secret of 16 to 256 characters");
    }
    const secretHash = await sha256(secret);
    const known = this.visitor;
    if (known && known.siteId !== siteId) {
      return refuse("forbidden", "This visitor id belongs to another site");
    }
    // Both are SHA-256 digests: comparing them leaks nothing about the secret.
    if (known && known.secretHash !== secretHash) {
      return refuse("bad_secret", "This visitor id is bound to another secret");
    }

    const admission = await this.admit(siteId, ctx.request.headers.get("origin"));
    if (!admission.ok) return refuse(admission.code, admission.message);
    const geo = await this.room.geo(ctx.ip, ctx.request).catch((error: unknown) => {
      log.error("geo lookup failed", { room: this.name, error });
      return {};
    });
    const device = parseDevice(ctx.request.headers.get("user-agent"));
    const now = Date.now();
    const visitor: VisitorRecord = known
      ? { ...known, device, geo, closedAt: null, lastActivityAt: now }
      : {
          siteId,
          secretHash,
          number: admission.number,
          name: visitorName(geo, admission.number),
          createdAt: now,
          device,
          geo,
          lastActivityAt: now,
          closedAt: null,
          status: "online",
          engagedAt: now,
        };
    this.visitor = visitor;
    conn.setState({ accepted: true } satisfies TabState);
    this.updateStatus(now);
    // The binding is durable before the visitor is told its name.
    await this.room.storage.put(VISITOR_KEY, visitor);
    const welcome: WelcomeFrame = {
      type: "welcome",
      visitorId: this.room.id,
      name: visitor.name,
      settings: admission.settings,
    };
    if (admission.invitations.length > 0) welcome.invitations = admission.invitations;
    sendFrame(conn, welcome);
    await this.chat.greet(conn, admission.available);
    this.rosterPush.request();
    await this.scheduleAlarm(now);
  }

  /**
   * Asks the site room whether this origin may connect, for the visitor's number, the widget's
   * settings and whether an agent is available.
   */
  private async admit(siteId: string, origin: string | null): Promise<Admission> {
    const call: AdmitCall = { visitorId: this.room.id, origin };
    return (await this.room.callRoom("site", siteId, "admit", call)) as Admission;
  }

  /** Stores a frame's valid events, then acknowledges them; invalid ones are listed apart. */
  private async track(conn: Connection, frame: TrackFrame): Promise<void> {
    const visitor = this.visitor;
    if (!visitor) return;
    const now = Date.now();
    const ids: string[] = [];
    const rejected: NonNullable<AckFrame["rejected"]> = [];
    let stored = false;
    let active = false;
    let trailChanged = false;
    let recordChanged = false;
    try {
      for (const raw of frame.events) {
        const checked = validate(TrackingEventSchema, raw, "invalid_event");
        if (!checked.ok) {
          this.reject(conn, rejected, eventIdOf(raw), checked);
          continue;
        }
        const event = checked.value;
        const outcome = isTrailEvent(event)
          ? this.trail.apply(event, now)
          : await this.chat.apply(event, now);
        if (outcome === "later") continue;
        if (typeof outcome === "object") {
          this.reject(conn, rejected, event.id, outcome);
          continue;
        }
        ids.push(event.id);
        if (outcome === "duplicate") continue;
        stored = true;
        if (isTrailEvent(event)) trailChanged = true;
        else recordChanged = true;
        if (event.kind !== "engagement") active = true;
      }
      if (stored) {
        // Engaged time is measured against trail reports only.
        if (trailChanged) visitor.engagedAt = now;
        if (active) visitor.lastActivityAt = now;
        // An engagement report alone may end the visitor's engagement, and so its presence.
        if ((active || trailChanged) && this.updateStatus(now)) recordChanged = true;
        const { put, delete: deleted } = this.trail.takeChanges();
        this.chat.takeChanges(put, deleted);
        // Moved activity times alone are not worth rewriting the record on every event: a
        // restart loses at most their last moves, and reconnecting tabs count as activity.
        if (recordChanged) put.set(VISITOR_KEY, visitor);
        // Agents see the change while it commits: the roster is a live view, and what keeps an
        // event from being lost is the ack, which waits for the commit. Should the commit fail,
        // the room reloads what is stored and pushes that instead.
        this.rosterPush.request();
        // One putMany lands whole by itself; only a trimmed trail or invitation log needs a
        // transaction.
        if (deleted.length === 0) await this.room.storage.putMany(put);
        else {
          await this.room.storage.transaction(async (txn) => {
            await txn.putMany(put);
            await txn.deleteMany(deleted);
          });
        }
      }
    } catch (error) {
      // Nothing is acknowledged, so the client re-sends; memory goes back to what is stored.
      log.error("storing events failed", { room: this.name, error });
      await this.load();
      this.rosterPush.request();
      return;
    }
    const ack: AckFrame = { type: "ack", ids };
    if (rejected.length > 0) ack.rejected = rejected;
    sendFrame(conn, ack);
    if (stored) {
      this.chat.committed();
      await this.scheduleAlarm(now);
    }
  }

  /** Lists an event that can never be stored in the frame's `ack`. */
  private reject(
    conn: Connection,
    rejected: NonNullable<AckFrame["rejected"]>,
    id: string,
    refusal: Refusal,
  ): void {
    rejected.push({ id, code: refusal.code, message: refusal.message });
    log.refused(this.name, refusal.code, refusal.message, { conn: conn.id, event: id });
  }

  /**
   * `POST /uploads/authorize` (from the directory room): whether `secret` is the one this
   * visitor is bound to on `siteId`.
   */
  private async authorizeUpload(request: Request): Promise<Response> {
    const body = await readJsonBody(request, UploadAuthorizeBodySchema);
    if (!body.ok) return body.response;
    const visitor = this.visitor;
    const secretHash = await sha256(body.value.secret);
    // Both are SHA-256 digests: comparing them leaks nothing about the secret.
    if (!visitor || visitor.siteId !== body.value.siteId || visitor.secretHash !== secretHash) {
      return httpError(401, "bad_secret", "Unknown visitor, or another secret");
    }
    return new Response(null, { status: 204 });
  }

  /** Recomputes presence; true when it changed (the caller stores the record). */
  private updateStatus(now: number): boolean {
    const visitor = this.visitor;
    if (!visitor) return false;
    const status = presenceAt(visitor, this.openTabs() > 0, this.trail.engaged(), now);
    if (status === visitor.status) return false;
    visitor.status = status;
    this.rosterPush.request();
    return true;
  }

  /** Sets the alarm for the next presence change, unless one is due sooner. */
  private scheduleAlarm(now: number): Promise<void> | undefined {
    const visitor = this.visitor;
    if (!visitor) return;
    let next: number | null = null;
    if (this.openTabs() > 0) {
      next =
        visitor.status === "online"
          ? onlineUntil(visitor, this.trail.engaged())
          : now + WATCHDOG_MS;
    } else if (visitor.status !== "gone") {
      next = (visitor.closedAt ?? now) + GONE_AFTER_MS;
    }
    if (next === null) return;
    // An early alarm costs one wake-up; it re-reads the state and sets the next one.
    if (this.alarmAt !== null && this.alarmAt <= next && this.alarmAt > now) return;
    this.alarmAt = next;
    // Not async: most events leave the alarm as it is, and need no promise for that.
    return this.room.storage.setAlarm(next);
  }

  /**
   * A new entry, handed to the site room to keep. What it shares with the record and the trail
   * (device, geo, contact, custom data, sources) is only ever replaced there, never changed in
   * place, so neither room sees the other change it.
   */
  private rosterEntry(visitor: VisitorRecord): RosterEntry {
    const summary = this.trail.summary();
    const visit = summary.visit;
    const entry: RosterEntry = {
      id: this.room.id,
      name: visitor.name,
      number: visitor.number,
      status: visitor.status,
      page: summary.page,
      source: visit?.source ?? null,
      firstSource: summary.firstSource,
      visit: visit && {
        id: visit.id,
        number: visit.number,
        startedAt: visit.startedAt,
        pageviews: summary.pageviews,
        engagedMs: summary.engagedMs,
        engagedAt: visitor.engagedAt,
        engaged: visitor.status === "online" && summary.engaged,
        utcOffset: visit.utcOffset ?? null,
      },
      visits: summary.visits,
      device: visitor.device,
      geo: visitor.geo,
      lastActivityAt: visitor.lastActivityAt,
    };
    if (visitor.contact) entry.contact = visitor.contact;
    if (visitor.customData && Object.keys(visitor.customData).length > 0) {
      entry.customData = visitor.customData;
    }
    return entry;
  }

  /** Sends the current entry; runs through the throttle, so it is never stale when it runs. */
  private async pushRosterEntry(): Promise<void> {
    const visitor = this.visitor;
    if (!visitor) return;
    const entry = this.rosterEntry(visitor);
    if (sameJson(entry, this.lastPushed)) return;
    await this.room.callRoom("site", visitor.siteId, "roster", { entry } satisfies RosterCall);
    this.lastPushed = entry;
  }
}

/**
 * An engaged visitor stays online this long after the latest engagement report: the tracker
 * reports every HEARTBEAT_MS while engaged, and says at once when engagement stops.
 */
const ENGAGED_REPORT_GRACE_MS = HEARTBEAT_MS + 5_000;

/**
 * Until when a visitor with a tab open is online: within IDLE_AFTER_MS of its last page view or
 * other event, and while the tracker's latest report (not older than a heartbeat and some slack)
 * says it is engaged: input within the last IDLE_AFTER_MS, the tab shown and focused.
 * Heartbeats alone are not activity: the tracker sends them for a minute after the last input,
 * and counting them made a still visitor idle only after almost two.
 */
function onlineUntil(visitor: VisitorRecord, engaged: boolean): number {
  const byActivity = visitor.lastActivityAt + IDLE_AFTER_MS;
  return engaged ? Math.max(byActivity, visitor.engagedAt + ENGAGED_REPORT_GRACE_MS) : byActivity;
}

/** Presence from the record: tabs open (or closed only just now), and activity. */
function presenceAt(
  visitor: VisitorRecord,
  tabsOpen: boolean,
  engaged: boolean,
  now: number,
): VisitorStatus {
  const lingering = visitor.closedAt !== null && now - visitor.closedAt < GONE_AFTER_MS;
  if (!tabsOpen && !lingering) return "gone";
  return now < onlineUntil(visitor, engaged) ? "online" : "idle";
}

/** "City 40" when the city is known, else "Visitor 40", as JivoChat names visitors. */
function visitorName(geo: Geo, number: number): string {
  return `${geo.city || "Visitor"} ${number}`;
}

function isAccepted(conn: Connection): boolean {
  return (conn.state as TabState | null)?.accepted === true;
}

/** The id of an event that failed validation, as far as it has one, for `rejected`. */
function eventIdOf(raw: unknown): string {
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id.slice(0, 64) : "";
}
