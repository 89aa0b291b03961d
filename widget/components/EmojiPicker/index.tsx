import { useEffect, useRef } from "preact/hooks";

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

/** A grid of emoji buttons; focus starts on the first; Escape closes it (not the window). */
export function EmojiPicker({ label, onPick, onClose }: EmojiPickerProps) {
  const grid = useRef<HTMLFieldSetElement>(null);
  useEffect(() => grid.current?.querySelector("button")?.focus(), []);
  return (
    <fieldset
      class="emoji"
      ref={grid}
      data-testid="emoji-picker"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.stopPropagation();
        onClose();
      }}
    >
      <legend class="sr">{label}</legend>
      {EMOJI.map((emoji) => (
        <button key={emoji} type="button" onClick={() => onPick(emoji)}>
          {emoji}
        </button>
      ))}
    </fieldset>
  );
}
