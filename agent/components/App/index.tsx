import { useStore } from "@nanostores/preact";
import { useUnlockSound } from "../../hooks/useUnlockSound.ts";
import { $session } from "../../stores/session/index.ts";
import { $view } from "../../stores/view/index.ts";
import { AccountView } from "../AccountView/index.tsx";
import { ChatsView } from "../ChatsView/index.tsx";
import { ConsoleHeader } from "../ConsoleHeader/index.tsx";
import { LoginPage } from "../LoginPage/index.tsx";
import { OfflineView } from "../OfflineView/index.tsx";
import { SettingsView } from "../SettingsView/index.tsx";
import { TeamView } from "../TeamView/index.tsx";
import { ToastStack } from "../ToastStack/index.tsx";
import { VisitorsView } from "../VisitorsView/index.tsx";

/** The console: the login page, or the header, the current page and the toasts once signed in. */
export function App() {
  const session = useStore($session);
  const view = useStore($view);
  useUnlockSound();
  if (!session) return <LoginPage />;
  const admin = session.agent.role === "admin";
  return (
    <div class="console">
      <ConsoleHeader session={session} view={view} />
      {view === "chats" ? (
        <ChatsView />
      ) : view === "offline" ? (
        <OfflineView />
      ) : view === "team" && admin ? (
        <TeamView />
      ) : view === "settings" && admin ? (
        <SettingsView />
      ) : view === "account" ? (
        <AccountView session={session} />
      ) : (
        <VisitorsView />
      )}
      <ToastStack />
    </div>
  );
}
