import { useStore } from "@nanostores/preact";
import type { RefObject } from "preact";
import { LAUNCHER_ICON } from "../../../loader/facade/index.ts";
import { unlockSound } from "../../sound/index.ts";
import { $unread } from "../../stores/chat/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $settings } from "../../stores/settings/index.ts";
import { $launcherVisible, $open, toggleChat } from "../../stores/ui/index.ts";
import { WINDOW_ID } from "../ChatWindow/index.tsx";
import { Icon } from "../Icon/index.tsx";

/**
 * The round button that opens and closes the chat, with the site's label and an unread
 * badge; it takes the place of the loader's facade, which looks the same.
 */
export function Launcher({ button }: { button: RefObject<HTMLButtonElement> }) {
  const open = useStore($open);
  const unread = useStore($unread);
  const visible = useStore($launcherVisible);
  const { position, launcherText } = useStore($settings);
  const t = useStore($strings);
  const label = open
    ? t.closeChat
    : [launcherText || t.openChat, unread ? t.unread(unread) : ""].filter(Boolean).join(", ");
  return (
    <button
      ref={button}
      type="button"
      class={`launcher ${position}`}
      hidden={!visible}
      aria-label={label}
      aria-expanded={open}
      aria-controls={open ? WINDOW_ID : undefined}
      data-testid="launcher"
      onClick={() => {
        unlockSound();
        toggleChat();
      }}
    >
      {open ? (
        <Icon name="down" />
      ) : (
        // The facade's icon, a constant of ours: the swap from facade to launcher is seamless.
        <span class="glyph" dangerouslySetInnerHTML={{ __html: LAUNCHER_ICON }} />
      )}
      {!open && launcherText && <span class="label">{launcherText}</span>}
      {unread > 0 && (
        <span class="badge" aria-hidden="true" data-testid="unread-badge">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </button>
  );
}
