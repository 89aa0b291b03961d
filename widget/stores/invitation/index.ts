import { atom } from "nanostores";
import type { Invitation } from "../../../protocol/invitations.ts";
import type { VisitorServerFrame } from "../../../protocol/visitor.ts";
import {
  deviceType,
  type InvitationMemory,
  invitationAllowed,
} from "../../../sdk/invitations/evaluate.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { $replyTo, $status, chatEvents } from "../chat/index.ts";
import { prefs, record } from "../session/index.ts";
import { $online, $settings } from "../settings/index.ts";
import { $off, $open } from "../ui/index.ts";

/** The invitation showing (a card while the window is closed, the first line once open), with when it came. */
export const $invitation = atom<(Invitation & { at: number }) | null>(null);

/** Where the widget remembers, across page loads, the visit of the last invitation and the last dismissal. */
const MEMORY = "invitation";

const memory = () => prefs().get<InvitationMemory>(MEMORY) ?? {};

/** Tells the relay what the visitor did with an invitation (counted once per invitation). */
function report(invitation: Invitation, action: "shown" | "dismissed"): void {
  record({
    kind: "invitation",
    id: randomId(),
    at: Date.now(),
    invitationId: invitation.id,
    action,
    ...(invitation.rule && { ruleId: invitation.rule.id }),
    text: invitation.text,
    sender: invitation.sender,
  });
}

/**
 * Shows `invitation` unless one is showing already. A rule's invitation shows only as its
 * limits allow (see `invitationAllowed`); an agent's or the host page's always does.
 */
export function showInvitation(invitation: Invitation): void {
  if ($off.get() || $invitation.get()) return;
  const { rule, visitId } = invitation;
  if (rule && $online.get() === undefined) {
    // A rule may fire before the relay has said whether anyone is online: decide once it has.
    const stop = $online.listen(() => {
      stop();
      showInvitation(invitation);
    });
    return;
  }
  if (rule) {
    const status = $status.get();
    const remembered = memory();
    const facts = {
      online: $online.get(),
      offlineForm: $settings.get().whenOffline === "form",
      chatUnderWay: status === "requested" || status === "active",
      device: deviceType(),
      visitId,
      memory: remembered,
      now: Date.now(),
    };
    if (!invitationAllowed(rule, facts)) {
      // Held back only because nobody is online: it shows when an agent comes online.
      if (facts.online === false && invitationAllowed(rule, { ...facts, online: true })) {
        const stop = $online.listen((online) => {
          if (!online) return;
          stop();
          showInvitation(invitation);
        });
      }
      return;
    }
    prefs().set(MEMORY, { ...remembered, shownInVisit: visitId } satisfies InvitationMemory);
  }
  $invitation.set({ ...invitation, at: Date.now() });
  $replyTo.set(invitation.id);
  report(invitation, "shown");
}

/** The visitor closed the invitation (or the window it was in) without answering. */
export function dismissInvitation(): void {
  const invitation = $invitation.get();
  if (!invitation) return;
  $invitation.set(null);
  $replyTo.set(null);
  prefs().set(MEMORY, { ...memory(), dismissedAt: Date.now() } satisfies InvitationMemory);
  report(invitation, "dismissed");
}

/** Shows the invitation of an `invite` frame: an agent's, or a rule's handed over by the SDK. */
export function receiveInvitation(frame: VisitorServerFrame): void {
  if (frame.type === "invite") showInvitation(frame.invitation);
}

/**
 * Follows the conversation: the visitor's message answers the invitation (the relay then keeps
 * it at the head of the chat); closing the window without one dismisses it.
 */
export function followInvitations(): void {
  chatEvents.on("sent", () => $invitation.set(null));
  $open.listen((open) => {
    if (!open) dismissInvitation();
  });
}
