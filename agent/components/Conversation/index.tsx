import { useStore } from "@nanostores/preact";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { isMine } from "../../stores/chats/index.ts";
import { $agentId } from "../../stores/session/index.ts";
import { Composer } from "../Composer/index.tsx";
import { ConversationHeader } from "../ConversationHeader/index.tsx";
import { MessageList } from "../MessageList/index.tsx";
import { OfferBanner } from "../OfferBanner/index.tsx";
import { PointerPanel } from "../PointerPanel/index.tsx";
import { TypingIndicator } from "../TypingIndicator/index.tsx";

const CLOSED: Partial<Record<ChatSummary["status"], string>> = {
  resolved:
    "Resolved. A new message from the visitor reopens it as a request; a reply from you makes it yours again.",
  missed:
    "Nobody answered in time; the visitor was offered the offline form. A reply from you makes it yours.",
};

/**
 * The open chat: who and where the visitor is, the messages, who is typing, and the composer
 * for a chat I am in, a request or a closed chat (replying takes it); a colleague's chat is
 * read-only.
 */
export function Conversation({ chat }: { chat: ChatSummary }) {
  const me = useStore($agentId);
  const writable = chat.status !== "active" || isMine(chat, me);
  const offered = chat.offer && chat.offer.to === me ? chat.offer : null;
  return (
    <section
      class="conversation"
      aria-label={`Chat with ${chat.visitorName}`}
      data-testid="conversation"
      data-chat-id={chat.id}
      data-status={chat.status}
    >
      <ConversationHeader chat={chat} />
      {offered && <OfferBanner chatId={chat.id} offer={offered} />}
      <MessageList chat={chat} />
      <TypingIndicator chatId={chat.id} />
      <PointerPanel />
      {CLOSED[chat.status] && (
        <p class="conversation-closed muted" data-testid="conversation-closed">
          {CLOSED[chat.status]}
        </p>
      )}
      {writable ? (
        <Composer chat={chat} />
      ) : (
        <p class="conversation-closed muted" data-testid="conversation-readonly">
          A colleague is handling this chat.
        </p>
      )}
    </section>
  );
}
