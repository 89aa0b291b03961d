/**
 * The site's chat queue as pure functions: what happens to a chat when the visitor writes, when
 * agents accept, ignore, send, transfer, invite, join or resolve, and when a request waits too
 * long. Each transition takes a chat and returns the next one with what else must happen (a
 * new `chat:state` for the visitor, system messages, notifications); the site room's desk
 * carries those out. Nothing here touches storage, sockets or the clock.
 *
 * Escalation follows JivoChat: a request is offered for REQUEST_ROUND_MS; when an agent passes
 * on it (`chat:ignore`) or nobody answers in time, the next round offers it to every available
 * agent again; after ESCALATION_ROUNDS rounds the chat is missed.
 */
import type { ChatMessage, ChatStatus, ChatSummary, NotifyFrame } from "../../../protocol/index.ts";
import type { Refusal } from "../../guard.ts";

/** How long one escalation round waits for an agent. */
export const REQUEST_ROUND_MS = 60_000;
/** Rounds a request goes through before it is missed. */
export const ESCALATION_ROUNDS = 3;
/** Visitor messages remembered per chat for unread counts (an agent sees at most this many). */
export const UNREAD_CAP = 100;

/** How new chats find an agent: offered to everyone, or assigned in turn. */
export type Routing = "manual" | "auto";

/** A chat as the site room keeps it (stored under `chat:<id>`). */
export type QueuedChat = {
  /** The visitor's id. */
  id: string;
  visitorName: string;
  status: ChatStatus;
  assigneeId: string | null;
  /** The assignee first, then invited colleagues. */
  participants: string[];
  lastMessage: ChatSummary["lastMessage"];
  updatedAt: number;
  round: number;
  /** When the current round ends unanswered; null while nobody is being waited for. */
  roundEndsAt: number | null;
  offer: ChatSummary["offer"];
  page: ChatSummary["page"];
  /** The highest message `seq` the site room has seen in this conversation. */
  lastSeq: number;
  /** `seq` of the latest visitor messages, oldest first, at most UNREAD_CAP. */
  visitorSeqs: number[];
  /** How far each agent has read, by agent id. */
  readSeqs: Record<string, number>;
};

/** What a transition needs to know about the site at that moment. */
export type QueueContext = {
  now: number;
  routing: Routing;
  /** Agents who may get new chats (connected and not away), in a stable order. */
  available: string[];
  /** Agents with a socket open, away or not: transfers and invitations go only to them. */
  connected: string[];
  /** The agent who got the last auto-assigned chat; the turn passes to the next one. */
  lastAssigned: string | null;
  nameOf(agentId: string): string;
};

/** A notification to send: `notify` frames to the agents in `to`. */
export type Notice = {
  to: string[];
  kind: NotifyFrame["kind"];
  sound: boolean;
  text: string;
};

/** What a transition asks for besides the new chat. */
export type Effects = {
  /** The visitor's view (status or agents) changed: send a new `chat:state`. */
  stateChanged: boolean;
  /** System messages to add to the conversation, in order. */
  system: string[];
  notices: Notice[];
  /** Set when the chat was auto-assigned: the round robin moves on past this agent. */
  assigned?: string;
};

export type Transition = ({ ok: true; chat: QueuedChat } & Effects) | ({ ok: false } & Refusal);

const none: Effects = { stateChanged: false, system: [], notices: [] };

function done(chat: QueuedChat, effects: Partial<Effects> = {}): Transition {
  return { ok: true, chat, ...none, ...effects };
}

function refuse(message: string): Transition {
  return { ok: false, code: "not_allowed", message };
}

/** A request or an active chat; resolved and missed ones are closed. */
export function isOpen(chat: QueuedChat): boolean {
  return chat.status === "requested" || chat.status === "active";
}

/**
 * The agent whose turn it is: the first available one after `lastAssigned` in `available`'s
 * order (wrapping around), or null when nobody is available.
 * @example pickAssignee(["ana", "ben", "cy"], "ben") // "cy"
 */
export function pickAssignee(available: string[], lastAssigned: string | null): string | null {
  if (available.length === 0) return null;
  const last = lastAssigned === null ? -1 : available.indexOf(lastAssigned);
  // When the last assignee went away or offline, the turn starts over at the first agent.
  return available[(last + 1) % available.length] ?? null;
}

/**
 * Makes `chat` a request in `round`, then routes it: in auto mode the first round goes straight
 * to the agent whose turn it is; every other round is offered to all available agents.
 */
function request(chat: QueuedChat, round: number, ctx: QueueContext, text: string): Transition {
  // The visitor sees a change unless the chat already was a request without agents.
  const visible = chat.status !== "requested" || chat.participants.length > 0;
  const requested: QueuedChat = {
    ...chat,
    status: "requested",
    assigneeId: null,
    participants: [],
    round,
    roundEndsAt: ctx.now + REQUEST_ROUND_MS,
    offer: null,
    updatedAt: ctx.now,
  };
  const assignee =
    ctx.routing === "auto" && round === 1 ? pickAssignee(ctx.available, ctx.lastAssigned) : null;
  if (assignee) {
    // Still waited for: the round ends if the assignee neither answers nor accepts in time.
    return done(
      { ...requested, status: "active", assigneeId: assignee, participants: [assignee] },
      {
        stateChanged: true,
        system: [`${ctx.nameOf(assignee)} joined the chat`],
        notices: [{ to: [assignee], kind: "assigned", sound: true, text }],
        assigned: assignee,
      },
    );
  }
  return done(requested, {
    stateChanged: visible,
    notices: [{ to: ctx.available, kind: "request", sound: round > 1, text }],
  });
}

/**
 * A chat before its first message: closed, so that the visitor's first message opens it as a
 * request (and an agent's first message, written to a visitor first, opens it as theirs).
 */
export function newChat(id: string, visitorName: string, now: number): QueuedChat {
  return {
    id,
    visitorName,
    status: "resolved",
    assigneeId: null,
    participants: [],
    lastMessage: null,
    updatedAt: now,
    round: 0,
    roundEndsAt: null,
    offer: null,
    page: null,
    lastSeq: 0,
    visitorSeqs: [],
    readSeqs: {},
  };
}

/**
 * The highest `seq` of a visitor message the site room has taken. Visitor messages arrive in
 * `seq` order, but may arrive after an agent's later message (stored in between): they are
 * known by this mark, not by {@link QueuedChat.lastSeq}.
 */
export function lastVisitorSeq(chat: QueuedChat): number {
  return chat.visitorSeqs.at(-1) ?? 0;
}

/**
 * Whether the chat has not taken `message` yet: a visitor message past {@link lastVisitorSeq},
 * another line past {@link QueuedChat.lastSeq}. The visitor room forwards its system lines with
 * the visitor's messages (the invitation a reply answers is written there); those this room
 * wrote itself it has already.
 */
function unseen(chat: QueuedChat, message: ChatMessage): boolean {
  return message.author.kind === "visitor"
    ? message.seq > lastVisitorSeq(chat)
    : message.seq > chat.lastSeq;
}

/** What of `messages` (in `seq` order) the chat has not taken yet; see {@link unseen}. */
export function unseenMessages(chat: QueuedChat, messages: ChatMessage[]): ChatMessage[] {
  return messages.filter((message) => unseen(chat, message));
}

/**
 * Records stored messages (in `seq` order) in the chat's counters and preview. Messages the
 * chat has seen already are skipped. Visitor messages count as unread; an agent's own message
 * marks the chat read for that agent. Notes never become the preview, nor does a visitor
 * message that arrives after a later one.
 */
export function recordMessages(chat: QueuedChat, messages: ChatMessage[]): QueuedChat {
  let next = chat;
  for (const message of messages) {
    if (!unseen(next, message)) continue;
    const latest = message.seq > next.lastSeq;
    next = {
      ...next,
      lastSeq: Math.max(next.lastSeq, message.seq),
      updatedAt: Math.max(next.updatedAt, message.at),
    };
    if (!message.note && latest) {
      next.lastMessage = {
        text: message.text || message.file?.name || "",
        at: message.at,
        author: message.author.kind,
      };
    }
    if (message.author.kind === "visitor") {
      next.visitorSeqs = [...next.visitorSeqs, message.seq].slice(-UNREAD_CAP);
    } else if (message.author.kind === "agent") {
      next.readSeqs = { ...next.readSeqs, [message.author.agentId]: message.seq };
    }
  }
  return next;
}

/**
 * The visitor wrote: on a chat that is not open (none yet, resolved, missed) this makes a
 * request in round 1 and routes it; an open chat only records the messages. System lines that
 * come with the visitor's messages are recorded; alone they open nothing.
 */
export function receiveVisitorMessages(
  chat: QueuedChat,
  messages: ChatMessage[],
  ctx: QueueContext,
): Transition {
  const fresh = unseenMessages(chat, messages);
  const recorded = recordMessages(chat, fresh);
  const written = fresh.filter((message) => message.author.kind === "visitor");
  if (written.length === 0 || isOpen(chat)) {
    return done(recorded);
  }
  return request(recorded, 1, ctx, written.at(-1)?.text ?? "");
}

/** Agent `agentId` takes the chat: it becomes theirs and is no longer waited for. */
function take(chat: QueuedChat, agentId: string, ctx: QueueContext): Transition {
  return done(
    {
      ...chat,
      status: "active",
      assigneeId: agentId,
      participants: [agentId],
      roundEndsAt: null,
      offer: null,
      updatedAt: ctx.now,
    },
    { stateChanged: true, system: [`${ctx.nameOf(agentId)} joined the chat`] },
  );
}

/** The assignee answered: the chat is no longer waited for. */
function answered(chat: QueuedChat): QueuedChat {
  return chat.roundEndsAt === null ? chat : { ...chat, roundEndsAt: null };
}

function takenMessage(chat: QueuedChat, ctx: QueueContext): string {
  if (chat.status === "active" && chat.assigneeId) {
    return `${ctx.nameOf(chat.assigneeId)} has this chat`;
  }
  return `The chat is ${chat.status}`;
}

/**
 * `chat:accept`: the first agent to accept a request gets it; the assignee of an auto-assigned
 * chat accepts it to stop its escalation. Accepting one's own chat again changes nothing.
 */
export function accept(chat: QueuedChat, agentId: string, ctx: QueueContext): Transition {
  if (chat.status === "requested") return take(chat, agentId, ctx);
  if (chat.status === "active" && chat.participants.includes(agentId)) {
    return done(chat.assigneeId === agentId ? answered(chat) : chat);
  }
  return refuse(takenMessage(chat, ctx));
}

/**
 * An agent sends a message (or a note) in the chat. A reply to a request takes it, as in
 * `accept`; a reply to a resolved or missed chat opens it again as the sender's. On an active
 * chat only its participants may write. Notes never change who has the chat.
 */
export function send(
  chat: QueuedChat,
  agentId: string,
  note: boolean,
  ctx: QueueContext,
): Transition {
  if (chat.status === "active") {
    if (!chat.participants.includes(agentId)) {
      return refuse(`${takenMessage(chat, ctx)}: only its agents can write in it`);
    }
    return done(!note && chat.assigneeId === agentId ? answered(chat) : chat);
  }
  if (note) return done(chat);
  return take(chat, agentId, ctx);
}

/**
 * Ends the current round: the next round offers the request to every available agent (also
 * in auto mode, where the assignee who let it wait leaves the chat); after the last round the
 * chat is missed.
 */
export function escalate(chat: QueuedChat, ctx: QueueContext): Transition {
  if (chat.round >= ESCALATION_ROUNDS) {
    return done(
      {
        ...chat,
        status: "missed",
        assigneeId: null,
        participants: [],
        roundEndsAt: null,
        offer: null,
        updatedAt: ctx.now,
      },
      { stateChanged: true },
    );
  }
  return request(chat, chat.round + 1, ctx, chat.lastMessage?.text ?? "");
}

/**
 * `chat:ignore`: an agent passes on a request (anyone) or on an auto-assigned chat not yet
 * answered (its assignee), which ends the round. A `round` other than the chat's is stale
 * (a second click on the same notification) and changes nothing.
 */
export function ignore(
  chat: QueuedChat,
  agentId: string,
  round: number | undefined,
  ctx: QueueContext,
): Transition {
  const waiting =
    chat.status === "requested" ||
    (chat.status === "active" && chat.assigneeId === agentId && chat.roundEndsAt !== null);
  if (!waiting) return refuse(`Only a waiting request can be ignored: ${takenMessage(chat, ctx)}`);
  if (round !== undefined && round !== chat.round) return done(chat);
  return escalate(chat, ctx);
}

/** The chat's round has run out (the alarm fired): escalate; null when it is not due. */
export function expire(chat: QueuedChat, ctx: QueueContext): Transition | null {
  if (chat.roundEndsAt === null || chat.roundEndsAt > ctx.now) return null;
  return escalate(chat, ctx);
}

/**
 * `chat:resolve`: a participant closes an active chat; anyone may close a request (spam).
 * The visitor's next message opens it again as a request.
 */
export function resolve(chat: QueuedChat, agentId: string, ctx: QueueContext): Transition {
  if (chat.status === "active" && !chat.participants.includes(agentId)) {
    return refuse(`${takenMessage(chat, ctx)}: only its agents can resolve it`);
  }
  if (chat.status === "resolved" || chat.status === "missed") return done(chat);
  return done(
    { ...chat, status: "resolved", roundEndsAt: null, offer: null, updatedAt: ctx.now },
    { stateChanged: true },
  );
}

function checkOffer(
  chat: QueuedChat,
  from: string,
  to: string,
  ctx: QueueContext,
): Transition | null {
  if (chat.status !== "active") return refuse(`The chat is ${chat.status}`);
  if (to === from) return refuse("Pick another agent");
  if (!ctx.connected.includes(to)) return refuse(`${ctx.nameOf(to)} is offline`);
  return null;
}

/** `chat:transfer`: the assignee offers the chat to `to`; it moves when they join. */
export function transfer(
  chat: QueuedChat,
  from: string,
  to: string,
  note: string | undefined,
  ctx: QueueContext,
): Transition {
  if (chat.assigneeId !== from) return refuse("Only the chat's assignee can transfer it");
  const refused = checkOffer(chat, from, to, ctx);
  if (refused) return refused;
  const offer: QueuedChat["offer"] = { kind: "transfer", from, to };
  if (note) offer.note = note;
  const text = `${ctx.nameOf(from)} transfers a chat to you${note ? `: ${note}` : ""}`;
  return done(
    { ...chat, offer, updatedAt: ctx.now },
    { notices: [{ to: [to], kind: "transfer", sound: true, text }] },
  );
}

/** `chat:invite`: a participant asks `to` into the chat; both stay when they join. */
export function invite(chat: QueuedChat, from: string, to: string, ctx: QueueContext): Transition {
  if (!chat.participants.includes(from)) return refuse("Only the chat's agents can invite");
  const refused = checkOffer(chat, from, to, ctx);
  if (refused) return refused;
  if (chat.participants.includes(to)) return refuse(`${ctx.nameOf(to)} is in the chat already`);
  const text = `${ctx.nameOf(from)} invites you to a chat`;
  return done(
    { ...chat, offer: { kind: "invite", from, to }, updatedAt: ctx.now },
    { notices: [{ to: [to], kind: "invite", sound: true, text }] },
  );
}

/**
 * `chat:join`: the agent a transfer was offered to becomes the assignee (the previous one
 * leaves); an invited agent joins beside the others.
 */
export function join(chat: QueuedChat, agentId: string, ctx: QueueContext): Transition {
  const offer = chat.offer;
  if (!offer || offer.to !== agentId || chat.status !== "active") {
    return refuse("Nothing in this chat is offered to you");
  }
  const name = ctx.nameOf(agentId);
  if (offer.kind === "transfer") {
    const others = chat.participants.filter((id) => id !== chat.assigneeId && id !== agentId);
    return done(
      {
        ...chat,
        assigneeId: agentId,
        participants: [agentId, ...others],
        roundEndsAt: null,
        offer: null,
        updatedAt: ctx.now,
      },
      { stateChanged: true, system: [`The chat was transferred to ${name}`] },
    );
  }
  return done(
    { ...chat, participants: [...chat.participants, agentId], offer: null, updatedAt: ctx.now },
    { stateChanged: true, system: [`${name} joined the chat`] },
  );
}

/** `chat:decline`: the agent turns down what was offered to them. */
export function decline(chat: QueuedChat, agentId: string, ctx: QueueContext): Transition {
  if (chat.offer?.to !== agentId) return refuse("Nothing in this chat is offered to you");
  return done({ ...chat, offer: null, updatedAt: ctx.now });
}

/**
 * The agent was removed from the site: an open chat lets go of them. Their colleagues in the
 * chat keep it (the first becomes the assignee); a chat they had alone goes back to the queue as
 * a new request; an offer to or from them is withdrawn. Null when the chat does not involve them.
 */
export function removeAgent(
  chat: QueuedChat,
  agentId: string,
  ctx: QueueContext,
): Transition | null {
  if (!isOpen(chat)) return null;
  const offered = chat.offer?.to === agentId || chat.offer?.from === agentId;
  if (!offered && !chat.participants.includes(agentId)) return null;
  const left = { ...chat, offer: offered ? null : chat.offer, updatedAt: ctx.now };
  if (!chat.participants.includes(agentId)) return done(left);
  const system = [`${ctx.nameOf(agentId)} left the chat`];
  const others = chat.participants.filter((id) => id !== agentId);
  const [next] = others;
  if (chat.assigneeId !== agentId) {
    return done({ ...left, participants: others }, { stateChanged: true, system });
  }
  if (next) {
    return done(
      { ...left, assigneeId: next, participants: others, roundEndsAt: null },
      { stateChanged: true, system },
    );
  }
  const requeued = request(left, 1, ctx, chat.lastMessage?.text ?? "");
  return requeued.ok
    ? { ...requeued, stateChanged: true, system: [...system, ...requeued.system] }
    : requeued;
}

/** `chat:read`: `agentId` has read up to `seq` (never past the last message, never backwards). */
export function markRead(chat: QueuedChat, agentId: string, seq: number): QueuedChat {
  const read = Math.min(seq, chat.lastSeq);
  if (read <= (chat.readSeqs[agentId] ?? 0)) return chat;
  return { ...chat, readSeqs: { ...chat.readSeqs, [agentId]: read } };
}

/** How far any agent has read: what the visitor is shown as read. */
export function agentsReadSeq(chat: QueuedChat): number {
  return Math.max(0, ...Object.values(chat.readSeqs));
}

/** Visitor messages `agentId` has not read. */
export function unreadFor(chat: QueuedChat, agentId: string): number {
  const read = chat.readSeqs[agentId] ?? 0;
  return chat.visitorSeqs.filter((seq) => seq > read).length;
}

/** The chat as `agentId` sees it in their lists. */
export function summaryFor(chat: QueuedChat, agentId: string): ChatSummary {
  return {
    id: chat.id,
    visitorName: chat.visitorName,
    status: chat.status,
    channel: "web",
    assigneeId: chat.assigneeId,
    participants: chat.participants,
    lastMessage: chat.lastMessage,
    updatedAt: chat.updatedAt,
    unread: unreadFor(chat, agentId),
    round: chat.round,
    offer: chat.offer,
    page: chat.page,
  };
}

/**
 * Agents who see the chat's live frames (messages, typing, read marks): everyone while it is
 * a request; else its participants, the agent something is offered to, and agents who opened
 * it (`watchers`).
 */
export function viewersOf(
  chat: QueuedChat | undefined,
  connected: Iterable<string>,
  watchers: ReadonlySet<string> = new Set(),
): Set<string> {
  if (chat?.status === "requested") return new Set(connected);
  const viewers = new Set(watchers);
  for (const id of chat?.participants ?? []) viewers.add(id);
  if (chat?.offer) viewers.add(chat.offer.to);
  return viewers;
}
