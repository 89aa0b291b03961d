import * as v from "valibot";
import {
  type AvailabilityFrame,
  type ChatStateFrame,
  CustomDataEventSchema,
  IdentifyEventSchema,
  MessageEventSchema,
  OfflineMessageEventSchema,
  type VisitorChatMessageFrame,
  type VisitorChatReadFrame,
  type VisitorChatTypingFrame,
  VisitorReadFrameSchema,
  VisitorTypingFrameSchema,
  type WidgetSettings,
} from "./chat.ts";
import { DurationSchema, IdSchema, TimestampSchema, text } from "./ids.ts";
import {
  InvitationEventSchema,
  type InviteFrame,
  type VisitorInvitationRule,
} from "./invitations.ts";
import {
  EVENTS_PER_FRAME,
  SCREEN_SIZE_MAX,
  TITLE_LENGTH,
  URL_LENGTH,
  VISIT_NUMBER_MAX,
} from "./limits.ts";

const url = text(URL_LENGTH);
const screenSize = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(SCREEN_SIZE_MAX, `a screen size is at most ${SCREEN_SIZE_MAX} pixels`),
);

/**
 * A visit starts: sent once per visit, before its first page view.
 * `number` counts visits of this visitor (1 = first visit).
 * The browser sends raw facts; the relay derives the visit's source from `landingUrl` and
 * `referrer` (see `classifySource`), and keeps the source of the first visit it
 * stores as first touch.
 */
export const VisitEventSchema = v.object({
  kind: v.literal("visit"),
  id: IdSchema,
  at: TimestampSchema,
  visitId: IdSchema,
  number: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(1),
    v.maxValue(VISIT_NUMBER_MAX, `a visit number is at most ${VISIT_NUMBER_MAX}`),
  ),
  /** The visit's first page: its UTM parameters and click ids say where the visit came from. */
  landingUrl: url,
  /** The landing page view's document referrer. */
  referrer: v.optional(url),
  language: v.optional(text(35)),
  /**
   * Minutes east of UTC on the visitor's device when the visit started (`-getTimezoneOffset()`):
   * the console shows the visitor's local time from it.
   */
  utcOffset: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(-720),
      v.maxValue(840, "a UTC offset is -720 to 840 minutes"),
    ),
  ),
  /** The IANA time zone, as SDKs before `utcOffset` sent it: kept with the visit. */
  timezone: v.optional(text(64)),
  screen: v.optional(v.object({ width: screenSize, height: screenSize })),
});

/** A page view, on load or on a client-side navigation. Its `id` names the page view. */
export const PageViewEventSchema = v.object({
  kind: v.literal("pageview"),
  id: IdSchema,
  at: TimestampSchema,
  visitId: IdSchema,
  url,
  title: text(TITLE_LENGTH),
  referrer: v.optional(url),
});

/**
 * Engaged time on one page view so far (visible, focused and not idle). Sent as a heartbeat
 * while engaged and when engagement stops; later reports replace earlier ones.
 * `active` tells whether the visitor is still engaged at `at`.
 */
export const EngagementEventSchema = v.object({
  kind: v.literal("engagement"),
  id: IdSchema,
  at: TimestampSchema,
  visitId: IdSchema,
  pageviewId: IdSchema,
  engagedMs: DurationSchema,
  active: v.boolean(),
});

/**
 * Anything a visitor sends that must not be lost: tracking (visit, pageview, engagement) and
 * chat (message, identify, custom-data, offline-message; see chat.ts) and invitation (see
 * invitations.ts). Every event carries a
 * client-made id and is stored once.
 */
export const TrackingEventSchema = v.variant("kind", [
  VisitEventSchema,
  PageViewEventSchema,
  EngagementEventSchema,
  MessageEventSchema,
  IdentifyEventSchema,
  CustomDataEventSchema,
  OfflineMessageEventSchema,
  InvitationEventSchema,
]);

/**
 * Visitor to relay: a batch of tracking events. The frame is checked as a whole, then each
 * event on its own, so one bad event does not hold back the rest.
 */
export const TrackFrameSchema = v.object({
  type: v.literal("track"),
  events: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(EVENTS_PER_FRAME)),
});

/** Every frame a visitor may send. */
export const VisitorClientFrameSchema = v.variant("type", [
  TrackFrameSchema,
  VisitorTypingFrameSchema,
  VisitorReadFrameSchema,
]);

export type VisitEvent = v.InferOutput<typeof VisitEventSchema>;
export type PageViewEvent = v.InferOutput<typeof PageViewEventSchema>;
export type EngagementEvent = v.InferOutput<typeof EngagementEventSchema>;
export type TrackingEvent = v.InferOutput<typeof TrackingEventSchema>;
export type TrackFrame = v.InferOutput<typeof TrackFrameSchema>;
export type VisitorClientFrame = v.InferOutput<typeof VisitorClientFrameSchema>;

/**
 * Relay to visitor, on connect: who the relay knows this visitor as, the widget's settings, and
 * the site's invitation rules (only when it has enabled ones: the SDK then loads their evaluator).
 */
export type WelcomeFrame = {
  type: "welcome";
  visitorId: string;
  name: string;
  settings: WidgetSettings;
  invitations?: VisitorInvitationRule[];
};

/**
 * Relay to visitor: these events are stored (or were already). `rejected` lists events that
 * can never be stored (they failed validation); the client drops them.
 */
export type AckFrame = {
  type: "ack";
  ids: string[];
  rejected?: { id: string; code: ErrorCode; message: string }[];
};

/** Every frame the relay sends a visitor. */
export type VisitorServerFrame =
  | WelcomeFrame
  | AckFrame
  | ErrorFrame
  | ChatStateFrame
  | VisitorChatMessageFrame
  | VisitorChatTypingFrame
  | VisitorChatReadFrame
  | AvailabilityFrame
  | InviteFrame;

/** Machine-readable error codes; `message` carries the human-readable text. */
export type ErrorCode =
  | "bad_json"
  | "bad_frame"
  | "unknown_type"
  | "too_large"
  | "rate_limited"
  | "invalid_event"
  | "bad_secret"
  | "origin_not_allowed"
  | "unknown_site"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "not_allowed"
  | "too_large_file"
  | "bad_file_type";

/** Relay to any client: something it sent was refused. */
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string };
