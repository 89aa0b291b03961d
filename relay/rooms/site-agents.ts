/**
 * A site's agent accounts: profiles and password hashes, the sessions signed for them (checked
 * against the account on every request and socket, so a new password, role or removal holds at
 * once; revoked on sign-out until they would have expired), and what admins change of them. The
 * site room (site-room.ts) adds {@link AgentAccounts.routes} to its own. Stored under
 * `agent:<agent id>` and `revoked:<session id>` (its expiry).
 *
 * Routes, with the caller's `Authorization: Bearer` token but `/login`:
 * - `POST /login` {email, password} -> LoginResponse | 401 (the directory throttles sign-ins)
 * - `POST /logout`; `POST /password` {currentPassword, newPassword} -> PasswordChangeResponse
 * - `GET /agents`; `POST /agents`, `POST /agents/password`, `POST /agents/role`,
 *   `POST /agents/remove` (admins): the `/api/*` routes of the same names
 * - `GET /session` -> {@link SessionCheck}, for other rooms' routes that take agents
 */
import type * as v from "valibot";
import {
  AgentPasswordBodySchema,
  type AgentProfile,
  AgentRemoveBodySchema,
  type AgentRole,
  AgentRoleBodySchema,
  type AgentsResponse,
  type HelloFrame,
  LoginBodySchema,
  type LoginResponse,
  NewAgentBodySchema,
  PasswordChangeBodySchema,
  type PasswordChangeResponse,
} from "../../protocol/index.ts";
import {
  createSignInAttempts,
  hashPassword,
  randomId,
  SESSION_TTL_MS,
  type SessionClaims,
  signToken,
  TOKEN_PROBLEM_MESSAGES,
  verifyNoPassword,
  verifyPassword,
  verifyToken,
} from "../auth/index.ts";
import { type Refusal, refuseConnection, sendFrame } from "../guard.ts";
import {
  bearerToken,
  httpError,
  json,
  type Routes,
  readJsonBody,
  tooManyFailures,
} from "../http.ts";
import type { Connection, Json, RoomContext } from "../party.ts";

/** What `GET /session` answers for a session the site accepts: whose, and their role now. */
export type SessionCheck = { agentId: string; role: AgentRole };

export type StoredAgent = AgentProfile & {
  passwordHash: string;
  createdAt: number;
  /** When the agent last changed their password: sessions signed in before it have ended. */
  passwordChangedAt?: number;
};
/** A signed-in agent's socket: who, and the session's id and expiry (ms since epoch). */
export type AgentState = { agentId: string; jti: string; exp: number };
export type Session = { agent: StoredAgent; claims: SessionClaims };
/** A session, or the refusal to send on a socket. */
export type SessionResult = { ok: true; value: Session } | ({ ok: false } & Refusal);
/** A session, or the 401/403 to answer a request with. */
export type Authorized = { ok: true; value: Session } | { ok: false; response: Response };

const keys = {
  agent: (id: string) => `agent:${id}`,
  revoked: (jti: string) => `revoked:${jti}`,
};

/** What the accounts need from their site room. */
export type AgentAccountsHost = {
  room: RoomContext;
  /** The site's id and name, once it exists. */
  site(): { id: string; name: string } | undefined;
  /** An agent was added, or their role changed (the chat desk lists who may take chats). */
  changed(): void;
  /** An agent's account and sockets are gone: what was theirs lets go of them. */
  removed(agent: StoredAgent): Promise<void>;
  /** A session was revoked: its expiry may be due sooner than the room's alarm. */
  revoked(): Promise<void>;
};

export type AgentAccounts = ReturnType<typeof createAgentAccounts>;

/**
 * @example
 * const accounts = createAgentAccounts({ room, site, changed, removed, revoked });
 * await accounts.load();
 * const session = await accounts.authorize(request, "admin");
 */
export function createAgentAccounts(host: AgentAccountsHost) {
  const { room } = host;
  const name = `${room.party}/${room.id}`;
  const agents = new Map<string, StoredAgent>();
  /** Revoked session ids, until their tokens would have expired anyway. */
  const revokedSessions = new Map<string, number>();
  /** Wrong current passwords by agent id: a stolen session cannot guess its way to the account. */
  const passwordAttempts = createSignInAttempts();

  /** Token checks shared by agent sockets and HTTP routes. */
  async function checkSession(token: string | null): Promise<SessionResult> {
    const refuse = (message: string) => ({
      ok: false as const,
      code: "unauthorized" as const,
      message,
    });
    if (!token) return refuse("Sign in first: no session token");
    const verified = await verifyToken(room.env.PARLEY_SECRET, token);
    if (!verified.ok) return refuse(TOKEN_PROBLEM_MESSAGES[verified.problem]);
    const { claims } = verified;
    if (claims.siteId !== room.id) return refuse("This session is for another site");
    if (revokedSessions.has(claims.jti)) return refuse("This session has been signed out");
    const agent = agents.get(claims.agentId);
    if (!agent) return refuse("This agent no longer exists");
    // A token carries its expiry, made from the moment it was signed.
    if (agent.passwordChangedAt && claims.exp - SESSION_TTL_MS < agent.passwordChangedAt) {
      return refuse("The password was changed: sign in again");
    }
    return { ok: true, value: { agent, claims } };
  }

  /** The caller's session from `Authorization: Bearer`, or the 401/403 to answer. */
  async function authorize(request: Request, role: "admin" | "any"): Promise<Authorized> {
    const session = await checkSession(bearerToken(request));
    if (!session.ok) {
      return { ok: false, response: httpError(401, session.code, session.message) };
    }
    if (role === "admin" && session.value.agent.role !== "admin") {
      return { ok: false, response: httpError(403, "forbidden", "Only admins can do this") };
    }
    return session;
  }

  /** The agent's open sockets. */
  function socketsOf(agentId: string): Connection[] {
    return [...room.getConnections("agent")].filter(
      (conn) => agentStateOf(conn)?.agentId === agentId,
    );
  }

  /** A new session for the agent, signed now. */
  function sessionToken(agent: StoredAgent): Promise<string> {
    return signToken(room.env.PARLEY_SECRET, {
      agentId: agent.id,
      siteId: room.id,
      exp: Date.now() + SESSION_TTL_MS,
      jti: randomId(),
    });
  }

  async function newAgent(fields: Omit<AgentProfile, "id"> & { password: string }) {
    const { password, ...profile } = fields;
    return {
      id: randomId(),
      ...profile,
      passwordHash: await hashPassword(password),
      createdAt: Date.now(),
    } satisfies StoredAgent;
  }

  async function store(agent: StoredAgent): Promise<void> {
    await room.storage.put(keys.agent(agent.id), agent);
    agents.set(agent.id, agent);
  }

  /**
   * Stores the agent's new password and ends their sessions signed in before it, but `keep`
   * (the caller's own).
   */
  async function storePassword(agent: StoredAgent, password: string, keep?: string) {
    await store({
      ...agent,
      passwordHash: await hashPassword(password),
      passwordChangedAt: Date.now(),
    });
    for (const conn of socketsOf(agent.id)) {
      if (agentStateOf(conn)?.jti === keep) continue;
      refuseConnection(conn, name, {
        code: "unauthorized",
        message: "The password was changed: sign in again",
      });
    }
  }

  /** The frame that tells a console who its agent is now, and on which site. */
  function helloFor(agent: StoredAgent): HelloFrame {
    const site = host.site();
    if (!site) throw new Error(`site ${room.id} is not set up`);
    return { type: "hello", agent: profileOf(agent), site: { id: site.id, name: site.name } };
  }

  /** Checks a password for the directory, which throttles sign-ins (see DirectoryRoom.login). */
  async function login(request: Request): Promise<Response> {
    const body = await readJsonBody(request, LoginBodySchema);
    if (!body.ok) return body.response;
    const { email, password } = body.value;
    const agent = [...agents.values()].find((candidate) => candidate.email === email);
    const valid = agent
      ? await verifyPassword(password, agent.passwordHash)
      : await verifyNoPassword(password);
    const site = host.site();
    // A bare 401: the directory counts the failure and answers the client.
    if (!agent || !valid || !site) return new Response(null, { status: 401 });
    return json({
      token: await sessionToken(agent),
      agent: profileOf(agent),
      site: { id: site.id, name: site.name },
    } satisfies LoginResponse);
  }

  async function logout(request: Request): Promise<Response> {
    const session = await authorize(request, "any");
    if (!session.ok) return session.response;
    const { jti, exp } = session.value.claims;
    await room.storage.put(keys.revoked(jti), exp);
    revokedSessions.set(jti, exp);
    for (const conn of room.getConnections("agent")) {
      if (agentStateOf(conn)?.jti !== jti) continue;
      refuseConnection(conn, name, { code: "unauthorized", message: "Signed out" });
    }
    await host.revoked();
    return new Response(null, { status: 204 });
  }

  /**
   * `POST /password`: the agent's own password, given the current one. Every other session of
   * the agent ends (its sockets close); the caller gets a new token for this one.
   */
  async function changePassword(request: Request): Promise<Response> {
    const session = await authorize(request, "any");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, PasswordChangeBodySchema);
    if (!body.ok) return body.response;
    const { agent, claims } = session.value;
    const wait = passwordAttempts.waitFor(agent.id);
    if (wait > 0) return tooManyFailures("Too many wrong passwords", wait);
    if (!(await verifyPassword(body.value.currentPassword, agent.passwordHash))) {
      passwordAttempts.failed(agent.id);
      return httpError(403, "wrong_password", "The current password is not right");
    }
    passwordAttempts.succeeded(agent.id);
    await storePassword(agent, body.value.newPassword, claims.jti);
    // Signed after the change, so the sessions it ended do not include this one.
    return json({ token: await sessionToken(agent) } satisfies PasswordChangeResponse);
  }

  /**
   * An admin's request about another agent of the site: the body, and the agent it names; or
   * the answer refusing it (401/403, a bad body, 400 `ownIdMessage` for the admin's own id, 404).
   */
  async function anotherAgent<S extends v.GenericSchema<unknown, { agentId: string }>>(
    request: Request,
    schema: S,
    ownIdMessage: string,
  ): Promise<
    { ok: true; agent: StoredAgent; body: v.InferOutput<S> } | { ok: false; response: Response }
  > {
    const session = await authorize(request, "admin");
    if (!session.ok) return session;
    const body = await readJsonBody(request, schema);
    if (!body.ok) return body;
    if (body.value.agentId === session.value.agent.id) {
      return { ok: false, response: httpError(400, "bad_body", ownIdMessage) };
    }
    const agent = agents.get(body.value.agentId);
    if (!agent) {
      return { ok: false, response: httpError(404, "not_found", "The site has no such agent") };
    }
    return { ok: true, agent, body: body.value };
  }

  /** `POST /agents/password` (admins): another agent's password; all their sessions end. */
  async function setAgentPassword(request: Request): Promise<Response> {
    const asked = await anotherAgent(
      request,
      AgentPasswordBodySchema,
      "Change your own password with the current one (Account)",
    );
    if (!asked.ok) return asked.response;
    await storePassword(asked.agent, asked.body.password);
    return new Response(null, { status: 204 });
  }

  /**
   * `POST /agents/role` (admins): makes another agent an admin or an agent. Requests are checked
   * against the stored role, so it holds at once; the agent's open consoles get a new `hello`.
   */
  async function setAgentRole(request: Request): Promise<Response> {
    const asked = await anotherAgent(
      request,
      AgentRoleBodySchema,
      "Another admin changes your role: a site keeps an admin",
    );
    if (!asked.ok) return asked.response;
    const { agent, body } = asked;
    if (agent.role === body.role) return json(profileOf(agent));
    const changed: StoredAgent = { ...agent, role: body.role };
    await store(changed);
    host.changed();
    const hello = helloFor(changed);
    for (const conn of socketsOf(agent.id)) sendFrame(conn, hello);
    return json(profileOf(changed));
  }

  /**
   * `POST /agents/remove` (admins): another agent leaves the site. Their account is deleted, so
   * their tokens are refused, and their sockets close; then what was theirs lets go of them
   * (see {@link AgentAccountsHost.removed}). The directory then frees their email.
   */
  async function removeAgent(request: Request): Promise<Response> {
    const asked = await anotherAgent(
      request,
      AgentRemoveBodySchema,
      "Another admin removes you: a site keeps an admin",
    );
    if (!asked.ok) return asked.response;
    const { agent } = asked;
    // Gone first, so that no session of theirs acts on a chat while the chats let go of them.
    await room.storage.delete(keys.agent(agent.id));
    agents.delete(agent.id);
    for (const conn of socketsOf(agent.id)) {
      refuseConnection(conn, name, {
        code: "unauthorized",
        message: "You were removed from this site",
      });
    }
    await host.removed(agent);
    return json(profileOf(agent));
  }

  async function listAgents(request: Request): Promise<Response> {
    const session = await authorize(request, "any");
    if (!session.ok) return session.response;
    return json({ agents: all().map(profileOf) } satisfies AgentsResponse);
  }

  async function addAgent(request: Request): Promise<Response> {
    const session = await authorize(request, "admin");
    if (!session.ok) return session.response;
    const body = await readJsonBody(request, NewAgentBodySchema);
    if (!body.ok) return body.response;
    if (all().some((agent) => agent.email === body.value.email)) {
      return httpError(409, "email_taken", "An agent with this email already exists");
    }
    const agent = await newAgent(body.value);
    await store(agent);
    host.changed();
    return json(profileOf(agent), 201);
  }

  /** For routes of other rooms that take agents (uploads): whose token this is. */
  async function sessionCheck(request: Request): Promise<Response> {
    const session = await authorize(request, "any");
    if (!session.ok) return session.response;
    const { id, role } = session.value.agent;
    return json({ agentId: id, role } satisfies SessionCheck);
  }

  /** The site's agents, oldest account first. */
  function all(): StoredAgent[] {
    return [...agents.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The handlers close over the accounts, so they take any owner, as the chat desk's do. */
  const routes: Routes<unknown> = {
    "/login": { POST: (_, request) => login(request) },
    "/logout": { POST: (_, request) => logout(request) },
    "/password": { POST: (_, request) => changePassword(request) },
    "/agents/password": { POST: (_, request) => setAgentPassword(request) },
    "/agents/role": { POST: (_, request) => setAgentRole(request) },
    "/agents/remove": { POST: (_, request) => removeAgent(request) },
    "/agents": {
      GET: (_, request) => listAgents(request),
      POST: (_, request) => addAgent(request),
    },
    "/session": { GET: (_, request) => sessionCheck(request) },
  };

  return {
    routes,
    checkSession,
    authorize,
    helloFor,

    /** Sends every signed-in console its `hello` again: the site's name changed. */
    greetAgain(): void {
      for (const conn of room.getConnections("agent")) {
        const agent = agents.get(agentStateOf(conn)?.agentId ?? "");
        if (agent) sendFrame(conn, helloFor(agent));
      }
    },
    all,
    get: (agentId: string): StoredAgent | undefined => agents.get(agentId),

    /** The storage keys of every account, for a caller that deletes them all (`endAll`). */
    storedKeys: (): string[] => [...agents.keys()].map(keys.agent),

    /**
     * The accounts were deleted with the site: every session ends, the sockets close with
     * `message`.
     */
    endAll(message: string): void {
      agents.clear();
      for (const conn of room.getConnections("agent")) {
        refuseConnection(conn, name, { code: "unauthorized", message });
      }
    },

    /** Reads the accounts and revoked sessions; call once from `onStart`. */
    async load(): Promise<void> {
      const [stored, revoked] = await Promise.all([
        room.storage.list<StoredAgent>({ prefix: "agent:" }),
        room.storage.list<number>({ prefix: "revoked:" }),
      ]);
      for (const agent of stored.values()) agents.set(agent.id, agent);
      for (const [key, exp] of revoked) revokedSessions.set(key.slice("revoked:".length), exp);
    },

    /**
     * The site's first admin, stored in one write with `alongside` (the new site), so that a
     * site never exists without one.
     */
    async createFirstAdmin(
      admin: { email: string; name: string; password: string },
      alongside: Record<string, Json>,
    ): Promise<void> {
      const agent = await newAgent({ ...admin, role: "admin" });
      await room.storage.putMany({ ...alongside, [keys.agent(agent.id)]: agent });
      agents.set(agent.id, agent);
    },

    /** When the first revoked session kept would have expired anyway (infinity: none is). */
    nextRevocationExpiry(): number {
      let next = Number.POSITIVE_INFINITY;
      for (const exp of revokedSessions.values()) next = Math.min(next, exp);
      return next;
    },

    /** Forgets revoked sessions that would have expired by `now`. */
    async forgetExpiredRevocations(now: number): Promise<void> {
      const expired = [...revokedSessions].filter(([, exp]) => exp <= now).map(([jti]) => jti);
      if (expired.length === 0) return;
      await room.storage.deleteMany(expired.map(keys.revoked));
      for (const jti of expired) revokedSessions.delete(jti);
    },
  };
}

export function profileOf(agent: StoredAgent): AgentProfile {
  return { id: agent.id, email: agent.email, name: agent.name, role: agent.role };
}

/** The signed-in agent on a site room's socket; null while it still proves its token. */
export function agentStateOf(conn: Connection): AgentState | null {
  const state = conn.state as AgentState | null;
  return state && typeof state.jti === "string" ? state : null;
}
