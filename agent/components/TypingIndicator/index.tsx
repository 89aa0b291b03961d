import { useStore } from "@nanostores/preact";
import { $typing } from "../../stores/typing/index.ts";

/** The visitor's live typing preview, and colleagues typing in this chat. */
export function TypingIndicator({ chatId }: { chatId: string }) {
  const typing = useStore($typing).get(chatId);
  if (!typing) return <div class="typing" aria-hidden="true" />;
  return (
    <div class="typing" aria-live="polite">
      {typing.visitor && (
        <p class="typing-visitor" data-testid="visitor-typing">
          <span class="muted">Visitor is typing: </span>
          <span data-testid="visitor-typing-text">{typing.visitor}</span>
        </p>
      )}
      {typing.agents.length > 0 && (
        <p class="typing-agents muted" data-testid="agents-typing">
          {typing.agents.map((agent) => agent.name).join(", ")}{" "}
          {typing.agents.length === 1 ? "is" : "are"} typing…
        </p>
      )}
    </div>
  );
}
