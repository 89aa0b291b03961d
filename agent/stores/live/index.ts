import { computed } from "nanostores";
import type { AgentServerFrame } from "../../../protocol/agent.ts";
import { resetAccount } from "../account/index.ts";
import { resetCanned } from "../canned/index.ts";
import { $chats, applyChatsFrame, reportChatError, resetChats } from "../chats/index.ts";
import { $connection, type ConnectOptions, connect, disconnect } from "../connection/index.ts";
import {
  receiveHistory,
  receiveMessage,
  receiveVisitorRead,
  reopenConversation,
  resetConversations,
} from "../conversation/index.ts";
import { loadDrafts, resetDrafts } from "../drafts/index.ts";
import { applyHoursFrame, resetHours } from "../hours/index.ts";
import { failInvitation, resetInvitations, settleInvitation } from "../invitations/index.ts";
import { receiveNotify, resetToasts, settleRequestToasts } from "../notifications/index.ts";
import { applyOfflineFrame, resetOffline } from "../offline/index.ts";
import {
  forgetDelivered,
  loadOutbox,
  receiveAck,
  resendPending,
  resetOutbox,
} from "../outbox/index.ts";
import { applyAgentsFrame, resetPresence, restoreMyStatus } from "../presence/index.ts";
import { receiveRosterFrame, resetRoster } from "../roster/index.ts";
import { clearSelection } from "../selection/index.ts";
import { $agentId, $session, applyHello, expireSession } from "../session/index.ts";
import { resetSiteSettings } from "../site-settings/index.ts";
import { resetTeam } from "../team/index.ts";
import { failTrail, receiveTrail } from "../trail/index.ts";
import { receiveTyping, resetTyping, stopTypingOf } from "../typing/index.ts";
import { resetUploads } from "../uploads/index.ts";
import { showView } from "../view/index.ts";

/** Hands each frame from the relay to the store it belongs to. */
export function routeFrame(frame: AgentServerFrame): void {
  switch (frame.type) {
    case "hello":
      applyHello(frame);
      return;
    case "roster":
      receiveRosterFrame(frame);
      return;
    case "trail":
      receiveTrail(frame.trail);
      return;
    case "chats":
      applyChatsFrame(frame);
      settleRequestToasts($chats.get());
      return;
    case "chat:history":
      receiveHistory(frame);
      forgetDelivered(frame.messages.map((message) => message.id));
      return;
    case "chat:message":
      receiveMessage(frame);
      forgetDelivered([frame.message.id]);
      stopTypingOf(frame.chatId, frame.message.author);
      return;
    case "chat:typing":
      receiveTyping(frame, $agentId.get());
      return;
    case "chat:read":
      receiveVisitorRead(frame);
      return;
    case "agents":
      applyAgentsFrame(frame);
      return;
    case "notify":
      receiveNotify(frame);
      return;
    case "offline-messages":
      applyOfflineFrame(frame);
      return;
    case "hours":
      applyHoursFrame(frame);
      return;
    case "ack":
      receiveAck(frame);
      settleInvitation(frame);
      return;
    case "error":
      if (frame.code === "unauthorized") expireSession(frame.message);
      else if (!failTrail(frame.message) && !failInvitation(frame.message))
        reportChatError(frame.message);
      return;
  }
}

/**
 * Site and agent of the session: changes on sign-in and sign-out, not on `hello` nor when the
 * relay renews the token (the socket reads the token at each reconnect).
 */
const $credentials = computed($session, (session) =>
  session ? JSON.stringify([session.site.id, session.agent.id]) : null,
);

/** Wipes what the last session saw, and loads what this agent left unsent on this device. */
function resetConsole(agentId: string | null): void {
  resetRoster();
  clearSelection();
  resetTeam();
  resetAccount();
  resetChats();
  resetConversations();
  resetTyping();
  resetToasts();
  resetPresence();
  resetCanned();
  resetOffline();
  resetHours();
  resetSiteSettings();
  resetUploads();
  resetInvitations();
  resetDrafts();
  resetOutbox();
  if (agentId) {
    loadDrafts(agentId);
    loadOutbox(agentId);
  }
  showView("visitors");
}

/**
 * Keeps the agent socket open while signed in, and wipes what the last session saw when the
 * session ends or changes. After every (re)connect it sends what the relay has not
 * acknowledged, asks again for the open conversation and restores an away status. Call once,
 * at start-up.
 *
 * @example startLive({ host: location.host, secure: location.protocol === "https:" });
 */
export function startLive(relay: Pick<ConnectOptions, "host" | "secure" | "openSocket">): void {
  $credentials.subscribe(() => {
    disconnect();
    const session = $session.get();
    resetConsole(session?.agent.id ?? null);
    if (session) {
      connect({
        ...relay,
        siteId: session.site.id,
        token: () => $session.get()?.token ?? "",
        onFrame: routeFrame,
      });
    }
  });
  $connection.listen((status) => {
    if (status !== "connected") return;
    resetTyping();
    resendPending();
    reopenConversation();
    restoreMyStatus();
  });
}
