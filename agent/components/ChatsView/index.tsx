import { useStore } from "@nanostores/preact";
import { $chatNotice, dismissChatNotice } from "../../stores/chats/index.ts";
import { $openChat } from "../../stores/conversation/index.ts";
import { ChatList } from "../ChatList/index.tsx";
import { ChatTabs } from "../ChatTabs/index.tsx";
import { Conversation } from "../Conversation/index.tsx";

/** The chats page: the tabs and their list, with the open conversation beside them. */
export function ChatsView() {
  const chat = useStore($openChat);
  const notice = useStore($chatNotice);
  return (
    <main class="chats-view">
      <section class="chat-sidebar" aria-label="Chats">
        <ChatTabs />
        {notice && (
          <p class="form-error chat-notice" role="alert" data-testid="chat-notice">
            {notice}
            <button type="button" class="quiet" aria-label="Dismiss" onClick={dismissChatNotice}>
              ×
            </button>
          </p>
        )}
        <ChatList />
      </section>
      {chat ? (
        <Conversation key={chat.id} chat={chat} />
      ) : (
        <p class="empty conversation-empty" data-testid="conversation-empty">
          Pick a chat on the left.
        </p>
      )}
    </main>
  );
}
