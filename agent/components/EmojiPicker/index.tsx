const EMOJI = "🙂 😀 😂 😉 😍 🤔 😅 😢 👍 👎 👋 🙏 👏 🎉 ❤️ 🔥 ✅ ❌ ⭐ 📦 🚚 💳 ⏳ ☕".split(" ");

/** A small inline grid of common emoji; a click inserts one at the caret. */
export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <fieldset class="emoji-picker" data-testid="emoji-picker">
      <legend class="visually-hidden">Emoji</legend>
      {EMOJI.map((emoji) => (
        <button
          key={emoji}
          type="button"
          class="quiet emoji-option"
          onClick={() => onPick(emoji)}
          data-testid="emoji-option"
        >
          {emoji}
        </button>
      ))}
    </fieldset>
  );
}
