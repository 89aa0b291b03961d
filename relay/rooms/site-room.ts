/**
 * One room per site: the site's settings, its agent accounts and their sessions
 * (site-agents.ts), visitor numbers, the live roster (site-roster.ts), and the chat queue
 * (chat/desk.ts). Agents connect here; visitor rooms report to it.
 *
 * Internal routes (reached only through `fetchRoom("site", siteId, ...)`):
 * - `POST /bootstrap` {@link BootstrapBody}: creates the site and its admin once -> `{created}`
 *   (a site that exists gets the origins it lacks, or, `onlyIfNew`, 409)
 * - `POST /deletion`: deletes the site for its operator (`DELETE /api/sites`) -> 202, as
 *   `DELETE /site` does for an admin
 * - the accounts' routes: `POST /login`, `POST /logout`, `POST /password`, `/agents...`,
 *   `GET /session` (see site-agents.ts)
 * - `GET /site`, `PUT /site`, `DELETE /site` (site-deletion.ts), `POST /identity-secret`
 *   (`/api/site/identity-secret`), `GET /canned`, `PUT /canned`, `GET /offline-messages`,
 *   `POST /offline-messages/status`, `POST /visitors/forget`: the `/api/*` routes of the same
 *   names, with the caller's `Authorization: Bearer` token
 * - `POST /chat/messages`, `POST /chat/typing`, `POST /chat/read`: a visitor's messages,
 *   typing preview and read mark (see chat/desk.ts)
 * - `POST /offline-messages` {message}: an offline-form submission, stored once
 * - `POST /identity/verify` {userId, userHash} -> `{verified}`
 * - `POST /invitations/count` {counts}: what a visitor did with invitations (chat/invitations.ts)
 *
 * Calls (`callRoom("site", siteId, ...)`), the visitor rooms' hot path: `roster` {entry}, a
 * visitor room's current entry; `admit` {@link AdmitCall} -> {@link Admission}, on every connect.
 */
import * as v from "valibot";
import {
  AgentClientFrameSchema,
  type CannedResponse,
  CannedResponsesBodySchema,
  type CannedResponsesResponse,
  type HoursFrame,
  type InvitationStats,
  NewAgentBodySchema,
  type OfflineMessage,
  type OfflineMessageStatusResponse,
  type OfflineMessagesFrame,
  OfflineStatusBodySchema,
  type RosterFrame,
  SiteDeleteBodySchema,
  type SiteDeleteResponse,
  SiteSettingsBodySchema,
  type SiteSettingsResponse,
  type TrailFrame,
  VisitorForgetBodySchema,
  type VisitorInvitationRule,
  type VisitorInviteFrame,
  type WidgetSettings,
} from "../../protocol/index.ts";
import { newIdentitySecret, TOKEN_PROBLEM_MESSAGES, verifyUserHash } from "../auth/index.ts";
import { ConnectionGuards, type Refusal, refuseConnection, sendFrame } from "../guard.ts";
import {
  httpError,
  INTERNAL_BODY_BYTES,
  internalRequest,
  json,
  type Routes,
  readJsonBody,
  route,
} from "../http.ts";
import { log } from "../log.ts";
import type { Connection, ConnectionContext, Json, PartyServer, RoomContext } from "../party.ts";
import { isOpenAt, nextOpeningChange } from "./chat/business-hours.ts";
import { type ChatDesk, createChatDesk } from "./chat/desk.ts";
import { addCounts, InvitationCountBodySchema, visitorRules } from "./chat/invitations.ts";
import { createOfflineInbox, type OfflineInbox, OfflineMessageBodySchema } from "./chat/offline.ts";
import {
  type ChatSettings,
  chatSettingsOf,
  DEFAULT_ROUTING,
  duplicateShortcut,
  updateChatSettings,
} from "./chat/settings.ts";
import {
  type AgentAccounts,
  type AgentState,
  agentStateOf,
  createAgentAccounts,
  type StoredAgent,
} from "./site-agents.ts";
import { createSiteDeletion, type SiteDeletion } from "./site-deletion.ts";
import { createSiteRetention, RETENTION_RETRY_MS, type SiteRetention } from "./site-retention.ts";
import { createSiteRoster, type RosterCall, type SiteRoster } from "./site-roster.ts";
import type { ForgetResult } from "./visitor-room.ts";

/** Site ids: shorter than client-made ids (the demo site is "demo"), same characters. */
export const SiteIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, "a site id is 1 to 64 characters of A-Z, a-z, 0-9, _ and -"),
);

/** What `POST /bootstrap` takes: the site and its first admin. */
export const BootstrapBodySchema = v.object({
  site: v.object({
    id: SiteIdSchema,
    name: SiteSettingsBodySchema.entries.name.wrapped,
    allowedOrigins: SiteSettingsBodySchema.entries.allowedOrigins.wrapped,
  }),
  admin: v.pick(NewAgentBodySchema, ["email", "name", "password"]),
  /** Refuse (409) when the site exists, rather than add the origins it lacks. */
  onlyIfNew: v.optional(v.boolean()),
});
export type BootstrapBody = v.InferOutput<typeof BootstrapBodySchema>;

/** What `POST /api/sites` takes: a new site and its first admin. */
export const NewSiteBodySchema = v.omit(BootstrapBodySchema, ["onlyIfNew"]);

/** What a visitor room sends with `callRoom("site", siteId, "admit", …)` when a tab connects. */
export type AdmitCall = { visitorId: string; origin: string | null };

/**
 * The site room's answer to `admit`: the visitor's number, the widget's settings, whether an
 * agent is available and the site's invitation rules; or why the tab may not connect.
 */
export type Admission =
  | {
      ok: true;
      number: number;
      settings: WidgetSettings;
      available: boolean;
      invitations: VisitorInvitationRule[];
    }
  | ({ ok: false } & Refusal);

/**
 * After a rotation the previous identity secret verifies user ids this long, so that the
 * host's servers can move to the new one without failing a visitor.
 */
export const PREVIOUS_IDENTITY_SECRET_MS = 24 * 60 * 60 * 1000;

const IdentityVerifyBodySchema = v.object({ userId: v.string(), userHash: v.string() });

/**
 * The site as stored. Sites made before chat lack the chat settings and the identity secret;
 * they get them when the room starts.
 */
type StoredSite = {
  id: string;
  name: string;
  allowedOrigins: string[];
  /** Days a visitor's data is kept after their last visit; 0 keeps it for good. */
  retentionDays: number;
  /** Signs user ids for identity verification; shown to admins only. */
  identitySecret: string;
  /** The secret before the last rotation, still accepted until `until` (ms since epoch). */
  previousIdentitySecret?: { secret: string; until: number };
} & ChatSettings;

/** A site as it may be stored: from before chat, without settings or secret. */
type StoredSiteAnyVersion = Pick<StoredSite, "id" | "name" | "allowedOrigins"> &
  Partial<StoredSite>;

const keys = {
  site: "site",
  counter: "counter",
  visitor: (id: string) => `visitor:${id}`,
  canned: "canned",
  invitationStats: "invitation-stats",
};

export class SiteRoom implements PartyServer {
  private static readonly ownRoutes: Routes<SiteRoom> = {
    "/bootstrap": { POST: (siteRoom, request) => siteRoom.bootstrap(request) },
    "/deletion": { POST: (siteRoom) => siteRoom.deleteForOperator() },
    "/site": {
      GET: (siteRoom, request) => siteRoom.getSite(request),
      PUT: (siteRoom, request) => siteRoom.updateSite(request),
      DELETE: (siteRoom, request) => siteRoom.deleteSite(request),
    },
    "/canned": {
      GET: (siteRoom, request) => siteRoom.getCanned(request),
      PUT: (siteRoom, request) => siteRoom.putCanned(request),
    },
    "/offline-messages": {
      GET: (siteRoom, request) => siteRoom.listOfflineMessages(request),
      POST: (siteRoom, request) => siteRoom.storeOfflineMessage(request),
    },
    "/offline-messages/status": {
      POST: (siteRoom, request) => siteRoom.markOfflineMessage(request),
    },
    "/identity/verify": { POST: (siteRoom, request) => siteRoom.verifyIdentity(request) },
    "/identity-secret": { POST: (siteRoom, request) => siteRoom.rotateIdentitySecret(request) },
    "/invitations/count": { POST: (siteRoom, request) => siteRoom.countInvitations(request) },
    "/visitors/forget": { POST: (siteRoom, request) => siteRoom.forgetVisitor(request) },
  };
  private site: StoredSite | undefined;
  private readonly accounts: AgentAccounts;
  private readonly roster: SiteRoster;
  private readonly retention: SiteRetention;
  private readonly deletion: SiteDeletion;
  private readonly guards: ConnectionGuards;
  private alarmAt: number | null = null;
  /** Whether the site was within its business hours when last checked. */
  private withinHours = true;
  /** Visitors numbered so far (stored under "counter"); see {@link SiteRoom.visitorNumber}. */
  private visitorsNumbered = 0;
  private readonly name: string;
  /** Its own routes, the accounts' and the desk's, whose handlers are made per room. */
  private readonly routes: Routes<SiteRoom>;
  private readonly desk: ChatDesk;
  private readonly inbox: OfflineInbox;
  /** What visitors did with invitations, per rule; kept in memory and saved on each change. */
  private invitationStats: InvitationStats = {};

  constructor(private readonly room: RoomContext) {
    this.name = `${room.party}/${room.id}`;
    this.guards = new ConnectionGuards(this.name);
    this.desk = createChatDesk({
      room,
      agents: () => this.accounts.all(),
      routing: () => this.site?.routing ?? DEFAULT_ROUTING,
      agentOf: (conn) => agentStateOf(conn)?.agentId ?? null,
      rosterEntry: (visitorId) => this.roster.get(visitorId),
      presentVisitors: () => this.roster.presentIds(),
      open: () => this.isOpen(),
      knowsVisitor: (visitorId) => this.knowsVisitor(visitorId),
      refuse: (conn, refusal) => this.guards.refuse(conn, refusal, { strike: false }),
      deadlinesChanged: () => this.scheduleAlarm(),
    });
    this.roster = createSiteRoster({
      storage: room.storage,
      tellAgents: (frame) => this.tellAgents(frame),
      changed: (entry) => this.desk.rosterChanged(entry),
      pruningDue: () => this.scheduleAlarm(),
      left: (visitors) => this.retention.visitorsLeft(visitors),
    });
    this.retention = createSiteRetention({
      storage: room.storage,
      present: (visitorId) => {
        const status = this.roster.get(visitorId)?.status;
        return status !== undefined && status !== "gone";
      },
      forget: async (visitorId) => {
        await this.forget(visitorId);
        log.info("visitor data expired", { room: this.name, visitor: visitorId });
      },
    });
    this.deletion = createSiteDeletion({
      storage: room.storage,
      visitorPrefix: keys.visitor(""),
      forget: (visitorId) => this.forget(visitorId),
      forgetFiles: () => this.forgetUploads(),
    });
    this.inbox = createOfflineInbox({
      storage: room.storage,
      tellAgents: (frame: OfflineMessagesFrame) => this.tellAgents(frame),
    });
    this.accounts = createAgentAccounts({
      room,
      site: () => this.site,
      changed: () => this.desk.agentsChanged(),
      removed: (agent) => this.agentRemoved(agent),
      revoked: () => this.scheduleAlarm(),
    });
    this.routes = { ...SiteRoom.ownRoutes, ...this.accounts.routes, ...this.desk.routes };
  }

  /** No site has this id, nor is one's data being deleted: the host need not keep the room. */
  isEmpty(): boolean {
    return !this.site && !this.deletion.running();
  }

  async onStart(): Promise<void> {
    const storage = this.room.storage;
    await this.deletion.load();
    // A deleted site whose data is gone keeps its mark alone: nothing to load, nothing to write.
    if (this.deletion.deleted() && !this.deletion.running()) return;
    const [site, alarmAt, invitationStats, visitorsNumbered] = await Promise.all([
      storage.get<StoredSiteAnyVersion>(keys.site),
      storage.getAlarm(),
      storage.get<InvitationStats>(keys.invitationStats),
      storage.get<number>(keys.counter),
      this.roster.load(),
      this.accounts.load(),
      this.retention.load(),
    ]);
    this.invitationStats = invitationStats ?? {};
    this.visitorsNumbered = visitorsNumbered ?? 0;
    this.alarmAt = alarmAt;
    await Promise.all([this.desk.load(), this.inbox.load()]);
    if (this.deletion.running() && alarmAt === null) await this.setAlarm(Date.now());
    if (site) {
      const complete = completeSite(site);
      if (JSON.stringify(complete) !== JSON.stringify(site)) {
        await storage.put(keys.site, complete);
      }
      this.site = complete;
      await this.retention.backfill(keys.visitor(""), Date.now());
      this.withinHours = this.isOpen();
      await this.publishOrigins();
      // The next opening or closing of business hours needs an alarm like anything else due.
      await this.scheduleAlarm();
    }
  }

  getConnectionTags(): string[] {
    return ["agent"];
  }

  async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    if (this.deletion.deleted()) {
      return refuseConnection(conn, this.name, {
        code: "unauthorized",
        message: this.deletedText(),
      });
    }
    const token = new URL(ctx.request.url).searchParams.get("token");
    const session = await this.accounts.checkSession(token);
    if (!session.ok) return refuseConnection(conn, this.name, session);
    const { agent, claims } = session.value;
    conn.setState({ agentId: agent.id, jti: claims.jti, exp: claims.exp } satisfies AgentState);
    sendFrame(conn, this.accounts.helloFor(agent));
    sendFrame(conn, {
      type: "roster",
      full: true,
      visitors: this.roster.all(),
    } satisfies RosterFrame);
    this.desk.connect(conn, agent.id);
    sendFrame(conn, { type: "hours", open: this.withinHours } satisfies HoursFrame);
    sendFrame(conn, {
      type: "offline-messages",
      full: true,
      ...(await this.inbox.list()),
    } satisfies OfflineMessagesFrame);
    await this.scheduleAlarm();
  }

  async onMessage(conn: Connection, message: string): Promise<void> {
    const state = agentStateOf(conn);
    if (!state) return;
    if (state.exp <= Date.now()) return endSession(conn, this.name);
    const frame = this.guards.receive(conn, message, AgentClientFrameSchema);
    if (!frame) return;
    if (frame.type === "offline:mark") {
      if (await this.inbox.mark(frame.id, frame.status)) return;
      const message = noOfflineMessage(frame.id);
      return this.guards.refuse(conn, { code: "not_found", message }, { strike: false });
    }
    if (frame.type === "visitor:invite") return this.invite(conn, state.agentId, frame);
    if (frame.type !== "trail:get") return this.desk.handle(conn, state.agentId, frame);
    const trail = await this.trailOf(frame.visitorId);
    if (!trail.ok) return this.guards.refuse(conn, trail, { strike: false });
    sendFrame(conn, { type: "trail", trail: trail.value } satisfies TrailFrame);
  }

  onClose(conn: Connection): void {
    this.guards.forget(conn);
    const state = agentStateOf(conn);
    if (state) this.desk.disconnect(conn, state.agentId);
  }

  onRequest(request: Request): Promise<Response> | Response {
    if (this.deletion.deleted()) return this.answerDeleted(new URL(request.url).pathname);
    return route(this.routes, this, request);
  }

  async onCall(method: string, arg: Json): Promise<Json | undefined> {
    switch (method) {
      case "roster":
        // A deleted site's visitors are being deleted: their last reports are not kept.
        if (!this.deletion.deleted()) await this.roster.update((arg as RosterCall).entry);
        return undefined;
      case "admit":
        return this.admitVisitor(arg as AdmitCall);
      default:
        throw new Error(`No call ${method} in ${this.name}`);
    }
  }

  async onAlarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    if (this.deletion.deleted()) return this.continueDeletion(now);
    await this.desk.expireRounds(now);
    this.hoursMayHaveChanged();
    await this.roster.prune(now);
    if (this.site) await this.retention.sweep(now, this.site.retentionDays);
    for (const conn of this.room.getConnections("agent")) {
      if ((agentStateOf(conn)?.exp ?? Number.POSITIVE_INFINITY) <= now) endSession(conn, this.name);
    }
    await this.accounts.forgetExpiredRevocations(now);
    await this.scheduleAlarm();
  }

  /**
   * `DELETE /site` (admins), with the site's id as `confirm`: the site and its accounts go at
   * once, its sockets close, and the alarm starts deleting its visitors' data (site-deletion.ts).
   */
  private async deleteSite(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, SiteDeleteBodySchema);
    if (!body.ok) return body.response;
    if (body.value.confirm !== this.room.id) {
      const message = `To delete the site, send its id as confirm: {"confirm": "${this.room.id}"}`;
      return httpError(400, "bad_body", message);
    }
    return this.deleteSiteFor(session.value.agent.id);
  }

  /** `POST /deletion`: the operator deletes the site (the directory checked their token). */
  private async deleteForOperator(): Promise<Response> {
    if (!this.site) return httpError(404, "not_found", `No site "${this.room.id}"`);
    return this.deleteSiteFor("operator");
  }

  private async deleteSiteFor(by: string): Promise<Response> {
    const now = Date.now();
    await this.deletion.begin({
      at: now,
      by,
      alsoDelete: [keys.site, ...this.accounts.storedKeys()],
    });
    this.site = undefined;
    this.accounts.endAll(this.deletedText());
    this.desk.agentsChanged();
    await this.setAlarm(now);
    log.info("site deleted", { room: this.name, by });
    return json({ deleted: true } satisfies SiteDeleteResponse, 202);
  }

  /**
   * A deleted site's answer to any request: deleting it again is done already; no account is
   * left to act, nor a site for visitors; and the id is not to be taken again.
   */
  private answerDeleted(pathname: string): Response {
    if (pathname === "/deletion") return json({ deleted: true } satisfies SiteDeleteResponse, 202);
    if (pathname === "/bootstrap") {
      return httpError(409, "site_deleted", `${this.deletedText()}: choose another site id`);
    }
    return httpError(401, "unauthorized", this.deletedText());
  }

  /** One step of a deleted site's deletion; the next comes at once, or after a failure later. */
  private async continueDeletion(now: number): Promise<void> {
    try {
      if (await this.deletion.step()) await this.setAlarm(now);
      else log.info("deleted site's data gone", { room: this.name });
    } catch (error) {
      log.error("deleted site's data could not be deleted", { room: this.name, error });
      await this.setAlarm(now + RETENTION_RETRY_MS);
    }
  }

  private deletedText(): string {
    return `The site "${this.room.id}" was deleted`;
  }

  /** Whether the site is within its business hours now (always, when they are off). */
  private isOpen(): boolean {
    return !this.site || isOpenAt(this.site.businessHours, Date.now());
  }

  /** Hours opened, closed or were changed: agents and present visitors learn of it. */
  private hoursMayHaveChanged(): void {
    const open = this.isOpen();
    if (open !== this.withinHours) {
      this.withinHours = open;
      this.tellAgents({ type: "hours", open });
    }
    this.desk.availabilityChanged();
  }

  private requireSite(): StoredSite {
    if (!this.site) throw new Error(`site ${this.room.id} is not set up`);
    return this.site;
  }

  private async bootstrap(request: Request): Promise<Response> {
    const body = await readJsonBody(request, BootstrapBodySchema);
    if (!body.ok) return body.response;
    const { site, admin } = body.value;
    if (site.id !== this.room.id) return httpError(400, "bad_body", "site.id is not this site");
    if (this.site && body.value.onlyIfNew) {
      return httpError(409, "site_exists", `The site "${site.id}" exists already`);
    }
    if (this.site) {
      const missing = site.allowedOrigins.filter(
        (origin) => !this.site?.allowedOrigins.includes(origin),
      );
      if (missing.length > 0) {
        const next = { ...this.site, allowedOrigins: [...this.site.allowedOrigins, ...missing] };
        await this.room.storage.put(keys.site, next);
        this.site = next;
        await this.publishOrigins();
      }
      return json({ created: false });
    }
    const created = completeSite({
      id: site.id,
      name: site.name,
      allowedOrigins: site.allowedOrigins,
    });
    await this.accounts.createFirstAdmin(admin, { [keys.site]: created });
    this.site = created;
    await this.publishOrigins();
    log.info("site created", { site: site.id, admin: admin.email });
    return json({ created: true });
  }

  /**
   * An agent's account and sockets are gone: their open chats let go of them, and rules that
   * sent invitations in their name send them as the site.
   */
  private async agentRemoved(agent: StoredAgent): Promise<void> {
    this.desk.agentsChanged();
    await this.desk.agentRemoved(agent);
    const site = this.requireSite();
    if (!site.invitations.some((rule) => rule.senderId === agent.id)) return;
    const invitations = site.invitations.map((rule) =>
      rule.senderId === agent.id ? { ...rule, senderId: null } : rule,
    );
    const next: StoredSite = { ...site, invitations };
    await this.room.storage.put(keys.site, next);
    this.site = next;
  }

  private async getSite(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "any");
    if (!session.ok) return session.response;
    return json(this.settingsResponse(this.requireSite(), session.value.agent));
  }

  /** `GET|PUT /api/site`: the identity secret and the invitation counts are for admins' eyes only. */
  private settingsResponse(site: StoredSite, agent: StoredAgent): SiteSettingsResponse {
    const response: SiteSettingsResponse = {
      id: site.id,
      name: site.name,
      allowedOrigins: site.allowedOrigins,
      retentionDays: site.retentionDays,
      routing: site.routing,
      widget: site.widget,
      businessHours: site.businessHours,
      invitations: site.invitations,
    };
    if (agent.role === "admin") {
      response.identitySecret = site.identitySecret;
      const previous = previousSecretInForce(site);
      if (previous) response.previousIdentitySecretUntil = previous.until;
      response.invitationStats = this.invitationStats;
    }
    return response;
  }

  private async updateSite(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, SiteSettingsBodySchema);
    if (!body.ok) return body.response;
    const site = this.requireSite();
    const stranger = body.value.invitations?.find(
      (rule) => rule.senderId && !this.accounts.get(rule.senderId),
    );
    if (stranger) {
      return httpError(400, "bad_body", `Rule "${stranger.name}": no such agent as sender`);
    }
    const next: StoredSite = {
      ...site,
      ...updateChatSettings(site, body.value),
      name: body.value.name ?? site.name,
      allowedOrigins: body.value.allowedOrigins
        ? [...new Set(body.value.allowedOrigins)]
        : site.allowedOrigins,
      retentionDays: body.value.retentionDays ?? site.retentionDays,
    };
    await this.room.storage.put(keys.site, next);
    this.site = next;
    if (next.name !== site.name) this.accounts.greetAgain();
    if (body.value.allowedOrigins) await this.publishOrigins();
    if (body.value.businessHours) this.hoursMayHaveChanged();
    if (body.value.businessHours || next.retentionDays !== site.retentionDays) {
      await this.scheduleAlarm();
    }
    return json(this.settingsResponse(next, session.value.agent));
  }

  /**
   * Tells the directory room this site's allowed origins: it answers upload preflights, which
   * do not say which site they are for.
   */
  private async publishOrigins(): Promise<void> {
    const site = this.requireSite();
    const response = await this.room.fetchRoom(
      "directory",
      "global",
      internalRequest("POST", "/site-origins", {
        siteId: site.id,
        allowedOrigins: site.allowedOrigins,
      }),
    );
    if (!response.ok) log.error("publishing origins failed", { room: this.name });
  }

  private async getCanned(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "any");
    if (!session.ok) return session.response;
    const canned = (await this.room.storage.get<CannedResponse[]>(keys.canned)) ?? [];
    return json({ canned } satisfies CannedResponsesResponse);
  }

  private async putCanned(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, CannedResponsesBodySchema);
    if (!body.ok) return body.response;
    const { canned } = body.value;
    const duplicate = duplicateShortcut(canned);
    if (duplicate) {
      return httpError(400, "bad_body", `The shortcut /${duplicate} appears more than once`);
    }
    await this.room.storage.put(keys.canned, canned);
    return json({ canned } satisfies CannedResponsesResponse);
  }

  private async listOfflineMessages(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "any");
    if (!session.ok) return session.response;
    return json(await this.inbox.list());
  }

  private async markOfflineMessage(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "any");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, OfflineStatusBodySchema);
    if (!body.ok) return body.response;
    const message = await this.inbox.mark(body.value.id, body.value.status);
    if (!message) return httpError(404, "not_found", noOfflineMessage(body.value.id));
    return json({ message } satisfies OfflineMessageStatusResponse);
  }

  /** A visitor room passes on an offline-form submission; stored once by its id. */
  private async storeOfflineMessage(request: Request): Promise<Response> {
    const body = await readJsonBody(request, OfflineMessageBodySchema, internalBody);
    if (!body.ok) return body.response;
    const sent = body.value.message as Omit<OfflineMessage, "at" | "page" | "status">;
    const message: Omit<OfflineMessage, "status"> = {
      ...sent,
      at: Date.now(),
      page: this.roster.get(sent.visitorId)?.page ?? null,
    };
    await this.inbox.store(message);
    return new Response(null, { status: 204 });
  }

  /**
   * Whether a visitor's `userHash` signs its `userId` under the site's identity secret, or under
   * the previous one while it is still accepted.
   */
  private async verifyIdentity(request: Request): Promise<Response> {
    const body = await readJsonBody(request, IdentityVerifyBodySchema);
    if (!body.ok) return body.response;
    const { userId, userHash } = body.value;
    const site = this.requireSite();
    const previous = previousSecretInForce(site);
    const verified =
      (await verifyUserHash(site.identitySecret, userId, userHash)) ||
      (previous !== undefined && (await verifyUserHash(previous.secret, userId, userHash)));
    return json({ verified });
  }

  /**
   * `POST /api/site/identity-secret` (admins): a new identity secret; the one it replaces keeps
   * verifying for PREVIOUS_IDENTITY_SECRET_MS, then no more.
   */
  private async rotateIdentitySecret(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "admin");
    if (!session.ok) return session.response;
    const site = this.requireSite();
    // In the order the room stores sites in, so that a restart finds nothing to complete.
    const next = completeSite({
      ...site,
      identitySecret: newIdentitySecret(),
      previousIdentitySecret: {
        secret: site.identitySecret,
        until: Date.now() + PREVIOUS_IDENTITY_SECRET_MS,
      },
    });
    await this.room.storage.put(keys.site, next);
    this.site = next;
    return json(this.settingsResponse(next, session.value.agent));
  }

  /** `admit`: whether a visitor's tab may connect, and under which number. */
  private async admitVisitor({ visitorId, origin }: AdmitCall): Promise<Admission> {
    if (!this.site) {
      const message = this.deletion.deleted() ? this.deletedText() : `No site "${this.room.id}"`;
      return { ok: false, code: "unknown_site", message };
    }
    const allowed = this.site.allowedOrigins.map((entry) => entry.toLowerCase());
    if (!origin || !allowed.includes(origin.toLowerCase())) {
      const message = `Origin ${origin ?? "(none)"} is not allowed for site "${this.room.id}"`;
      return { ok: false, code: "origin_not_allowed", message };
    }
    return {
      ok: true,
      number: await this.visitorNumber(visitorId),
      settings: this.site.widget,
      available: this.desk.available(),
      invitations: visitorRules(this.site.invitations, (id) => this.accounts.get(id)?.name),
    };
  }

  /**
   * The visitor's number on this site, handed out on its first connect. Counted in memory, not
   * in a transaction: connects would queue behind each other's commits, one at a time, and a
   * thousand tabs reconnecting at once (after a restart) would wait seconds. A visitor's own
   * connects come one after another (its room runs them serially), so it never gets two.
   */
  private async visitorNumber(visitorId: string): Promise<number> {
    const key = keys.visitor(visitorId);
    const known = await this.room.storage.get<number>(key);
    if (known !== undefined) return known;
    this.visitorsNumbered += 1;
    const number = this.visitorsNumbered;
    await this.room.storage.putMany(
      new Map([
        [keys.counter, number],
        [key, number],
      ]),
    );
    return number;
  }

  /**
   * `visitor:invite`: sends the agent's invitation to the visitor's open tabs, with the agent as
   * the sender; `ack` once sent, `not_found` when the visitor has no open tab.
   */
  private async invite(conn: Connection, agentId: string, frame: VisitorInviteFrame) {
    const sender = this.accounts.get(agentId)?.name ?? null;
    const response = await this.room.fetchRoom(
      "visitor",
      frame.visitorId,
      internalRequest("POST", "/invite", {
        siteId: this.room.id,
        invitation: { id: frame.id, text: frame.text, sender },
      }),
    );
    const tabs = response.ok ? ((await response.json()) as { tabs: number }).tabs : 0;
    if (tabs === 0) {
      const message = `Visitor ${frame.visitorId} has no page open on this site`;
      return this.guards.refuse(conn, { code: "not_found", message }, { strike: false });
    }
    sendFrame(conn, { type: "ack", ids: [frame.id] });
  }

  /** `POST /visitors/forget` (admins): deletes everything stored of a visitor (`forget`). */
  private async forgetVisitor(request: Request): Promise<Response> {
    const session = await this.accounts.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, VisitorForgetBodySchema);
    if (!body.ok) return body.response;
    const { visitorId } = body.value;
    if (!(await this.knowsVisitor(visitorId)))
      return httpError(404, "not_found", noVisitor(visitorId));
    await this.forget(visitorId);
    await this.retention.forgotten(visitorId);
    log.info("visitor forgotten", {
      room: this.name,
      visitor: visitorId,
      by: session.value.agent.id,
    });
    return new Response(null, { status: 204 });
  }

  /**
   * Deletes everything stored of a visitor: first in their room (trail, chat, identity; their
   * tabs close), then here (their roster entry, chat, offline messages and number), then the
   * files their chat attached.
   */
  private async forget(visitorId: string): Promise<void> {
    const response = await this.room.fetchRoom(
      "visitor",
      visitorId,
      internalRequest("POST", "/forget"),
    );
    if (!response.ok)
      throw new Error(`visitor ${visitorId} could not be forgotten: ${response.status}`);
    const { files } = (await response.json()) as ForgetResult;
    await Promise.all([
      this.roster.forget(visitorId),
      this.desk.visitorForgotten(visitorId),
      this.inbox.forgetVisitor(visitorId),
      this.room.storage.delete(keys.visitor(visitorId)),
    ]);
    await Promise.all(files.map((file) => this.room.blobs.delete(file)));
    await this.forgetUploads(visitorId);
  }

  /**
   * Deletes the files the visitor uploaded, sent or not (the directory indexes every upload),
   * or, without a visitor, every file of the site the index still lists.
   */
  private async forgetUploads(visitorId?: string): Promise<void> {
    const response = await this.room.fetchRoom(
      "directory",
      "global",
      internalRequest("POST", "/uploads/forget", { siteId: this.room.id, visitorId }),
    );
    if (!response.ok) throw new Error(`uploads could not be deleted: ${response.status}`);
  }

  /** Whether the site has seen the visitor: on the roster, or numbered on a first connect. */
  private async knowsVisitor(visitorId: string): Promise<boolean> {
    return (
      this.roster.has(visitorId) ||
      (await this.room.storage.get<number>(keys.visitor(visitorId))) !== undefined
    );
  }

  /** `POST /invitations/count`: adds a visitor's shown, accepted and dismissed invitations. */
  private async countInvitations(request: Request): Promise<Response> {
    const body = await readJsonBody(request, InvitationCountBodySchema);
    if (!body.ok) return body.response;
    // Counted in memory first, so no transaction is needed (one would let this room take one
    // count per storage commit): the put joins this turn's writes.
    const ruleIds = this.requireSite().invitations.map((rule) => rule.id);
    this.invitationStats = addCounts(this.invitationStats, body.value.counts, ruleIds);
    await this.room.storage.put(keys.invitationStats, this.invitationStats);
    return new Response(null, { status: 204 });
  }

  private async trailOf(
    visitorId: string,
  ): Promise<{ ok: true; value: TrailFrame["trail"] } | ({ ok: false } & Refusal)> {
    const notFound = {
      ok: false as const,
      code: "not_found" as const,
      message: noVisitor(visitorId),
    };
    if (!(await this.knowsVisitor(visitorId))) return notFound;
    const response = await this.room.fetchRoom(
      "visitor",
      visitorId,
      internalRequest("GET", "/trail"),
    );
    if (!response.ok) return notFound;
    return { ok: true, value: (await response.json()) as TrailFrame["trail"] };
  }

  /** Sends `frame` to every signed-in agent. */
  private tellAgents(frame: RosterFrame | OfflineMessagesFrame | HoursFrame): void {
    const message = JSON.stringify(frame);
    // Not `room.broadcast`: a socket still proving its token carries the tag already.
    for (const conn of this.room.getConnections("agent")) {
      if (agentStateOf(conn)) conn.send(message);
    }
  }

  /**
   * Sets the alarm for what is due next (a roster pruning, an escalation round, a session's
   * end, business hours, the retention's next deletion), unless an earlier one is set.
   */
  private async scheduleAlarm(): Promise<void> {
    // A deleted site's alarm runs its deletion alone (continueDeletion).
    if (this.deletion.deleted()) return;
    let next = Number.POSITIVE_INFINITY;
    next = Math.min(next, this.roster.nextPruning() ?? Number.POSITIVE_INFINITY);
    next = Math.min(next, this.accounts.nextRevocationExpiry());
    // A socket lives no longer than its session (one that has just ended is closing already).
    const now = Date.now();
    for (const conn of this.room.getConnections("agent")) {
      const exp = agentStateOf(conn)?.exp ?? now;
      if (exp > now) next = Math.min(next, exp);
    }
    next = Math.min(next, this.desk.nextDeadline() ?? Number.POSITIVE_INFINITY);
    if (this.site) {
      const hoursChange = nextOpeningChange(this.site.businessHours, now);
      next = Math.min(next, hoursChange ?? Number.POSITIVE_INFINITY);
      next = Math.min(
        next,
        this.retention.nextSweep(this.site.retentionDays) ?? Number.POSITIVE_INFINITY,
      );
    }
    if (next === Number.POSITIVE_INFINITY) return;
    if (this.alarmAt !== null && this.alarmAt <= next) return;
    await this.setAlarm(next);
  }

  private async setAlarm(time: number): Promise<void> {
    this.alarmAt = time;
    await this.room.storage.setAlarm(time);
  }
}

const noOfflineMessage = (id: string) => `No offline message ${id}`;
const noVisitor = (id: string) => `No visitor ${id} on this site`;

/** Closes an agent's socket whose session has expired, saying so. */
function endSession(conn: Connection, room: string): void {
  refuseConnection(conn, room, { code: "unauthorized", message: TOKEN_PROBLEM_MESSAGES.expired });
}

/** Room-to-room bodies may carry a batch of chat messages. */
const internalBody = { maxBytes: INTERNAL_BODY_BYTES };

/** A stored site with whatever it lacks from before chat: settings' defaults, a secret. */
function completeSite(site: StoredSiteAnyVersion): StoredSite {
  return {
    id: site.id,
    name: site.name,
    allowedOrigins: site.allowedOrigins,
    retentionDays: site.retentionDays ?? 0,
    identitySecret: site.identitySecret ?? newIdentitySecret(),
    ...(site.previousIdentitySecret ? { previousIdentitySecret: site.previousIdentitySecret } : {}),
    ...chatSettingsOf(site),
  };
}

/** The identity secret before the last rotation, while it still verifies user ids. */
function previousSecretInForce(site: StoredSite): StoredSite["previousIdentitySecret"] {
  const previous = site.previousIdentitySecret;
  return previous && previous.until > Date.now() ? previous : undefined;
}
