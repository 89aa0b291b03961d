import { useStore } from "@nanostores/preact";
import {
  $desktopPermission,
  enableDesktopNotifications,
} from "../../stores/notifications/index.ts";

/**
 * Offers browser notifications until the agent answers the browser's question; a narrow header
 * gets the short label.
 */
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
      <span class="topbar-wide">Enable notifications</span>
      <span class="topbar-narrow">Notifications</span>
    </button>
  );
}
