/**
 * A visitor's conversation as the visitor room keeps it: the message log (one key per message,
 * numbered by `seq`), an index of message ids so a re-sent message is stored once, and the
 * conversation's state (status and agents as the site room last said, read marks). Like the
 * trail, changes are collected in memory and written by the room in one transaction with the
 * rest of a frame's events ({@link Conversation.takeChanges}).
 */
import type {
  ChatAgent,
  ChatAuthor,
  ChatFile,
  ChatMessage,
  ChatStateFrame,
  ChatStatus,
  PointerTarget,
} from "../../../protocol/index.ts";
import { HISTORY_MESSAGES } from "../../../protocol/index.ts";
import type { Json, RoomStorage } from "../../party.ts";

/** The conversation's state, stored under "chat" once the first message is. */
export type ChatMeta = {
  /** The last `seq` given out. */
  seq: number;
  /** As the site room last said; null until it has. */
  status: ChatStatus | null;
  agents: ChatAgent[];
  agentReadSeq: number;
  visitorReadSeq: number;
  /** Visitor messages up to this `seq` have reached the site room. */
  forwardedSeq: number;
};

/** A message before the conversation numbers it. */
export type MessageDraft = {
  id: string;
  author: ChatAuthor;
  text: string;
  file?: ChatFile;
  note?: boolean;
  pointer?: PointerTarget;
};

const META_KEY = "chat";
const messageKey = (seq: number) => `msg:${String(seq).padStart(12, "0")}`;
const idKey = (id: string) => `msgid:${id}`;

/** Reads a stored conversation (or none yet). */
export async function loadConversation(
  storage: RoomStorage,
  chatId: string,
): Promise<Conversation> {
  return new Conversation(storage, chatId, (await storage.get<ChatMeta>(META_KEY)) ?? null);
}

/**
 * The conversation `chatId` (the visitor's id) over `storage`, from its stored state.
 * A class, not a factory: one is made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example const chat = await loadConversation(storage, visitorId); if (!(await chat.has(id))) chat.add(draft, Date.now());
 */
export class Conversation {
  private chatMeta: ChatMeta | null;
  private metaChanged = false;
  /** Messages added since the last `takeChanges`; made per frame, never cleared (see trail.ts). */
  private added: Map<string, ChatMessage> | undefined;

  constructor(
    private readonly storage: RoomStorage,
    private readonly chatId: string,
    stored: ChatMeta | null,
  ) {
    this.chatMeta = stored;
  }

  /** Null before the first message. */
  get meta(): ChatMeta | null {
    return this.chatMeta;
  }

  /** The ids of the files stored messages attach. */
  async fileIds(): Promise<string[]> {
    const messages = await this.storage.list<ChatMessage>({ prefix: "msg:" });
    return [...messages.values()].flatMap((message) => (message.file ? [message.file.id] : []));
  }

  /** Whether a message with this id is stored, or added since the last `takeChanges`. */
  async has(id: string): Promise<boolean> {
    return this.added?.has(id) || (await this.storage.get<number>(idKey(id))) !== undefined;
  }

  /** Numbers and keeps a new message (check `has` first); `at` is relay time. */
  add(draft: MessageDraft, at: number): ChatMessage {
    const current = this.ensureMeta();
    current.seq += 1;
    const message: ChatMessage = {
      id: draft.id,
      chatId: this.chatId,
      seq: current.seq,
      at,
      author: draft.author,
      text: draft.text,
    };
    if (draft.file) message.file = draft.file;
    if (draft.note) message.note = true;
    if (draft.pointer) message.pointer = draft.pointer;
    this.added ??= new Map();
    this.added.set(draft.id, message);
    return message;
  }

  /** Takes the site room's word on status and agents; true when it changed. */
  setState(status: ChatStatus, agents: ChatAgent[]): boolean {
    const current = this.ensureMeta();
    if (current.status === status && JSON.stringify(current.agents) === JSON.stringify(agents)) {
      return false;
    }
    current.status = status;
    current.agents = agents;
    return true;
  }

  /** Raises the visitor's read mark (never past the last message); true when it moved. */
  markVisitorRead(seq: number): boolean {
    return this.raise("visitorReadSeq", seq);
  }

  /** Raises the agents' read mark; true when it moved. */
  markAgentRead(seq: number): boolean {
    return this.raise("agentReadSeq", seq);
  }

  /** Visitor messages up to `seq` have reached the site room. */
  markForwarded(seq: number): void {
    this.raise("forwardedSeq", seq);
  }

  /** The writes that store every change since the last call. */
  takeChanges(): Map<string, Json> {
    const put = new Map<string, Json>();
    for (const message of this.added?.values() ?? []) {
      put.set(messageKey(message.seq), message);
      put.set(idKey(message.id), message.seq);
    }
    if (this.chatMeta && this.metaChanged) put.set(META_KEY, this.chatMeta);
    this.added = undefined;
    this.metaChanged = false;
    return put;
  }

  /** The latest messages (HISTORY_MESSAGES at most), oldest first; notes only if asked. */
  latest({ notes }: { notes: boolean }): Promise<ChatMessage[]> {
    return this.fromEnd(HISTORY_MESSAGES, (message) => notes || !message.note);
  }

  /**
   * Visitor messages and system lines after the last forward, oldest first: the site room
   * takes what it has not seen (such as the invitation line a reply to an invitation adds here).
   */
  unforwarded(): Promise<ChatMessage[]> {
    const forwarded = this.chatMeta?.forwardedSeq ?? 0;
    return this.fromEnd(
      Number.MAX_SAFE_INTEGER,
      (message) => message.author.kind !== "agent",
      (message) => message.seq <= forwarded,
    );
  }

  /** `chat:state` for the visitor, with `messages` when given. */
  stateFrame(messages?: ChatMessage[]): ChatStateFrame {
    const meta = this.chatMeta;
    const frame: ChatStateFrame = {
      type: "chat:state",
      status: meta?.status ?? null,
      agents: meta?.agents ?? [],
      agentReadSeq: meta?.agentReadSeq ?? 0,
    };
    if (messages) frame.messages = messages;
    return frame;
  }

  private ensureMeta(): ChatMeta {
    this.chatMeta ??= {
      seq: 0,
      status: null,
      agents: [],
      agentReadSeq: 0,
      visitorReadSeq: 0,
      forwardedSeq: 0,
    };
    this.metaChanged = true;
    return this.chatMeta;
  }

  /** Moves a mark forward to `seq` (never past the last message); true when it moved. */
  private raise(mark: "visitorReadSeq" | "agentReadSeq" | "forwardedSeq", seq: number): boolean {
    const meta = this.chatMeta;
    if (!meta) return false;
    const next = Math.min(seq, meta.seq);
    if (next <= meta[mark]) return false;
    meta[mark] = next;
    this.metaChanged = true;
    return true;
  }

  /** Messages newest first from the end of the log, while `keep` wants them, up to `limit`. */
  private async fromEnd(
    limit: number,
    keep: (message: ChatMessage) => boolean,
    stopAt: (message: ChatMessage) => boolean = () => false,
  ): Promise<ChatMessage[]> {
    const found: ChatMessage[] = [];
    let end: string | undefined;
    const page = Math.min(limit * 2, 500);
    for (;;) {
      const batch = await this.storage.list<ChatMessage>({
        prefix: "msg:",
        end,
        reverse: true,
        limit: page,
      });
      for (const [key, message] of batch) {
        end = key;
        if (stopAt(message)) return found.reverse();
        if (!keep(message)) continue;
        found.push(message);
        if (found.length === limit) return found.reverse();
      }
      if (batch.size < page) return found.reverse();
    }
  }
}
