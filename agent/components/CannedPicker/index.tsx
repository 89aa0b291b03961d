import type { CannedResponse } from "../../../protocol/chat.ts";

type CannedPickerProps = {
  matches: readonly CannedResponse[];
  highlight: number;
  loaded: boolean;
  onPick: (response: CannedResponse) => void;
};

/**
 * The canned responses matching the `/query` being typed. The focus stays in the composer,
 * which moves the highlight with the arrow keys and inserts it with Enter; a click inserts too.
 */
export function CannedPicker({ matches, highlight, loaded, onPick }: CannedPickerProps) {
  return (
    <div class="canned-picker" data-testid="canned-picker">
      {matches.length === 0 && (
        <p class="muted">{loaded ? "No canned response matches." : "Loading canned responses…"}</p>
      )}
      <ul aria-label="Canned responses">
        {matches.map((response, index) => (
          <li key={response.shortcut}>
            <button
              type="button"
              tabIndex={-1}
              class="quiet canned-option"
              aria-current={index === highlight ? "true" : undefined}
              // A mousedown would take the focus from the composer.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(response)}
              data-testid="canned-option"
              data-shortcut={response.shortcut}
            >
              <strong>/{response.shortcut}</strong>
              <span class="canned-option-text">{response.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
