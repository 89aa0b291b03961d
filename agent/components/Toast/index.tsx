import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import {
  acceptFromToast,
  declineFromToast,
  dismissToast,
  ignoreFromToast,
  quickReply,
  type Toast as ToastData,
  toastTitle,
} from "../../stores/notifications/index.ts";
import { UrlText } from "../UrlText/index.tsx";

/**
 * One notification: who, where and what they wrote, and what to do. A request offers Accept,
 * Quick reply (answered from here; replying takes the chat) and Ignore; a chat assigned to me
 * Accept and Ignore; a transfer or an invitation Accept and Decline.
 */
export function Toast({ toast }: { toast: ToastData }) {
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState("");
  const offer = toast.kind === "transfer" || toast.kind === "invite";

  const onReply = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    quickReply(toast, reply);
  };

  return (
    <article
      class={`toast toast-${toast.kind}`}
      data-testid="toast"
      data-kind={toast.kind}
      data-chat-id={toast.chatId}
    >
      <header class="toast-head">
        <strong>{toastTitle(toast)}</strong>
        <button
          type="button"
          class="quiet"
          aria-label="Close"
          onClick={() => dismissToast(toast.id)}
          data-testid="toast-dismiss"
        >
          ×
        </button>
      </header>
      <p class="toast-visitor" title={toast.visitorName} data-testid="toast-visitor">
        {toast.visitorName}
      </p>
      {toast.url && <UrlText url={toast.url} testId="toast-url" />}
      {toast.text && (
        <p class="toast-text" title={toast.text} data-testid="toast-text">
          {toast.text}
        </p>
      )}
      <div class="toast-actions">
        <button
          type="button"
          class="primary"
          onClick={() => acceptFromToast(toast)}
          data-testid="toast-accept"
        >
          Accept
        </button>
        {toast.kind === "request" && (
          <button
            type="button"
            aria-expanded={replying}
            onClick={() => setReplying(!replying)}
            data-testid="toast-quick-reply"
          >
            Quick reply
          </button>
        )}
        {!offer && (
          <button type="button" onClick={() => ignoreFromToast(toast)} data-testid="toast-ignore">
            Ignore
          </button>
        )}
        {offer && (
          <button type="button" onClick={() => declineFromToast(toast)} data-testid="toast-decline">
            Decline
          </button>
        )}
      </div>
      {replying && (
        <form class="toast-reply" onSubmit={onReply}>
          <input
            aria-label={`Reply to ${toast.visitorName}`}
            maxLength={MESSAGE_LENGTH}
            value={reply}
            onInput={(event) => setReply(event.currentTarget.value)}
            // biome-ignore lint/a11y/noAutofocus: the agent just asked to type a reply here
            autoFocus
            data-testid="toast-reply-input"
          />
          <button
            type="submit"
            class="primary"
            disabled={!reply.trim()}
            data-testid="toast-reply-send"
          >
            Send
          </button>
        </form>
      )}
    </article>
  );
}
