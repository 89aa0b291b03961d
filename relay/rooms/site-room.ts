/**
 * One room per site: the site's settings, its agents and their sessions, visitor numbers, the
 * live roster (site-roster.ts), and the chat queue (chat/desk.ts). Agents connect here;
 * visitor rooms report to it.
 *
 * Internal routes (reached only through `fetchRoom("site", siteId, ...)`):
 * - `POST /bootstrap` {@link BootstrapBody}: creates the site and its admin once -> `{created}`
 * - `POST /login` {email, password} -> LoginResponse | 401
 * - `POST /logout`, `POST /password`, `GET /agents`, `POST /agents`, `POST /agents/password`,
 *   `POST /agents/role`, `POST /agents/remove`, `GET /site`, `PUT /site`,
 *   `POST /identity-secret` (`/api/site/identity-secret`), `GET /canned`, `PUT /canned`,
 *   `GET /offline-messages`, `POST /offline-messages/status`: the `/api/*` routes of the same
 *   names, with the caller's `Authorization: Bearer` token;
 *   `GET /session` -> {@link SessionCheck} checks one
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
  AgentPasswordBodySchema,
  type AgentProfile,
  AgentRemoveBodySchema,
  type AgentRole,
  AgentRoleBodySchema,
  type AgentsResponse,
  type CannedResponse,
  CannedResponsesBodySchema,
  type CannedResponsesResponse,
  type HelloFrame,
  type HoursFrame,
  type InvitationStats,
  LoginBodySchema,
  type LoginResponse,
  NewAgentBodySchema,
  type OfflineMessage,
  type OfflineMessageStatusResponse,
  type OfflineMessagesFrame,
  OfflineStatusBodySchema,
  PasswordChangeBodySchema,
  type PasswordChangeResponse,
  type RosterFrame,
  SiteSettingsBodySchema,
  type SiteSettingsResponse,
  type TrailFrame,
  type VisitorInvitationRule,
  type VisitorInviteFrame,
  type WidgetSettings,
} from "../../protocol/index.ts";
import {
  createSignInAttempts,
  hashPassword,
  newIdentitySecret,
  randomId,
  SESSION_TTL_MS,
  type SessionClaims,
  signToken,
  TOKEN_PROBLEM_MESSAGES,
  verifyNoPassword,
  verifyPassword,
  verifyToken,
  verifyUserHash,
} from "../auth/index.ts";
import { ConnectionGuards, type Refusal, refuseConnection, sendFrame } from "../guard.ts";
import {
  bearerToken,
  httpError,
  INTERNAL_BODY_BYTES,
  internalRequest,
  json,
  type Routes,
  readJsonBody,
  route,
  tooManyFailures,
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
import { createSiteRoster, type RosterCall, type SiteRoster } from "./site-roster.ts";

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
});
export type BootstrapBody = v.InferOutput<typeof BootstrapBodySchema>;

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
  /** Signs user ids for identity verification; shown to admins only. */
  identitySecret: string;
  /** The secret before the last rotation, still accepted until `until` (ms since epoch). */
  previousIdentitySecret?: { secret: string; until: number };
} & ChatSettings;

/** A site as it may be stored: from before chat, without settings or secret. */
type StoredSiteAnyVersion = Pick<StoredSite, "id" | "name" | "allowedOrigins"> &
  Partial<StoredSite>;
/** What `GET /session` answers for a session the site room accepts: whose, and their role now. */
export type SessionCheck = { agentId: string; role: AgentRole };

type StoredAgent = AgentProfile & {
  passwordHash: string;
  createdAt: number;
  /** When the agent last changed their password: sessions signed in before it have ended. */
  passwordChangedAt?: number;
};
/** A signed-in agent's socket: who, and the session's id and expiry (ms since epoch). */
type AgentState = { agentId: string; jti: string; exp: number };
type Session = { agent: StoredAgent; claims: SessionClaims };

const keys = {
  site: "site",
  counter: "counter",
  agent: (id: string) => `agent:${id}`,
  visitor: (id: string) => `visitor:${id}`,
  revoked: (jti: string) => `revoked:${jti}`,
  canned: "canned",
  invitationStats: "invitation-stats",
};

export class SiteRoom implements PartyServer {
  private static readonly ownRoutes: Routes<SiteRoom> = {
    "/bootstrap": { POST: (siteRoom, request) => siteRoom.bootstrap(request) },
    "/login": { POST: (siteRoom, request) => siteRoom.login(request) },
    "/logout": { POST: (siteRoom, request) => siteRoom.logout(request) },
    "/password": { POST: (siteRoom, request) => siteRoom.changePassword(request) },
    "/agents/password": { POST: (siteRoom, request) => siteRoom.setAgentPassword(request) },
    "/agents/role": { POST: (siteRoom, request) => siteRoom.setAgentRole(request) },
    "/agents/remove": { POST: (siteRoom, request) => siteRoom.removeAgent(request) },
    "/agents": {
      GET: (siteRoom, request) => siteRoom.listAgents(request),
      POST: (siteRoom, request) => siteRoom.addAgent(request),
    },
    "/site": {
      GET: (siteRoom, request) => siteRoom.getSite(request),
      PUT: (siteRoom, request) => siteRoom.updateSite(request),
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
    "/session": { GET: (siteRoom, request) => siteRoom.checkSessionRoute(request) },
    "/identity/verify": { POST: (siteRoom, request) => siteRoom.verifyIdentity(request) },
    "/identity-secret": { POST: (siteRoom, request) => siteRoom.rotateIdentitySecret(request) },
    "/invitations/count": { POST: (siteRoom, request) => siteRoom.countInvitations(request) },
  };
  private site: StoredSite | undefined;
  private readonly agents = new Map<string, StoredAgent>();
  /** Revoked session ids, until their tokens would have expired anyway. */
  private readonly revoked = new Map<string, number>();
  /** Wrong current passwords by agent id: a stolen session cannot guess its way to the account. */
  private readonly passwordAttempts = createSignInAttempts();
  private readonly roster: SiteRoster;
  private readonly guards: ConnectionGuards;
  private alarmAt: number | null = null;
  /** Whether the site was within its business hours when last checked. */
  private withinHours = true;
  /** Visitors numbered so far (stored under "counter"); see {@link SiteRoom.visitorNumber}. */
  private visitorsNumbered = 0;
  private readonly name: string;
  /** Its own routes and the desk's, whose handlers are made per desk. */
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
      agents: () => [...this.agents.values()].sort((a, b) => a.createdAt - b.createdAt),
      routing: () => this.site?.routing ?? DEFAULT_ROUTING,
      agentOf: (conn) => agentStateOf(conn)?.agentId ?? null,
      rosterEntry: (visitorId) => this.roster.get(visitorId),
      presentVisitors: () => this.roster.presentIds(),
      open: () => this.isOpen(),
      knowsVisitor: async (visitorId) =>
        this.roster.has(visitorId) ||
        (await this.room.storage.get<number>(keys.visitor(visitorId))) !== undefined,
      refuse: (conn, refusal) => this.guards.refuse(conn, refusal, { strike: false }),
      deadlinesChanged: () => this.scheduleAlarm(),
    });
    this.roster = createSiteRoster({
      storage: room.storage,
      tellAgents: (frame) => this.tellAgents(frame),
      changed: (entry) => this.desk.rosterChanged(entry),
      pruningDue: () => this.scheduleAlarm(),
    });
    this.inbox = createOfflineInbox({
      storage: room.storage,
      tellAgents: (frame: OfflineMessagesFrame) => this.tellAgents(frame),
    });
    this.routes = { ...SiteRoom.ownRoutes, ...this.desk.routes };
  }

  /** No site has this id: the host need not keep the room. */
  isEmpty(): boolean {
    return !this.site;
  }

  async onStart(): Promise<void> {
    const storage = this.room.storage;
    const [site, agents, revoked, alarmAt, invitationStats, visitorsNumbered] = await Promise.all([
      storage.get<StoredSiteAnyVersion>(keys.site),
      storage.list<StoredAgent>({ prefix: "agent:" }),
      storage.list<number>({ prefix: "revoked:" }),
      storage.getAlarm(),
      storage.get<InvitationStats>(keys.invitationStats),
      storage.get<number>(keys.counter),
      this.roster.load(),
    ]);
    this.invitationStats = invitationStats ?? {};
    this.visitorsNumbered = visitorsNumbered ?? 0;
    for (const agent of agents.values()) this.agents.set(agent.id, agent);
    for (const [key, exp] of revoked) this.revoked.set(key.slice("revoked:".length), exp);
    this.alarmAt = alarmAt;
    await Promise.all([this.desk.load(), this.inbox.load()]);
    if (site) {
      const complete = completeSite(site);
      if (JSON.stringify(complete) !== JSON.stringify(site)) {
        await storage.put(keys.site, complete);
      }
      this.site = complete;
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
    const token = new URL(ctx.request.url).searchParams.get("token");
    const session = await this.checkSession(token);
    if (!session.ok) return refuseConnection(conn, this.name, session);
    const { agent, claims } = session.value;
    conn.setState({ agentId: agent.id, jti: claims.jti, exp: claims.exp } satisfies AgentState);
    sendFrame(conn, this.helloFor(agent));
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
    return route(this.routes, this, request);
  }

  async onCall(method: string, arg: Json): Promise<Json | undefined> {
    switch (method) {
      case "roster":
        await this.roster.update((arg as RosterCall).entry);
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
    await this.desk.expireRounds(now);
    this.hoursMayHaveChanged();
    await this.roster.prune(now);
    for (const conn of this.room.getConnections("agent")) {
      if ((agentStateOf(conn)?.exp ?? Number.POSITIVE_INFINITY) <= now) endSession(conn, this.name);
    }
    const expiredSessions = [...this.revoked].filter(([, exp]) => exp <= now).map(([jti]) => jti);
    if (expiredSessions.length > 0) {
      await this.room.storage.deleteMany(expiredSessions.map(keys.revoked));
      for (const jti of expiredSessions) this.revoked.delete(jti);
    }
    await this.scheduleAlarm();
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

  /** Token checks shared by agent sockets and HTTP routes. */
  private async checkSession(
    token: string | null,
  ): Promise<{ ok: true; value: Session } | ({ ok: false } & Refusal)> {
    const refuse = (message: string) => ({
      ok: false as const,
      code: "unauthorized" as const,
      message,
    });
    if (!token) return refuse("Sign in first: no session token");
    const verified = await verifyToken(this.room.env.PARLEY_SECRET, token);
    if (!verified.ok) return refuse(TOKEN_PROBLEM_MESSAGES[verified.problem]);
    const { claims } = verified;
    if (claims.siteId !== this.room.id) return refuse("This session is for another site");
    if (this.revoked.has(claims.jti)) return refuse("This session has been signed out");
    const agent = this.agents.get(claims.agentId);
    if (!agent) return refuse("This agent no longer exists");
    // A token carries its expiry, made from the moment it was signed.
    if (agent.passwordChangedAt && claims.exp - SESSION_TTL_MS < agent.passwordChangedAt) {
      return refuse("The password was changed: sign in again");
    }
    return { ok: true, value: { agent, claims } };
  }

  /** The caller's session from `Authorization: Bearer`, or the 401/403 to answer. */
  private async authorize(
    request: Request,
    role: "admin" | "any",
  ): Promise<{ ok: true; value: Session } | { ok: false; response: Response }> {
    const session = await this.checkSession(bearerToken(request));
    if (!session.ok) {
      return { ok: false, response: httpError(401, session.code, session.message) };
    }
    if (role === "admin" && session.value.agent.role !== "admin") {
      return { ok: false, response: httpError(403, "forbidden", "Only admins can do this") };
    }
    return session;
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
    const agent: StoredAgent = {
      id: randomId(),
      email: admin.email,
      name: admin.name,
      role: "admin",
      passwordHash: await hashPassword(admin.password),
      createdAt: Date.now(),
    };
    const created = completeSite({
      id: site.id,
      name: site.name,
      allowedOrigins: site.allowedOrigins,
    });
    await this.room.storage.putMany({ [keys.site]: created, [keys.agent(agent.id)]: agent });
    this.site = created;
    this.agents.set(agent.id, agent);
    await this.publishOrigins();
    log.info("site created", { site: site.id, admin: admin.email });
    return json({ created: true });
  }

  /** Checks a password for the directory, which throttles sign-ins (see DirectoryRoom.login). */
  private async login(request: Request): Promise<Response> {
    const body = await readJsonBody(request, LoginBodySchema);
    if (!body.ok) return body.response;
    const { email, password } = body.value;
    const agent = [...this.agents.values()].find((candidate) => candidate.email === email);
    const valid = agent
      ? await verifyPassword(password, agent.passwordHash)
      : await verifyNoPassword(password);
    // A bare 401: the directory counts the failure and answers the client.
    if (!agent || !valid || !this.site) return new Response(null, { status: 401 });
    return json({
      token: await this.sessionToken(agent),
      agent: profileOf(agent),
      site: { id: this.site.id, name: this.site.name },
    } satisfies LoginResponse);
  }

  private async logout(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    const { jti, exp } = session.value.claims;
    await this.room.storage.put(keys.revoked(jti), exp);
    this.revoked.set(jti, exp);
    for (const conn of this.room.getConnections("agent")) {
      if (agentStateOf(conn)?.jti !== jti) continue;
      refuseConnection(conn, this.name, { code: "unauthorized", message: "Signed out" });
    }
    await this.scheduleAlarm();
    return new Response(null, { status: 204 });
  }

  /**
   * `POST /password`: the agent's own password, given the current one. Every other session of
   * the agent ends (its sockets close); the caller gets a new token for this one.
   */
  private async changePassword(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, PasswordChangeBodySchema);
    if (!body.ok) return body.response;
    const { agent, claims } = session.value;
    const wait = this.passwordAttempts.waitFor(agent.id);
    if (wait > 0) return tooManyFailures("Too many wrong passwords", wait);
    if (!(await verifyPassword(body.value.currentPassword, agent.passwordHash))) {
      this.passwordAttempts.failed(agent.id);
      return httpError(403, "wrong_password", "The current password is not right");
    }
    this.passwordAttempts.succeeded(agent.id);
    await this.storePassword(agent, body.value.newPassword, claims.jti);
    // Signed after the change, so the sessions it ended do not include this one.
    return json({ token: await this.sessionToken(agent) } satisfies PasswordChangeResponse);
  }

  /** A new session for the agent, signed now. */
  private sessionToken(agent: StoredAgent): Promise<string> {
    return signToken(this.room.env.PARLEY_SECRET, {
      agentId: agent.id,
      siteId: this.room.id,
      exp: Date.now() + SESSION_TTL_MS,
      jti: randomId(),
    });
  }

  /**
   * An admin's request about another agent of the site: the body, and the agent it names; or
   * the answer refusing it (401/403, a bad body, 400 `ownIdMessage` for the admin's own id, 404).
   */
  private async anotherAgent<S extends v.GenericSchema<unknown, { agentId: string }>>(
    request: Request,
    schema: S,
    ownIdMessage: string,
  ): Promise<
    { ok: true; agent: StoredAgent; body: v.InferOutput<S> } | { ok: false; response: Response }
  > {
    const session = await this.authorize(request, "admin");
    if (!session.ok) return session;
    const body = await readJsonBody(request, schema);
    if (!body.ok) return body;
    if (body.value.agentId === session.value.agent.id) {
      return { ok: false, response: httpError(400, "bad_body", ownIdMessage) };
    }
    const agent = this.agents.get(body.value.agentId);
    if (!agent) {
      return { ok: false, response: httpError(404, "not_found", "The site has no such agent") };
    }
    return { ok: true, agent, body: body.value };
  }

  /** `POST /agents/password` (admins): another agent's password; all their sessions end. */
  private async setAgentPassword(request: Request): Promise<Response> {
    const asked = await this.anotherAgent(
      request,
      AgentPasswordBodySchema,
      "Change your own password with the current one (Account)",
    );
    if (!asked.ok) return asked.response;
    await this.storePassword(asked.agent, asked.body.password);
    return new Response(null, { status: 204 });
  }

  /**
   * `POST /agents/role` (admins): makes another agent an admin or an agent. Requests are checked
   * against the stored role, so it holds at once; the agent's open consoles get a new `hello`.
   */
  private async setAgentRole(request: Request): Promise<Response> {
    const asked = await this.anotherAgent(
      request,
      AgentRoleBodySchema,
      "Another admin changes your role: a site keeps an admin",
    );
    if (!asked.ok) return asked.response;
    const { agent, body } = asked;
    if (agent.role === body.role) return json(profileOf(agent));
    const changed: StoredAgent = { ...agent, role: body.role };
    await this.room.storage.put(keys.agent(agent.id), changed);
    this.agents.set(agent.id, changed);
    this.desk.agentsChanged();
    const hello = this.helloFor(changed);
    for (const conn of this.room.getConnections("agent")) {
      if (agentStateOf(conn)?.agentId === agent.id) sendFrame(conn, hello);
    }
    return json(profileOf(changed));
  }

  /**
   * `POST /agents/remove` (admins): another agent leaves the site. Their open chats let go of
   * them, rules that sent invitations in their name send them as the site, and their sockets
   * close; their account is deleted, so their tokens are refused. The directory then frees
   * their email.
   */
  private async removeAgent(request: Request): Promise<Response> {
    const asked = await this.anotherAgent(
      request,
      AgentRemoveBodySchema,
      "Another admin removes you: a site keeps an admin",
    );
    if (!asked.ok) return asked.response;
    const { agent } = asked;
    // Gone first, so that no session of theirs acts on a chat while the chats let go of them.
    await this.room.storage.delete(keys.agent(agent.id));
    this.agents.delete(agent.id);
    for (const conn of this.room.getConnections("agent")) {
      if (agentStateOf(conn)?.agentId !== agent.id) continue;
      refuseConnection(conn, this.name, {
        code: "unauthorized",
        message: "You were removed from this site",
      });
    }
    this.desk.agentsChanged();
    await this.desk.agentRemoved(agent);
    const site = this.requireSite();
    if (site.invitations.some((rule) => rule.senderId === agent.id)) {
      const invitations = site.invitations.map((rule) =>
        rule.senderId === agent.id ? { ...rule, senderId: null } : rule,
      );
      const next: StoredSite = { ...site, invitations };
      await this.room.storage.put(keys.site, next);
      this.site = next;
    }
    return json(profileOf(agent));
  }

  /** The frame that tells a console who its agent is now, and on which site. */
  private helloFor(agent: StoredAgent): HelloFrame {
    const site = this.requireSite();
    return { type: "hello", agent: profileOf(agent), site: { id: site.id, name: site.name } };
  }

  /**
   * Stores the agent's new password and ends their sessions signed in before it, but `keep`
   * (the caller's own).
   */
  private async storePassword(agent: StoredAgent, password: string, keep?: string): Promise<void> {
    const changed: StoredAgent = {
      ...agent,
      passwordHash: await hashPassword(password),
      passwordChangedAt: Date.now(),
    };
    await this.room.storage.put(keys.agent(agent.id), changed);
    this.agents.set(agent.id, changed);
    for (const conn of this.room.getConnections("agent")) {
      const state = agentStateOf(conn);
      if (state?.agentId !== agent.id || state.jti === keep) continue;
      refuseConnection(conn, this.name, {
        code: "unauthorized",
        message: "The password was changed: sign in again",
      });
    }
  }

  private async listAgents(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    const agents = [...this.agents.values()]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map(profileOf);
    return json({ agents } satisfies AgentsResponse);
  }

  private async addAgent(request: Request): Promise<Response> {
    const session = await this.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, NewAgentBodySchema);
    if (!body.ok) return body.response;
    const { email, name, password, role } = body.value;
    if ([...this.agents.values()].some((agent) => agent.email === email)) {
      return httpError(409, "email_taken", "An agent with this email already exists");
    }
    const agent: StoredAgent = {
      id: randomId(),
      email,
      name,
      role,
      passwordHash: await hashPassword(password),
      createdAt: Date.now(),
    };
    await this.room.storage.put(keys.agent(agent.id), agent);
    this.agents.set(agent.id, agent);
    this.desk.agentsChanged();
    return json(profileOf(agent), 201);
  }

  private async getSite(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    return json(this.settingsResponse(this.requireSite(), session.value.agent));
  }

  /** `GET|PUT /api/site`: the identity secret and the invitation counts are for admins' eyes only. */
  private settingsResponse(site: StoredSite, agent: StoredAgent): SiteSettingsResponse {
    const response: SiteSettingsResponse = {
      id: site.id,
      name: site.name,
      allowedOrigins: site.allowedOrigins,
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
    const session = await this.authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, SiteSettingsBodySchema);
    if (!body.ok) return body.response;
    const site = this.requireSite();
    const stranger = body.value.invitations?.find(
      (rule) => rule.senderId && !this.agents.has(rule.senderId),
    );
    if (stranger) {
      return httpError(400, "bad_body", `Rule "${stranger.name}": no such agent as sender`);
    }
    const next: StoredSite = {
      ...site,
      ...updateChatSettings(site, body.value),
      name: body.value.name ?? site.name,
      allowedOrigins: body.value.allowedOrigins
        ? [...new Set(body.value.allowedOrigins.map((origin) => origin.toLowerCase()))]
        : site.allowedOrigins,
    };
    await this.room.storage.put(keys.site, next);
    this.site = next;
    if (body.value.allowedOrigins) await this.publishOrigins();
    if (body.value.businessHours) {
      this.hoursMayHaveChanged();
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
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    const canned = (await this.room.storage.get<CannedResponse[]>(keys.canned)) ?? [];
    return json({ canned } satisfies CannedResponsesResponse);
  }

  private async putCanned(request: Request): Promise<Response> {
    const session = await this.authorize(request, "admin");
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
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    return json(await this.inbox.list());
  }

  private async markOfflineMessage(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
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

  /** For routes of other rooms that take agents (uploads): whose token this is. */
  private async checkSessionRoute(request: Request): Promise<Response> {
    const session = await this.authorize(request, "any");
    if (!session.ok) return session.response;
    const { id, role } = session.value.agent;
    return json({ agentId: id, role } satisfies SessionCheck);
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
    const session = await this.authorize(request, "admin");
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
      return { ok: false, code: "unknown_site", message: `No site "${this.room.id}"` };
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
      invitations: visitorRules(this.site.invitations, (id) => this.agents.get(id)?.name),
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
    const sender = this.agents.get(agentId)?.name ?? null;
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
      message: `No visitor ${visitorId} on this site`,
    };
    const known =
      this.roster.has(visitorId) ||
      (await this.room.storage.get<number>(keys.visitor(visitorId))) !== undefined;
    if (!known) return notFound;
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

  /** Sets the alarm for the next pruning, unless an earlier one is set. */
  private async scheduleAlarm(): Promise<void> {
    let next = Number.POSITIVE_INFINITY;
    next = Math.min(next, this.roster.nextPruning() ?? Number.POSITIVE_INFINITY);
    for (const exp of this.revoked.values()) next = Math.min(next, exp);
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
    }
    if (next === Number.POSITIVE_INFINITY) return;
    if (this.alarmAt !== null && this.alarmAt <= next) return;
    this.alarmAt = next;
    await this.room.storage.setAlarm(next);
  }
}

const noOfflineMessage = (id: string) => `No offline message ${id}`;

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

function profileOf(agent: StoredAgent): AgentProfile {
  return { id: agent.id, email: agent.email, name: agent.name, role: agent.role };
}

function agentStateOf(conn: Connection): AgentState | null {
  const state = conn.state as AgentState | null;
  return state && typeof state.jti === "string" ? state : null;
}
