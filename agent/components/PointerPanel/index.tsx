import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import { POINTER_FRAME_NAME } from "../../../protocol/pointer-handshake.ts";
import {
  $pointer,
  closePointer,
  type PointerPhase,
  receiveFrameMessage,
  sendPointer,
} from "../../stores/pointer/index.ts";
import { UrlText } from "../UrlText/index.tsx";

const STATUS: Record<PointerPhase, string> = {
  token: "Getting ready…",
  framing: "Opening the visitor's page…",
  picking: "Hover over the page and click what you want to show the visitor.",
  picked: "Picked. Write what the visitor should know about it, or click something else.",
  silent:
    "This page did not open for pointing. Pages that refuse to be shown inside another site " +
    "(X-Frame-Options or a Content-Security-Policy frame-ancestors rule), pages that need the " +
    "visitor's login, and pages without the Parley snippet cannot be pointed at. Describe the " +
    "place in words instead.",
  failed: "The pointer cannot be used here.",
};

/**
 * The pointer: the visitor's current page in a frame, where the loader runs the picker once it
 * has the console's token; then the picked element, a comment and Send. Only messages from the
 * frame's window and the page's origin are taken, and replies go to that origin alone.
 */
export function PointerPanel() {
  const pointer = useStore($pointer);
  const dialog = useRef<HTMLDialogElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const [comment, setComment] = useState("");
  const url = pointer?.url;
  const showFrame = pointer && pointer.phase !== "token" && pointer.phase !== "failed";

  useEffect(() => {
    const shown = dialog.current;
    if (shown && !shown.open) shown.showModal();
  }, [pointer?.chatId]);

  useEffect(() => {
    if (!url) return;
    const origin = new URL(url).origin;
    const onMessage = (event: MessageEvent) => {
      const window = frame.current?.contentWindow;
      if (!window || event.source !== window || event.origin !== origin) return;
      receiveFrameMessage(event.data, (message) => window.postMessage(message, origin));
    };
    addEventListener("message", onMessage);
    return () => removeEventListener("message", onMessage);
  }, [url]);

  if (!pointer) return null;
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    sendPointer(comment);
    setComment("");
  };
  const target = pointer.target;
  return (
    <dialog
      ref={dialog}
      class="pointer-panel"
      aria-label="Point at something on the visitor's page"
      onClose={closePointer}
      data-testid="pointer-panel"
      data-phase={pointer.phase}
    >
      <header class="pointer-head">
        <h3>Pointer</h3>
        <UrlText url={pointer.url} testId="pointer-url" />
        <button type="button" class="quiet" onClick={closePointer} data-testid="pointer-close">
          Close
        </button>
      </header>
      {showFrame && (
        <iframe
          ref={frame}
          class="pointer-frame"
          name={POINTER_FRAME_NAME}
          src={pointer.url}
          title="The visitor's page"
          sandbox="allow-scripts allow-same-origin allow-forms"
          referrerpolicy="no-referrer"
          data-testid="pointer-frame"
        />
      )}
      <p
        class={
          pointer.phase === "silent" || pointer.phase === "failed" ? "pointer-problem" : "muted"
        }
        role="status"
        data-testid="pointer-status"
      >
        {STATUS[pointer.phase]} {pointer.problem}
      </p>
      {target && (
        <form class="pointer-form" onSubmit={onSubmit}>
          <p data-testid="pointer-target">
            <span class="muted">{target.tag}</span> {target.text && `“${target.text}”`}
          </p>
          <textarea
            aria-label="Comment for the visitor"
            placeholder="What should the visitor know about it?"
            maxLength={MESSAGE_LENGTH}
            rows={2}
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
            data-testid="pointer-comment"
          />
          <button
            type="submit"
            class="primary"
            disabled={!comment.trim()}
            data-testid="pointer-send"
          >
            Send
          </button>
        </form>
      )}
    </dialog>
  );
}
