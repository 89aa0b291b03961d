import type { AgentPresence } from "../../../protocol/chat.ts";

const LABELS: Record<AgentPresence["status"], string> = {
  online: "Online",
  away: "Away",
  offline: "Offline",
};

/** An agent's presence as a coloured dot. */
export function PresenceDot({ status }: { status: AgentPresence["status"] }) {
  return <span class={`presence-dot presence-${status}`} role="img" aria-label={LABELS[status]} />;
}

/** The word for an agent's presence. */
export const presenceLabel = (status: AgentPresence["status"]): string => LABELS[status];
