import { useStore } from "@nanostores/preact";
import {
  $filteredOfflineMessages,
  $offlineFilter,
  $offlineMessages,
  $openedOfflineMessage,
  type OfflineFilter,
  setOfflineFilter,
} from "../../stores/offline/index.ts";
import { OfflineMessageCard } from "../OfflineMessageCard/index.tsx";
import { OfflineRow } from "../OfflineRow/index.tsx";

const FILTERS: readonly [OfflineFilter, string][] = [
  ["open", "Open"],
  ["done", "Done"],
];

/** The offline messages page: open and done ones, newest first, with the opened one beside. */
export function OfflineView() {
  const filter = useStore($offlineFilter);
  const all = useStore($offlineMessages);
  const listed = useStore($filteredOfflineMessages);
  const opened = useStore($openedOfflineMessage);
  const doneCount = all.filter((message) => message.status === "done").length;
  const counts = { open: all.length - doneCount, done: doneCount };
  return (
    <main class="chats-view">
      <section class="chat-sidebar" aria-label="Offline messages">
        <div class="chat-tabs" role="tablist" aria-label="Offline message lists">
          {FILTERS.map(([tab, label]) => (
            <button
              key={tab}
              type="button"
              role="tab"
              class="chat-tab"
              aria-selected={tab === filter}
              onClick={() => setOfflineFilter(tab)}
              data-testid={`offline-filter-${tab}`}
            >
              {label} <span class="chat-tab-count">{counts[tab]}</span>
            </button>
          ))}
        </div>
        <div class="chat-list" data-testid="offline-list">
          {listed.length === 0 ? (
            <p class="empty">{filter === "open" ? "No open messages." : "Nothing done yet."}</p>
          ) : (
            listed.map((message) => (
              <OfflineRow key={message.id} message={message} open={message.id === opened?.id} />
            ))
          )}
        </div>
      </section>
      {opened ? (
        <OfflineMessageCard key={opened.id} message={opened} />
      ) : (
        <p class="empty conversation-empty">Pick a message on the left.</p>
      )}
    </main>
  );
}
