import { useStore } from "@nanostores/preact";
import {
  $filteredOfflineMessages,
  $offlineFilter,
  $offlineMessages,
  $openedOfflineMessage,
  type OfflineFilter,
  setOfflineFilter,
} from "../../stores/offline/index.ts";
import { ListTabs } from "../ListTabs/index.tsx";
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
        <ListTabs
          tabs={FILTERS}
          current={filter}
          counts={counts}
          onSelect={setOfflineFilter}
          label="Offline message lists"
          name="offline-filter"
        />
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
