import { useStore } from "@nanostores/preact";
import type { OfflineMessage } from "../../../protocol/chat.ts";
import { formatListTime } from "../../format/index.ts";
import { $now } from "../../stores/clock/index.ts";
import { openOfflineMessage } from "../../stores/offline/index.ts";

/** One offline message in the list: who, when, the start of the text; bold while unread. */
export function OfflineRow({ message, open }: { message: OfflineMessage; open: boolean }) {
  const now = useStore($now);
  const unread = message.status === "unread";
  return (
    <div
      class={`chat-row${open ? " chat-row-open" : ""}${unread ? " offline-row-unread" : ""}`}
      data-testid="offline-row"
      data-offline-id={message.id}
      data-status={message.status}
    >
      <button
        type="button"
        class="chat-row-main"
        aria-current={open ? "true" : undefined}
        onClick={() => openOfflineMessage(message.id)}
      >
        <span class="chat-row-top">
          <span class="chat-row-name" data-testid="offline-row-name">
            {message.name}
          </span>
          {unread && <span class="unread-badge">Unread</span>}
          <span class="chat-row-time">{formatListTime(message.at, now)}</span>
        </span>
        <span class="chat-row-bottom">
          <span class="chat-row-last" data-testid="offline-row-text">
            {message.text}
          </span>
        </span>
      </button>
    </div>
  );
}
