import { useStore } from "@nanostores/preact";
import { $openChatId } from "../../stores/conversation/index.ts";
import { $toasts } from "../../stores/notifications/index.ts";
import { $view } from "../../stores/view/index.ts";
import { Toast } from "../Toast/index.tsx";

/**
 * Notifications stacked at the top right, newest at the bottom. A toast about the chat open
 * on screen is held back: the conversation shows it, with the same actions.
 */
export function ToastStack() {
  const toasts = useStore($toasts);
  const openChatId = useStore($openChatId);
  const onScreen = useStore($view) === "chats" ? openChatId : null;
  return (
    <section class="toasts" aria-label="Notifications" aria-live="polite" data-testid="toasts">
      {toasts
        .filter((toast) => toast.chatId !== onScreen)
        .map((toast) => (
          <Toast key={toast.id} toast={toast} />
        ))}
    </section>
  );
}
