import { formatTime } from "../../format/index.ts";
import type { TimelineMessage } from "../../stores/conversation/index.ts";
import { discardMessage } from "../../stores/outbox/index.ts";
import { MessageFile } from "../MessageFile/index.tsx";
import { MessageText } from "../MessageText/index.tsx";
import { UrlText } from "../UrlText/index.tsx";

const STATE_LABELS = {
  pending: "Sending…",
  delivered: "✓ Delivered",
  read: "✓✓ Read",
  failed: "Not sent",
} as const;

/**
 * One message: the visitor's on the left, agents' on the right, system lines centred, private
 * notes marked as only agents see them; mine carry their delivery mark.
 */
export function MessageItem({
  message,
  visitorName,
}: {
  message: TimelineMessage;
  visitorName: string;
}) {
  const { author } = message;
  if (author.kind === "system") {
    return (
      <li class="message message-system" data-testid="message" data-author="system">
        <MessageText text={message.text} />
      </li>
    );
  }
  const who = author.kind === "visitor" ? visitorName : message.mine ? "You" : author.name;
  const classes = [
    "message",
    `message-${author.kind}`,
    message.mine ? "message-mine" : "",
    message.note ? "message-note" : "",
  ].join(" ");
  return (
    <li
      class={classes}
      data-testid="message"
      data-message-id={message.id}
      data-author={author.kind}
      data-note={message.note ? "true" : undefined}
      data-state={message.state ?? undefined}
    >
      <div class="message-meta">
        <span class="message-author" title={who}>
          {who}
        </span>
        <time dateTime={new Date(message.at).toISOString()}>{formatTime(message.at)}</time>
        {message.note && (
          <span class="note-label" data-testid="message-note-label">
            Only agents see this
          </span>
        )}
      </div>
      <div class="message-body">
        {message.text && <MessageText text={message.text} />}
        {message.file && <MessageFile file={message.file} />}
        {message.pointer && (
          <p class="message-pointer muted" data-testid="message-pointer">
            Points at {message.pointer.tag}
            {message.pointer.text && ` “${message.pointer.text}”`} on{" "}
            <UrlText url={message.pointer.url} />
          </p>
        )}
      </div>
      {message.state && (
        <div class={`message-status message-status-${message.state}`}>
          <span data-testid="message-status" data-state={message.state}>
            {STATE_LABELS[message.state]}
          </span>
          {message.error && <span>: {message.error} </span>}
          {message.state === "failed" && (
            <button
              type="button"
              class="quiet"
              onClick={() => discardMessage(message.id)}
              data-testid="message-discard"
            >
              Discard
            </button>
          )}
        </div>
      )}
    </li>
  );
}
