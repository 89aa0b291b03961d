import * as v from "valibot";
import {
  AcceptFrameSchema,
  type AgentChatMessageFrame,
  type AgentChatReadFrame,
  type AgentChatTypingFrame,
  AgentReadFrameSchema,
  AgentSendFrameSchema,
  AgentStatusFrameSchema,
  type AgentsFrame,
  AgentTypingFrameSchema,
  type ChatHistoryFrame,
  type ChatsFrame,
  DeclineFrameSchema,
  type HoursFrame,
  IgnoreFrameSchema,
  InviteFrameSchema,
  JoinFrameSchema,
  type NotifyFrame,
  OfflineMarkFrameSchema,
  type OfflineMessagesFrame,
  OpenChatFrameSchema,
  ResolveFrameSchema,
  TransferFrameSchema,
} from "./chat.ts";
import { IdSchema } from "./ids.ts";
import { VisitorInviteFrameSchema } from "./invitations.ts";
import type { Source } from "./source.ts";
import type { AckFrame, ErrorFrame } from "./visitor.ts";

/** A visitor's presence: a tab is open and active, open but inactive for a minute, or closed. */
export type VisitorStatus = "online" | "idle" | "gone";

/** Browser, OS and device type, parsed from the user agent on the relay. */
export type Device = {
  browser: string;
  os: string;
  /** "desktop", "mobile", "tablet", "smarttv", "console", "wearable" or "embedded". */
  type: string;
};

/** Where a visitor is, as far as the relay's geo resolver knows. */
export type Geo = { city?: string; region?: string; country?: string };

/**
 * What a visitor told about itself (pre-chat form, `identify`). `userId` is the host's own
 * user id; `verified` is true only when the host signed it (`userHash`) with the site's
 * identity secret: otherwise it is the visitor's unchecked claim.
 */
export type VisitorContact = {
  name?: string;
  email?: string;
  phone?: string;
  userId?: string;
  verified?: boolean;
};

/** One visitor in the site's live list, kept current by the relay. */
export type RosterEntry = {
  id: string;
  /** The name given with `identify`; else "City 40" when the city is known, else "Visitor 40". */
  name: string;
  /** The visitor's number on this site. */
  number: number;
  status: VisitorStatus;
  /** The page the visitor last viewed. */
  page: { url: string; title: string } | null;
  /** Source of the current visit (last touch) and of the first visit (first touch). */
  source: Source | null;
  firstSource: Source | null;
  /** The current visit. */
  visit: {
    id: string;
    number: number;
    startedAt: number;
    pageviews: number;
    /** Engaged time on the site during this visit, as of `engagedAt`. */
    engagedMs: number;
    /** Relay time when `engagedMs` was measured. */
    engagedAt: number;
    /** Whether the visitor was engaged at `engagedAt`: the console keeps counting while true. */
    engaged: boolean;
    /** Minutes east of UTC on the visitor's device; null when their tracker did not say. */
    utcOffset: number | null;
  } | null;
  /** Number of visits so far. */
  visits: number;
  device: Device;
  geo: Geo;
  /** Relay time of the last event from this visitor. */
  lastActivityAt: number;
  /** Set once the visitor identified itself. */
  contact?: VisitorContact;
  /** Merged `setCustomData` values, when any. */
  customData?: Record<string, string | number | boolean>;
};

/** A page view in a trail. `engagedMs` is the engaged time spent on it. */
export type TrailPageView = {
  id: string;
  at: number;
  url: string;
  title: string;
  engagedMs: number;
};

/** A visit in a trail, with its page views oldest first. */
export type TrailVisit = {
  id: string;
  number: number;
  startedAt: number;
  source: Source;
  landingUrl: string;
  pageviews: TrailPageView[];
};

/** A visitor's whole trail: every visit with every page view, oldest first. */
export type Trail = { visitorId: string; visits: TrailVisit[] };

/** Agent to relay: send me this visitor's trail. */
export const TrailRequestFrameSchema = v.object({
  type: v.literal("trail:get"),
  visitorId: IdSchema,
});

/** Every frame an agent may send. */
export const AgentClientFrameSchema = v.variant("type", [
  TrailRequestFrameSchema,
  AgentSendFrameSchema,
  AcceptFrameSchema,
  IgnoreFrameSchema,
  ResolveFrameSchema,
  OpenChatFrameSchema,
  JoinFrameSchema,
  DeclineFrameSchema,
  TransferFrameSchema,
  InviteFrameSchema,
  AgentTypingFrameSchema,
  AgentReadFrameSchema,
  AgentStatusFrameSchema,
  OfflineMarkFrameSchema,
  VisitorInviteFrameSchema,
]);
export type AgentClientFrame = v.InferOutput<typeof AgentClientFrameSchema>;

/** The signed-in agent as the console shows it. */
export type AgentProfile = { id: string; email: string; name: string; role: AgentRole };
export type AgentRole = "admin" | "agent";

/** Relay to agent, on connect: who you are and which site this is. */
export type HelloFrame = {
  type: "hello";
  agent: AgentProfile;
  site: { id: string; name: string };
};

/**
 * Relay to agent: roster changes. The first one after connecting has `full: true` and lists
 * every visitor; later ones list only visitors that changed, and in `removed` the ids of
 * visitors dropped from the roster (gone for over an hour).
 */
export type RosterFrame = {
  type: "roster";
  full: boolean;
  visitors: RosterEntry[];
  removed?: string[];
};

/** Relay to agent: the trail asked for with `trail:get`. */
export type TrailFrame = { type: "trail"; trail: Trail };

/** Every frame the relay sends an agent. */
export type AgentServerFrame =
  | HelloFrame
  | RosterFrame
  | TrailFrame
  | ErrorFrame
  | AckFrame
  | ChatsFrame
  | ChatHistoryFrame
  | AgentChatMessageFrame
  | AgentChatTypingFrame
  | AgentChatReadFrame
  | AgentsFrame
  | NotifyFrame
  | OfflineMessagesFrame
  | HoursFrame;
