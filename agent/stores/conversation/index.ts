import { atom, computed } from "nanostores";
import type {
  AgentChatMessageFrame,
  AgentChatReadFrame,
  ChatAuthor,
  ChatFile,
  ChatHistoryFrame,
  ChatMessage,
} from "../../../protocol/chat.ts";
import type { PointerTarget } from "../../../protocol/pointer.ts";
import { $chats, type ChatTab, isMine, markChatSeen, showChatTab, tabOf } from "../chats/index.ts";
import { sendFrame } from "../connection/index.ts";
import type { OutgoingMessage } from "../outbox/index.ts";
import { $agentId } from "../session/index.ts";
import { showView } from "../view/index.ts";

/**
 * A conversation as this console knows it: its messages by `seq` (notes included), how far
 * the visitor has read, whether the history is on its way, and how far I told the relay I read.
 */
export type Conversation = {
  chatId: string;
  messages: readonly ChatMessage[];
  visitorReadSeq: number;
  loading: boolean;
  readSeqSent: number;
};

/** Conversations opened since signing in, by chat id; live messages keep them current. */
export const $conversations = atom<ReadonlyMap<string, Conversation>>(new Map());

/** The chat the conversation pane shows. */
export const $openChatId = atom<string | null>(null);

/** The open conversation, or null. */
export const $openConversation = computed([$conversations, $openChatId], (all, id) =>
  id === null ? null : (all.get(id) ?? null),
);

/** The open chat's summary, or null. */
export const $openChat = computed([$chats, $openChatId], (chats, id) =>
  id === null ? null : (chats.get(id) ?? null),
);

function update(chatId: string, change: (conversation: Conversation) => Conversation): void {
  const all = $conversations.get();
  const conversation = all.get(chatId);
  if (conversation) $conversations.set(new Map(all).set(chatId, change(conversation)));
}

/** `incoming` merged into `messages`: one copy per id (the newer wins), ordered by `seq`. */
export function mergeMessages(
  messages: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Shows a chat in the pane and asks the relay for its history. */
export function openChat(chatId: string): void {
  const all = $conversations.get();
  const known = all.get(chatId);
  const conversation: Conversation = known
    ? { ...known, loading: true }
    : { chatId, messages: [], visitorReadSeq: 0, loading: true, readSeqSent: 0 };
  $conversations.set(new Map(all).set(chatId, conversation));
  $openChatId.set(chatId);
  sendFrame({ type: "chat:open", chatId });
}

/**
 * Goes to the Chats page with this chat open, on `tab` or the tab that lists it (from a toast,
 * a browser notification or a visitor's profile).
 */
export function showConversation(chatId: string, tab?: ChatTab): void {
  const chat = $chats.get().get(chatId);
  const listed = tab ?? (chat ? tabOf(chat, $agentId.get()) : null);
  if (listed) showChatTab(listed);
  showView("chats");
  if ($openChatId.get() !== chatId) openChat(chatId);
}

/** Empties the pane. */
export function closeChat(): void {
  $openChatId.set(null);
}

/** Asks again for the open conversation, to fill what a dropped socket missed. */
export function reopenConversation(): void {
  const chatId = $openChatId.get();
  if (chatId !== null) openChat(chatId);
}

/** Takes a `chat:history` frame answering `chat:open`. */
export function receiveHistory(frame: ChatHistoryFrame): void {
  update(frame.chatId, (conversation) => ({
    ...conversation,
    messages: mergeMessages(conversation.messages, frame.messages),
    visitorReadSeq: Math.max(conversation.visitorReadSeq, frame.visitorReadSeq),
    loading: false,
  }));
}

/** Takes a live message, for a conversation opened since signing in. */
export function receiveMessage(frame: AgentChatMessageFrame): void {
  update(frame.chatId, (conversation) => ({
    ...conversation,
    messages: mergeMessages(conversation.messages, [frame.message]),
  }));
}

/** The visitor has read up to `visitorReadSeq`: my messages up to there show as read. */
export function receiveVisitorRead(frame: AgentChatReadFrame): void {
  update(frame.chatId, (conversation) => ({
    ...conversation,
    visitorReadSeq: Math.max(conversation.visitorReadSeq, frame.visitorReadSeq),
  }));
}

/**
 * Tells the relay I have read the conversation up to its latest message, once per new message,
 * for a chat I am in (reading a request must not tell the visitor someone read it).
 */
export function markRead(chatId: string): void {
  const conversation = $conversations.get().get(chatId);
  const chat = $chats.get().get(chatId);
  if (!conversation || !chat || !isMine(chat, $agentId.get())) return;
  const seq = conversation.messages.at(-1)?.seq ?? 0;
  if (seq <= conversation.readSeqSent) return;
  sendFrame({ type: "chat:read", chatId, seq });
  update(chatId, (current) => ({ ...current, readSeqSent: seq }));
  markChatSeen(chatId);
}

/** Forgets every conversation: on sign-out or when switching sites. */
export function resetConversations(): void {
  $conversations.set(new Map());
  $openChatId.set(null);
}

/**
 * Where one of my messages is: `pending` until the relay stores it, `delivered` once stored,
 * `read` once the visitor has read up to it, `failed` when refused. Others' messages, and my
 * notes past pending (the visitor never gets them), have no mark.
 */
export type DeliveryState = "pending" | "delivered" | "read" | "failed" | null;

/** A message as the pane shows it, stored or still on its way. */
export type TimelineMessage = {
  id: string;
  author: ChatAuthor;
  text: string;
  file?: ChatFile;
  pointer?: PointerTarget;
  note: boolean;
  at: number;
  mine: boolean;
  state: DeliveryState;
  error?: string;
};

/**
 * The pane's messages: the stored ones by `seq`, then mine still on their way (one copy per
 * id: a stored copy wins), each of mine with its delivery mark.
 */
export function timelineOf(
  conversation: Pick<Conversation, "messages" | "visitorReadSeq">,
  outgoing: readonly OutgoingMessage[],
  me: { id: string; name: string },
): TimelineMessage[] {
  const stored = conversation.messages.map((message): TimelineMessage => {
    const mine = message.author.kind === "agent" && message.author.agentId === me.id;
    const note = message.note === true;
    const read = message.seq <= conversation.visitorReadSeq;
    return {
      id: message.id,
      author: message.author,
      text: message.text,
      ...(message.file ? { file: message.file } : {}),
      ...(message.pointer ? { pointer: message.pointer } : {}),
      note,
      at: message.at,
      mine,
      state: mine && !note ? (read ? "read" : "delivered") : null,
    };
  });
  const storedIds = new Set(stored.map((message) => message.id));
  const waiting = outgoing
    .filter((message) => !storedIds.has(message.id))
    .map(
      (message): TimelineMessage => ({
        id: message.id,
        author: { kind: "agent", agentId: me.id, name: me.name },
        text: message.text,
        ...(message.file ? { file: message.file } : {}),
        ...(message.pointer ? { pointer: message.pointer } : {}),
        note: message.note === true,
        at: message.at,
        mine: true,
        state: message.state === "sent" ? (message.note ? null : "delivered") : message.state,
        ...(message.error ? { error: message.error } : {}),
      }),
    );
  return [...stored, ...waiting];
}
