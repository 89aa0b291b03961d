/**
 * The one "global" room: the public HTTP API under `/api/*`, the index that maps an email to
 * its site (an email has one account across all sites), and chat uploads. Everything else
 * about agents and sites lives in the site rooms; this room checks the request and forwards it
 * to the caller's.
 *
 * Public routes: `POST /api/login`, `POST /api/logout`, `POST /api/password`, `GET|POST /api/agents`,
 * `POST /api/agents/password`, `POST /api/agents/role`, `POST /api/agents/remove`,
 * `GET|PUT|DELETE /api/site`, `POST /api/site/identity-secret`, `GET|PUT /api/canned`, `GET /api/offline-messages`,
 * `POST /api/offline-messages/status`, `POST /api/visitors/forget`, `POST|OPTIONS /api/uploads`, `GET /api/uploads/<id>`,
 * `POST /api/pointer`, `POST /api/pointer/verify`, `POST|DELETE /api/sites` (with a site token).
 * Internal routes: `POST /bootstrap` {@link BootstrapBody} (hosts only); `POST /site-origins`
 * {siteId, allowedOrigins} (site rooms: the origins upload preflights are answered for);
 * `POST /uploads/forget` {siteId, visitorId?} (site rooms: a visitor's uploads, or the site's).
 */
import * as v from "valibot";
import {
  AgentPasswordBodySchema,
  type AgentProfile,
  AgentRemoveBodySchema,
  type AgentRole,
  AgentRoleBodySchema,
  CannedResponsesBodySchema,
  IdSchema,
  LoginBodySchema,
  NewAgentBodySchema,
  OfflineStatusBodySchema,
  PasswordChangeBodySchema,
  PointerTokenBodySchema,
  type PointerTokenResponse,
  PointerVerifyBodySchema,
  type PointerVerifyResponse,
  SiteDeleteBodySchema,
  SiteSettingsBodySchema,
  UPLOAD_BYTES,
  VisitorForgetBodySchema,
} from "../../protocol/index.ts";
import {
  createSignInAttempts,
  type SessionClaims,
  type SiteAction,
  signPointerToken,
  TOKEN_PROBLEM_MESSAGES,
  verifyNoPassword,
  verifyPointerToken,
  verifySiteToken,
  verifyToken,
} from "../auth/index.ts";
import {
  bearerToken,
  httpError,
  internalRequest,
  json,
  type Routes,
  readCappedBody,
  readJsonBody,
  route,
  tooManyFailures,
} from "../http.ts";
import type { PartyServer, RoomContext } from "../party.ts";
import { serveUpload, storeUpload, uploadFileName } from "../uploads.ts";
import type { SessionCheck } from "./site-agents.ts";
import {
  type BootstrapBody,
  BootstrapBodySchema,
  NewSiteBodySchema,
  SiteIdSchema,
} from "./site-room.ts";

export type { BootstrapBody };

const emailKey = (email: string) => `agent:${email}`;
const originsKey = (siteId: string) => `origins:${siteId}`;
/**
 * Every upload, by site and uploader (a visitor's id, or AGENTS for the site's agents), so that
 * a file goes with its visitor or its site even if no message ever carried it.
 */
const uploadKey = (siteId: string, uploader: string, fileId = "") =>
  `upload:${siteId}:${uploader}${uploader ? ":" : ""}${fileId}`;
/** The uploader of agents' files: shorter than any visitor id, so never one. */
const AGENTS = "agent";
/** Uploads deleted per storage call. */
const UPLOADS_PAGE = 200;

/** What `POST /uploads/forget` takes: the site, and the visitor whose uploads go (else all). */
const UploadsForgetBodySchema = v.object({
  siteId: SiteIdSchema,
  visitorId: v.optional(IdSchema),
});

const SiteOriginsBodySchema = v.object({
  siteId: SiteIdSchema,
  allowedOrigins: v.array(v.string()),
});

/** The headers a visitor's upload carries; a cross-origin preflight must allow them. */
const UPLOAD_HEADERS =
  "content-type, x-file-name, x-parley-visitor, x-parley-secret, x-parley-site";

const uploadTooLarge = (headers: HeadersInit) =>
  httpError(
    413,
    "too_large_file",
    `Files are limited to ${UPLOAD_BYTES / (1024 * 1024)} MB (${UPLOAD_BYTES} bytes)`,
    headers,
  );

export class DirectoryRoom implements PartyServer {
  private static readonly routes: Routes<DirectoryRoom> = {
    "/api/login": { POST: (directory, request) => directory.login(request) },
    "/api/logout": { POST: (directory, request) => directory.forward(request, "/logout") },
    "/api/password": {
      POST: (directory, request) =>
        directory.forward(request, "/password", PasswordChangeBodySchema),
    },
    "/api/agents": {
      GET: (directory, request) => directory.forward(request, "/agents"),
      POST: (directory, request) => directory.addAgent(request),
    },
    "/api/agents/password": {
      POST: (directory, request) =>
        directory.forward(request, "/agents/password", AgentPasswordBodySchema),
    },
    "/api/agents/remove": { POST: (directory, request) => directory.removeAgent(request) },
    "/api/visitors/forget": {
      POST: (directory, request) =>
        directory.forward(request, "/visitors/forget", VisitorForgetBodySchema),
    },
    "/api/agents/role": {
      POST: (directory, request) => directory.forward(request, "/agents/role", AgentRoleBodySchema),
    },
    "/api/site": {
      GET: (directory, request) => directory.forward(request, "/site"),
      PUT: (directory, request) => directory.forward(request, "/site", SiteSettingsBodySchema),
      DELETE: (directory, request) => directory.deleteSite(request),
    },
    "/api/site/identity-secret": {
      POST: (directory, request) => directory.forward(request, "/identity-secret"),
    },
    "/api/canned": {
      GET: (directory, request) => directory.forward(request, "/canned"),
      PUT: (directory, request) => directory.forward(request, "/canned", CannedResponsesBodySchema),
    },
    "/api/offline-messages": {
      GET: (directory, request) => directory.forward(request, "/offline-messages"),
    },
    "/api/offline-messages/status": {
      POST: (directory, request) =>
        directory.forward(request, "/offline-messages/status", OfflineStatusBodySchema),
    },
    "/api/uploads": {
      POST: (directory, request) => directory.upload(request),
      OPTIONS: async (directory, request) => directory.uploadPreflight(request),
    },
    "/api/pointer": { POST: (directory, request) => directory.pointerToken(request) },
    "/api/pointer/verify": { POST: (directory, request) => directory.verifyPointer(request) },
    "/api/sites": {
      POST: (directory, request) => directory.createSite(request),
      DELETE: (directory, request) => directory.deleteSiteForOperator(request),
    },
    "/bootstrap": { POST: (directory, request) => directory.bootstrap(request) },
    "/site-origins": { POST: (directory, request) => directory.siteOrigins(request) },
    "/uploads/forget": { POST: (directory, request) => directory.forgetUploads(request) },
  };
  private readonly name: string;
  /** Every site's allowed origins, lowercase, by site id. */
  private readonly origins = new Map<string, Set<string>>();
  /**
   * Failed sign-ins by email, counted here rather than in the site rooms so that an unknown
   * email is refused after as many failures as a known one: the answer tells nothing about
   * which accounts exist.
   */
  private readonly signInAttempts = createSignInAttempts();

  constructor(private readonly room: RoomContext) {
    this.name = `${room.party}/${room.id}`;
  }

  async onStart(): Promise<void> {
    const stored = await this.room.storage.list<string[]>({ prefix: "origins:" });
    for (const [key, origins] of stored) {
      this.origins.set(key.slice("origins:".length), new Set(origins));
    }
  }

  onRequest(request: Request): Promise<Response> | Response {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/api/uploads/") && request.method === "GET") {
      return serveUpload(this.room.blobs, pathname.slice("/api/uploads/".length));
    }
    return route(DirectoryRoom.routes, this, request, { logAs: this.name });
  }

  private async login(request: Request): Promise<Response> {
    const body = await readJsonBody(request, LoginBodySchema);
    if (!body.ok) return body.response;
    const { email, password } = body.value;
    const wait = this.signInAttempts.waitFor(email);
    if (wait > 0) return tooManyFailures("Too many failed sign-ins for this email", wait);
    const siteId = await this.room.storage.get<string>(emailKey(email));
    // An unknown email costs the same hashing as a known one, so its answer takes as long.
    const answer = siteId
      ? await this.room.fetchRoom("site", siteId, internalRequest("POST", "/login", body.value))
      : await verifyNoPassword(password).then(() => null);
    if (answer && answer.status !== 401) {
      if (answer.ok) this.signInAttempts.succeeded(email);
      return answer;
    }
    this.signInAttempts.failed(email);
    return httpError(401, "unauthorized", "Wrong email or password");
  }

  /**
   * Checks the token's signature and expiry here, so a forged or expired token never reaches a
   * site room; the site room then checks revocation and the agent's role (a token names the
   * agent, not their role: an admin may change it during the session).
   */
  private async authenticate(
    request: Request,
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
    return { ok: true, claims: verified.claims, token };
  }

  /**
   * Authenticates, and has the site room check what a signature cannot: revocation, that the
   * agent exists, and their current role.
   */
  private async authenticateSession(
    request: Request,
  ): Promise<
    | { ok: true; claims: SessionClaims; token: string; role: AgentRole }
    | { ok: false; response: Response }
  > {
    const auth = await this.authenticate(request);
    if (!auth.ok) return auth;
    const session = await this.room.fetchRoom(
      "site",
      auth.claims.siteId,
      internalRequest("GET", "/session", undefined, { authorization: `Bearer ${auth.token}` }),
    );
    if (!session.ok) return { ok: false, response: session };
    const { role } = (await session.json()) as SessionCheck;
    return { ok: true, claims: auth.claims, token: auth.token, role };
  }

  /** `POST /api/pointer` {chatId}: a pointer token for the agent to hand to the picker. */
  private async pointerToken(request: Request): Promise<Response> {
    const auth = await this.authenticateSession(request);
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request, PointerTokenBodySchema);
    if (!body.ok) return body.response;
    const { siteId, agentId } = auth.claims;
    const signed = await signPointerToken(this.room.env.PARLEY_SECRET, {
      siteId,
      visitorId: body.value.chatId,
      agentId,
    });
    return json(signed satisfies PointerTokenResponse);
  }

  /**
   * `POST /api/pointer/verify` {token, site}: the picker, on the site's page in the console's
   * frame, asks whether the console's token is good before it runs. Sent as a simple request
   * (no preflight); answered with CORS headers only for the site's allowed origins, so no other
   * page can read the answer.
   */
  private async verifyPointer(request: Request): Promise<Response> {
    const origin = request.headers.get("origin");
    const body = await readJsonBody(request, PointerVerifyBodySchema);
    if (!body.ok) return body.response;
    const { token, site } = body.value;
    if (!origin || !this.allows(site, origin)) {
      return httpError(403, "origin_not_allowed", `Origin ${origin ?? "(none)"} is not allowed`);
    }
    const headers = { "access-control-allow-origin": origin, vary: "Origin" };
    const verified = await verifyPointerToken(this.room.env.PARLEY_SECRET, token);
    if (!verified.ok || verified.claims.siteId !== site) {
      const problem = verified.ok ? "another site's token" : verified.problem;
      return httpError(401, "unauthorized", `Pointer token refused: ${problem}`, headers);
    }
    const { visitorId, exp } = verified.claims;
    return json({ visitorId, expiresAt: exp } satisfies PointerVerifyResponse, 200, headers);
  }

  /** Authenticates, validates the body if the route takes one, and asks the caller's site. */
  private async forward(
    request: Request,
    path: string,
    schema?: v.GenericSchema,
  ): Promise<Response> {
    const auth = await this.authenticate(request);
    if (!auth.ok) return auth.response;
    return this.forwardAs(auth, request, path, schema);
  }

  /** {@link forward} for a caller authenticated already. */
  private async forwardAs(
    auth: { claims: SessionClaims; token: string },
    request: Request,
    path: string,
    schema?: v.GenericSchema,
  ): Promise<Response> {
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

  /**
   * Reserves the email across sites first, so two sites cannot both take it; only for a current
   * admin, so that no one else learns which emails are taken.
   */
  private async addAgent(request: Request): Promise<Response> {
    const auth = await this.authenticateSession(request);
    if (!auth.ok) return auth.response;
    if (auth.role !== "admin") return httpError(403, "forbidden", "Only admins can do this");
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

  /** The site room removes the agent; then their email no longer names an account. */
  private async removeAgent(request: Request): Promise<Response> {
    const response = await this.forward(request, "/agents/remove", AgentRemoveBodySchema);
    if (!response.ok) return response;
    const removed = (await response.json()) as AgentProfile;
    await this.room.storage.delete(emailKey(removed.email));
    return json(removed);
  }

  /**
   * `DELETE /api/site`: the site room deletes the site (site-deletion.ts); then its agents'
   * emails no longer name accounts, and its origins send no uploads.
   */
  private async deleteSite(request: Request): Promise<Response> {
    const auth = await this.authenticate(request);
    if (!auth.ok) return auth.response;
    const response = await this.forwardAs(auth, request, "/site", SiteDeleteBodySchema);
    if (response.ok) await this.forgetSite(auth.claims.siteId);
    return response;
  }

  /**
   * `DELETE /api/sites` {confirm} with `Authorization: Bearer <site deletion token>`: the
   * operator deletes the site the token names (`npm run site -- --delete`), as its admin would.
   */
  private async deleteSiteForOperator(request: Request): Promise<Response> {
    const siteId = await this.siteTokenSite(request, "deletion");
    if (siteId === null) {
      return httpError(401, "unauthorized", "Deleting a site takes a site deletion token");
    }
    const body = await readJsonBody(request, SiteDeleteBodySchema);
    if (!body.ok) return body.response;
    if (body.value.confirm !== siteId) {
      return httpError(
        400,
        "bad_body",
        `This deletion token is for the site "${siteId}": confirm it`,
      );
    }
    const response = await this.room.fetchRoom(
      "site",
      siteId,
      internalRequest("POST", "/deletion"),
    );
    if (response.ok) await this.forgetSite(siteId);
    return response;
  }

  /** The site that the request's site token for `action` names, or null without a valid one. */
  private async siteTokenSite(request: Request, action: SiteAction): Promise<string | null> {
    const token = bearerToken(request);
    if (!token) return null;
    const checked = await verifySiteToken(this.room.env.PARLEY_SECRET, token, action);
    return checked.ok ? checked.claims.siteId : null;
  }

  /** A site was deleted: its agents' emails name no account any more, its origins send nothing. */
  private async forgetSite(siteId: string): Promise<void> {
    const emails = await this.room.storage.list<string>({ prefix: emailKey("") });
    const ofSite = [...emails].filter(([, owner]) => owner === siteId).map(([key]) => key);
    await this.room.storage.deleteMany([...ofSite, originsKey(siteId)]);
    this.origins.delete(siteId);
  }

  /** A site room tells its allowed origins (on start and whenever they change). */
  private async siteOrigins(request: Request): Promise<Response> {
    const body = await readJsonBody(request, SiteOriginsBodySchema);
    if (!body.ok) return body.response;
    const origins = body.value.allowedOrigins.map((origin) => origin.toLowerCase());
    await this.room.storage.put(originsKey(body.value.siteId), origins);
    this.origins.set(body.value.siteId, new Set(origins));
    return new Response(null, { status: 204 });
  }

  private allows(siteId: string, origin: string): boolean {
    return this.origins.get(siteId)?.has(origin.toLowerCase()) ?? false;
  }

  /**
   * `OPTIONS /api/uploads`: a browser asks whether a page may send a visitor's upload. The
   * preflight does not say which site it is for, so any site's allowed origin passes; the
   * upload itself is checked against its own site.
   */
  private uploadPreflight(request: Request): Response {
    const origin = request.headers.get("origin");
    if (!origin || ![...this.origins.keys()].some((siteId) => this.allows(siteId, origin))) {
      return httpError(403, "origin_not_allowed", `Origin ${origin ?? "(none)"} is not allowed`);
    }
    return new Response(null, {
      status: 204,
      headers: {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": UPLOAD_HEADERS,
        "access-control-max-age": "600",
        vary: "Origin",
      },
    });
  }

  /**
   * `POST /api/uploads`: the raw file as the body, from a visitor (`x-parley-visitor`,
   * `x-parley-secret`, `x-parley-site`, from one of the site's allowed origins) or an agent
   * (`Authorization: Bearer`). Who it is is checked before a byte of the body is read.
   */
  private async upload(request: Request): Promise<Response> {
    const caller = await this.uploader(request);
    if (!caller.ok) return caller.response;
    const { siteId, uploadedBy, headers } = caller;
    if (Number(request.headers.get("content-length") ?? 0) > UPLOAD_BYTES) {
      return uploadTooLarge(headers);
    }
    const bytes = await readCappedBody(request, UPLOAD_BYTES);
    if (!bytes) return uploadTooLarge(headers);
    const stored = await storeUpload(this.room.blobs, bytes, {
      siteId,
      origin: new URL(request.url).origin,
      name: uploadFileName(request.headers.get("x-file-name")),
    });
    if (!stored.ok) {
      for (const [name, value] of Object.entries(headers)) stored.response.headers.set(name, value);
      return stored.response;
    }
    await this.room.storage.put(uploadKey(siteId, uploadedBy, stored.file.id), Date.now());
    return json(stored.file, 201, headers);
  }

  /**
   * `POST /uploads/forget` {siteId, visitorId?}: deletes the files the visitor uploaded, sent in
   * a message or not; without a visitor, every file the site's index still lists.
   */
  private async forgetUploads(request: Request): Promise<Response> {
    const body = await readJsonBody(request, UploadsForgetBodySchema);
    if (!body.ok) return body.response;
    const prefix = uploadKey(body.value.siteId, body.value.visitorId ?? "");
    for (;;) {
      const page = await this.room.storage.list({ prefix, limit: UPLOADS_PAGE });
      if (page.size === 0) break;
      const keys = [...page.keys()];
      await Promise.all(
        keys.map((key) => this.room.blobs.delete(key.slice(key.lastIndexOf(":") + 1))),
      );
      await this.room.storage.deleteMany(keys);
    }
    return new Response(null, { status: 204 });
  }

  /**
   * The uploader's site and who they are (the visitor, or AGENTS), and the CORS headers its
   * answers carry; or the refusal.
   */
  private async uploader(
    request: Request,
  ): Promise<
    | { ok: true; siteId: string; uploadedBy: string; headers: Record<string, string> }
    | { ok: false; response: Response }
  > {
    if (bearerToken(request)) {
      const auth = await this.authenticateSession(request);
      if (!auth.ok) return auth;
      return { ok: true, siteId: auth.claims.siteId, uploadedBy: AGENTS, headers: {} };
    }
    const visitorId = request.headers.get("x-parley-visitor");
    const secret = request.headers.get("x-parley-secret");
    const siteId = request.headers.get("x-parley-site");
    const origin = request.headers.get("origin");
    const refuse = (status: number, code: string, message: string, headers = {}) => ({
      ok: false as const,
      response: httpError(status, code, message, headers),
    });
    if (!v.is(IdSchema, visitorId) || !secret || !v.is(SiteIdSchema, siteId)) {
      return refuse(
        401,
        "unauthorized",
        "Send x-parley-visitor, x-parley-secret and x-parley-site, or Authorization: Bearer <token>",
      );
    }
    if (!origin || !this.allows(siteId, origin)) {
      return refuse(403, "origin_not_allowed", `Origin ${origin ?? "(none)"} is not allowed`);
    }
    const headers = { "access-control-allow-origin": origin, vary: "Origin" };
    const authorized = await this.room.fetchRoom(
      "visitor",
      visitorId,
      internalRequest("POST", "/uploads/authorize", { siteId, secret }),
    );
    if (!authorized.ok) {
      return refuse(401, "bad_secret", "Unknown visitor, or another secret", headers);
    }
    return { ok: true, siteId, uploadedBy: visitorId, headers };
  }

  /**
   * `POST /api/sites` {site, admin} with `Authorization: Bearer <site setup token>`: creates a
   * new site and its first admin on a running relay (`npm run site -- --relay`); 201, or 409
   * when the site exists or the email has an account on another site. The token names the site
   * it may create (relay/auth/site-tokens.ts).
   */
  private async createSite(request: Request): Promise<Response> {
    const siteId = await this.siteTokenSite(request, "setup");
    if (siteId === null) {
      return httpError(401, "unauthorized", "Creating a site takes a site setup token");
    }
    const body = await readJsonBody(request, NewSiteBodySchema);
    if (!body.ok) return body.response;
    if (body.value.site.id !== siteId) {
      return httpError(403, "forbidden", `This setup token is for the site "${siteId}"`);
    }
    const response = await this.createSiteAndAdmin({ ...body.value, onlyIfNew: true });
    return response.ok ? json({ created: true } satisfies BootstrapResponse, 201) : response;
  }

  /** Creates a site and its admin once; see `POST /bootstrap` in site-room.ts. */
  private async bootstrap(request: Request): Promise<Response> {
    const body = await readJsonBody(request, BootstrapBodySchema);
    if (!body.ok) return body.response;
    return this.createSiteAndAdmin(body.value);
  }

  private async createSiteAndAdmin(body: BootstrapBody): Promise<Response> {
    const { site, admin } = body;
    const key = emailKey(admin.email);
    const owner = await this.room.storage.transaction(async (txn) => {
      const existing = await txn.get<string>(key);
      if (existing === undefined) await txn.put(key, site.id);
      return existing;
    });
    if (owner !== undefined && owner !== site.id) {
      return httpError(409, "email_taken", `${admin.email} already has an account on another site`);
    }
    const response = await this.room.fetchRoom(
      "site",
      site.id,
      internalRequest("POST", "/bootstrap", body),
    );
    // The email was reserved for an admin the site did not create: it is free again.
    if (
      owner === undefined &&
      !(response.ok && ((await response.clone().json()) as BootstrapResponse).created)
    ) {
      await this.room.storage.delete(key);
    }
    return response;
  }
}

/** The HTTP answer to a successful bootstrap. */
export type BootstrapResponse = { created: boolean };
