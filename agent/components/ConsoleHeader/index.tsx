import { useStore } from "@nanostores/preact";
import { $requestCount } from "../../stores/chats/index.ts";
import { $withinHours } from "../../stores/hours/index.ts";
import { $offlineUnread } from "../../stores/offline/index.ts";
import type { AgentSession } from "../../stores/session/index.ts";
import { signOut } from "../../stores/session/index.ts";
import { type ConsoleView, showView } from "../../stores/view/index.ts";
import { AgentStatusToggle } from "../AgentStatusToggle/index.tsx";
import { ConnectionStatus } from "../ConnectionStatus/index.tsx";
import { NotificationsButton } from "../NotificationsButton/index.tsx";

/**
 * Site name, page switcher (with the number of waiting requests and of unread offline
 * messages), whether the site is outside its business hours, my status, notifications,
 * connection state, who is signed in (their account page), and the way out.
 */
export function ConsoleHeader({ session, view }: { session: AgentSession; view: ConsoleView }) {
  const requests = useStore($requestCount);
  const unreadOffline = useStore($offlineUnread);
  const withinHours = useStore($withinHours);
  const tab = (
    target: ConsoleView,
    label: string,
    badge?: { count: number; label: string; testId: string },
  ) => (
    <button
      type="button"
      class="nav-tab"
      aria-current={view === target ? "page" : undefined}
      onClick={() => showView(target)}
      data-testid={`nav-${target}`}
    >
      {label}
      {badge?.count ? (
        <>
          <span class="visually-hidden">, {badge.label}:</span>
          <span class="count-badge" data-testid={badge.testId}>
            {badge.count}
          </span>
        </>
      ) : null}
    </button>
  );
  const admin = session.agent.role === "admin";
  return (
    <header class="topbar">
      <span class="brand">Parley</span>
      <span class="site-name" title={session.site.name} data-testid="site-name">
        {session.site.name}
      </span>
      <nav class="nav" aria-label="Console">
        {tab("visitors", "Visitors")}
        {tab("chats", "Chats", { count: requests, label: "waiting", testId: "requests-badge" })}
        {tab("offline", "Offline messages", {
          count: unreadOffline,
          label: "unread",
          testId: "offline-badge",
        })}
        {admin && tab("team", "Team")}
        {admin && tab("settings", "Settings")}
      </nav>
      <span class="topbar-spacer" />
      {!withinHours && (
        <span
          class="hours-closed"
          title="Visitors get the offline form (or no widget) until the site opens"
          data-testid="hours-closed"
        >
          Outside <span class="topbar-wide">business </span>hours
        </span>
      )}
      <NotificationsButton />
      <AgentStatusToggle />
      <ConnectionStatus />
      <button
        type="button"
        class="quiet agent-name"
        aria-current={view === "account" ? "page" : undefined}
        title={`${session.agent.email}: your account`}
        onClick={() => showView("account")}
        data-testid="agent-name"
      >
        {session.agent.name}
      </button>
      <button type="button" class="quiet" onClick={() => void signOut()} data-testid="logout">
        Sign out
      </button>
    </header>
  );
}
