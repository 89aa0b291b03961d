/**
 * The visitor's side of chat, inside the visitor's room: chat events of `track` frames
 * (messages, identify, custom data, offline messages), the visitor's typing and read marks,
 * what a tab gets after `welcome`, and the internal routes the site room's desk calls to store
 * agents' messages and tell the visitor's tabs.
 *
 * Visitor messages are stored here first (acknowledged once stored), then forwarded to the site
 * room; `forwardedSeq` remembers how far, so a failed forward is retried by the next message or
 * the next start, and the site room drops what it has seen.
 *
 * Internal routes (bodies carry `siteId`, which must be the visitor's site):
 * - `POST /chat/append` {messages: MessageDraft[], state?, guardId?} -> {duplicate, messages}
 * - `POST /chat/history` -> {messages, visitorReadSeq} (notes included)
 * - `POST /chat/read` {seq}: the agents' read mark
 * - `POST /chat/typing` {agent, typing}
 * - `POST /availability` {online}
 * - `POST /invite` {invitation}: an agent's invitation, sent to every open tab -> `{tabs}`
 */
import * as v from "valibot";
import {
  type AvailabilityFrame,
  type ChatAgent,
  type ChatMessage,
  type ChatMessageEvent,
  type CustomDataEvent,
  type IdentifyEvent,
  IdSchema,
  type InvitationEvent,
  type InviteFrame,
  type OfflineMessageEvent,
  PROFILE_EVENTS_KEPT,
  TYPING_PREVIEW_LENGTH,
  type VisitorChatMessageFrame,
  type VisitorChatReadFrame,
  type VisitorChatTypingFrame,
  type VisitorContact,
} from "../../../protocol/index.ts";
import { sendFrame } from "../../guard.ts";
import {
  httpError,
  INTERNAL_BODY_BYTES,
  internalRequest,
  json,
  type Routes,
  readJsonBody,
} from "../../http.ts";
import { log } from "../../log.ts";
import type { Connection, Json, RoomContext } from "../../party.ts";
import { Throttle } from "../../throttle.ts";
import { attachableFile } from "../../uploads.ts";
import type { ApplyOutcome } from "../trail.ts";
import { Conversation, loadConversation, type MessageDraft } from "./conversation.ts";
import { InvitationLog } from "./invitations.ts";
import { type CustomData, mergeContact, mergeCustomData } from "./profile.ts";
import { RecentIds } from "./recent-ids.ts";

/** The visitor's typing preview reaches the site room at most this often. */
export const TYPING_PUSH_MS = 250;
/** Visitor messages forwarded to the site room in one request, at most. */
const FORWARD_BATCH = 50;

/** What a visitor tells about itself: who it is, custom data, the offline form. */
type ProfileEvent = IdentifyEvent | CustomDataEvent | OfflineMessageEvent;

/** The chat events a `track` frame may carry. */
export type ChatEvent = ChatMessageEvent | ProfileEvent | InvitationEvent;

/** What the visitor room's record holds about who the visitor is. */
export type VisitorProfile = {
  siteId: string;
  name: string;
  contact?: VisitorContact;
  customData?: CustomData;
};

/** What the visitor's chat needs from its room. */
export type VisitorChatHost = {
  room: RoomContext;
  /** The visitor's record, changed in place by `identify`; undefined before the first contact. */
  visitor(): VisitorProfile | undefined;
  /** The visitor's accepted tabs. */
  tabs(): Iterable<Connection>;
  /** Runs `task` after every other connect, frame and route of the room. */
  serially<T>(task: () => Promise<T> | T): Promise<T>;
};

const AgentSchema = v.object({ id: v.string(), name: v.string() });

const AppendBodySchema = v.object({
  siteId: v.string(),
  // Made by the site room's desk from checked frames; the shape is checked, not the content.
  messages: v.array(
    v.looseObject({
      id: IdSchema,
      author: v.looseObject({ kind: v.picklist(["visitor", "agent", "system"]) }),
      text: v.string(),
    }),
  ),
  state: v.optional(
    v.object({
      status: v.picklist(["requested", "active", "resolved", "missed"]),
      agents: v.array(AgentSchema),
    }),
  ),
  guardId: v.optional(v.string()),
});
const SiteBodySchema = v.object({ siteId: v.string() });
const ReadBodySchema = v.object({ siteId: v.string(), seq: v.number() });
const TypingBodySchema = v.object({ siteId: v.string(), agent: AgentSchema, typing: v.boolean() });
const AvailabilityBodySchema = v.object({ siteId: v.string(), online: v.boolean() });
const InviteBodySchema = v.object({
  siteId: v.string(),
  invitation: v.object({ id: IdSchema, text: v.string(), sender: v.nullable(v.string()) }),
});

/**
 * The visitor's side of chat, over its room's `host`.
 * A class, not a factory: one is made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example
 * const chat = new VisitorChat({ room, visitor: () => record, tabs, serially });
 * await chat.load();
 */
export class VisitorChat {
  /** The internal routes listed at the top of this file, for the visitor room's table. */
  static readonly routes: Routes<VisitorChat> = {
    "/chat/append": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, AppendBodySchema);
        if (!body.ok) return body.response;
        return chat.host.serially(() => chat.append(body.value));
      },
    },
    "/chat/history": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, SiteBodySchema);
        if (!body.ok) return body.response;
        return chat.host.serially(async () =>
          json({
            messages: await chat.conversation.latest({ notes: true }),
            visitorReadSeq: chat.conversation.meta?.visitorReadSeq ?? 0,
          }),
        );
      },
    },
    "/chat/read": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, ReadBodySchema);
        if (!body.ok) return body.response;
        return chat.host.serially(async () => {
          if (chat.conversation.markAgentRead(body.value.seq)) {
            await chat.room.storage.putMany(chat.conversation.takeChanges());
            const seq = chat.conversation.meta?.agentReadSeq ?? 0;
            chat.broadcast({ type: "chat:read", seq } satisfies VisitorChatReadFrame);
          }
          return new Response(null, { status: 204 });
        });
      },
    },
    "/chat/typing": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, TypingBodySchema);
        if (!body.ok) return body.response;
        const agent: ChatAgent = body.value.agent;
        chat.broadcast({
          type: "chat:typing",
          agent,
          typing: body.value.typing,
        } satisfies VisitorChatTypingFrame);
        return new Response(null, { status: 204 });
      },
    },
    "/availability": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, AvailabilityBodySchema);
        if (!body.ok) return body.response;
        chat.broadcast({
          type: "availability",
          online: body.value.online,
        } satisfies AvailabilityFrame);
        return new Response(null, { status: 204 });
      },
    },
    "/invite": {
      POST: async (chat, request) => {
        const body = await chat.siteBody(request, InviteBodySchema);
        if (!body.ok) return body.response;
        const tabs = [...chat.host.tabs()].length;
        chat.broadcast({ type: "invite", invitation: body.value.invitation } satisfies InviteFrame);
        return json({ tabs });
      },
    },
  };

  private readonly room: RoomContext;
  private conversation: Conversation;
  /** Messages stored by the frame being handled, broadcast once its writes commit. */
  private pending: ChatMessage[] | undefined;
  private typingText = "";
  private readonly invitations: InvitationLog;
  /** The latest profile events applied, so that one sent again changes nothing. */
  private readonly profileEvents = new RecentIds("profile-events", PROFILE_EVENTS_KEPT);
  private readonly forward: Throttle;
  private readonly typingPush: Throttle;

  constructor(private readonly host: VisitorChatHost) {
    this.room = host.room;
    this.conversation = new Conversation(host.room.storage, host.room.id, null);
    this.invitations = new InvitationLog(host.room.storage);
    this.forward = new Throttle(0, () => this.forwardMessages());
    this.typingPush = new Throttle(TYPING_PUSH_MS, () => this.pushTyping());
  }

  /** Reads the stored conversation; forwards what an earlier run could not. */
  async load(): Promise<void> {
    [this.conversation] = await Promise.all([
      loadConversation(this.room.storage, this.room.id),
      this.invitations.load(),
      this.profileEvents.load(this.room.storage),
    ]);
    this.pending = undefined;
    const meta = this.conversation.meta;
    if (meta && meta.forwardedSeq < meta.seq) this.forward.request();
  }

  /** The ids of the files the conversation's messages attach. */
  fileIds(): Promise<string[]> {
    return this.conversation.fileIds();
  }

  /**
   * Applies one chat event of a `track` frame, like `trail.apply`; "later" when it cannot be
   * stored now (the site room did not answer) and must not be acknowledged.
   */
  async apply(event: ChatEvent, now: number): Promise<ApplyOutcome | "later"> {
    const visitor = this.host.visitor();
    if (!visitor) return "later";
    switch (event.kind) {
      case "message":
        return this.applyMessage(event, now);
      case "invitation":
        return this.invitations.apply(event);
      default:
        return this.applyProfileEvent(event, visitor);
    }
  }

  /**
   * Adds the writes that store the frame's chat changes to `put` and the keys to delete to
   * `deleted` (the record is the room's).
   */
  takeChanges(put: Map<string, Json>, deleted: string[]): void {
    for (const [key, value] of this.conversation.takeChanges()) put.set(key, value);
    this.invitations.takeChanges(put, deleted);
    this.profileEvents.takeChanges(put);
  }

  /** The frame's writes committed: every tab sees the new messages, the site room gets them. */
  committed(): void {
    const messages = this.pending;
    this.pending = undefined;
    for (const message of messages ?? []) {
      this.broadcast({ type: "chat:message", message } satisfies VisitorChatMessageFrame);
    }
    if (messages) this.forward.request();
    const counts = this.invitations.takeCounts();
    if (counts.length > 0) {
      void this.toSite("/invitations/count", { counts })
        .then((response) => response.ok || Promise.reject(response.status))
        .catch((error: unknown) =>
          log.error("invitation counts not forwarded", { room: `visitor/${this.room.id}`, error }),
        );
    }
  }

  /** What a tab gets right after `welcome`: the conversation, and whether agents are here. */
  async greet(conn: Connection, available: boolean): Promise<void> {
    if (this.conversation.meta) {
      sendFrame(
        conn,
        this.conversation.stateFrame(await this.conversation.latest({ notes: false })),
      );
    }
    sendFrame(conn, { type: "availability", online: available } satisfies AvailabilityFrame);
  }

  /** `chat:typing` from a tab: agents see the first characters, a few times a second. */
  typing(text: string): void {
    this.typingText = text.slice(0, TYPING_PREVIEW_LENGTH);
    this.typingPush.request();
  }

  /** `chat:read` from a tab (run serially by the room). */
  async read(seq: number): Promise<void> {
    if (!this.conversation.markVisitorRead(seq)) return;
    await this.room.storage.putMany(this.conversation.takeChanges());
    const visitorSeq = this.conversation.meta?.visitorReadSeq ?? 0;
    void this.toSite("/chat/read", { chatId: this.room.id, seq: visitorSeq }).catch(
      (error: unknown) =>
        log.error("read mark not forwarded", { room: `visitor/${this.room.id}`, error }),
    );
  }

  private broadcast(frame: object): void {
    const message = JSON.stringify(frame);
    for (const tab of this.host.tabs()) tab.send(message);
  }

  private toSite(path: string, body: object): Promise<Response> {
    const visitor = this.host.visitor();
    if (!visitor) return Promise.resolve(new Response(null, { status: 404 }));
    return this.room.fetchRoom("site", visitor.siteId, internalRequest("POST", path, body));
  }

  /** Sends stored visitor messages the site room has not taken yet. */
  private async forwardMessages(): Promise<void> {
    const visitor = this.host.visitor();
    const messages = (await this.conversation.unforwarded()).slice(0, FORWARD_BATCH);
    const last = messages.at(-1);
    if (!visitor || !last) return;
    const response = await this.toSite("/chat/messages", {
      chatId: this.room.id,
      visitorName: visitor.name,
      messages,
    });
    if (!response.ok) {
      log.error("forwarding messages failed", {
        room: `visitor/${this.room.id}`,
        status: response.status,
      });
      return;
    }
    await this.host.serially(async () => {
      this.conversation.markForwarded(last.seq);
      await this.room.storage.putMany(this.conversation.takeChanges());
    });
    if (messages.length === FORWARD_BATCH) this.forward.request();
  }

  private async pushTyping(): Promise<void> {
    await this.toSite("/chat/typing", { chatId: this.room.id, text: this.typingText });
  }

  private async applyMessage(event: ChatMessageEvent, now: number): Promise<ApplyOutcome> {
    if (await this.conversation.has(event.id)) return "duplicate";
    if (!event.text.trim() && !event.fileId) {
      return { code: "invalid_event", message: "A message needs text or a file" };
    }
    // A reply to an invitation starts the chat from it: agents see what the visitor answered.
    const invitation = event.invitationId && (await this.invitations.accept(event.invitationId));
    if (invitation && event.invitationId && !(await this.conversation.has(event.invitationId))) {
      const from = invitation.sender ?? "the team";
      const text = `Invitation from ${from}: ${invitation.text}`;
      this.pending ??= [];
      this.pending.push(
        this.conversation.add({ id: event.invitationId, author: { kind: "system" }, text }, now),
      );
    }
    const draft: MessageDraft = { id: event.id, author: { kind: "visitor" }, text: event.text };
    if (event.fileId) {
      const siteId = this.host.visitor()?.siteId ?? "";
      const file = await attachableFile(this.room.blobs, siteId, event.fileId);
      if (!file) return { code: "invalid_event", message: `No uploaded file ${event.fileId}` };
      draft.file = file;
    }
    this.pending ??= [];
    this.pending.push(this.conversation.add(draft, now));
    return "stored";
  }

  /**
   * Applies a profile event once per id, like a message: one sent again must not undo what a
   * later one said. Its id is kept even when it changed nothing, for the same reason.
   */
  private async applyProfileEvent(
    event: ProfileEvent,
    visitor: VisitorProfile,
  ): Promise<ApplyOutcome | "later"> {
    if (this.profileEvents.has(event.id)) return "duplicate";
    const outcome = await this.applyProfileChange(event, visitor);
    if (outcome === "stored") this.profileEvents.add(event.id);
    return outcome;
  }

  private applyProfileChange(
    event: ProfileEvent,
    visitor: VisitorProfile,
  ): Promise<ApplyOutcome | "later"> | ApplyOutcome {
    switch (event.kind) {
      case "identify":
        return this.applyIdentify(event, visitor);
      case "custom-data": {
        const merged = mergeCustomData(visitor.customData, event.data);
        if (!merged.ok) return merged;
        visitor.customData = merged.value;
        return "stored";
      }
      case "offline-message":
        return this.applyOfflineMessage(event, visitor);
    }
  }

  private async applyIdentify(event: IdentifyEvent, visitor: VisitorProfile) {
    let verified = false;
    if (event.userId && event.userHash) {
      const response = await this.toSite("/identity/verify", {
        userId: event.userId,
        userHash: event.userHash,
      });
      if (!response.ok) throw new Error(`identity check answered ${response.status}`);
      verified = ((await response.json()) as { verified: boolean }).verified;
      if (!verified) {
        return {
          code: "invalid_event" as const,
          message:
            "userHash does not match userId: sign the user id with HMAC-SHA256 under the site's identity secret (hex)",
        };
      }
    }
    updateContact(visitor, event, verified);
    return "stored" as const;
  }

  private async applyOfflineMessage(
    event: OfflineMessageEvent,
    visitor: VisitorProfile,
  ): Promise<ApplyOutcome | "later"> {
    const message = {
      id: event.id,
      visitorId: this.room.id,
      visitorName: visitor.name,
      name: event.name,
      email: event.email,
      text: event.text,
      ...(event.phone ? { phone: event.phone } : {}),
    };
    const response = await this.toSite("/offline-messages", { message });
    if (!response.ok) {
      log.error("storing an offline message failed", { room: `visitor/${this.room.id}` });
      return "later";
    }
    updateContact(visitor, event, false);
    return "stored";
  }

  /** Checks an internal request's body and that it comes from the visitor's site. */
  private async siteBody<S extends v.GenericSchema<unknown, { siteId: string }>>(
    request: Request,
    schema: S,
  ): Promise<{ ok: true; value: v.InferOutput<S> } | { ok: false; response: Response }> {
    const body = await readJsonBody(request, schema, { maxBytes: INTERNAL_BODY_BYTES });
    if (!body.ok) return body;
    const visitor = this.host.visitor();
    if (!visitor) return { ok: false, response: httpError(404, "not_found", "No such visitor") };
    if (body.value.siteId !== visitor.siteId) {
      return { ok: false, response: httpError(403, "forbidden", "Another site's visitor") };
    }
    return body;
  }

  private async append(body: v.InferOutput<typeof AppendBodySchema>): Promise<Response> {
    if (body.guardId && (await this.conversation.has(body.guardId))) {
      return json({ duplicate: true, messages: [] });
    }
    const now = Date.now();
    const added: ChatMessage[] = [];
    for (const draft of body.messages as MessageDraft[]) {
      if (!(await this.conversation.has(draft.id))) added.push(this.conversation.add(draft, now));
    }
    const stateChanged = body.state
      ? this.conversation.setState(body.state.status, body.state.agents)
      : false;
    // An agent who replies has read everything before the reply.
    const reply = [...added]
      .reverse()
      .find((message) => message.author.kind === "agent" && !message.note);
    const readMoved = reply ? this.conversation.markAgentRead(reply.seq) : false;
    await this.room.storage.putMany(this.conversation.takeChanges());
    if (stateChanged) this.broadcast(this.conversation.stateFrame());
    for (const message of added.filter((stored) => !stored.note)) {
      this.broadcast({ type: "chat:message", message } satisfies VisitorChatMessageFrame);
    }
    if (readMoved && reply) {
      this.broadcast({ type: "chat:read", seq: reply.seq } satisfies VisitorChatReadFrame);
    }
    return json({ duplicate: false, messages: added });
  }
}

/** Takes what the visitor told about itself into its record. */
function updateContact(
  visitor: VisitorProfile,
  update: Parameters<typeof mergeContact>[1],
  verified: boolean,
): void {
  const contact = mergeContact(visitor.contact, update, verified);
  visitor.contact = contact;
  if (contact.name) visitor.name = contact.name;
}
