import { useStore } from "@nanostores/preact";
import { $myStatus, setMyStatus } from "../../stores/presence/index.ts";
import { PresenceDot } from "../PresenceDot/index.tsx";

/** My status, online or away; a click switches. Away agents get no new requests. */
export function AgentStatusToggle() {
  const status = useStore($myStatus);
  const next = status === "online" ? "away" : "online";
  return (
    <button
      type="button"
      class="quiet status-toggle"
      onClick={() => setMyStatus(next)}
      title={`Switch to ${next}. Away agents get no new requests but keep their chats.`}
      data-testid="agent-status"
      data-status={status}
    >
      <PresenceDot status={status} />
      {status === "online" ? "Online" : "Away"}
    </button>
  );
}
