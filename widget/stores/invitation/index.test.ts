import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Invitation, VisitorInvitationRule } from "../../../protocol/invitations.ts";
import { startTestSession } from "../../testing/index.ts";
import { sendMessage } from "../chat/index.ts";
import { $online } from "../settings/index.ts";
import { $open, closeChat, openChat } from "../ui/index.ts";
import { $invitation, dismissInvitation, followInvitations, showInvitation } from "./index.ts";

// Node has no media queries: the device is a desktop's.
beforeAll(() => {
  vi.stubGlobal("matchMedia", () => ({ matches: false }));
});
afterAll(() => {
  vi.unstubAllGlobals();
});
followInvitations();

const rule: VisitorInvitationRule = {
  id: "rule-0001",
  conditions: { timeOnPage: 10 },
  message: "Can we help?",
  sender: "Ana",
  whenOffline: "skip",
  dismissDays: 7,
  notOnMobile: false,
};
let invitations = 0;
const fromRule = (visitId = "visit-0001"): Invitation => ({
  id: `invitation-${++invitations}`.padEnd(12, "0"),
  text: rule.message,
  sender: rule.sender,
  rule,
  visitId,
});

/** A new visitor's session, with the relay's word on whether an agent is online. */
function session(online: boolean | "unknown" = true) {
  const started = startTestSession();
  $invitation.set(null);
  $open.set(false);
  $online.set(online === "unknown" ? undefined : online);
  return started;
}

describe("invitation store", () => {
  it("shows a rule's invitation, records it shown, and sends the visitor's reply as its answer", () => {
    const { recorded } = session();
    const invitation = fromRule();
    showInvitation(invitation);
    expect($invitation.get()).toMatchObject({ id: invitation.id, text: "Can we help?" });
    expect(recorded).toEqual([
      expect.objectContaining({
        kind: "invitation",
        invitationId: invitation.id,
        action: "shown",
        ruleId: "rule-0001",
        sender: "Ana",
      }),
    ]);
    openChat();
    sendMessage("Yes, about lamps");
    expect(recorded[1]).toMatchObject({ kind: "message", invitationId: invitation.id });
    expect($invitation.get()).toBeNull();
    sendMessage("And chairs");
    expect(recorded[2]).not.toHaveProperty("invitationId");
    // Answered, not dismissed: closing the window records nothing more.
    closeChat();
    expect(recorded).toHaveLength(3);
  });

  it("waits for the relay's word on who is online before deciding", () => {
    const { recorded } = session("unknown");
    showInvitation(fromRule());
    expect($invitation.get()).toBeNull();
    $online.set(true);
    expect($invitation.get()?.text).toBe("Can we help?");
    expect(recorded).toHaveLength(1);
  });

  it("keeps a rule quiet with nobody online (until an agent is), during a chat, and after one in the visit", () => {
    const offline = session(false);
    showInvitation(fromRule());
    expect($invitation.get()).toBeNull();
    expect(offline.recorded).toEqual([]);
    // Held back only because nobody was online: it shows once an agent is.
    $online.set(true);
    expect($invitation.get()?.text).toBe("Can we help?");
    $invitation.set(null);

    const chatting = session();
    chatting.receive({ type: "chat:state", status: "active", agents: [], agentReadSeq: 0 });
    showInvitation(fromRule());
    expect($invitation.get()).toBeNull();
    // An agent's own invitation still shows.
    showInvitation({ id: "invitation-agent", text: "Hi, Ana here", sender: "Ana" });
    expect($invitation.get()?.text).toBe("Hi, Ana here");

    session();
    showInvitation(fromRule("visit-0001"));
    $invitation.set(null);
    showInvitation(fromRule("visit-0001"));
    expect($invitation.get()).toBeNull();
  });

  it("records a dismissal, from the card or by closing the window, and stays quiet for the rule's days", () => {
    const { recorded } = session();
    showInvitation(fromRule("visit-0001"));
    dismissInvitation();
    expect(recorded.map((event) => event.kind === "invitation" && event.action)).toEqual([
      "shown",
      "dismissed",
    ]);
    showInvitation(fromRule("visit-0002"));
    expect($invitation.get()).toBeNull();

    const other = session();
    showInvitation({ id: "invitation-page", text: "Free delivery today", sender: null });
    openChat();
    closeChat();
    expect(other.recorded.map((event) => event.kind === "invitation" && event.action)).toEqual([
      "shown",
      "dismissed",
    ]);
  });
});
