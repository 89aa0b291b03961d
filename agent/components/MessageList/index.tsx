import { useStore } from "@nanostores/preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { useDocumentVisible } from "../../hooks/useDocumentVisible.ts";
import { useStickToBottom } from "../../hooks/useStickToBottom.ts";
import { $openConversation, markRead, timelineOf } from "../../stores/conversation/index.ts";
import { $outbox } from "../../stores/outbox/index.ts";
import { $session } from "../../stores/session/index.ts";
import { MessageItem } from "../MessageItem/index.tsx";

/**
 * The open conversation's messages, mine on their way included, pinned to the latest; while
 * the console is on screen each new message is reported read.
 */
export function MessageList({ chat }: { chat: ChatSummary }) {
  const conversation = useStore($openConversation);
  const outbox = useStore($outbox);
  const session = useStore($session);
  const visible = useDocumentVisible();
  const list = useRef<HTMLOListElement>(null);
  const me = session ? { id: session.agent.id, name: session.agent.name } : null;

  const messages = useMemo(
    () =>
      conversation && me
        ? timelineOf(
            conversation,
            outbox.filter((message) => message.chatId === chat.id),
            me,
          )
        : [],
    [conversation, outbox, chat.id, me?.id, me?.name],
  );
  const onScroll = useStickToBottom(list, messages.length);
  const lastId = conversation?.messages.at(-1)?.id;

  useEffect(() => {
    if (visible && lastId) markRead(chat.id);
  }, [chat.id, chat.status, lastId, visible]);

  return (
    <ol
      ref={list}
      class="message-list"
      onScroll={onScroll}
      aria-busy={conversation?.loading ?? true}
      aria-live="polite"
      data-testid="message-list"
      data-state={conversation?.loading ? "loading" : "ready"}
    >
      {!conversation?.loading && messages.length === 0 && <li class="empty">No messages yet.</li>}
      {messages.map((message) => (
        <MessageItem key={message.id} message={message} visitorName={chat.visitorName} />
      ))}
    </ol>
  );
}
