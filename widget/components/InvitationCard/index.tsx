import { useStore } from "@nanostores/preact";
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
export function InvitationCard() {
  const invitation = useStore($invitation);
  const open = useStore($open);
  const visible = useStore($launcherVisible);
  const { position } = useStore($settings);
  const t = useStore($strings);
  if (!invitation || open || !visible) return null;
  const sender = invitation.sender ?? t.team;
  return (
    <aside
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
