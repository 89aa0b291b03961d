import * as v from "valibot";
import { IdSchema, TimestampSchema, text } from "./ids.ts";
import {
  INVITATION_TEXT_LENGTH,
  LABEL_LENGTH,
  MAX_DISMISS_DAYS,
  MAX_INVITATION_RULES,
  URL_PATTERN_LENGTH,
} from "./limits.ts";

/*
 * Proactive invitations: rules a site's admins write (`PUT /api/site {invitations}`), sent to
 * the visitor's browser in `welcome` and evaluated there; invitations sent by an agent
 * (`visitor:invite`) or by the host page (`parley('invite', text)`); and what the visitor did
 * with each (`invitation` events), which the relay counts per rule.
 */

const label = text(LABEL_LENGTH);
const seconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 3600));
const count = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000));

/** An invitation's message: text only, never markup. */
export const InvitationTextSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "an invitation needs a message"),
  v.maxLength(
    INVITATION_TEXT_LENGTH,
    `an invitation is at most ${INVITATION_TEXT_LENGTH} characters`,
  ),
);

/** Whether `pattern` compiles as a JavaScript regular expression. */
const compiles = (pattern: string) => {
  try {
    new RegExp(pattern, "i");
    return true;
  } catch {
    return false;
  }
};

/**
 * The page URL a rule fires on: a wildcard (`*` for any characters, the whole URL or, when it
 * starts with `/`, the path and query) or a regular expression (searched in the whole URL);
 * case does not matter.
 */
export const UrlConditionSchema = v.pipe(
  v.object({
    match: v.picklist(["wildcard", "regex"]),
    pattern: v.pipe(v.string(), v.minLength(1), v.maxLength(URL_PATTERN_LENGTH)),
  }),
  v.check(
    (url) => url.match === "wildcard" || compiles(url.pattern),
    "the URL pattern is not a valid regular expression",
  ),
);

/**
 * What must hold for a rule to fire; every condition given must hold, and a rule with none
 * fires on the first page. Times are in seconds.
 */
export const InvitationConditionsSchema = v.object({
  /** Seconds on the current page, at least. */
  timeOnPage: v.optional(seconds),
  /** Engaged seconds on the site during this visit, at least. */
  engagedTime: v.optional(seconds),
  url: v.optional(UrlConditionSchema),
  /** Pages viewed this visit, the current one included, at least. */
  pagesViewed: v.optional(count),
  /** `first`: the visitor's first visit; `returning`: any later one. */
  visit: v.optional(v.picklist(["first", "returning"])),
  /** How far down the page the visitor has scrolled, in percent, at least. */
  scrollDepth: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
  /** The visitor seems about to leave: the pointer leaves through the top, or a fast scroll up on touch screens. */
  exitIntent: v.optional(v.literal(true)),
  /** The visit's UTM fields, each compared whole and case-insensitively. */
  utmSource: v.optional(label),
  utmMedium: v.optional(label),
  utmCampaign: v.optional(label),
  /** The visit's referrer: a domain (its subdomains match too) or a search engine's name; `search` for any search engine. */
  referrer: v.optional(label),
  device: v.optional(v.picklist(["desktop", "tablet", "mobile"])),
  /** The browser's language: `es` matches `es` and `es-MX`. */
  language: v.optional(text(35)),
});

/** A rule as admins write it. */
export const InvitationRuleSchema = v.object({
  id: IdSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  enabled: v.boolean(),
  conditions: InvitationConditionsSchema,
  message: InvitationTextSchema,
  /** The agent shown as the sender; null: whoever is online (the widget shows the site's team). */
  senderId: v.nullable(IdSchema),
  /** With no agent online: `skip` the invitation, or offer the offline form instead. */
  whenOffline: v.picklist(["skip", "form"]),
  /** Days no rule fires after the visitor dismissed an invitation (0: only this visit). */
  dismissDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_DISMISS_DAYS)),
  notOnMobile: v.boolean(),
});

/** `PUT /api/site {invitations}`: the whole list, replacing the current one. */
export const InvitationRulesSchema = v.pipe(
  v.array(InvitationRuleSchema),
  v.maxLength(MAX_INVITATION_RULES, `a site has at most ${MAX_INVITATION_RULES} rules`),
  v.check(
    (rules) => new Set(rules.map((rule) => rule.id)).size === rules.length,
    "every rule needs its own id",
  ),
);

export type UrlCondition = v.InferOutput<typeof UrlConditionSchema>;
export type InvitationConditions = v.InferOutput<typeof InvitationConditionsSchema>;
export type InvitationRule = v.InferOutput<typeof InvitationRuleSchema>;

/** A rule as the visitor's browser gets it in `welcome`: enabled, the sender's name resolved. */
export type VisitorInvitationRule = Pick<
  InvitationRule,
  "id" | "conditions" | "message" | "whenOffline" | "dismissDays" | "notOnMobile"
> & { sender: string | null };

/**
 * An invitation to show: from a rule (`rule`, and the visit it fired in), from an agent, or from
 * the host page. `sender` is an agent's name, or null for the site's team.
 */
export type Invitation = {
  id: string;
  text: string;
  sender: string | null;
  rule?: VisitorInvitationRule;
  visitId?: string;
};

/**
 * Relay to visitor: an agent invites the visitor (to every open tab). The SDK hands rule
 * invitations to the widget as the same frame, without the relay.
 */
export type InviteFrame = { type: "invite"; invitation: Invitation };

/** Agent to relay: invite a visitor to chat; acknowledged with `ack` once sent to its tabs. */
export const VisitorInviteFrameSchema = v.object({
  type: v.literal("visitor:invite"),
  visitorId: IdSchema,
  id: IdSchema,
  text: InvitationTextSchema,
});

export type VisitorInviteFrame = v.InferOutput<typeof VisitorInviteFrameSchema>;

/**
 * Durable (in `track`): the visitor was shown an invitation, or dismissed it. `ruleId` is the
 * rule's (none for an agent's or the host page's). Counted once per invitation and action; the
 * visitor's reply (a `message` with `invitationId`) counts as accepted.
 */
export const InvitationEventSchema = v.object({
  kind: v.literal("invitation"),
  id: IdSchema,
  at: TimestampSchema,
  invitationId: IdSchema,
  action: v.picklist(["shown", "dismissed"]),
  ruleId: v.optional(IdSchema),
  text: InvitationTextSchema,
  sender: v.nullable(label),
});

export type InvitationEvent = v.InferOutput<typeof InvitationEventSchema>;

/** What visitors did with one rule's invitations (`manual` counts agents' and the host page's). */
export type InvitationCounts = { shown: number; accepted: number; dismissed: number };
export type InvitationStats = Record<string, InvitationCounts>;
