import { useStore } from "@nanostores/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import { useLazy } from "../../hooks/useLazy.ts";
import { $draft, sendMessage, setDraft } from "../../stores/chat/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $reopened } from "../../stores/ui/index.ts";
import { uploadFile } from "../../stores/upload/index.ts";
import { Icon } from "../Icon/index.tsx";
import { UploadStatus } from "../UploadStatus/index.tsx";

const loadPicker = () => import("../EmojiPicker/index.tsx");

/**
 * Where the visitor writes: Enter sends, Shift+Enter starts a new line; an emoji picker, a
 * file button (images and files up to 10 MB) and a send button, each labelled.
 */
export function Composer() {
  const draft = useStore($draft);
  const t = useStore($strings);
  const [picker, requestPicker] = useLazy(loadPicker);
  const [pickerOpen, setPickerOpen] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);

  // What the field holds, not `draft`: `draft` is as of the last render, and useStore renders a
  // task after each keystroke, so a fast Enter (or a busy page) comes before that render.
  const send = () => {
    const field = input.current;
    if (field && sendMessage(field.value)) {
      // Emptied now rather than at the next render: a key typed meanwhile starts a new message.
      field.value = "";
      setDraft("");
    }
    field?.focus();
  };
  const insert = (emoji: string) => {
    const field = input.current;
    const text = field?.value ?? draft;
    const at = field?.selectionStart ?? text.length;
    const end = field?.selectionEnd ?? at;
    setDraft(text.slice(0, at) + emoji + text.slice(end));
    setPickerOpen(false);
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(at + emoji.length, at + emoji.length);
    });
  };
  const Picker = picker?.EmojiPicker;
  // Coming after the pre-chat form, whose button had the focus: take it (not in a window shown
  // again on a new page, which leaves the focus to the page).
  useEffect(() => {
    const field = input.current;
    if (field && !$reopened.get() && !(field.getRootNode() as ShadowRoot).activeElement) {
      field.focus();
    }
  }, []);

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <UploadStatus />
      {pickerOpen && Picker && (
        <Picker
          label={t.emojiList}
          onPick={insert}
          onClose={() => {
            setPickerOpen(false);
            emojiButton.current?.focus();
          }}
        />
      )}
      <div class="row">
        <textarea
          ref={input}
          data-testid="composer"
          rows={1}
          maxLength={MESSAGE_LENGTH}
          aria-label={t.composer}
          placeholder={t.placeholder}
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button
          ref={emojiButton}
          type="button"
          class="tool"
          aria-label={t.emoji}
          aria-expanded={pickerOpen}
          onClick={() => {
            setPickerOpen(!pickerOpen);
            void requestPicker();
          }}
        >
          <Icon name="smile" />
        </button>
        <button
          type="button"
          class="tool"
          aria-label={t.attach}
          onClick={() => fileInput.current?.click()}
        >
          <Icon name="attach" />
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="file-input"
          onChange={(event) => {
            const field = event.currentTarget;
            for (const file of field.files ?? []) uploadFile(file);
            field.value = "";
          }}
        />
        <button type="submit" class="send" aria-label={t.send} data-testid="send">
          <Icon name="send" />
        </button>
      </div>
    </form>
  );
}
