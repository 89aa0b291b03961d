import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { CannedResponse } from "../../../protocol/chat.ts";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import { type CannedState, saveCanned } from "../../stores/canned/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** Admins edit the site's canned responses here and save them all at once. */
export function CannedEditor({ state }: { state: CannedState }) {
  const [rows, setRows] = useState<CannedResponse[]>(() => [...state.responses]);
  const change = (index: number, edit: Partial<CannedResponse>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...edit } : row)));
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void saveCanned(rows.filter((row) => row.shortcut && row.text));
  };
  return (
    <form class="canned-editor" onSubmit={onSubmit} data-testid="canned-editor">
      {rows.length === 0 && <p class="muted">No canned responses yet.</p>}
      {rows.map((row, index) => (
        <div class="canned-row" key={index} data-testid="canned-row">
          <span class="canned-slash">/</span>
          <input
            aria-label="Shortcut"
            required
            pattern="[a-z0-9_\-]{1,32}"
            title="1 to 32 of a-z, 0-9, _ and -"
            maxLength={32}
            value={row.shortcut}
            onInput={(event) =>
              change(index, { shortcut: event.currentTarget.value.toLowerCase() })
            }
            data-testid="canned-shortcut"
          />
          <textarea
            aria-label="Text"
            required
            rows={2}
            maxLength={MESSAGE_LENGTH}
            value={row.text}
            onInput={(event) => change(index, { text: event.currentTarget.value })}
            data-testid="canned-text"
          />
          <button
            type="button"
            class="quiet"
            aria-label={`Remove /${row.shortcut}`}
            onClick={() => setRows(rows.filter((_, i) => i !== index))}
            data-testid="canned-remove"
          >
            ×
          </button>
        </div>
      ))}
      <div class="canned-actions">
        <button
          type="button"
          onClick={() => setRows([...rows, { shortcut: "", text: "" }])}
          data-testid="canned-add"
        >
          Add a response
        </button>
        <button type="submit" class="primary" disabled={state.saving} data-testid="canned-save">
          {state.saving ? "Saving…" : "Save responses"}
        </button>
      </div>
      <SaveOutcome state={state} testId="canned" />
    </form>
  );
}
