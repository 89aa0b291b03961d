import { useStore } from "@nanostores/preact";
import { $connection, type ConnectionStatus as Status } from "../../stores/connection/index.ts";

const LABELS: Record<Status, string> = {
  offline: "Offline",
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
};

/** Whether live updates are flowing. */
export function ConnectionStatus() {
  const status = useStore($connection);
  return (
    <span
      class={`connection connection-${status}`}
      role="status"
      data-testid="connection-status"
      data-state={status}
    >
      {LABELS[status]}
    </span>
  );
}
