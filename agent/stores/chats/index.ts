import { atom, computed } from "nanostores";
import type { ChatSummary, ChatsFrame } from "../../../protocol/chat.ts";
import { sendFrame } from "../connection/index.ts";
import { $agentId } from "../session/index.ts";

/**
 * The Chats page's tabs: `requests` waits for an agent (shared by all, plus transfers and
 * invitations offered to me), `active` is mine (assigned to me or I take part), `resolved`
 * holds closed and missed chats.
 */
export type ChatTab = "requests" | "active" | "resolved";

/** Which tab lists `chat` for agent `me`; null for a colleague's chat I take no part in. */
export function tabOf(chat: ChatSummary, me: string | null): ChatTab | null {
  if (chat.status === "requested") return "requests";
  if (me !== null && chat.offer?.to === me) return "requests";
  if (chat.status === "resolved" || chat.status === "missed") return "resolved";
  if (me !== null && (chat.assigneeId === me || chat.participants.includes(me))) return "active";
  return null;
}

/** Whether agent `me` is in the active chat, so may read, resolve and invite (and write). */
export const isMine = (chat: ChatSummary, me: string | null): boolean =>
  chat.status === "active" &&
  me !== null &&
  (chat.assigneeId === me || chat.participants.includes(me));

/** Latest activity first; the id breaks ties so the order is stable between frames. */
export function compareByUpdate(a: ChatSummary, b: ChatSummary): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every chat the relay lists for this agent, by id. */
export const $chats = atom<ReadonlyMap<string, ChatSummary>>(new Map());

/**
 * Applies a `chats` frame: a full one replaces the list, a delta replaces or adds the chats it
 * names. Chats move between tabs by status; one leaves the list only in a full frame, when an
 * admin deleted its visitor's data.
 */
export function applyChatsFrame(frame: ChatsFrame): void {
  const next = frame.full ? new Map<string, ChatSummary>() : new Map($chats.get());
  for (const chat of frame.chats) next.set(chat.id, chat);
  $chats.set(next);
}

/** Shows the chat as read here at once; the relay's next `chats` frame confirms it. */
export function markChatSeen(chatId: string): void {
  const chat = $chats.get().get(chatId);
  if (!chat || chat.unread === 0) return;
  $chats.set(new Map($chats.get()).set(chatId, { ...chat, unread: 0 }));
}

/** Forgets every chat: on sign-out or when switching sites. */
export function resetChats(): void {
  $chats.set(new Map());
  $chatTab.set("requests");
  $chatNotice.set(null);
}

/** The three tabs' chats, each sorted by latest activity. */
export const $chatLists = computed([$chats, $agentId], (chats, me) => {
  const lists: Record<ChatTab, ChatSummary[]> = { requests: [], active: [], resolved: [] };
  for (const chat of chats.values()) {
    const tab = tabOf(chat, me);
    if (tab) lists[tab].push(chat);
  }
  for (const list of Object.values(lists)) list.sort(compareByUpdate);
  return lists;
});

/** How many chats wait in Requests: the header's badge. */
export const $requestCount = computed($chatLists, (lists) => lists.requests.length);

/** The tab the Chats page shows. */
export const $chatTab = atom<ChatTab>("requests");

/** Switches the Chats page to another tab. */
export function showChatTab(tab: ChatTab): void {
  $chatTab.set(tab);
}

/** The chats of the tab on show. */
export const $visibleChats = computed([$chatLists, $chatTab], (lists, tab) => lists[tab]);

/** The relay's last refusal of a chat action, shown until dismissed or replaced. */
export const $chatNotice = atom<string | null>(null);

/** Shows why the relay refused a chat action. */
export function reportChatError(message: string): void {
  $chatNotice.set(message);
}

/** Hides the refusal notice. */
export function dismissChatNotice(): void {
  $chatNotice.set(null);
}

/** Takes a waiting request (first agent wins). */
export function acceptChat(chatId: string): void {
  sendFrame({ type: "chat:accept", chatId });
}

/**
 * Passes on a request (or a chat assigned to me I have not answered): the next round offers it
 * to every online agent; after the last round it is missed. The round is named, so a second
 * click on the same notification ends one round, not two.
 */
export function ignoreRequest(chatId: string): void {
  const round = $chats.get().get(chatId)?.round;
  sendFrame({ type: "chat:ignore", chatId, ...(round ? { round } : {}) });
}

/** Closes the chat; a new visitor message reopens it as a request. */
export function resolveChat(chatId: string): void {
  sendFrame({ type: "chat:resolve", chatId });
}

/** Offers the chat to a colleague, with a note for them; it moves when they accept. */
export function transferChat(chatId: string, agentId: string, note: string): void {
  const trimmed = note.trim();
  sendFrame({ type: "chat:transfer", chatId, agentId, ...(trimmed ? { note: trimmed } : {}) });
}

/** Asks a colleague into the chat; both stay. */
export function inviteAgent(chatId: string, agentId: string): void {
  sendFrame({ type: "chat:invite", chatId, agentId });
}

/** Accepts the transfer or invitation offered to me. */
export function joinChat(chatId: string): void {
  sendFrame({ type: "chat:join", chatId });
}

/** Declines the transfer or invitation offered to me. */
export function declineOffer(chatId: string): void {
  sendFrame({ type: "chat:decline", chatId });
}
