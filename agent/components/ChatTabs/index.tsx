import { useStore } from "@nanostores/preact";
import { $chatLists, $chatTab, type ChatTab, showChatTab } from "../../stores/chats/index.ts";

const TABS: readonly [ChatTab, string][] = [
  ["requests", "Requests"],
  ["active", "Active"],
  ["resolved", "Resolved"],
];

/** Requests, Active and Resolved, each with how many chats it holds. */
export function ChatTabs() {
  const current = useStore($chatTab);
  const lists = useStore($chatLists);
  return (
    <div class="chat-tabs" role="tablist" aria-label="Chat lists">
      {TABS.map(([tab, label]) => (
        <button
          key={tab}
          type="button"
          role="tab"
          class="chat-tab"
          aria-selected={tab === current}
          onClick={() => showChatTab(tab)}
          data-testid={`chat-tab-${tab}`}
        >
          {label} <span class="chat-tab-count">{lists[tab].length}</span>
        </button>
      ))}
    </div>
  );
}
