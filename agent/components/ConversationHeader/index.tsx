import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { acceptChat, isMine, resolveChat, showChatTab } from "../../stores/chats/index.ts";
import { openPointer } from "../../stores/pointer/index.ts";
import { $agents } from "../../stores/presence/index.ts";
import { $roster } from "../../stores/roster/index.ts";
import { $agentId } from "../../stores/session/index.ts";
import { AgentPicker } from "../AgentPicker/index.tsx";
import { UrlText } from "../UrlText/index.tsx";
import { ContactLine, CustomDataList } from "../VisitorIdentity/index.tsx";

const STATUS_LABELS: Record<ChatSummary["status"], string> = {
  requested: "Waiting",
  active: "Active",
  resolved: "Resolved",
  missed: "Missed",
};

/**
 * The visitor (with what they told about themselves while they are in the live list), their
 * page, who is in the chat, and what I can do with it.
 */
export function ConversationHeader({ chat }: { chat: ChatSummary }) {
  const me = useStore($agentId);
  const agents = useStore($agents);
  const [picker, setPicker] = useState<"transfer" | "invite" | null>(null);
  const nameOf = (id: string) => agents.find((agent) => agent.id === id)?.name ?? "a colleague";
  const mine = isMine(chat, me);
  const outgoingOffer = chat.offer && chat.offer.from === me ? chat.offer : null;
  const others = chat.participants.filter((id) => id !== me);
  // A chat's id is its visitor's: what they told about themselves is in the live list.
  const visitor = useStore($roster).byId.get(chat.id);
  const customDataCount = Object.keys(visitor?.customData ?? {}).length;
  return (
    <header class="conversation-head">
      <div class="conversation-who">
        <div class="conversation-title">
          <h2 title={chat.visitorName} data-testid="conversation-visitor">
            {chat.visitorName}
          </h2>
          <span class={`chat-status chat-status-${chat.status}`} data-testid="conversation-status">
            {STATUS_LABELS[chat.status]}
          </span>
        </div>
        {chat.page && <UrlText url={chat.page.url} testId="conversation-page" />}
        <ContactLine contact={visitor?.contact} testId="conversation-contact" />
        {(others.length > 0 || outgoingOffer) && (
          <p class="conversation-meta muted">
            {others.length > 0 && (
              <span data-testid="conversation-agents">With {others.map(nameOf).join(", ")}</span>
            )}
            {outgoingOffer && (
              <span data-testid="conversation-offer-pending">
                {outgoingOffer.kind === "transfer" ? "Transfer" : "Invitation"} waiting for{" "}
                {nameOf(outgoingOffer.to)}
              </span>
            )}
          </p>
        )}
        {customDataCount > 0 && (
          <details class="conversation-custom-data">
            <summary data-testid="conversation-custom-data-toggle">
              Custom data ({customDataCount})
            </summary>
            <CustomDataList data={visitor?.customData} testId="conversation-custom-data" />
          </details>
        )}
      </div>
      <div class="conversation-actions">
        {chat.status === "requested" && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              acceptChat(chat.id);
              showChatTab("active");
            }}
            data-testid="conversation-accept"
          >
            Accept
          </button>
        )}
        {mine && chat.assigneeId === me && (
          <button
            type="button"
            onClick={() => setPicker("transfer")}
            data-testid="conversation-transfer"
          >
            Transfer
          </button>
        )}
        {mine && (
          <button
            type="button"
            onClick={() => setPicker("invite")}
            data-testid="conversation-invite"
          >
            Invite
          </button>
        )}
        {mine && (
          <button
            type="button"
            onClick={() => openPointer(chat)}
            disabled={!chat.page}
            title={
              chat.page
                ? "Point at something on the visitor's page"
                : "The visitor's page is not known yet"
            }
            data-testid="conversation-pointer"
          >
            Pointer
          </button>
        )}
        {(mine || chat.status === "requested") && (
          <button
            type="button"
            onClick={() => resolveChat(chat.id)}
            data-testid="conversation-resolve"
          >
            Resolve
          </button>
        )}
      </div>
      {picker && mine && <AgentPicker mode={picker} chat={chat} onClose={() => setPicker(null)} />}
    </header>
  );
}
