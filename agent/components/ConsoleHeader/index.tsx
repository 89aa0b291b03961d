import type { AgentSession } from "../../stores/session/index.ts";
import { signOut } from "../../stores/session/index.ts";
import { type ConsoleView, showView } from "../../stores/view/index.ts";
import { ConnectionStatus } from "../ConnectionStatus/index.tsx";

/** Site name, page switcher, connection state, who is signed in, and the way out. */
export function ConsoleHeader({ session, view }: { session: AgentSession; view: ConsoleView }) {
  const tab = (target: ConsoleView, label: string) => (
    <button
      type="button"
      class="nav-tab"
      aria-current={view === target ? "page" : undefined}
      onClick={() => showView(target)}
      data-testid={`nav-${target}`}
    >
      {label}
    </button>
  );
  return (
    <header class="topbar">
      <span class="brand">Parley</span>
      <span class="site-name" data-testid="site-name">
        {session.site.name}
      </span>
      <nav class="nav" aria-label="Console">
        {tab("visitors", "Visitors")}
        {session.agent.role === "admin" && tab("team", "Team")}
      </nav>
      <span class="topbar-spacer" />
      <ConnectionStatus />
      <span class="agent-name" data-testid="agent-name" title={session.agent.email}>
        {session.agent.name}
      </span>
      <button type="button" class="quiet" onClick={() => void signOut()} data-testid="logout">
        Sign out
      </button>
    </header>
  );
}
