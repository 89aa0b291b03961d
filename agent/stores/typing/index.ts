import { atom } from "nanostores";
import type { AgentChatTypingFrame, ChatAgent, ChatAuthor } from "../../../protocol/chat.ts";

/** Who is typing in a chat: the visitor's live preview ("" when not typing) and colleagues. */
export type ChatTyping = { visitor: string; agents: readonly ChatAgent[] };

/** Typing in each chat, by chat id; chats where nobody types are absent. */
export const $typing = atom<ReadonlyMap<string, ChatTyping>>(new Map());

function change(chatId: string, edit: (typing: ChatTyping) => ChatTyping): void {
  const all = $typing.get();
  const next = edit(all.get(chatId) ?? { visitor: "", agents: [] });
  const copy = new Map(all);
  if (next.visitor || next.agents.length > 0) copy.set(chatId, next);
  else copy.delete(chatId);
  $typing.set(copy);
}

/** Takes a `chat:typing` frame; my own typing (echoed to my other tabs) is not shown. */
export function receiveTyping(frame: AgentChatTypingFrame, me: string | null): void {
  if ("visitor" in frame) {
    change(frame.chatId, (typing) => ({ ...typing, visitor: frame.visitor.text }));
    return;
  }
  if (frame.agent.id === me) return;
  change(frame.chatId, (typing) => ({
    ...typing,
    agents: [
      ...typing.agents.filter((agent) => agent.id !== frame.agent.id),
      ...(frame.typing ? [frame.agent] : []),
    ],
  }));
}

/** A message arrived: its author has stopped typing it. */
export function stopTypingOf(chatId: string, author: ChatAuthor): void {
  if (author.kind === "system") return;
  change(chatId, (typing) =>
    author.kind === "visitor"
      ? { ...typing, visitor: "" }
      : { ...typing, agents: typing.agents.filter((agent) => agent.id !== author.agentId) },
  );
}

/** Forgets who is typing: on sign-out, and after a reconnect (stops may have been missed). */
export function resetTyping(): void {
  $typing.set(new Map());
}
