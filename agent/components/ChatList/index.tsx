import { useStore } from "@nanostores/preact";
import { $chatTab, $visibleChats } from "../../stores/chats/index.ts";
import { $openChatId } from "../../stores/conversation/index.ts";
import { ChatRow } from "../ChatRow/index.tsx";

const EMPTY = {
  requests: "No one is waiting.",
  active: "No chats of yours are open.",
  resolved: "No resolved chats yet.",
} as const;

/** The current tab's chats, latest activity first. */
export function ChatList() {
  const chats = useStore($visibleChats);
  const tab = useStore($chatTab);
  const openId = useStore($openChatId);
  return (
    <div class="chat-list" role="tabpanel" data-testid="chat-list" data-tab={tab}>
      {chats.length === 0 && (
        <p class="empty" data-testid="chat-list-empty">
          {EMPTY[tab]}
        </p>
      )}
      {chats.map((chat) => (
        <ChatRow key={chat.id} chat={chat} open={chat.id === openId} />
      ))}
    </div>
  );
}
