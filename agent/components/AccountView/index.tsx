import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { $passwordChange, changePassword } from "../../stores/account/index.ts";
import type { AgentSession } from "../../stores/session/index.ts";
import { FormField } from "../FormField/index.tsx";
import { NewPasswordField } from "../NewPasswordField/index.tsx";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** Every agent's own account: who is signed in, and a form to change the password. */
export function AccountView({ session }: { session: AgentSession }) {
  const state = useStore($passwordChange);

  const onSubmit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const changed = await changePassword(
      String(data.get("current") ?? ""),
      String(data.get("new") ?? ""),
      String(data.get("repeat") ?? ""),
    );
    if (changed) form.reset();
  };

  return (
    <main class="account-view">
      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">Your password</h2>
        <p class="muted">
          Signed in as {session.agent.name} ({session.agent.email}). A new password signs you out
          everywhere else.
        </p>
        <form class="password-form" onSubmit={onSubmit}>
          <FormField
            id="current-password"
            label="Current"
            name="current"
            type="password"
            autoComplete="current-password"
            required
            data-testid="current-password"
          />
          <NewPasswordField id="new-password" label="New" name="new" data-testid="new-password" />
          <NewPasswordField
            id="repeat-password"
            label="New, again"
            name="repeat"
            data-testid="repeat-password"
          />
          <SaveOutcome state={state} testId="password" />
          <button
            type="submit"
            class="primary"
            disabled={state.pending}
            data-testid="password-submit"
          >
            {state.pending ? "Changing…" : "Change password"}
          </button>
        </form>
      </section>
    </main>
  );
}
