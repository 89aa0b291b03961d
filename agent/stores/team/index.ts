import { atom } from "nanostores";
import type { AgentProfile, AgentRole } from "../../../protocol/agent.ts";
import type { NewAgentBody } from "../../../protocol/http.ts";
import { relayApi } from "../../api/index.ts";
import { $session, failureMessage } from "../session/index.ts";

type TeamState = { agents: AgentProfile[]; loading: boolean; error: string | null };
type NewAgentState = { pending: boolean; error: string | null; added: string | null };
type AgentPasswordState = { pending: boolean; error: string | null; saved: boolean };
type AgentRemovalState = { pending: boolean; error: string | null; removed: string | null };

/** The site's agents, as the Team view lists them. */
export const $team = atom<TeamState>({ agents: [], loading: false, error: null });

/** The add-agent form's state: waiting for the relay, its last error, the last agent added. */
export const $newAgent = atom<NewAgentState>({ pending: false, error: null, added: null });

/** The set-a-password form's state: waiting for the relay, its last error, whether it took. */
export const $agentPassword = atom<AgentPasswordState>({
  pending: false,
  error: null,
  saved: false,
});

/** The remove-an-agent form's state: waiting for the relay, its last error, who was removed. */
export const $agentRemoval = atom<AgentRemovalState>({
  pending: false,
  error: null,
  removed: null,
});

/** Forgets the last session's team, so the next agent never sees it. */
export function resetTeam(): void {
  $team.set({ agents: [], loading: false, error: null });
  $newAgent.set({ pending: false, error: null, added: null });
  $agentPassword.set({ pending: false, error: null, saved: false });
  $agentRemoval.set({ pending: false, error: null, removed: null });
}

/** Sets another agent's password (admins only), ending their sessions; true when it took. */
export async function setAgentPassword(agentId: string, password: string): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  $agentPassword.set({ pending: true, error: null, saved: false });
  const result = await relayApi.setAgentPassword(session.token, { agentId, password });
  $agentPassword.set({
    pending: false,
    error: result.ok ? null : failureMessage(result),
    saved: result.ok,
  });
  return result.ok;
}

/**
 * Makes another agent an admin or an agent (admins only); the list shows the relay's answer,
 * and the relay's refusal in the Team view's error.
 */
export async function setAgentRole(agentId: string, role: AgentRole): Promise<void> {
  const session = $session.get();
  if (!session) return;
  const result = await relayApi.setAgentRole(session.token, { agentId, role });
  const team = $team.get();
  if (!result.ok) {
    $team.set({ ...team, error: failureMessage(result) });
    return;
  }
  const agents = team.agents.map((agent) => (agent.id === agentId ? result.value : agent));
  $team.set({ ...team, agents, error: null });
}

/** Loads the site's agents (admins only). */
export async function loadTeam(): Promise<void> {
  const session = $session.get();
  if (!session) return;
  $team.set({ ...$team.get(), loading: true, error: null });
  const result = await relayApi.listAgents(session.token);
  if (result.ok) $team.set({ agents: result.value, loading: false, error: null });
  else $team.set({ ...$team.get(), loading: false, error: failureMessage(result) });
}

/** Adds an agent to the site (admins only); true when the relay took it. */
export async function addAgent(body: NewAgentBody): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  $newAgent.set({ pending: true, error: null, added: null });
  const result = await relayApi.addAgent(session.token, body);
  if (!result.ok) {
    const error =
      result.status === 409 ? "An agent with that email already exists." : failureMessage(result);
    $newAgent.set({ pending: false, error, added: null });
    return false;
  }
  $newAgent.set({ pending: false, error: null, added: result.value.name });
  $team.set({ ...$team.get(), agents: [...$team.get().agents, result.value] });
  return true;
}

/**
 * Removes another agent from the site (admins only): their open chats go to colleagues or back
 * to the queue, and their sessions end. True when it took.
 */
export async function removeAgent(agentId: string): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  $agentRemoval.set({ pending: true, error: null, removed: null });
  const result = await relayApi.removeAgent(session.token, { agentId });
  if (!result.ok) {
    $agentRemoval.set({ pending: false, error: failureMessage(result), removed: null });
    return false;
  }
  $agentRemoval.set({ pending: false, error: null, removed: result.value.name });
  const team = $team.get();
  $team.set({ ...team, agents: team.agents.filter((agent) => agent.id !== agentId) });
  return true;
}
