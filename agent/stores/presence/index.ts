import { atom, computed } from "nanostores";
import type { AgentPresence, AgentsFrame } from "../../../protocol/chat.ts";
import { sendFrame } from "../connection/index.ts";
import { $agentId } from "../session/index.ts";

/** The status an agent picks: away agents get no new requests but keep their chats. */
export type AgentStatus = "online" | "away";

/** Every agent of the site with their presence, from the relay's `agents` frames. */
export const $agents = atom<readonly AgentPresence[]>([]);

/** My status as I last chose it (or as another of my tabs set it). */
export const $myStatus = atom<AgentStatus>("online");

/** Colleagues (everyone but me), online first, then away, then offline; by name within. */
export const $colleagues = computed([$agents, $agentId], (agents, me) => {
  const rank = { online: 0, away: 1, offline: 2 } as const;
  return agents
    .filter((agent) => agent.id !== me)
    .sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
});

/** Takes an `agents` frame; my own entry tells my status as the relay has it. */
export function applyAgentsFrame(frame: AgentsFrame): void {
  $agents.set(frame.agents);
  const mine = frame.agents.find((agent) => agent.id === $agentId.get());
  if (mine && mine.status !== "offline") $myStatus.set(mine.status);
}

/** Sets my status, here at once and on the relay. */
export function setMyStatus(status: AgentStatus): void {
  $myStatus.set(status);
  sendFrame({ type: "agent:status", status });
}

/** After a reconnect: an away agent stays away (the relay may count a new socket as online). */
export function restoreMyStatus(): void {
  if ($myStatus.get() === "away") sendFrame({ type: "agent:status", status: "away" });
}

/** Forgets the last session's colleagues and status. */
export function resetPresence(): void {
  $agents.set([]);
  $myStatus.set("online");
}
