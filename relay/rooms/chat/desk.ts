/**
 * The site room's chat desk: the queue of the site's chats, the agents' presence, and every
 * frame agents send about chats. The rules live in queue.ts; the desk runs them one chat at a
 * time, keeps each chat in storage (`chat:<id>`, indexed by state so that a start reads only
 * the chats it keeps), asks the visitor's room to store messages and to tell the visitor, and
 * tells the agents who should know.
 *
 * Messages are numbered and kept by the visitor's room (the conversation); the desk keeps what
 * the lists need (status, assignee, unread counts) and routes live frames.
 */
import * as v from "valibot";
import {
  type AckFrame,
  type AgentChatMessageFrame,
  type AgentChatReadFrame,
  type AgentChatTypingFrame,
  type AgentClientFrame,
  type AgentPresence,
  type AgentsFrame,
  type ChatAgent,
  type ChatHistoryFrame,
  type ChatMessage,
  type ChatStatus,
  type ChatsFrame,
  IdSchema,
  type NotifyFrame,
  type RosterEntry,
} from "../../../protocol/index.ts";
import { randomId } from "../../auth/index.ts";
import { type Refusal, sendFrame } from "../../guard.ts";
import { INTERNAL_BODY_BYTES, internalRequest, type Routes, readJsonBody } from "../../http.ts";
import { log } from "../../log.ts";
import type { Connection, Json, RoomContext } from "../../party.ts";
import { Throttle } from "../../throttle.ts";
import { attachableFile } from "../../uploads.ts";
import type { MessageDraft } from "./conversation.ts";
import {
  accept,
  agentsReadSeq,
  decline,
  expire,
  ignore,
  invite,
  isOpen,
  join,
  markRead,
  newChat,
  type QueueContext,
  type QueuedChat,
  type Routing,
  receiveVisitorMessages,
  recordMessages,
  removeAgent,
  resolve,
  send,
  summaryFor,
  type Transition,
  transfer,
  unseenMessages,
  viewersOf,
} from "./queue.ts";

/** Chat list changes reach agents within this long, batched (as roster changes do). */
export const CHATS_BROADCAST_MS = 20;
/**
 * Resolved and missed chats listed in an agent's first `chats` frame (the latest ones). Only
 * these stay in memory beside the open chats; older ones are read from storage when needed.
 */
export const CLOSED_CHATS_LISTED = 100;
/** Stored chats read per storage call while indexing the chats of a site from before the index. */
export const INDEXING_PAGE = 100;

const keys = {
  chat: (id: string) => `chat:${id}`,
  /** The index: a key per open chat, and one per closed chat in the order of its last update. */
  open: (id: string) => `chat-open:${id}`,
  closed: (chat: QueuedChat) =>
    `chat-closed:${String(chat.updatedAt).padStart(15, "0")}:${chat.id}`,
  /** Set once every stored chat is in the index. */
  indexed: "chats-indexed",
};

/** The chat's key in the index, holding its id. */
function indexKey(chat: QueuedChat): string {
  return isOpen(chat) ? keys.open(chat.id) : keys.closed(chat);
}

/** What the desk needs from its site room. */
export type DeskHost = {
  room: RoomContext;
  /** The site's agents, oldest first. */
  agents(): { id: string; name: string }[];
  routing(): Routing;
  /** The agent a connection is signed in as, once its token checked out. */
  agentOf(conn: Connection): string | null;
  /** A visitor's roster entry, for its name and page. */
  rosterEntry(visitorId: string): RosterEntry | undefined;
  /** Visitors with a tab open (online or idle): they are told when availability changes. */
  presentVisitors(): string[];
  /** Whether the site is within its business hours now. */
  open(): boolean;
  /** Whether the visitor ever connected to this site. */
  knowsVisitor(visitorId: string): Promise<boolean>;
  /** Answers a refused frame (no strike: races between agents are nobody's fault). */
  refuse(conn: Connection, refusal: Refusal): void;
  /** The earliest round deadline may have moved: reschedule the room's alarm. */
  deadlinesChanged(): Promise<void>;
};

/** Visitor messages forwarded by a visitor room: `POST /chat/messages`. */
const VisitorMessagesBodySchema = v.object({
  chatId: IdSchema,
  visitorName: v.string(),
  // Made by the visitor room from validated events; checked here for what the desk reads.
  messages: v.array(v.looseObject({ seq: v.number(), author: v.object({ kind: v.string() }) })),
});
/** A visitor's typing preview (`POST /chat/typing`) or read mark (`POST /chat/read`). */
const VisitorTypingBodySchema = v.object({ chatId: IdSchema, text: v.string() });
const VisitorReadBodySchema = v.object({ chatId: IdSchema, seq: v.number() });

type ChatFrame = Exclude<
  AgentClientFrame,
  { type: "trail:get" | "offline:mark" | "visitor:invite" }
>;

/** What the visitor room answers `POST /chat/append` with. */
type AppendResult = { duplicate: boolean; messages: ChatMessage[] };

export type ChatDesk = ReturnType<typeof createChatDesk>;

/**
 * @example
 * const desk = createChatDesk({ room, agents: () => [...], ... });
 * await desk.load();
 * desk.connect(conn, agentId);
 */
export function createChatDesk(host: DeskHost) {
  const { room } = host;
  /** Open chats and the CLOSED_CHATS_LISTED latest closed ones; the rest are in storage only. */
  const chats = new Map<string, QueuedChat>();
  /** Connected agents' status; an agent without a socket is offline. */
  const presence = new Map<string, "online" | "away">();
  /** Agents who opened a chat (`chat:open`) see its live frames until they go offline. */
  const watchers = new Map<string, Set<string>>();
  /** Per-chat task chains: one chat's transitions never interleave. */
  const chains = new Map<string, Promise<unknown>>();
  const changedForAll = new Set<string>();
  const changedFor = new Map<string, Set<string>>();
  /** Each chat changed since the last broadcast, as it is now (it may have left `chats`). */
  const changed = new Map<string, QueuedChat>();
  const chatsBroadcast = new Throttle(CHATS_BROADCAST_MS, () => flushChats());
  let lastAssigned: string | null = null;
  let lastAvailable = false;

  function withChat<T>(chatId: string, task: () => Promise<T>): Promise<T> {
    const run = (chains.get(chatId) ?? Promise.resolve()).then(task);
    const settled = run.catch(() => undefined);
    chains.set(chatId, settled);
    void settled.then(() => {
      if (chains.get(chatId) === settled) chains.delete(chatId);
    });
    return run;
  }

  function nameOf(agentId: string): string {
    return host.agents().find((agent) => agent.id === agentId)?.name ?? "An agent";
  }

  function context(now = Date.now()): QueueContext {
    const agents = host.agents().map((agent) => agent.id);
    return {
      now,
      routing: host.routing(),
      available: agents.filter((id) => presence.get(id) === "online"),
      connected: agents.filter((id) => presence.has(id)),
      lastAssigned,
      nameOf,
    };
  }

  /** Open connections of signed-in agents, with who they are. */
  function* agentConnections(): Generator<[Connection, string]> {
    for (const conn of room.getConnections("agent")) {
      const agentId = host.agentOf(conn);
      if (agentId) yield [conn, agentId];
    }
  }

  function sendTo(agentIds: ReadonlySet<string>, frame: object, except?: string): void {
    const message = JSON.stringify(frame);
    for (const [conn, agentId] of agentConnections()) {
      if (agentIds.has(agentId) && agentId !== except) conn.send(message);
    }
  }

  function viewers(chat: QueuedChat | undefined, chatId: string): Set<string> {
    return viewersOf(chat, presence.keys(), watchers.get(chatId));
  }

  /** A chat as it is now: kept in memory, or read from storage (an old closed one). */
  async function chatOf(chatId: string): Promise<QueuedChat | undefined> {
    return chats.get(chatId) ?? (await room.storage.get<QueuedChat>(keys.chat(chatId)));
  }

  /**
   * Stores `chat` (which was `before`) and moves its index entry, in one commit; keeps it in
   * memory while it is open or among the latest closed.
   */
  async function save(before: QueuedChat | undefined, chat: QueuedChat): Promise<void> {
    const put = new Map<string, Json>([
      [keys.chat(chat.id), chat],
      [indexKey(chat), chat.id],
    ]);
    const moved = before && indexKey(before) !== indexKey(chat);
    // Written in the same turn, so they commit together (as a transaction's writes do).
    await Promise.all([
      room.storage.putMany(put),
      moved && room.storage.deleteMany([indexKey(before)]),
    ]);
    chats.set(chat.id, chat);
    if (!isOpen(chat)) forgetOldClosed();
  }

  /** Indexes the chats stored before the index was kept, a page at a time. */
  async function indexStoredChats(): Promise<void> {
    let from: string | undefined;
    for (;;) {
      const page = await room.storage.list<QueuedChat>({
        prefix: "chat:",
        start: from,
        limit: INDEXING_PAGE,
      });
      const put = new Map<string, Json>();
      for (const [key, chat] of page) if (key !== from) put.set(indexKey(chat), chat.id);
      if (put.size > 0) await room.storage.putMany(put);
      if (page.size < INDEXING_PAGE) break;
      from = [...page.keys()].at(-1);
    }
    await room.storage.put(keys.indexed, true);
  }

  /** Drops from memory the closed chats past the CLOSED_CHATS_LISTED latest. */
  function forgetOldClosed(): void {
    const closed = [...chats.values()].filter((chat) => !isOpen(chat));
    if (closed.length <= CLOSED_CHATS_LISTED) return;
    closed.sort((a, b) => b.updatedAt - a.updatedAt);
    for (const chat of closed.slice(CLOSED_CHATS_LISTED)) chats.delete(chat.id);
  }

  function markChanged(chat: QueuedChat, agentId?: string): void {
    changed.set(chat.id, chat);
    if (agentId === undefined) changedForAll.add(chat.id);
    else {
      const set = changedFor.get(agentId) ?? new Set();
      set.add(chat.id);
      changedFor.set(agentId, set);
    }
    chatsBroadcast.request();
  }

  function flushChats(): void {
    if (changedForAll.size === 0 && changedFor.size === 0) return;
    for (const [conn, agentId] of agentConnections()) {
      const ids = new Set([...changedForAll, ...(changedFor.get(agentId) ?? [])]);
      const list = [...ids].flatMap((id) => {
        const chat = changed.get(id);
        return chat ? [summaryFor(chat, agentId)] : [];
      });
      if (list.length > 0) {
        sendFrame(conn, { type: "chats", full: false, chats: list } satisfies ChatsFrame);
      }
    }
    changedForAll.clear();
    changedFor.clear();
    changed.clear();
  }

  /** The `full` chats frame: every listed chat, as `agentId` sees it. */
  function fullChatsFrame(agentId: string): ChatsFrame {
    return {
      type: "chats",
      full: true,
      chats: listedChats().map((chat) => summaryFor(chat, agentId)),
    };
  }

  /** Open chats, then the latest closed ones (all that memory keeps), newest first. */
  function listedChats(): QueuedChat[] {
    const open: QueuedChat[] = [];
    const closed: QueuedChat[] = [];
    for (const chat of chats.values()) (isOpen(chat) ? open : closed).push(chat);
    closed.sort((a, b) => b.updatedAt - a.updatedAt);
    return [...open, ...closed];
  }

  function agentsFrame(): AgentsFrame {
    const agents: AgentPresence[] = host.agents().map((agent) => ({
      id: agent.id,
      name: agent.name,
      status: presence.get(agent.id) ?? "offline",
    }));
    return { type: "agents", agents };
  }

  /** Chats are taken while an agent is online (not away) within business hours. */
  function available(): boolean {
    return host.open() && [...presence.values()].includes("online");
  }

  /** Tells every agent who is here, and visitors whether anyone is. */
  function presenceChanged(): void {
    const frame = agentsFrame();
    for (const [conn] of agentConnections()) sendFrame(conn, frame);
    availabilityChanged();
  }

  /** The agent has no socket left (or no account): no new chats, no live frames. */
  function goOffline(agentId: string): void {
    presence.delete(agentId);
    for (const [chatId, set] of watchers) {
      // Else the map would keep an empty set for every chat ever opened.
      if (set.delete(agentId) && set.size === 0) watchers.delete(chatId);
    }
    presenceChanged();
  }

  /** Tells present visitors when chats become available or stop being so. */
  function availabilityChanged(): void {
    const now = available();
    if (now === lastAvailable) return;
    lastAvailable = now;
    for (const visitorId of host.presentVisitors()) {
      void toVisitor(visitorId, "/availability", { online: now }).catch(() => undefined);
    }
  }

  async function toVisitor(visitorId: string, path: string, body: object): Promise<Response> {
    const response = await room.fetchRoom(
      "visitor",
      visitorId,
      internalRequest("POST", path, { siteId: room.id, ...body }),
    );
    if (!response.ok) {
      log.error("visitor room refused", { room: `site/${room.id}`, path, status: response.status });
      throw new Error(`visitor room answered ${response.status} to ${path}`);
    }
    return response;
  }

  function visitorStateOf(chat: QueuedChat): { status: ChatStatus; agents: ChatAgent[] } {
    return {
      status: chat.status,
      agents: chat.participants.map((id) => ({ id, name: nameOf(id) })),
    };
  }

  function systemDraft(text: string): MessageDraft {
    return { id: randomId(), author: { kind: "system" }, text };
  }

  /**
   * Carries out a transition: stores its system messages (and `draft`, an agent's message,
   * unless its id is stored already) in the conversation with the visitor's new state, keeps
   * the chat, and tells the agents. `published` are messages stored before (the visitor's).
   */
  async function carryOut(
    before: QueuedChat | undefined,
    step: Extract<Transition, { ok: true }>,
    options: { draft?: MessageDraft; published?: ChatMessage[] } = {},
  ): Promise<void> {
    const drafts = step.system.map(systemDraft);
    if (options.draft) drafts.push(options.draft);
    let stored: ChatMessage[] = [];
    if (drafts.length > 0 || step.stateChanged) {
      const response = await toVisitor(step.chat.id, "/chat/append", {
        messages: drafts,
        state: step.stateChanged ? visitorStateOf(step.chat) : undefined,
        guardId: options.draft?.id,
      });
      const result = (await response.json()) as AppendResult;
      // The agent's message was stored before (a re-send): nothing happens a second time.
      if (result.duplicate) return;
      stored = result.messages;
    }
    const chat = recordMessages(step.chat, stored);
    await save(before, chat);
    if (step.assigned) lastAssigned = step.assigned;

    const audience = new Set([...viewers(before, chat.id), ...viewers(chat, chat.id)]);
    for (const message of [...(options.published ?? []), ...stored]) {
      sendTo(audience, {
        type: "chat:message",
        chatId: chat.id,
        message,
      } satisfies AgentChatMessageFrame);
    }
    markChanged(chat);
    for (const notice of step.notices) {
      sendTo(new Set(notice.to), {
        type: "notify",
        kind: notice.kind,
        chatId: chat.id,
        visitorName: chat.visitorName,
        url: chat.page?.url ?? null,
        text: notice.text,
        sound: notice.sound,
      } satisfies NotifyFrame);
    }
    if (before?.roundEndsAt !== chat.roundEndsAt) await host.deadlinesChanged();
  }

  async function sendMessage(
    conn: Connection,
    agentId: string,
    frame: Extract<ChatFrame, { type: "chat:send" }>,
  ): Promise<void> {
    const reject = (refusal: Refusal) => {
      host.refuse(conn, refusal);
      sendFrame(conn, {
        type: "ack",
        ids: [],
        rejected: [{ id: frame.id, ...refusal }],
      } satisfies AckFrame);
    };
    if (!frame.text.trim() && !frame.fileId) {
      return reject({ code: "invalid_event", message: "A message needs text or a file" });
    }
    if (frame.pointer && (frame.note || frame.fileId)) {
      return reject({
        code: "invalid_event",
        message: "A pointer goes to the visitor: it cannot be a note or carry a file",
      });
    }
    const file = frame.fileId ? await attachableFile(room.blobs, room.id, frame.fileId) : null;
    if (frame.fileId && !file) {
      return reject({ code: "not_found", message: `No uploaded file ${frame.fileId}` });
    }
    await withChat(frame.chatId, async () => {
      const before = await chatOf(frame.chatId);
      if (!before && !(await host.knowsVisitor(frame.chatId))) {
        return reject({ code: "not_found", message: `No visitor ${frame.chatId} on this site` });
      }
      const start = before ?? newChat(frame.chatId, visitorNameOf(frame.chatId), Date.now());
      const step = send(start, agentId, frame.note === true, context());
      if (!step.ok) return reject(step);
      const draft: MessageDraft = {
        id: frame.id,
        author: { kind: "agent", agentId, name: nameOf(agentId) },
        text: frame.text,
      };
      if (file) draft.file = file;
      if (frame.note) draft.note = true;
      if (frame.pointer) draft.pointer = frame.pointer;
      await carryOut(before, step, { draft });
      sendFrame(conn, { type: "ack", ids: [frame.id] } satisfies AckFrame);
    });
  }

  function visitorNameOf(visitorId: string): string {
    return host.rosterEntry(visitorId)?.name ?? "Visitor";
  }

  /** Runs an agent's action on a chat that must exist. */
  async function act(
    conn: Connection,
    chatId: string,
    transition: (chat: QueuedChat, ctx: QueueContext) => Transition,
  ): Promise<void> {
    await withChat(chatId, async () => {
      const before = await chatOf(chatId);
      if (!before) return host.refuse(conn, { code: "not_found", message: `No chat ${chatId}` });
      const step = transition(before, context());
      if (!step.ok) return host.refuse(conn, step);
      if (step.chat === before) return;
      await carryOut(before, step);
    });
  }

  /** The queue transition an agent's action frame asks for. */
  function actionOf(
    agentId: string,
    frame: Exclude<
      ChatFrame,
      { type: "agent:status" | "chat:send" | "chat:open" | "chat:typing" | "chat:read" }
    >,
  ): (chat: QueuedChat, ctx: QueueContext) => Transition {
    switch (frame.type) {
      case "chat:accept":
        return (chat, ctx) => accept(chat, agentId, ctx);
      case "chat:ignore":
        return (chat, ctx) => ignore(chat, agentId, frame.round, ctx);
      case "chat:resolve":
        return (chat, ctx) => resolve(chat, agentId, ctx);
      case "chat:join":
        return (chat, ctx) => join(chat, agentId, ctx);
      case "chat:decline":
        return (chat, ctx) => decline(chat, agentId, ctx);
      case "chat:transfer":
        return (chat, ctx) => transfer(chat, agentId, frame.agentId, frame.note, ctx);
      case "chat:invite":
        return (chat, ctx) => invite(chat, agentId, frame.agentId, ctx);
    }
  }

  function knownAgent(conn: Connection, agentId: string): boolean {
    if (host.agents().some((agent) => agent.id === agentId)) return true;
    host.refuse(conn, { code: "not_found", message: `No agent ${agentId} on this site` });
    return false;
  }

  async function openChat(conn: Connection, agentId: string, chatId: string): Promise<void> {
    const chat = chats.get(chatId);
    if (!chat && !(await host.knowsVisitor(chatId))) {
      return host.refuse(conn, { code: "not_found", message: `No visitor ${chatId} on this site` });
    }
    const set = watchers.get(chatId) ?? new Set();
    set.add(agentId);
    watchers.set(chatId, set);
    const response = await toVisitor(chatId, "/chat/history", {});
    const history = (await response.json()) as Omit<ChatHistoryFrame, "type" | "chatId">;
    sendFrame(conn, { type: "chat:history", chatId, ...history } satisfies ChatHistoryFrame);
  }

  function agentTyping(agentId: string, chatId: string, typing: boolean): void {
    const chat = chats.get(chatId);
    const agent: ChatAgent = { id: agentId, name: nameOf(agentId) };
    sendTo(
      viewers(chat, chatId),
      { type: "chat:typing", chatId, agent, typing } satisfies AgentChatTypingFrame,
      agentId,
    );
    // A reply to a request takes it, so its typing may show; on other chats only their agents'.
    const toVisitorToo =
      chat?.status === "requested" ||
      (chat?.status === "active" && chat.participants.includes(agentId));
    if (toVisitorToo) {
      void toVisitor(chatId, "/chat/typing", { agent, typing }).catch(() => undefined);
    }
  }

  async function agentRead(conn: Connection, agentId: string, chatId: string, seq: number) {
    await withChat(chatId, async () => {
      const before = await chatOf(chatId);
      if (!before) return host.refuse(conn, { code: "not_found", message: `No chat ${chatId}` });
      const chat = markRead(before, agentId, seq);
      if (chat === before) return;
      await save(before, chat);
      markChanged(chat, agentId);
      if (agentsReadSeq(chat) > agentsReadSeq(before)) {
        await toVisitor(chatId, "/chat/read", { seq: agentsReadSeq(chat) });
      }
    });
  }

  function setStatus(agentId: string, status: "online" | "away"): void {
    if (presence.get(agentId) === status) return;
    presence.set(agentId, status);
    presenceChanged();
  }

  /** Runs `handle` on a visitor room's request once its body checked out; answers 204. */
  function visitorRoute<S extends v.GenericSchema>(
    schema: S,
    handle: (body: v.InferOutput<S>) => Promise<void> | void,
  ) {
    return async (_siteRoom: unknown, request: Request): Promise<Response> => {
      const body = await readJsonBody(request, schema, { maxBytes: INTERNAL_BODY_BYTES });
      if (!body.ok) return body.response;
      await handle(body.value);
      return new Response(null, { status: 204 });
    };
  }

  /** The visitor wrote (with the visitor room's system lines): a closed chat becomes a request. */
  async function visitorMessages(body: v.InferOutput<typeof VisitorMessagesBodySchema>) {
    const messages = body.messages as unknown as ChatMessage[];
    await withChat(body.chatId, async () => {
      const before = await chatOf(body.chatId);
      const base = before ?? newChat(body.chatId, body.visitorName, Date.now());
      const fresh = unseenMessages(base, messages);
      if (fresh.length === 0) return;
      const entry = host.rosterEntry(body.chatId);
      const named: QueuedChat = {
        ...base,
        visitorName: body.visitorName,
        page: entry?.page ?? base.page,
      };
      const step = receiveVisitorMessages(named, fresh, context());
      if (step.ok) await carryOut(before, step, { published: fresh });
    });
  }

  /** The visitor's typing preview, for the agents who see the chat. */
  function visitorTyping(body: v.InferOutput<typeof VisitorTypingBodySchema>): void {
    const frame: AgentChatTypingFrame = {
      type: "chat:typing",
      chatId: body.chatId,
      visitor: { text: body.text },
    };
    const chat = chats.get(body.chatId);
    // A visitor typing into a closed chat (or before the first message) is about to make a
    // request: every agent may see it coming.
    const open = chat !== undefined && isOpen(chat);
    sendTo(open ? viewers(chat, body.chatId) : new Set(presence.keys()), frame);
  }

  /** The visitor has read up to `seq`. */
  function visitorRead(body: v.InferOutput<typeof VisitorReadBodySchema>): void {
    const frame: AgentChatReadFrame = {
      type: "chat:read",
      chatId: body.chatId,
      visitorReadSeq: body.seq,
    };
    sendTo(viewers(chats.get(body.chatId), body.chatId), frame);
  }

  /**
   * Internal routes for visitor rooms (see the site room's list). The handlers close over the
   * desk, so they take any owner: the site room adds them to its own.
   */
  const routes: Routes<unknown> = {
    "/chat/messages": { POST: visitorRoute(VisitorMessagesBodySchema, visitorMessages) },
    "/chat/typing": { POST: visitorRoute(VisitorTypingBodySchema, visitorTyping) },
    "/chat/read": { POST: visitorRoute(VisitorReadBodySchema, visitorRead) },
  };

  return {
    routes,

    /** Reads the open chats and the latest closed ones; call once from `onStart`. */
    async load(): Promise<void> {
      if ((await room.storage.get<boolean>(keys.indexed)) === undefined) await indexStoredChats();
      const [open, closed] = await Promise.all([
        room.storage.list<string>({ prefix: "chat-open:" }),
        room.storage.list<string>({
          prefix: "chat-closed:",
          reverse: true,
          limit: CLOSED_CHATS_LISTED,
        }),
      ]);
      const ids = [...open.values(), ...closed.values()];
      const stored = await room.storage.getMany<QueuedChat>(ids.map(keys.chat));
      for (const chat of stored.values()) chats.set(chat.id, chat);
    },

    /** A signed-in agent's socket opened: who is here, and the agent's chat lists. */
    connect(conn: Connection, agentId: string): void {
      if (!presence.has(agentId)) presence.set(agentId, "online");
      presenceChanged();
      sendFrame(conn, fullChatsFrame(agentId));
    },

    /** An agent's socket closed; with their last one the agent goes offline. */
    disconnect(conn: Connection, agentId: string): void {
      for (const [other, id] of agentConnections()) {
        if (id === agentId && other.id !== conn.id) return;
      }
      goOffline(agentId);
    },

    /**
     * An agent was removed from the site: they go offline here, and every open chat lets go of
     * them (see `removeAgent` in queue.ts), naming them by `agent.name` since their account is
     * gone. A chat that cannot be changed now is logged and left.
     */
    async agentRemoved(agent: { id: string; name: string }): Promise<void> {
      goOffline(agent.id);
      const named = (): QueueContext => {
        const ctx = context();
        return { ...ctx, nameOf: (id) => (id === agent.id ? agent.name : ctx.nameOf(id)) };
      };
      const open = [...chats.values()].filter(isOpen);
      await Promise.all(
        open.map((chat) =>
          withChat(chat.id, async () => {
            const before = chats.get(chat.id);
            const step = before && removeAgent(before, agent.id, named());
            if (before && step?.ok) await carryOut(before, step);
          }).catch((error: unknown) =>
            log.error("letting go of a removed agent failed", { chat: chat.id, error }),
          ),
        ),
      );
    },

    /**
     * A visitor's data was deleted: their chat leaves storage and the lists, and every agent
     * gets their lists anew.
     */
    visitorForgotten(visitorId: string): Promise<void> {
      return withChat(visitorId, async () => {
        const chat =
          chats.get(visitorId) ?? (await room.storage.get<QueuedChat>(keys.chat(visitorId)));
        if (!chat) return;
        chats.delete(visitorId);
        changed.delete(visitorId);
        await room.storage.deleteMany([keys.chat(visitorId), indexKey(chat)]);
        for (const [conn, agentId] of agentConnections()) sendFrame(conn, fullChatsFrame(agentId));
      });
    },

    /** An account was added or changed: colleagues' pickers list it. */
    agentsChanged(): void {
      const frame = agentsFrame();
      for (const [conn] of agentConnections()) sendFrame(conn, frame);
    },

    /** Whether any agent is online and not away, within business hours. */
    available,

    /** Business hours opened, closed or changed: visitors learn whether chats are taken. */
    availabilityChanged,

    /** Handles one of an agent's chat frames. */
    async handle(conn: Connection, agentId: string, frame: ChatFrame): Promise<void> {
      switch (frame.type) {
        case "agent:status":
          return setStatus(agentId, frame.status);
        case "chat:send":
          return sendMessage(conn, agentId, frame);
        case "chat:open":
          return openChat(conn, agentId, frame.chatId);
        case "chat:typing":
          return agentTyping(agentId, frame.chatId, frame.typing);
        case "chat:read":
          return agentRead(conn, agentId, frame.chatId, frame.seq);
      }
      if (frame.type === "chat:transfer" || frame.type === "chat:invite") {
        if (!knownAgent(conn, frame.agentId)) return;
      }
      return act(conn, frame.chatId, actionOf(agentId, frame));
    },

    /** The visitor's name or page changed: the chat lists show them. */
    rosterChanged(entry: RosterEntry): void {
      const current = chats.get(entry.id);
      if (!current) return;
      if (current.visitorName === entry.name && current.page?.url === entry.page?.url) return;
      void withChat(entry.id, async () => {
        const before = chats.get(entry.id);
        if (!before) return;
        const chat = { ...before, visitorName: entry.name, page: entry.page };
        await save(before, chat);
        markChanged(chat);
      }).catch((error: unknown) => log.error("chat update failed", { chat: entry.id, error }));
    },

    /** The earliest time a round runs out, or null. */
    nextDeadline(): number | null {
      let next: number | null = null;
      for (const chat of chats.values()) {
        if (chat.roundEndsAt !== null && (next === null || chat.roundEndsAt < next)) {
          next = chat.roundEndsAt;
        }
      }
      return next;
    },

    /** Escalates every request whose round has run out by `now` (the room's alarm). */
    async expireRounds(now: number): Promise<void> {
      const due = [...chats.values()].filter(
        (chat) => chat.roundEndsAt !== null && chat.roundEndsAt <= now,
      );
      await Promise.all(
        due.map((chat) =>
          withChat(chat.id, async () => {
            const before = chats.get(chat.id);
            const step = before && expire(before, context(now));
            if (before && step?.ok) await carryOut(before, step);
          }).catch((error: unknown) => log.error("escalation failed", { chat: chat.id, error })),
        ),
      );
    },
  };
}
