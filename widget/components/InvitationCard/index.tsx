import { useStore } from "@nanostores/preact";
import type { RefObject } from "preact";
import { useRef } from "preact/hooks";
import type { Invitation } from "../../../protocol/invitations.ts";
import { useReturnFocus } from "../../hooks/useReturnFocus.ts";
import { unlockSound } from "../../sound/index.ts";
import { $invitation, dismissInvitation } from "../../stores/invitation/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $settings } from "../../stores/settings/index.ts";
import { $launcherVisible, $open, openChat } from "../../stores/ui/index.ts";
import { Avatar } from "../Avatar/index.tsx";
import { Icon } from "../Icon/index.tsx";

/**
 * An invitation while the window is closed: a small card above the launcher with the sender
 * and the message (on phones too: the full-screen window opens only when the card is tapped).
 */
export function InvitationCard({ launcher }: { launcher: RefObject<HTMLButtonElement> }) {
  const invitation = useStore($invitation);
  const open = useStore($open);
  const visible = useStore($launcherVisible);
  if (!invitation || open || !visible) return null;
  return <Card key={invitation.id} invitation={invitation} launcher={launcher} />;
}

/**
 * The card itself: gone (dismissed, answered, or opened into the window) with focus in it, it
 * leaves the focus on the launcher, as the window does when it closes.
 */
function Card({
  invitation,
  launcher,
}: {
  invitation: Invitation;
  launcher: RefObject<HTMLButtonElement>;
}) {
  const { position } = useStore($settings);
  const t = useStore($strings);
  const card = useRef<HTMLElement>(null);
  useReturnFocus(card, launcher);
  const sender = invitation.sender ?? t.team;
  return (
    <aside
      ref={card}
      class={`invitation ${position}`}
      aria-label={t.invitationFrom(sender)}
      data-testid="invitation"
    >
      <button
        type="button"
        class="invitation-open"
        data-testid="invitation-open"
        onClick={() => {
          unlockSound();
          openChat();
        }}
      >
        <span class="author">
          <Avatar name={sender} />
          {sender}
        </span>
        <span class="text" data-testid="invitation-text">
          {invitation.text}
        </span>
        <span class="reply">{t.reply}</span>
      </button>
      <button
        type="button"
        class="invitation-dismiss"
        aria-label={t.dismiss}
        data-testid="invitation-dismiss"
        onClick={dismissInvitation}
      >
        <Icon name="close" />
      </button>
    </aside>
  );
}
