import { useStore } from "@nanostores/preact";
import type { OfflineMessage } from "../../../protocol/chat.ts";
import { formatDayTime, OFFLINE_STATUS_LABELS } from "../../format/index.ts";
import { markOfflineMessage, replyLink } from "../../stores/offline/index.ts";
import { $roster } from "../../stores/roster/index.ts";
import { showVisitor } from "../../stores/selection/index.ts";
import { $session } from "../../stores/session/index.ts";
import { MessageText } from "../MessageText/index.tsx";
import { UrlText } from "../UrlText/index.tsx";

/**
 * An offline message in full, with the way to answer it by email, to mark it done, and to the
 * visitor's profile while the visitor is in the live list.
 */
export function OfflineMessageCard({ message }: { message: OfflineMessage }) {
  const site = useStore($session)?.site.name ?? "us";
  const done = message.status === "done";
  const visitor = useStore($roster).byId.get(message.visitorId);
  return (
    <section
      class="conversation offline-card"
      aria-labelledby="offline-card-name"
      data-testid="offline-card"
    >
      <header class="conversation-head">
        <div class="conversation-who">
          <div class="conversation-title">
            <h2 id="offline-card-name" title={message.name} data-testid="offline-card-name">
              {message.name}
            </h2>
            <span class="chat-status" data-testid="offline-card-status">
              {OFFLINE_STATUS_LABELS[message.status]}
            </span>
          </div>
        </div>
        <div class="conversation-actions">
          <a class="button" href={replyLink(message, site)} data-testid="offline-reply">
            Reply by email
          </a>
          <button
            type="button"
            onClick={() => markOfflineMessage(message.id, done ? "read" : "done")}
            data-testid={done ? "offline-undo" : "offline-done"}
          >
            {done ? "Undo done" : "Mark done"}
          </button>
        </div>
      </header>
      <dl class="facts offline-facts">
        <dt>Email</dt>
        <dd data-testid="offline-card-email">{message.email}</dd>
        {message.phone && (
          <>
            <dt>Phone</dt>
            <dd data-testid="offline-card-phone">{message.phone}</dd>
          </>
        )}
        <dt>Sent</dt>
        <dd>{formatDayTime(message.at)}</dd>
        <dt>Visitor</dt>
        <dd>
          {visitor ? (
            <button
              type="button"
              class="quiet inline-link"
              onClick={() => showVisitor(visitor.id)}
              data-testid="offline-card-visitor"
            >
              {visitor.name}
            </button>
          ) : (
            message.visitorName
          )}
        </dd>
        {message.page && (
          <>
            <dt>Page</dt>
            <dd>
              <UrlText url={message.page.url} testId="offline-card-page" />
            </dd>
          </>
        )}
      </dl>
      <div class="offline-text" data-testid="offline-card-text">
        <MessageText text={message.text} />
      </div>
    </section>
  );
}
