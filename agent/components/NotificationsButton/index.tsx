import { useStore } from "@nanostores/preact";
import {
  $desktopPermission,
  enableDesktopNotifications,
} from "../../stores/notifications/index.ts";

/** Offers browser notifications until the agent answers the browser's question. */
export function NotificationsButton() {
  const permission = useStore($desktopPermission);
  if (permission !== "default") return null;
  return (
    <button
      type="button"
      class="quiet"
      onClick={() => void enableDesktopNotifications()}
      data-testid="enable-notifications"
    >
      Enable notifications
    </button>
  );
}
