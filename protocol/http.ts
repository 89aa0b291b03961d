import * as v from "valibot";
import type { AgentProfile } from "./agent.ts";
import type { BusinessHours } from "./business-hours.ts";
import { ChatSettingsBodySchema, type WidgetSettings } from "./chat.ts";
import { IdSchema, text } from "./ids.ts";
import type { InvitationRule, InvitationStats } from "./invitations.ts";
import { LABEL_LENGTH, RETENTION_DAYS } from "./limits.ts";

const email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(), v.maxLength(254));
/** How long a password that is being set may be, in characters. */
export const PASSWORD_LENGTH = { min: 8, max: 256 };
const password = v.pipe(
  v.string(),
  v.minLength(PASSWORD_LENGTH.min, `a password has at least ${PASSWORD_LENGTH.min} characters`),
  v.maxLength(PASSWORD_LENGTH.max),
);

/** `POST /api/login`: answered with {@link LoginResponse} or 401. */
export const LoginBodySchema = v.object({ email, password: v.pipe(v.string(), v.maxLength(256)) });

/**
 * `POST /api/agents` (admins only): add an agent to the caller's site. Answered with the new
 * agent's `AgentProfile` (201), or 409 `email_taken` when the email has an account on any site.
 */
const role = v.picklist(["admin", "agent"]);

export const NewAgentBodySchema = v.object({
  email,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LABEL_LENGTH)),
  password,
  role,
});

/**
 * `POST /api/password`: the signed-in agent changes their own password. Answered with
 * {@link PasswordChangeResponse}: a new session token, as every other session of the agent ends;
 * 403 `wrong_password` when `currentPassword` is not right, 429 after too many such failures.
 */
export const PasswordChangeBodySchema = v.object({
  currentPassword: v.pipe(v.string(), v.maxLength(256)),
  newPassword: password,
});

/**
 * `POST /api/agents/password` (admins only): set another agent's password, for one who forgot
 * theirs or who must no longer get in. Every session of that agent ends. Answered with 204; 404
 * `not_found` for an agent the site does not have; 400 for the admin's own id (that is
 * `POST /api/password`, with the current password).
 */
export const AgentPasswordBodySchema = v.object({ agentId: IdSchema, password });

/**
 * `POST /api/agents/role` (admins only): make another agent an admin, or an admin an agent. It
 * takes effect at once, on requests and in the agent's open consoles; no one signs out. Answered
 * with the agent's profile; 404 `not_found` for an agent the site does not have; 400 for the
 * admin's own id (another admin changes it, so a site always keeps one).
 */
export const AgentRoleBodySchema = v.object({ agentId: IdSchema, role });

/**
 * `POST /api/agents/remove` (admins only): another agent leaves the site. Their open chats go to
 * their colleagues in them, or back to the queue; invitation rules sent in their name are sent
 * as the site; every session of theirs ends, and their email can be given an account again.
 * Answered with the removed agent's profile; 404 `not_found`; 400 for the admin's own id.
 */
export const AgentRemoveBodySchema = v.object({ agentId: IdSchema });

/**
 * `POST /api/visitors/forget` (admins only): deletes everything stored of a visitor, for one
 * who asks to be forgotten: their trail and visits, their chat with its files, their offline
 * messages, their place in the visitor list. Answered with 204; 404 `not_found` for a visitor
 * the site does not know. A tab of theirs still open connects again as a new visitor.
 */
export const VisitorForgetBodySchema = v.object({ visitorId: IdSchema });

/**
 * An allowed origin: scheme, host and port, no path, e.g. `https://shop.example`. Taken as an
 * address bar shows it too (`https://Shop.example/`): trimmed, lowercased, without the slash.
 */
export const OriginSchema = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^https?:\/\/[^/\s?#]+\/?$/, "an origin is scheme://host[:port] with no path"),
  v.transform((origin) => origin.replace(/\/$/, "")),
);

/** `PUT /api/site` (admins only): change the site's settings. */
export const SiteSettingsBodySchema = v.object({
  name: v.optional(text(LABEL_LENGTH)),
  allowedOrigins: v.optional(v.pipe(v.array(OriginSchema), v.maxLength(100))),
  /** Days a visitor's data is kept after their last visit; 0 keeps it for good. */
  retentionDays: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RETENTION_DAYS)),
  ),
  ...ChatSettingsBodySchema.entries,
});

/**
 * `DELETE /api/site` (admins only): deletes the site, for good. `confirm` repeats the site's id,
 * so that no stray request deletes a site. At once every agent's account and session ends (their
 * emails can be given accounts again), no visitor can connect, and the id cannot be given to a
 * new site; the visitors' data (trails, chats and their files, offline messages) is then deleted
 * in the background, as `POST /api/visitors/forget` deletes one visitor's, and last the rest.
 * Answered with 202 {@link SiteDeleteResponse}; 400 when `confirm` is not the id.
 */
export const SiteDeleteBodySchema = v.object({ confirm: v.string() });

export type LoginBody = v.InferOutput<typeof LoginBodySchema>;
export type NewAgentBody = v.InferOutput<typeof NewAgentBodySchema>;
export type PasswordChangeBody = v.InferOutput<typeof PasswordChangeBodySchema>;
export type AgentPasswordBody = v.InferOutput<typeof AgentPasswordBodySchema>;
export type AgentRoleBody = v.InferOutput<typeof AgentRoleBodySchema>;
export type VisitorForgetBody = v.InferOutput<typeof VisitorForgetBodySchema>;
export type AgentRemoveBody = v.InferOutput<typeof AgentRemoveBodySchema>;
/** What `POST /api/password` answers: the session token to use from now on. */
export type PasswordChangeResponse = { token: string };
export type SiteSettingsBody = v.InferOutput<typeof SiteSettingsBodySchema>;
export type SiteDeleteBody = v.InferOutput<typeof SiteDeleteBodySchema>;
/** What `DELETE /api/site` answers: the site is gone, its visitors' data is going. */
export type SiteDeleteResponse = { deleted: true };

/** The answer to a successful login. `token` goes in `Authorization: Bearer` and `?token=`. */
export type LoginResponse = {
  token: string;
  agent: { id: string; email: string; name: string; role: "admin" | "agent" };
  site: { id: string; name: string };
};

/** `GET /api/agents`: the site's agents, oldest first. */
export type AgentsResponse = { agents: AgentProfile[] };

/** `GET /api/site` and `PUT /api/site`: the site's settings. */
export type SiteSettingsResponse = {
  id: string;
  name: string;
  allowedOrigins: string[];
  /** Days a visitor's data is kept after their last visit; 0 keeps it for good. */
  retentionDays: number;
  routing: "manual" | "auto";
  widget: WidgetSettings;
  businessHours: BusinessHours;
  invitations: InvitationRule[];
  /** Admins only: what visitors did with each rule's invitations, by rule id (and `manual`). */
  invitationStats?: InvitationStats;
  /**
   * Admins only: the key the host's server signs user ids with for identity verification,
   * `userHash = hex(HMAC-SHA256(identitySecret, userId))`. Keep it on the server.
   */
  identitySecret?: string;
  /**
   * Admins only, after a rotation (`POST /api/site/identity-secret`): until when (ms since
   * epoch) the previous secret still verifies user ids.
   */
  previousIdentitySecretUntil?: number;
};

/** Every HTTP error body. */
export type HttpError = { error: string; message: string };
