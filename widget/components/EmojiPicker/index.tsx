import { useEffect, useRef, useState } from "preact/hooks";

/** A small set for customer chats; the picker is a chunk of its own, loaded on first use. */
const EMOJI = [
  ..."😀😃😄😁😆😅😂🙂😉😊😇🥰😍😘😋😜🤔🤗🤩😎😐😴😮😢😭😡🥳😬👍👎👏🙌🙏💪👋🤝👌👀",
  ..."❤💔🔥⭐✨🎉🎁✅❌❓❗💡📦🚚💳🛒📎📷☕🍕🌟🌈",
];

type EmojiPickerProps = {
  label: string;
  onPick(emoji: string): void;
  /** Escape pressed: the picker closes and focus goes back to its button. */
  onClose(): void;
};

/** Where an arrow key, Home or End moves focus from `index` in a grid of `columns`. */
function moveIndex(key: string, index: number, count: number, columns: number): number | null {
  const moves: Record<string, number> = {
    ArrowLeft: index - 1,
    ArrowRight: index + 1,
    ArrowUp: index - columns,
    ArrowDown: index + columns,
    Home: 0,
    End: count - 1,
  };
  const next = moves[key];
  return next === undefined ? null : Math.min(count - 1, Math.max(0, next));
}

/**
 * A grid of emoji buttons, one tab stop: focus starts on the first, arrow keys, Home and End
 * move it, Escape closes the picker (not the window).
 */
export function EmojiPicker({ label, onPick, onClose }: EmojiPickerProps) {
  const grid = useRef<HTMLFieldSetElement>(null);
  const [active, setActive] = useState(0);
  useEffect(() => grid.current?.querySelector("button")?.focus(), []);
  return (
    <fieldset
      class="emoji"
      ref={grid}
      data-testid="emoji-picker"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
          return;
        }
        const buttons = [...(grid.current?.querySelectorAll("button") ?? [])];
        const top = buttons[0]?.offsetTop;
        const columns = buttons.filter((button) => button.offsetTop === top).length || 1;
        const next = moveIndex(event.key, active, buttons.length, columns);
        if (next === null) return;
        event.preventDefault();
        setActive(next);
        buttons[next]?.focus();
      }}
    >
      <legend class="sr">{label}</legend>
      {EMOJI.map((emoji, index) => (
        <button
          key={emoji}
          type="button"
          tabIndex={index === active ? 0 : -1}
          onFocus={() => setActive(index)}
          onClick={() => onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
    </fieldset>
  );
}
