import { useStore } from "@nanostores/preact";
import { formatDayTime, OFFLINE_STATUS_LABELS } from "../../format/index.ts";
import { $offlineMessages, showOfflineMessage } from "../../stores/offline/index.ts";

/** The visitor's offline messages on their profile; each opens on the Offline messages page. */
export function VisitorOfflineMessages({ visitorId }: { visitorId: string }) {
  const mine = useStore($offlineMessages).filter((message) => message.visitorId === visitorId);
  if (mine.length === 0) return null;
  return (
    <section class="profile-offline" aria-labelledby="profile-offline-title">
      <h3 id="profile-offline-title">Offline messages</h3>
      <ul class="profile-offline-list" data-testid="profile-offline-messages">
        {mine.map((message) => (
          <li key={message.id}>
            <button
              type="button"
              class="quiet profile-offline-item"
              onClick={() => showOfflineMessage(message.id)}
              data-testid="profile-offline-message"
              data-status={message.status}
            >
              <span class="profile-offline-meta">
                {formatDayTime(message.at)} · {OFFLINE_STATUS_LABELS[message.status]}
              </span>
              <span class="profile-offline-text">{message.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
