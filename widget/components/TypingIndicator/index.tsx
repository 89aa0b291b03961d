import { useStore } from "@nanostores/preact";
import { $agentTyping } from "../../stores/chat/index.ts";
import { $strings } from "../../stores/locale/index.ts";

/** "Anna is typing…", with moving dots, while an agent types; announced politely. */
export function TypingIndicator() {
  const agent = useStore($agentTyping);
  const t = useStore($strings);
  return (
    <div class="typing" role="status" data-testid="agent-typing">
      {agent && (
        <>
          <span class="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t.typing(agent.name)}
        </>
      )}
    </div>
  );
}
