import { useStore } from "@nanostores/preact";
import { $session } from "../../stores/session/index.ts";
import { $view } from "../../stores/view/index.ts";
import { ConsoleHeader } from "../ConsoleHeader/index.tsx";
import { LoginPage } from "../LoginPage/index.tsx";
import { TeamView } from "../TeamView/index.tsx";
import { VisitorsView } from "../VisitorsView/index.tsx";

/** The console: the login page, or the header and the current page once signed in. */
export function App() {
  const session = useStore($session);
  const view = useStore($view);
  if (!session) return <LoginPage />;
  const teamAllowed = session.agent.role === "admin";
  return (
    <div class="console">
      <ConsoleHeader session={session} view={view} />
      {view === "team" && teamAllowed ? <TeamView /> : <VisitorsView />}
    </div>
  );
}
