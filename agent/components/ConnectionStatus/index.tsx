import { useStore } from "@nanostores/preact";
import { $connection, type ConnectionStatus as Status } from "../../stores/connection/index.ts";

const LABELS: Record<Status, string> = {
  offline: "Offline",
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
};

/** Whether live updates are flowing; on a narrow header only the dot shows (the title says). */
export function ConnectionStatus() {
  const status = useStore($connection);
  return (
    <span
      class={`connection connection-${status}`}
      role="status"
      data-testid="connection-status"
      data-state={status}
      title={LABELS[status]}
    >
      <span class="connection-label">{LABELS[status]}</span>
    </span>
  );
}
