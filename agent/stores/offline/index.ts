import { atom, computed } from "nanostores";
import type {
  OfflineMessage,
  OfflineMessageStatus,
  OfflineMessagesFrame,
} from "../../../protocol/chat.ts";
import { mailtoHref } from "../../format/index.ts";
import { sendFrame } from "../connection/index.ts";
import { showView } from "../view/index.ts";

/** The Offline messages page's tabs: open (unread and read) and done. */
export type OfflineFilter = "open" | "done";

/** The site's latest offline messages, newest first, kept live by the relay. */
export const $offlineMessages = atom<readonly OfflineMessage[]>([]);
/** How many of the site's offline messages no agent has opened yet: the nav badge. */
export const $offlineUnread = atom(0);
export const $offlineFilter = atom<OfflineFilter>("open");
/** The message shown in full, by id. */
export const $openedOfflineId = atom<string | null>(null);

/** The messages the current tab lists. */
export const $filteredOfflineMessages = computed(
  [$offlineMessages, $offlineFilter],
  (messages, filter) =>
    messages.filter((message) => (message.status === "done") === (filter === "done")),
);

export const $openedOfflineMessage = computed(
  [$offlineMessages, $openedOfflineId],
  (messages, id) => messages.find((message) => message.id === id) ?? null,
);

/** Takes an `offline-messages` frame: the whole list, or new and changed messages. */
export function applyOfflineFrame(frame: OfflineMessagesFrame): void {
  const byId = new Map(frame.full ? [] : $offlineMessages.get().map((m) => [m.id, m]));
  for (const message of frame.messages) byId.set(message.id, message);
  $offlineMessages.set([...byId.values()].sort((a, b) => b.at - a.at));
  $offlineUnread.set(frame.unread);
}

/** Sets a message's status for every agent; shown here at once, confirmed by the relay. */
export function markOfflineMessage(id: string, status: OfflineMessageStatus): void {
  const message = $offlineMessages.get().find((m) => m.id === id);
  if (!message || message.status === status) return;
  if (!sendFrame({ type: "offline:mark", id, status })) return;
  const unreadChange = status === "unread" ? 1 : message.status === "unread" ? -1 : 0;
  $offlineMessages.set($offlineMessages.get().map((m) => (m.id === id ? { ...m, status } : m)));
  $offlineUnread.set(Math.max(0, $offlineUnread.get() + unreadChange));
}

/** Shows a message in full; the first agent to open it marks it read for everyone. */
export function openOfflineMessage(id: string): void {
  $openedOfflineId.set(id);
  const message = $offlineMessages.get().find((m) => m.id === id);
  if (message?.status === "unread") markOfflineMessage(id, "read");
  if (message) $offlineFilter.set(message.status === "done" ? "done" : "open");
}

/** Goes to the Offline messages page with this message open (from a visitor's profile). */
export function showOfflineMessage(id: string): void {
  openOfflineMessage(id);
  showView("offline");
}

export function setOfflineFilter(filter: OfflineFilter): void {
  $offlineFilter.set(filter);
}

/** Forgets the last session's messages. */
export function resetOffline(): void {
  $offlineMessages.set([]);
  $offlineUnread.set(0);
  $offlineFilter.set("open");
  $openedOfflineId.set(null);
}

/**
 * A `mailto:` link answering the message: to its email, with a subject naming the site and the
 * message quoted below an empty first paragraph.
 *
 * @example replyLink(message, "Demo shop") // "mailto:ann@example.com?subject=..."
 */
export function replyLink(message: Pick<OfflineMessage, "email" | "name" | "text">, site: string) {
  const quoted = message.text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const subject = `Re: your message to ${site}`;
  const body = `Hi ${message.name},\n\n\n\nYou wrote:\n${quoted}\n`;
  return `${mailtoHref(message.email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
