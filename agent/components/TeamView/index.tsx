import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AgentProfile, AgentRole } from "../../../protocol/agent.ts";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import { $agentId } from "../../stores/session/index.ts";
import {
  $agentPassword,
  $agentRemoval,
  $newAgent,
  $team,
  addAgent,
  loadTeam,
  removeAgent,
  setAgentPassword,
  setAgentRole,
} from "../../stores/team/index.ts";
import { FormField } from "../FormField/index.tsx";
import { NewPasswordField } from "../NewPasswordField/index.tsx";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

const roleName = (role: AgentRole) => (role === "admin" ? "Admin" : "Agent");

/**
 * Admins only: the site's agents, each other agent's role to change, a form to add one, one to
 * set another's password, and one to remove another (confirmed first).
 */
export function TeamView() {
  const team = useStore($team);
  const newAgent = useStore($newAgent);
  const agentPassword = useStore($agentPassword);
  const agentRemoval = useStore($agentRemoval);
  const me = useStore($agentId);
  /** The agent the admin chose to remove, asked to confirm before it happens. */
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const others = team.agents.filter((agent) => agent.id !== me);
  useEffect(() => {
    void loadTeam();
  }, []);

  const onSubmit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const added = await addAgent({
      email: String(data.get("email") ?? ""),
      name: String(data.get("name") ?? ""),
      password: String(data.get("password") ?? ""),
      role: data.get("role") === "admin" ? "admin" : "agent",
    });
    if (added) form.reset();
  };

  const onSetPassword = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const saved = await setAgentPassword(
      String(data.get("agent") ?? ""),
      String(data.get("password") ?? ""),
    );
    if (saved) form.reset();
  };

  const onRemove = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get("agent") ?? "");
    const agent = others.find((other) => other.id === id);
    if (agent) setRemoving({ id: agent.id, name: agent.name });
  };

  return (
    <main class="team-view">
      <section class="card" aria-labelledby="team-title">
        <h2 id="team-title">Team</h2>
        {team.error && (
          <p class="form-error" role="alert" data-testid="team-error">
            {team.error}
          </p>
        )}
        <table class="team-table" data-testid="team-list" aria-busy={team.loading}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {team.agents.map((agent) => (
              <tr key={agent.id} data-testid="team-agent">
                <td>{agent.name}</td>
                <td>{agent.email}</td>
                <td>
                  {agent.id === me ? (
                    roleName(agent.role)
                  ) : (
                    <select
                      aria-label={`Role of ${agent.name}`}
                      value={agent.role}
                      data-testid="team-agent-role"
                      onChange={(event) =>
                        void setAgentRole(
                          agent.id,
                          event.currentTarget.value === "admin" ? "admin" : "agent",
                        )
                      }
                    >
                      <option value="agent">{roleName("agent")}</option>
                      <option value="admin">{roleName("admin")}</option>
                    </select>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="add-agent-title">
        <h2 id="add-agent-title">Add an agent</h2>
        <form class="add-agent" onSubmit={onSubmit}>
          <FormField
            id="new-agent-email"
            label="Email"
            name="email"
            type="email"
            required
            data-testid="new-agent-email"
          />
          <FormField
            id="new-agent-name"
            label="Name"
            name="name"
            required
            maxLength={LABEL_LENGTH}
            data-testid="new-agent-name"
          />
          <NewPasswordField
            id="new-agent-password"
            label="Password"
            name="password"
            data-testid="new-agent-password"
          />
          <label for="new-agent-role">Role</label>
          <select id="new-agent-role" name="role" data-testid="new-agent-role">
            <option value="agent">{roleName("agent")}</option>
            <option value="admin">{roleName("admin")}</option>
          </select>
          {newAgent.error && (
            <p class="form-error" role="alert" data-testid="new-agent-error">
              {newAgent.error}
            </p>
          )}
          {newAgent.added && (
            <p class="form-success" role="status" data-testid="new-agent-added">
              Added {newAgent.added}.
            </p>
          )}
          <button
            type="submit"
            class="primary"
            disabled={newAgent.pending}
            data-testid="new-agent-submit"
          >
            {newAgent.pending ? "Adding…" : "Add agent"}
          </button>
        </form>
      </section>
      {others.length > 0 && (
        <section class="card" aria-labelledby="agent-password-title">
          <h2 id="agent-password-title">Set an agent's password</h2>
          <p class="muted">
            For an agent who forgot theirs, or who must no longer get in: every session of theirs
            ends at once.
          </p>
          <form class="password-form" onSubmit={onSetPassword}>
            <AgentSelect id="agent-password-agent" agents={others} />
            <NewPasswordField
              id="agent-password-new"
              label="Password"
              name="password"
              data-testid="agent-password-new"
            />
            <SaveOutcome state={agentPassword} testId="agent-password" />
            <button
              type="submit"
              class="primary"
              disabled={agentPassword.pending}
              data-testid="agent-password-submit"
            >
              {agentPassword.pending ? "Setting…" : "Set password"}
            </button>
          </form>
        </section>
      )}
      {(others.length > 0 || agentRemoval.removed) && (
        <section class="card" aria-labelledby="remove-agent-title">
          <h2 id="remove-agent-title">Remove an agent</h2>
          <p class="muted">
            For an agent who left: their open chats go to the colleagues in them, or back to the
            queue; invitations sent in their name are sent as the site; they are signed out
            everywhere, and their email can be given a new account.
          </p>
          <form class="password-form" onSubmit={onRemove}>
            {others.length > 0 && (
              <AgentSelect
                id="remove-agent-agent"
                agents={others}
                onChange={() => setRemoving(null)}
              />
            )}
            {agentRemoval.error && (
              <p class="form-error" role="alert" data-testid="remove-agent-error">
                {agentRemoval.error}
              </p>
            )}
            {agentRemoval.removed && !removing && (
              <p class="form-success" role="status" data-testid="remove-agent-removed">
                Removed {agentRemoval.removed}.
              </p>
            )}
            {removing ? (
              <fieldset class="confirm-row">
                <legend class="visually-hidden">Remove {removing.name}?</legend>
                <button
                  type="button"
                  class="danger"
                  disabled={agentRemoval.pending}
                  data-testid="remove-agent-confirm"
                  onClick={async () => {
                    await removeAgent(removing.id);
                    setRemoving(null);
                  }}
                >
                  {agentRemoval.pending ? "Removing…" : `Remove ${removing.name}`}
                </button>
                <button type="button" onClick={() => setRemoving(null)}>
                  Cancel
                </button>
              </fieldset>
            ) : (
              others.length > 0 && (
                <button type="submit" data-testid="remove-agent-submit">
                  Remove…
                </button>
              )
            )}
          </form>
        </section>
      )}
    </main>
  );
}

/** A labelled select (`name="agent"`, test id `id`) of agents by name and email. */
function AgentSelect({
  id,
  agents,
  onChange,
}: {
  id: string;
  agents: AgentProfile[];
  onChange?: () => void;
}) {
  return (
    <>
      <label for={id}>Agent</label>
      <select id={id} name="agent" data-testid={id} onChange={onChange}>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name} ({agent.email})
          </option>
        ))}
      </select>
    </>
  );
}
