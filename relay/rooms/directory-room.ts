/**
 * The one "global" room: the public HTTP API under `/api/*`, and the index that maps an email
 * to its site (an email has one account across all sites). Everything else about agents and
 * sites lives in the site rooms; this room checks the request and forwards it to the caller's.
 *
 * Public routes: `POST /api/login`, `POST /api/logout`, `GET|POST /api/agents`,
 * `GET|PUT /api/site`. Internal route (hosts only): `POST /bootstrap` {@link BootstrapBody}.
 */
import type * as v from "valibot";
import {
  LoginBodySchema,
  NewAgentBodySchema,
  SiteSettingsBodySchema,
} from "../../protocol/index.ts";
import {
  type SessionClaims,
  TOKEN_PROBLEM_MESSAGES,
  verifyNoPassword,
  verifyToken,
} from "../auth/index.ts";
import {
  bearerToken,
  httpError,
  internalRequest,
  type Routes,
  readJsonBody,
  route,
} from "../http.ts";
import type { PartyServer, RoomContext } from "../party.ts";
import { type BootstrapBody, BootstrapBodySchema } from "./site-room.ts";

export type { BootstrapBody };

const emailKey = (email: string) => `agent:${email}`;

export class DirectoryRoom implements PartyServer {
  private readonly name: string;
  private readonly routes: Routes = {
    "/api/login": { POST: (request) => this.login(request) },
    "/api/logout": { POST: (request) => this.forward(request, "/logout", "any") },
    "/api/agents": {
      GET: (request) => this.forward(request, "/agents", "any"),
      POST: (request) => this.addAgent(request),
    },
    "/api/site": {
      GET: (request) => this.forward(request, "/site", "any"),
      PUT: (request) => this.forward(request, "/site", "admin", SiteSettingsBodySchema),
    },
    "/bootstrap": { POST: (request) => this.bootstrap(request) },
  };

  constructor(private readonly room: RoomContext) {
    this.name = `${room.party}/${room.id}`;
  }

  onRequest(request: Request): Promise<Response> | Response {
    return route(this.routes, request, { logAs: this.name });
  }

  private async login(request: Request): Promise<Response> {
    const body = await readJsonBody(request, LoginBodySchema);
    if (!body.ok) return body.response;
    const siteId = await this.room.storage.get<string>(emailKey(body.value.email));
    if (!siteId) {
      await verifyNoPassword(body.value.password);
      return httpError(401, "unauthorized", "Wrong email or password");
    }
    return this.room.fetchRoom("site", siteId, internalRequest("POST", "/login", body.value));
  }

  /**
   * Checks the token's signature, expiry and role here, so a forged or expired token never
   * reaches a site room; the site room then checks revocation and the agent's current role.
   */
  private async authenticate(
    request: Request,
    role: "admin" | "any",
  ): Promise<
    { ok: true; claims: SessionClaims; token: string } | { ok: false; response: Response }
  > {
    const unauthorized = (message: string) => ({
      ok: false as const,
      response: httpError(401, "unauthorized", message),
    });
    const token = bearerToken(request);
    if (!token) return unauthorized("Sign in first: send Authorization: Bearer <token>");
    const verified = await verifyToken(this.room.env.PARLEY_SECRET, token);
    if (!verified.ok) return unauthorized(TOKEN_PROBLEM_MESSAGES[verified.problem]);
    if (role === "admin" && verified.claims.role !== "admin") {
      return { ok: false, response: httpError(403, "forbidden", "Only admins can do this") };
    }
    return { ok: true, claims: verified.claims, token };
  }

  /** Authenticates, validates the body if the route takes one, and asks the caller's site. */
  private async forward(
    request: Request,
    path: string,
    role: "admin" | "any",
    schema?: v.GenericSchema,
  ): Promise<Response> {
    const auth = await this.authenticate(request, role);
    if (!auth.ok) return auth.response;
    let body: unknown;
    if (schema) {
      const read = await readJsonBody(request, schema);
      if (!read.ok) return read.response;
      body = read.value;
    }
    return this.room.fetchRoom(
      "site",
      auth.claims.siteId,
      internalRequest(request.method, path, body, { authorization: `Bearer ${auth.token}` }),
    );
  }

  /** Reserves the email across sites first, so two sites cannot both take it. */
  private async addAgent(request: Request): Promise<Response> {
    const auth = await this.authenticate(request, "admin");
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request, NewAgentBodySchema);
    if (!body.ok) return body.response;
    const { siteId } = auth.claims;
    const key = emailKey(body.value.email);
    const reserved = await this.room.storage.transaction(async (txn) => {
      if ((await txn.get<string>(key)) !== undefined) return false;
      await txn.put(key, siteId);
      return true;
    });
    if (!reserved) {
      return httpError(409, "email_taken", "An agent with this email already exists");
    }
    const response = await this.room
      .fetchRoom(
        "site",
        siteId,
        internalRequest("POST", "/agents", body.value, { authorization: `Bearer ${auth.token}` }),
      )
      .catch(async (error: unknown) => {
        await this.room.storage.delete(key);
        throw error;
      });
    if (!response.ok) await this.room.storage.delete(key);
    return response;
  }

  /** Creates a site and its admin once; see `POST /bootstrap` in site-room.ts. */
  private async bootstrap(request: Request): Promise<Response> {
    const body = await readJsonBody(request, BootstrapBodySchema);
    if (!body.ok) return body.response;
    const { site, admin } = body.value;
    const key = emailKey(admin.email);
    const owner = await this.room.storage.transaction(async (txn) => {
      const existing = await txn.get<string>(key);
      if (existing === undefined) await txn.put(key, site.id);
      return existing ?? site.id;
    });
    if (owner !== site.id) {
      return httpError(409, "email_taken", `${admin.email} already has an account on another site`);
    }
    return this.room.fetchRoom("site", site.id, internalRequest("POST", "/bootstrap", body.value));
  }
}

/** The HTTP answer to a successful bootstrap. */
export type BootstrapResponse = { created: boolean };
