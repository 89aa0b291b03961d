import { useStore } from "@nanostores/preact";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { formatListTime } from "../../format/index.ts";
import { acceptChat } from "../../stores/chats/index.ts";
import { $now } from "../../stores/clock/index.ts";
import { openChat, showConversation } from "../../stores/conversation/index.ts";
import { $agentId } from "../../stores/session/index.ts";

const AUTHOR_PREFIX = { visitor: "", agent: "Agent: ", system: "" } as const;

/**
 * One chat in a list: visitor, channel, the last message and when, unread count, and the
 * offer waiting for me. Requests can be accepted from the row.
 */
export function ChatRow({ chat, open }: { chat: ChatSummary; open: boolean }) {
  const now = useStore($now);
  const me = useStore($agentId);
  const offered = chat.offer && chat.offer.to === me ? chat.offer : null;
  const last = chat.lastMessage;
  return (
    <div
      class={`chat-row${open ? " chat-row-open" : ""}`}
      data-testid="chat-row"
      data-chat-id={chat.id}
      data-status={chat.status}
      data-round={chat.round}
    >
      <button
        type="button"
        class="chat-row-main"
        aria-current={open ? "true" : undefined}
        onClick={() => openChat(chat.id)}
      >
        <span class="chat-row-top">
          <span class="chat-row-name" data-testid="chat-row-name">
            {chat.visitorName}
          </span>
          <span class="channel-badge" data-testid="chat-row-channel">
            {chat.channel === "web" ? "Web" : chat.channel}
          </span>
          {chat.status === "missed" && <span class="missed-badge">Missed</span>}
          <span class="chat-row-time" data-testid="chat-row-time">
            {formatListTime(last?.at ?? chat.updatedAt, now)}
          </span>
        </span>
        <span class="chat-row-bottom">
          <span class="chat-row-last" data-testid="chat-row-last">
            {offered
              ? `${offered.kind === "transfer" ? "Transfer" : "Invitation"} for you${offered.note ? `: ${offered.note}` : ""}`
              : last
                ? AUTHOR_PREFIX[last.author] + last.text
                : "No messages yet"}
          </span>
          {chat.unread > 0 && (
            <span class="count-badge" data-testid="chat-row-unread">
              {chat.unread}
            </span>
          )}
        </span>
      </button>
      {chat.status === "requested" && (
        <button
          type="button"
          class="chat-row-accept"
          onClick={() => {
            acceptChat(chat.id);
            showConversation(chat.id, "active");
          }}
          data-testid="chat-row-accept"
        >
          Accept
        </button>
      )}
    </div>
  );
}
