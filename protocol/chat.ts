import * as v from "valibot";
import { BusinessHoursSchema } from "./business-hours.ts";
import { IdSchema, TimestampSchema, text } from "./ids.ts";
import { InvitationRulesSchema } from "./invitations.ts";
import { LABEL_LENGTH, MESSAGE_LENGTH } from "./limits.ts";
import { type PointerTarget, PointerTargetSchema } from "./pointer.ts";

/*
 * Chat: one conversation per visitor (its id is the visitor id), kept by the visitor's room
 * and shared by all the visitor's tabs; the site room keeps the queue (who has which chat).
 *
 * Durable sends (messages, identify, custom data, offline messages) travel as events in the
 * visitor's `track` frames (see visitor.ts) and the agent's `chat:send` frames, each with a
 * client-made id, acknowledged with `ack` once stored; everything else here is best effort.
 */

const messageText = v.pipe(
  v.string(),
  v.maxLength(MESSAGE_LENGTH, `a message is at most ${MESSAGE_LENGTH} characters`),
);
const label = text(LABEL_LENGTH);

/** An uploaded file as it appears in a message. `url` is absolute on the relay. */
export type ChatFile = {
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  /** Checked from the file's content on upload, not taken from the client. */
  type: string;
  url: string;
  /** True for PNG, JPEG, GIF and WebP: shown inline. */
  image: boolean;
};

/** Who wrote a message. */
export type ChatAuthor =
  | { kind: "visitor" }
  | { kind: "agent"; agentId: string; name: string }
  | { kind: "system" };

/**
 * A stored message. `seq` orders a conversation (1, 2, 3...); `at` is relay time.
 * `note`: a private note, never sent to the visitor. System messages say what happened
 * ("Anna joined the chat", "The chat was transferred to Ben").
 */
export type ChatMessage = {
  id: string;
  chatId: string;
  seq: number;
  at: number;
  author: ChatAuthor;
  text: string;
  file?: ChatFile;
  note?: boolean;
  /** A pointer message: the agent points at an element of the visitor's page; `text` says why. */
  pointer?: PointerTarget;
};

/**
 * Where a chat is in the queue: `requested` waits for an agent (Requests tab); `active` has
 * an assignee (Active tab); `resolved` was closed by an agent (a new visitor message reopens it
 * as a request); `missed` was ignored through every escalation round.
 */
export type ChatStatus = "requested" | "active" | "resolved" | "missed";

/** An agent as visitors see one: in the chat header and beside messages. */
export type ChatAgent = { id: string; name: string; avatar?: string };

/** Site settings the widget needs, sent to the visitor in `welcome`. */
export type WidgetSettings = {
  /** Launcher and header colour, `#rrggbb`. */
  color: string;
  position: "right" | "left";
  /** Label of the launcher (empty: icon only). */
  launcherText: string;
  /** First line shown in an empty chat. */
  greeting: string;
  /** Pre-chat form fields, shown before the first message. */
  prechat: { name: FieldRule; email: FieldRule; phone: FieldRule };
  /** When nobody is online: show the offline form, or hide the widget. */
  whenOffline: "form" | "hide";
};
export type FieldRule = "off" | "optional" | "required";

/* ---------- visitor <-> relay ---------- */

/** Durable (in `track`): the visitor sends a message (text, a file, or both). */
export const MessageEventSchema = v.object({
  kind: v.literal("message"),
  id: IdSchema,
  at: TimestampSchema,
  text: messageText,
  /** An upload made with `POST /api/uploads`, by its id. */
  fileId: v.optional(IdSchema),
  /** The invitation this message answers (shown before): the chat starts from it. */
  invitationId: v.optional(IdSchema),
});

/** Durable (in `track`): who the visitor is, from the pre-chat form or `parley('identify')`. */
export const IdentifyEventSchema = v.object({
  kind: v.literal("identify"),
  id: IdSchema,
  at: TimestampSchema,
  name: v.optional(label),
  email: v.optional(v.pipe(v.string(), v.maxLength(254), v.email())),
  phone: v.optional(text(40)),
  /**
   * The host's own user id; trusted only with a valid `userHash`. Trimmed here, before the
   * relay checks the hash, so the id it verifies is the id it stores.
   */
  userId: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LABEL_LENGTH))),
  /** HMAC-SHA256(site secret, userId), hex: made by the host's server from the trimmed id. */
  userHash: v.optional(text(128)),
});

/** Durable (in `track`): key-value data from `parley('setCustomData', {...})`, merged. */
export const CustomDataEventSchema = v.object({
  kind: v.literal("custom-data"),
  id: IdSchema,
  at: TimestampSchema,
  data: v.pipe(
    v.record(text(64), v.union([label, v.number(), v.boolean(), v.null()])),
    v.check((data) => Object.keys(data).length <= 50, "at most 50 custom data keys"),
  ),
});

/** Durable (in `track`): an offline-form submission (nobody online, or a missed chat). */
export const OfflineMessageEventSchema = v.object({
  kind: v.literal("offline-message"),
  id: IdSchema,
  at: TimestampSchema,
  name: label,
  email: v.pipe(v.string(), v.maxLength(254), v.email()),
  phone: v.optional(text(40)),
  text: messageText,
});

export type ChatMessageEvent = v.InferOutput<typeof MessageEventSchema>;
export type IdentifyEvent = v.InferOutput<typeof IdentifyEventSchema>;
export type CustomDataEvent = v.InferOutput<typeof CustomDataEventSchema>;
export type OfflineMessageEvent = v.InferOutput<typeof OfflineMessageEventSchema>;

/**
 * Visitor to relay: what the visitor is typing, before sending (empty: stopped). Any text a
 * message may hold is accepted; agents see its first TYPING_PREVIEW_LENGTH characters.
 */
export const VisitorTypingFrameSchema = v.object({
  type: v.literal("chat:typing"),
  text: messageText,
});

/** Visitor to relay: the visitor has seen every message up to `seq`. */
export const VisitorReadFrameSchema = v.object({
  type: v.literal("chat:read"),
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** Relay to visitor, after `welcome` when a conversation exists, and on every status change. */
export type ChatStateFrame = {
  type: "chat:state";
  status: ChatStatus | null;
  /** Agents in the conversation (assignee first). */
  agents: ChatAgent[];
  /** The last messages (at most 100), notes left out. Sent after connecting, not on changes. */
  messages?: ChatMessage[];
  /** The agents have read up to this message. */
  agentReadSeq: number;
};

/** Relay to visitor (every tab): a new message in the conversation (never a note). */
export type VisitorChatMessageFrame = { type: "chat:message"; message: ChatMessage };

/** Relay to visitor: an agent started or stopped typing. */
export type VisitorChatTypingFrame = { type: "chat:typing"; agent: ChatAgent; typing: boolean };

/** Relay to visitor: the agents have read up to `seq`. */
export type VisitorChatReadFrame = { type: "chat:read"; seq: number };

/**
 * Relay to visitor: whether chats are taken, that is an agent is online (not away) and the site
 * is within its business hours; sent on connect and on changes (hours opening and closing too).
 */
export type AvailabilityFrame = { type: "availability"; online: boolean };

/* ---------- agent <-> relay ---------- */

/** Agent to relay (durable: acknowledged with `ack`): a message, file or private note. */
export const AgentSendFrameSchema = v.object({
  type: v.literal("chat:send"),
  chatId: IdSchema,
  id: IdSchema,
  text: messageText,
  fileId: v.optional(IdSchema),
  note: v.optional(v.boolean()),
  /** A pointer message: the element picked in the console's frame (never with a note). */
  pointer: v.optional(PointerTargetSchema),
});

const chatAction = <T extends string>(type: T) =>
  v.object({ type: v.literal(type), chatId: IdSchema });

/** Agent to relay: take a requested chat (first one wins; replying takes it too). */
export const AcceptFrameSchema = chatAction("chat:accept");
/**
 * Agent to relay: pass on a request notification (JivoChat's escalation counts these).
 * `round`: the `ChatSummary.round` being passed on; when given and the chat has moved on to
 * another round since, the ignore is dropped (a double click ends one round, not two).
 */
export const IgnoreFrameSchema = v.object({
  type: v.literal("chat:ignore"),
  chatId: IdSchema,
  round: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
/** Agent to relay: close the chat (Resolved tab). */
export const ResolveFrameSchema = chatAction("chat:resolve");
/** Agent to relay: send me the conversation (`chat:history`). */
export const OpenChatFrameSchema = chatAction("chat:open");
/** Agent to relay: accept a transfer offered to me, or join a chat I was invited to. */
export const JoinFrameSchema = chatAction("chat:join");
/** Agent to relay: decline a transfer or invitation offered to me. */
export const DeclineFrameSchema = chatAction("chat:decline");

/** Agent to relay: offer the chat to another agent; it moves when they accept. */
export const TransferFrameSchema = v.object({
  type: v.literal("chat:transfer"),
  chatId: IdSchema,
  agentId: IdSchema,
  note: v.optional(text(LABEL_LENGTH * 2)),
});

/** Agent to relay: ask a colleague into the chat (both stay). */
export const InviteFrameSchema = v.object({
  type: v.literal("chat:invite"),
  chatId: IdSchema,
  agentId: IdSchema,
});

/** Agent to relay: I am typing in this chat (or stopped). */
export const AgentTypingFrameSchema = v.object({
  type: v.literal("chat:typing"),
  chatId: IdSchema,
  typing: v.boolean(),
});

/** Agent to relay: I have read this chat up to `seq`. */
export const AgentReadFrameSchema = v.object({
  type: v.literal("chat:read"),
  chatId: IdSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** Agent to relay: my status. Away agents get no new requests but keep their chats. */
export const AgentStatusFrameSchema = v.object({
  type: v.literal("agent:status"),
  status: v.picklist(["online", "away"]),
});

/** A chat in the agent's lists. `unread` counts visitor messages this agent has not read. */
export type ChatSummary = {
  id: string;
  visitorName: string;
  status: ChatStatus;
  channel: "web";
  /** The agent the chat is assigned to (Active), or null. */
  assigneeId: string | null;
  /** Agents in the chat: the assignee and invited colleagues who joined. */
  participants: string[];
  lastMessage: { text: string; at: number; author: ChatAuthor["kind"] } | null;
  /** Relay time of the latest activity: sorts the lists. */
  updatedAt: number;
  unread: number;
  /** Escalation round of a request: 1 when new; 3 ignored rounds make it missed. */
  round: number;
  /** A transfer or invitation waiting for its agent's answer. */
  offer: { kind: "transfer" | "invite"; from: string; to: string; note?: string } | null;
  /** The visitor's current page, when known. */
  page: { url: string; title: string } | null;
};

/** An agent as colleagues see one (transfer and invite pickers). */
export type AgentPresence = { id: string; name: string; status: "online" | "away" | "offline" };

/** Relay to agent: chat list changes, like `roster` (full list first, then changes). */
export type ChatsFrame = { type: "chats"; full: boolean; chats: ChatSummary[] };

/** Relay to agent: a conversation's messages (notes included), answering `chat:open`. */
export type ChatHistoryFrame = {
  type: "chat:history";
  chatId: string;
  messages: ChatMessage[];
  visitorReadSeq: number;
};

/** Relay to agent: a new message in a chat this agent can see. */
export type AgentChatMessageFrame = { type: "chat:message"; chatId: string; message: ChatMessage };

/** Relay to agent: the visitor's typing preview (empty text: stopped), or a colleague typing. */
export type AgentChatTypingFrame =
  | { type: "chat:typing"; chatId: string; visitor: { text: string } }
  | { type: "chat:typing"; chatId: string; agent: ChatAgent; typing: boolean };

/** Relay to agent: the visitor has read up to `seq`. */
export type AgentChatReadFrame = { type: "chat:read"; chatId: string; visitorReadSeq: number };

/**
 * Relay to agent: whether the site is within its business hours (always, when they are off):
 * outside them visitors get the offline form. Sent on connect and when hours open or close.
 */
export type HoursFrame = { type: "hours"; open: boolean };

/** Relay to agent: every agent's presence; sent on connect and on changes. */
export type AgentsFrame = { type: "agents"; agents: AgentPresence[] };

/**
 * Relay to agent: something to notify about (toast, browser notification, and a sound when
 * `sound`). Kinds, following Jumper Assist's table: `request` (a new request for the group:
 * message, no sound), `assigned` and `reassigned` (to me: message and sound), `transfer` and
 * `invite` (offered to me: message and sound).
 */
export type NotifyFrame = {
  type: "notify";
  kind: "request" | "assigned" | "reassigned" | "transfer" | "invite";
  chatId: string;
  visitorName: string;
  url: string | null;
  text: string;
  sound: boolean;
};

/* ---------- HTTP ---------- */

/** A canned response: typed as `/shortcut` in the composer. */
export const CannedResponseSchema = v.object({
  shortcut: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9_-]{1,32}$/, "a shortcut is 1 to 32 of a-z 0-9 _ -"),
  ),
  text: messageText,
});
export type CannedResponse = v.InferOutput<typeof CannedResponseSchema>;

/** `PUT /api/canned` (admins): the site's canned responses, all at once. `GET` returns them. */
export const CannedResponsesBodySchema = v.object({
  canned: v.pipe(v.array(CannedResponseSchema), v.maxLength(200)),
});

const fieldRule = v.picklist(["off", "optional", "required"]);

/** Widget and chat settings an admin may change with `PUT /api/site` (all optional). */
export const ChatSettingsBodySchema = v.object({
  routing: v.optional(v.picklist(["manual", "auto"])),
  widget: v.optional(
    v.partial(
      v.object({
        color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, "a colour is #rrggbb")),
        position: v.picklist(["right", "left"]),
        launcherText: text(40),
        greeting: text(LABEL_LENGTH),
        prechat: v.object({ name: fieldRule, email: fieldRule, phone: fieldRule }),
        whenOffline: v.picklist(["form", "hide"]),
      }),
    ),
  ),
  /** The weekly schedule, replaced as a whole. */
  businessHours: v.optional(BusinessHoursSchema),
  invitations: v.optional(InvitationRulesSchema),
});

/** `GET /api/canned` and `PUT /api/canned`: the site's canned responses. */
export type CannedResponsesResponse = { canned: CannedResponse[] };

/**
 * Where an offline message is for the agents, shared by all of them: `unread` until an agent
 * opens it, `read`, then `done` once handled (undone back to `read`).
 */
export type OfflineMessageStatus = "unread" | "read" | "done";

/** An offline-form submission as agents see it (`GET /api/offline-messages`). */
export type OfflineMessage = {
  id: string;
  visitorId: string;
  /** The visitor's name in the roster when it was sent ("Visitor 40" or the identified name). */
  visitorName: string;
  name: string;
  email: string;
  phone?: string;
  text: string;
  /** Relay time of arrival. */
  at: number;
  /** The page the visitor was on, when known. */
  page: { url: string; title: string } | null;
  status: OfflineMessageStatus;
};

/**
 * `GET /api/offline-messages` (agents): the latest submissions, newest first, and how many of
 * all the site's submissions are unread.
 */
export type OfflineMessagesResponse = { messages: OfflineMessage[]; unread: number };

/**
 * `POST /api/offline-messages/status` (agents): set an offline message's status for every
 * agent. Answered with {@link OfflineMessageStatusResponse}, or 404 `not_found`.
 */
export const OfflineStatusBodySchema = v.object({
  id: IdSchema,
  status: v.picklist(["unread", "read", "done"]),
});

/** `POST /api/offline-messages/status`: the message with its new status. */
export type OfflineMessageStatusResponse = { message: OfflineMessage };

/** Agent to relay: the same over the socket (the console marks a message read on opening it). */
export const OfflineMarkFrameSchema = v.object({
  type: v.literal("offline:mark"),
  ...OfflineStatusBodySchema.entries,
});

/**
 * Relay to agent: offline messages. After connecting, `full: true` with the latest ones
 * (newest first); then `full: false` with each new or changed one. `unread` counts every
 * unread submission of the site.
 */
export type OfflineMessagesFrame = {
  type: "offline-messages";
  full: boolean;
  messages: OfflineMessage[];
  unread: number;
};

/** `POST /api/uploads` answers with the stored file. */
export type UploadResponse = ChatFile;
