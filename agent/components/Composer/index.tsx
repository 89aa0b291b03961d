import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { CannedResponse, ChatSummary } from "../../../protocol/chat.ts";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import {
  $canned,
  cannedMatches,
  insertCanned,
  loadCanned,
  slashQuery,
} from "../../stores/canned/index.ts";
import { showChatTab } from "../../stores/chats/index.ts";
import { noteComposing, stopComposing } from "../../stores/composing/index.ts";
import { $drafts, draftOf, setDraft } from "../../stores/drafts/index.ts";
import { sendMessage } from "../../stores/outbox/index.ts";
import { $uploads, dismissUpload, sendFile } from "../../stores/uploads/index.ts";
import { CannedPicker } from "../CannedPicker/index.tsx";
import { EmojiPicker } from "../EmojiPicker/index.tsx";

/** What the relay accepts (it checks the content): images, PDF and plain text. */
const UPLOAD_TYPES = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain";

/**
 * Writes to the chat: Enter sends, Shift+Enter breaks the line; `/` picks a canned response;
 * emoji and files; the Note switch makes a private note only agents see. The draft is kept
 * per chat. Typing is reported to the visitor, but never while writing a note.
 */
export function Composer({ chat }: { chat: ChatSummary }) {
  // The text lives in component state, which re-renders before the next key; the drafts store
  // keeps a copy per chat (it re-renders its listeners a task later: too late for a textarea).
  const [draft, setText] = useState(() => draftOf($drafts.get(), chat.id));
  const canned = useStore($canned);
  const uploads = useStore($uploads).filter((upload) => upload.chatId === chat.id);
  const [note, setNote] = useState(false);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [pickerDismissed, setPickerDismissed] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const files = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!canned.loaded) void loadCanned();
  }, [canned.loaded]);
  useEffect(() => () => stopComposing(chat.id), [chat.id]);

  const query = slashQuery(draft);
  const matches = useMemo(
    () =>
      query === null || pickerDismissed === draft ? [] : cannedMatches(canned.responses, query),
    [query, pickerDismissed, draft, canned.responses],
  );
  const pickerOpen = query !== null && pickerDismissed !== draft;

  const edit = (text: string) => {
    setText(text);
    setDraft(chat.id, text);
    setHighlight(0);
    if (note) return;
    if (text) noteComposing(chat.id);
    else stopComposing(chat.id);
  };

  const focusAt = (caret: number) =>
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(caret, caret);
    });

  const pickCanned = (response: CannedResponse) => {
    const text = insertCanned(draft, response);
    edit(text);
    focusAt(text.length);
  };

  const insertEmoji = (emoji: string) => {
    const field = input.current;
    const start = field?.selectionStart ?? draft.length;
    const end = field?.selectionEnd ?? draft.length;
    edit(draft.slice(0, start) + emoji + draft.slice(end));
    setEmojiOpen(false);
    focusAt(start + emoji.length);
  };

  const send = () => {
    const text = (input.current?.value ?? draft).trim();
    if (!text) return;
    sendMessage(chat.id, { text, ...(note ? { note: true } : {}) });
    edit("");
    // Replying to a request or a closed chat takes it: follow it to Active.
    if (chat.status !== "active" && !note) showChatTab("active");
  };

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (event.isComposing) return;
    if (pickerOpen && matches.length > 0) {
      const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
      if (step) {
        event.preventDefault();
        setHighlight((highlight + step + matches.length) % matches.length);
        return;
      }
      const chosen = matches[highlight];
      if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && chosen) {
        event.preventDefault();
        pickCanned(chosen);
        return;
      }
    }
    if (pickerOpen && event.key === "Escape") {
      event.preventDefault();
      setPickerDismissed(draft);
      return;
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  const onFile = (event: JSX.TargetedEvent<HTMLInputElement>) => {
    const picked = [...(event.currentTarget.files ?? [])];
    event.currentTarget.value = "";
    for (const file of picked) void sendFile(chat.id, file, note ? { note: true } : {});
  };

  return (
    <div class={`composer${note ? " composer-note" : ""}`} data-testid="composer">
      {pickerOpen && (
        <CannedPicker
          matches={matches}
          highlight={highlight}
          onPick={pickCanned}
          loaded={canned.loaded}
        />
      )}
      {emojiOpen && <EmojiPicker onPick={insertEmoji} />}
      {uploads.map((upload) => (
        <p
          key={upload.id}
          class={upload.error ? "form-error upload-status" : "muted upload-status"}
          data-testid="upload-status"
          data-state={upload.error ? "failed" : "uploading"}
        >
          {upload.error ? `${upload.name}: ${upload.error}` : `Uploading ${upload.name}…`}
          {upload.error && (
            <button type="button" class="quiet" onClick={() => dismissUpload(upload.id)}>
              Dismiss
            </button>
          )}
        </p>
      ))}
      {note && (
        <p class="note-label composer-note-label" data-testid="composer-note-label">
          Private note: only agents see this
        </p>
      )}
      <textarea
        ref={input}
        class="composer-input"
        rows={3}
        maxLength={MESSAGE_LENGTH}
        placeholder={note ? "Write a private note…" : "Write a reply… (/ for canned responses)"}
        aria-label={note ? "Private note" : "Reply"}
        value={draft}
        onInput={(event) => edit(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        data-testid="composer-input"
      />
      <div class="composer-tools">
        <button
          type="button"
          class={`quiet note-toggle${note ? " note-toggle-on" : ""}`}
          aria-pressed={note}
          onClick={() => {
            if (!note) stopComposing(chat.id);
            setNote(!note);
          }}
          data-testid="composer-note-toggle"
        >
          Note
        </button>
        <button
          type="button"
          class="quiet"
          aria-label="Emoji"
          aria-expanded={emojiOpen}
          onClick={() => setEmojiOpen(!emojiOpen)}
          data-testid="composer-emoji"
        >
          🙂
        </button>
        <button
          type="button"
          class="quiet"
          onClick={() => files.current?.click()}
          data-testid="composer-attach"
        >
          Attach
        </button>
        <input
          ref={files}
          type="file"
          class="visually-hidden"
          tabIndex={-1}
          accept={UPLOAD_TYPES}
          onChange={onFile}
          data-testid="composer-file"
        />
        <span class="topbar-spacer" />
        <button
          type="button"
          class="primary"
          disabled={!draft.trim()}
          onClick={send}
          data-testid="composer-send"
        >
          {note ? "Add note" : "Send"}
        </button>
      </div>
    </div>
  );
}
