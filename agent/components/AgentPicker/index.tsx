import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import { inviteAgent, transferChat } from "../../stores/chats/index.ts";
import { $colleagues } from "../../stores/presence/index.ts";
import { PresenceDot, presenceLabel } from "../PresenceDot/index.tsx";

type AgentPickerProps = { mode: "transfer" | "invite"; chat: ChatSummary; onClose: () => void };

/**
 * Picks a colleague to transfer the chat to (with a note for them) or to invite in. Offline
 * colleagues cannot answer, so they cannot be picked; nor can those already in the chat.
 * A modal dialog: above the toasts, and Escape closes it.
 */
export function AgentPicker({ mode, chat, onClose }: AgentPickerProps) {
  const colleagues = useStore($colleagues);
  const [picked, setPicked] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const shown = dialog.current;
    if (shown && !shown.open) shown.showModal();
    return () => shown?.close();
  }, []);
  const title = mode === "transfer" ? "Transfer to a colleague" : "Invite a colleague";

  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!picked) return;
    if (mode === "transfer") transferChat(chat.id, picked, note);
    else inviteAgent(chat.id, picked);
    onClose();
  };

  return (
    <dialog
      ref={dialog}
      class="agent-picker"
      aria-label={title}
      onClose={onClose}
      data-testid="agent-picker"
      data-mode={mode}
    >
      <form method="dialog" class="agent-picker-form" onSubmit={onSubmit}>
        <h3>{title}</h3>
        {colleagues.length === 0 && <p class="muted">No colleagues on this site yet.</p>}
        <ul class="agent-options">
          {colleagues.map((agent) => {
            const unavailable = agent.status === "offline" || chat.participants.includes(agent.id);
            return (
              <li key={agent.id}>
                <label
                  class="agent-option"
                  data-testid="agent-option"
                  data-agent-id={agent.id}
                  data-status={agent.status}
                >
                  <input
                    type="radio"
                    name="agent"
                    value={agent.id}
                    disabled={unavailable}
                    checked={picked === agent.id}
                    onChange={() => setPicked(agent.id)}
                  />
                  <PresenceDot status={agent.status} />
                  <span class="agent-option-name">{agent.name}</span>
                  <span class="muted">{presenceLabel(agent.status)}</span>
                </label>
              </li>
            );
          })}
        </ul>
        {mode === "transfer" && (
          <label class="agent-picker-note">
            Note for your colleague (optional)
            <textarea
              rows={2}
              maxLength={LABEL_LENGTH * 2}
              value={note}
              onInput={(event) => setNote(event.currentTarget.value)}
              data-testid="agent-picker-note"
            />
          </label>
        )}
        <div class="agent-picker-actions">
          <button
            type="submit"
            class="primary"
            disabled={!picked}
            data-testid="agent-picker-submit"
          >
            {mode === "transfer" ? "Transfer" : "Invite"}
          </button>
          <button type="button" onClick={onClose} data-testid="agent-picker-cancel">
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
