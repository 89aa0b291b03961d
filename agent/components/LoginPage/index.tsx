import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { $login, signIn } from "../../stores/session/index.ts";
import { FormField } from "../FormField/index.tsx";

/** Email and password, and the relay's reason when it says no. */
export function LoginPage() {
  const login = useStore($login);
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
  };
  return (
    <main class="login">
      <form class="login-card" aria-labelledby="login-title" onSubmit={onSubmit}>
        <h1 id="login-title">Parley</h1>
        <p class="muted">Sign in to the agent console.</p>
        <FormField
          id="login-email"
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          data-testid="login-email"
        />
        <FormField
          id="login-password"
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
        />
        {login.error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {login.error}
          </p>
        )}
        <button type="submit" class="primary" disabled={login.pending} data-testid="login-submit">
          {login.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
