import { computed } from "nanostores";
import type { AgentServerFrame } from "../../../protocol/agent.ts";
import { connect, disconnect } from "../connection/index.ts";
import { applyRosterFrame, resetRoster } from "../roster/index.ts";
import { clearSelection } from "../selection/index.ts";
import { $session, applyHello, expireSession } from "../session/index.ts";
import { resetTeam } from "../team/index.ts";
import { failTrail, receiveTrail } from "../trail/index.ts";
import { showView } from "../view/index.ts";

/** Hands each frame from the relay to the store it belongs to. */
export function routeFrame(frame: AgentServerFrame): void {
  switch (frame.type) {
    case "hello":
      applyHello(frame);
      return;
    case "roster":
      applyRosterFrame(frame);
      return;
    case "trail":
      receiveTrail(frame.trail);
      return;
    case "error":
      if (frame.code === "unauthorized") expireSession();
      else failTrail(frame.message);
      return;
  }
}

/** Site and token of the session: changes on sign-in and sign-out, not on `hello`. */
const $credentials = computed($session, (session) =>
  session ? JSON.stringify([session.site.id, session.token]) : null,
);

/**
 * Keeps the agent socket open while signed in, and wipes what the last session saw when the
 * session ends or changes. Call once, at start-up.
 *
 * @example startLive({ host: location.host, secure: location.protocol === "https:" });
 */
export function startLive(relay: { host: string; secure: boolean }): void {
  $credentials.subscribe(() => {
    disconnect();
    resetRoster();
    clearSelection();
    resetTeam();
    showView("visitors");
    const session = $session.get();
    if (session) {
      connect({ ...relay, siteId: session.site.id, token: session.token, onFrame: routeFrame });
    }
  });
}
